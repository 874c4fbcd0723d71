// A synthetic ViewingActivity.csv of any size, the same for the same seed, for benchmarks and
// tests: Netflix's column order and row order (by profile, newest first), series episodes,
// films with colons and commas, supplemental videos, autoplay attributes, quoted countries.

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { COLUMNS } from './columns.js';

export interface SyntheticOptions {
  /** Same seed, same file. Default 1. */
  seed?: number;
  /** Profiles in the export (at most 5, as on Netflix). Default 5. */
  profiles?: number;
  /** UTC instant of the newest row of each profile. Default 2024-06-30T21:00:00Z. */
  newestMs?: number;
}

const HEADER_ORDER = [
  COLUMNS.profileName,
  COLUMNS.startTime,
  COLUMNS.duration,
  COLUMNS.attributes,
  COLUMNS.title,
  COLUMNS.supplementalVideoType,
  COLUMNS.deviceType,
  COLUMNS.bookmark,
  COLUMNS.latestBookmark,
  COLUMNS.country,
];

const PROFILE_NAMES = ['Profile 1', 'Ana & Luis', 'Zoë', '!!!', '山田'];
const SERIES = ['The Office (U.S.)', 'Dark', 'Money Heist', 'Avatar: The Last Airbender', 'Stranger Things', 'The Crown'];
const SEASON_WORDS = ['Season', 'Season', 'Season', 'Part', 'Book', 'Volume'];
const MOVIES = ['Glass Onion: A Knives Out Mystery', 'Roma', 'Okja', 'The Irishman', 'Marriage Story', 'Hello, Goodbye, and Everything in Between'];
const SUPPLEMENTAL = ['TRAILER', 'TEASER_TRAILER', 'HOOK', 'RECAP', 'PROMOTIONAL', 'BUMPER'];
const ATTRIBUTES = ['', '', 'Autoplayed: user action: None; ', 'Autoplayed: user action: User_Interaction; ', 'Autoplayed: user action: Unspecified; '];
const DEVICES = ['Roku Rockett Set Top Box', 'Apple iPhone XR', 'Netflix Chrome MAC (Cadmium) HTML 5', 'Samsung CE 2020 Nike-L UHD TV Smart TV'];
const COUNTRIES = ['US (United States)', 'US (United States)', 'CA (Canada)', 'KR (Korea, Republic of)'];

/** mulberry32: a small seeded generator, enough for test data (not for anything secret). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function clock(totalS: number): string {
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

function startTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** The header line, then one line per row (no line break at the ends). */
export function* syntheticViewingActivityLines(rows: number, options: SyntheticOptions = {}): Generator<string> {
  const random = seededRandom(options.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const profileCount = Math.min(Math.max(options.profiles ?? 5, 1), PROFILE_NAMES.length);
  const newestMs = options.newestMs ?? Date.UTC(2024, 5, 30, 21, 0, 0);
  yield HEADER_ORDER.join(',');
  for (let p = 0; p < profileCount; p++) {
    const share = Math.floor(rows / profileCount) + (p < rows % profileCount ? 1 : 0);
    let atMs = newestMs;
    for (let i = 0; i < share; i++) {
      const roll = random();
      let title: string;
      let type = '';
      let durationS: number;
      if (roll < 0.15) {
        type = pick(SUPPLEMENTAL);
        title = `${pick(SERIES)}: Season ${1 + Math.floor(random() * 4)}_hook_0${1 + Math.floor(random() * 9)}_16x9`;
        durationS = 3 + Math.floor(random() * 120);
      } else if (roll < 0.3) {
        title = pick(MOVIES);
        durationS = 60 + Math.floor(random() * 9000);
      } else {
        const season = 1 + Math.floor(random() * 5);
        const episode = 1 + Math.floor(random() * 22);
        title = `${pick(SERIES)}: ${pick(SEASON_WORDS)} ${season}: Chapter ${episode}, Part Two (Episode ${episode})`;
        durationS = 30 + Math.floor(random() * 3000);
      }
      const latest = random() < 0.7;
      const bookmarkS = durationS + (random() < 0.5 ? 0 : Math.floor(random() * 1800));
      const line = [
        csvField(PROFILE_NAMES[p]),
        startTime(atMs),
        clock(durationS),
        pick(ATTRIBUTES),
        csvField(title),
        type,
        pick(DEVICES),
        clock(bookmarkS),
        latest ? clock(bookmarkS) : 'Not latest view',
        csvField(pick(COUNTRIES)),
      ].join(',');
      yield line;
      atMs -= (durationS + 30 + Math.floor(random() * 7200)) * 1000;
    }
  }
}

/** Writes a synthetic export of `rows` data rows to a file. */
export async function writeSyntheticViewingActivity(path: string, rows: number, options: SyntheticOptions = {}): Promise<void> {
  const out = createWriteStream(path);
  let pending: string[] = [];
  for (const line of syntheticViewingActivityLines(rows, options)) {
    pending.push(line);
    if (pending.length === 10_000) {
      if (!out.write(pending.join('\n') + '\n')) await once(out, 'drain');
      pending = [];
    }
  }
  if (pending.length > 0) out.write(pending.join('\n') + '\n');
  out.end();
  await once(out, 'finish');
}
