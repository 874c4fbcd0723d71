// A Netflix export into the store: rows are read streaming, their events loaded with exact
// dedup (deterministic eventIds make a re-import change nothing), then the member, profiles,
// devices and titles are upserted, views refreshed, and rows the export marks hidden are hidden.

import { statSync } from 'node:fs';
import type { Catalogue } from '../../domain/catalogue.js';
import type { Definitions } from '../../domain/definitions.js';
import type { Device, PlaybackEvent, Profile, Title } from '../../domain/model.js';
import { BingeError } from '../../errors.js';
import { refreshViews } from '../../history/refresh-views.js';
import type { Store } from '../../store/port.js';
import { bulkLoad } from '../bulk-load.js';
import { NetflixFileError, type NetflixSkip } from './errors.js';
import { bulkImportNetflix } from './sql-import.js';
import { memberNameOf, readViewingActivityBatches, type ReadOptions } from './read.js';
import { NetflixImportSummary, type ProfileTotals } from './summary.js';

export interface StoreImportResult {
  memberId: string;
  /** Data rows read. */
  rows: number;
  /** Views of the member's profiles after the import. */
  views: number;
  profiles: number;
  /** Events stored now; 0 on a re-import of the same file. */
  newEvents: number;
  skipped: { line: number; code: string; reason: string }[];
  totals: ProfileTotals[];
  /** Who read the rows: the store's engine (bulk path) or the importer's reader. */
  path: 'engine' | 'reader';
}

export interface ImportOptions extends ReadOptions {
  onRows?: (rows: number, estimatedTotal: number) => void;
  /** 'auto' (default): the store's engine reads the file when it can do so exactly (sql-import.ts), else the reader; 'reader': always the reader. */
  engine?: 'auto' | 'reader';
  /** Wall seconds of each step once done (benchmarks): rows stored, catalogue, views refreshed, hidden views marked. */
  onStep?: (step: 'rows' | 'catalogue' | 'views' | 'hidden', seconds: number) => void;
}

export async function importNetflixIntoStore(
  store: Store,
  catalogue: Catalogue,
  defs: Definitions,
  file: string,
  options: ImportOptions = {},
): Promise<StoreImportResult> {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (error) {
    throw new BingeError('BINGE_IMPORT_FILE', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; check the path`, { cause: error });
  }
  let stepStart = performance.now();
  const step = (name: 'rows' | 'catalogue' | 'views' | 'hidden') => {
    const now = performance.now();
    options.onStep?.(name, (now - stepStart) / 1000);
    stepStart = now;
  };
  const memberName = memberNameOf(file, options.member);
  const bulk = options.engine === 'reader' ? null : await bulkImportNetflix(store, file, { member: memberName, ...countryOption(options) });
  const loaded = bulk ?? (await readIntoStore(store, file, memberName, size, options));
  if (bulk !== null) options.onRows?.(bulk.rows, bulk.rows);
  step('rows');
  await store.putMembers([{ memberId: loaded.memberId, country: options.country ?? mostCommonCountry(loaded.countries), createdAtMs: Date.now() }]);
  await store.putProfiles(loaded.profiles);
  await store.putDevices(loaded.devices);
  await store.putTitles(loaded.titles);
  catalogue.add(loaded.titles);
  step('catalogue');
  const profileIds = loaded.profiles.map((p) => p.profileId);
  await refreshViews(store, catalogue, defs, { profileIds });
  step('views');
  if (loaded.hidden.length > 0) {
    // Only the profiles with hidden rows are read back (an export rarely has many).
    const views = await store.viewsOfProfiles([...new Set(loaded.hidden.map((h) => h.profileId))]);
    for (const hidden of loaded.hidden) {
      const view = views.get(hidden.profileId)?.find((v) => v.titleId === hidden.titleId && v.startMs <= hidden.atMs && hidden.atMs <= v.endMs);
      if (view && !view.hidden) {
        await store.hideView(hidden.profileId, view.viewId);
        view.hidden = true;
      }
    }
  }
  const views = await store.countViews(profileIds);
  step('hidden');
  return {
    memberId: loaded.memberId,
    rows: loaded.rows,
    views,
    profiles: loaded.profiles.length,
    newEvents: loaded.accepted,
    skipped: loaded.skipped.map((s) => ({ line: s.line, code: s.code, reason: s.reason })),
    totals: loaded.totals,
    path: bulk === null ? 'reader' : 'engine',
  };
}

interface Loaded {
  memberId: string;
  rows: number;
  accepted: number;
  profiles: Profile[];
  devices: Device[];
  titles: Title[];
  totals: ProfileTotals[];
  countries: Map<string, number>;
  hidden: { profileId: string; titleId: string; atMs: number }[];
  skipped: NetflixSkip[];
}

/** The reader's path (read.ts): every row parsed and mapped here, its events bulk-loaded with exact dedup. */
async function readIntoStore(store: Store, file: string, memberName: string, size: number, options: ImportOptions): Promise<Loaded> {
  const estimatedRows = Math.max(1, Math.round(size / 150));
  const summary = new NetflixImportSummary(memberName, { keepEvents: false });
  const hidden: Loaded['hidden'] = [];
  const countries = new Map<string, number>();
  let rows = 0;
  const batches = async function* (): AsyncGenerator<PlaybackEvent[]> {
    for await (const results of readViewingActivityBatches(file, options)) {
      const events: PlaybackEvent[] = [];
      for (const result of results) {
        summary.add(result);
        if (!result.ok) continue;
        events.push(result.row.events[0], result.row.events[1]);
        countries.set(result.row.country, (countries.get(result.row.country) ?? 0) + 1);
        if (result.row.hidden) hidden.push({ profileId: result.row.profile.profileId, titleId: result.row.title.titleId, atMs: result.row.startMs });
      }
      rows += results.length;
      options.onRows?.(rows, Math.max(rows, estimatedRows));
      yield events;
    }
  };
  let loaded;
  try {
    loaded = await bulkLoad(store, batches(), { dedup: 'exact' });
  } catch (error) {
    if (error instanceof NetflixFileError) {
      throw new BingeError('BINGE_IMPORT_FILE', `${file}: ${error.message} [${error.code}]`, { cause: error });
    }
    throw error;
  }
  const result = summary.finish();
  return { ...result, accepted: loaded.accepted, countries, hidden };
}

function countryOption(options: ReadOptions): { country?: string } {
  return options.country === undefined ? {} : { country: options.country.toUpperCase() };
}

function mostCommonCountry(counts: Map<string, number>): string {
  let best = 'US';
  let bestCount = 0;
  for (const [country, count] of counts) {
    if (count > bestCount) [best, bestCount] = [country, count];
  }
  return best;
}
