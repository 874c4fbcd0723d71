// The demo catalogue: invented series, films and supplemental videos. A few landmark titles are
// fixed because planted cases and later features need them (an office-like comedy with 201
// episodes, a season released inside the period, a Christmas film, a pirate franchise, a shop-
// window loop); the rest is drawn from the seed.

import type { Title } from '../domain/model.js';
import type { DemoPeriod } from './options.js';
import { Random, randomFor } from './random.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface DemoSeries {
  seriesId: string;
  name: string;
  genres: string[];
  /** Episodes in viewing order (season, then episode). */
  episodes: Title[];
  seasons: number;
}

export interface DemoCatalogue {
  titles: Title[];
  series: DemoSeries[];
  films: Title[];
  /** Supplemental videos per parent (a film's titleId or a series' seriesId). */
  supplementsOf: ReadonlyMap<string, Title[]>;
  byId: ReadonlyMap<string, Title>;
  landmarks: Landmarks;
}

export interface Landmarks {
  /** Office-like comedy: 201 episodes of about 22 minutes over 9 seasons. */
  officeSeries: DemoSeries;
  /** A series whose season `racerSeason` is released at `racerReleaseMs`, inside the period. */
  racerSeries: DemoSeries;
  racerSeason: number;
  racerReleaseMs: number;
  christmasFilm: Title;
  pirateFilms: Title[];
  /** A film a shop-window screen loops all day. */
  shopLoop: Title;
}

export const GENRES = [
  'comedy',
  'drama',
  'thriller',
  'crime',
  'sci-fi',
  'fantasy',
  'documentary',
  'romance',
  'animation',
  'horror',
  'reality',
  'kids',
  'action',
  'family',
] as const;

const OFFICE_SEASON_SIZES = [6, 22, 25, 19, 28, 26, 26, 24, 25]; // 201 episodes
const RACER_SEASON_SIZES = [8, 8];
const GENERIC_SERIES = 24;
const GENERIC_FILMS = 40;

const ADJECTIVES = ['Quiet', 'Midnight', 'Golden', 'Broken', 'Northern', 'Hidden', 'Last', 'Silver', 'Crooked', 'Burning', 'Little', 'Electric', 'Wild', 'Hollow', 'Paper', 'Velvet'];
const NOUNS = ['Harbour', 'Ledger', 'Orchard', 'Signal', 'Kingdom', 'Garden', 'Frontier', 'Lighthouse', 'Verdict', 'Archive', 'Circus', 'Empire', 'Meadow', 'Station', 'Tide', 'Engine'];

export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

interface SeriesSpec {
  name: string;
  genres: string[];
  seasonSizes: number[];
  runtimeS: [number, number];
  seasonReleasedAtMs: number[];
}

function makeSeries(spec: SeriesSpec, rng: Random): DemoSeries {
  const seriesId = slug(spec.name);
  const episodes: Title[] = [];
  spec.seasonSizes.forEach((size, s) => {
    for (let e = 1; e <= size; e++) {
      const runtimeS = rng.int(spec.runtimeS[0], spec.runtimeS[1]);
      episodes.push({
        titleId: `${seriesId}-s${pad2(s + 1)}e${pad2(e)}`,
        kind: 'episode',
        name: `${spec.name}: S${s + 1}E${e}`,
        runtimeS,
        seriesId,
        seriesName: spec.name,
        season: s + 1,
        episode: e,
        creditsAtS: runtimeS - rng.int(30, 90),
        releasedAtMs: spec.seasonReleasedAtMs[s],
        genres: spec.genres,
      });
    }
  });
  return { seriesId, name: spec.name, genres: spec.genres, episodes, seasons: spec.seasonSizes.length };
}

function makeFilm(name: string, genres: string[], runtimeS: number, releasedAtMs: number, rng: Random): Title {
  return {
    titleId: slug(name),
    kind: 'movie',
    name,
    runtimeS,
    creditsAtS: runtimeS - rng.int(240, 480),
    releasedAtMs,
    genres,
  };
}

function supplemental(parentId: string, parentName: string, type: string, rng: Random, releasedAtMs: number, seriesId?: string): Title {
  const runtimeS = type === 'promotional' ? rng.int(120, 300) : type === 'hook' ? rng.int(20, 60) : rng.int(45, 150);
  const title: Title = {
    titleId: `${parentId}-${type}`,
    kind: 'supplemental',
    name: `${parentName} (${type[0].toUpperCase()}${type.slice(1)})`,
    runtimeS,
    supplementalType: type,
    releasedAtMs,
  };
  if (seriesId !== undefined) {
    title.seriesId = seriesId;
    title.seriesName = parentName;
  }
  return title;
}

export function buildCatalogue(seed: string, period: DemoPeriod): DemoCatalogue {
  const rng = randomFor(seed, 'catalogue');
  const periodStartMs = period.firstDayNumber * DAY_MS;
  const yearsBefore = (years: number): number => periodStartMs - Math.round(years * 365 * DAY_MS);
  const releasedBefore = (): number => periodStartMs - rng.int(30, 3000) * DAY_MS - rng.int(0, 23) * HOUR_MS;

  const officeSeries = makeSeries(
    {
      name: 'The Office Park',
      genres: ['comedy'],
      seasonSizes: OFFICE_SEASON_SIZES,
      runtimeS: [21 * 60, 23 * 60],
      seasonReleasedAtMs: OFFICE_SEASON_SIZES.map((_, s) => yearsBefore(12 - s)),
    },
    rng,
  );
  // Released at 07:00 UTC (midnight in California) a little after the middle of the period.
  const racerReleaseMs = (period.firstDayNumber + Math.floor(period.days * 0.55)) * DAY_MS + 7 * HOUR_MS;
  const racerSeries = makeSeries(
    {
      name: 'Night Shift Nebula',
      genres: ['sci-fi', 'drama'],
      seasonSizes: RACER_SEASON_SIZES,
      runtimeS: [46 * 60, 56 * 60],
      seasonReleasedAtMs: [yearsBefore(1), racerReleaseMs],
    },
    rng,
  );

  const series: DemoSeries[] = [officeSeries, racerSeries];
  const usedNames = new Set(series.map((s) => s.name));
  while (series.length < GENERIC_SERIES + 2) {
    const name = `The ${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)}`;
    if (usedNames.has(name)) continue;
    usedNames.add(name);
    const seasons = rng.int(1, 5);
    const shortForm = rng.chance(0.35);
    const firstRelease = rng.int(seasons * 200, 4000);
    series.push(
      makeSeries(
        {
          name,
          genres: genresFor(rng),
          seasonSizes: Array.from({ length: seasons }, () => rng.int(6, 13)),
          runtimeS: shortForm ? [20 * 60, 32 * 60] : [38 * 60, 60 * 60],
          seasonReleasedAtMs: Array.from({ length: seasons }, (_, s) => periodStartMs - (firstRelease - s * 180) * DAY_MS),
        },
        rng,
      ),
    );
  }

  const christmasFilm = makeFilm('The Mistletoe Crown', ['romance', 'family', 'holiday'], 92 * 60, yearsBefore(2), rng);
  const pirateFilms = ['The Salt Crown', 'The Drowned Compass', 'Storm of a Thousand Masts', 'The Last Lantern', 'Tides of Ash'].map(
    (subtitle, i) => makeFilm(`Black Tide Corsairs: ${subtitle}`, ['action', 'fantasy', 'family'], rng.int(128, 152) * 60, yearsBefore(15 - 3 * i), rng),
  );
  const shopLoop = makeFilm('Colours of the Reef', ['documentary'], 58 * 60, yearsBefore(3), rng);
  const films: Title[] = [christmasFilm, ...pirateFilms, shopLoop];
  const usedFilms = new Set(films.map((f) => f.name));
  while (films.length < GENERIC_FILMS + 7) {
    const name = `${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)}`;
    if (usedFilms.has(name)) continue;
    usedFilms.add(name);
    // A few films premiere during the period: nobody may watch them before.
    const releasedAtMs = rng.chance(0.1) ? periodStartMs + rng.int(0, period.days - 1) * DAY_MS + 7 * HOUR_MS : releasedBefore();
    films.push(makeFilm(name, genresFor(rng), rng.int(80, 140) * 60, releasedAtMs, rng));
  }

  const supplementsOf = new Map<string, Title[]>();
  for (const s of series) {
    const types = ['trailer', ...(s.seasons > 1 ? ['recap'] : []), ...(rng.chance(0.5) ? ['teaser'] : []), ...(rng.chance(0.4) ? ['promotional'] : [])];
    supplementsOf.set(s.seriesId, types.map((type) => supplemental(s.seriesId, s.name, type, rng, s.episodes[0].releasedAtMs ?? periodStartMs, s.seriesId)));
  }
  for (const f of films) {
    const types = ['trailer', ...(rng.chance(0.6) ? ['hook'] : []), ...(rng.chance(0.3) ? ['teaser'] : []), ...(rng.chance(0.2) ? ['promotional'] : [])];
    // Trailers come out before the film does.
    const releasedAtMs = (f.releasedAtMs ?? periodStartMs) - 30 * DAY_MS;
    supplementsOf.set(f.titleId, types.map((type) => supplemental(f.titleId, f.name, type, rng, releasedAtMs)));
  }

  const titles: Title[] = [...series.flatMap((s) => s.episodes), ...films, ...[...supplementsOf.values()].flat()];
  const byId = new Map(titles.map((t) => [t.titleId, t]));
  if (byId.size !== titles.length) throw new Error('demo catalogue: duplicate titleId');
  return {
    titles,
    series,
    films,
    supplementsOf,
    byId,
    landmarks: { officeSeries, racerSeries, racerSeason: 2, racerReleaseMs, christmasFilm, pirateFilms, shopLoop },
  };
}

function genresFor(rng: Random): string[] {
  const first = rng.pick(GENRES);
  if (!rng.chance(0.6)) return [first];
  const second = rng.pick(GENRES);
  return second === first ? [first] : [first, second];
}
