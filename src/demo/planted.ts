// Planted cases: exact, documented viewing patterns that later features must find. Each lives in
// a fixed member slot so its ids do not depend on the seed or the population size:
//   m000004-p1  office week   (188 distinct episodes of The Office Park in 7 local days)
//   m000005-p1  pirate year   (a Black Tide Corsairs film every local day of a calendar year)
//   m000006-p1  shop screen   (device m000006-d1 loops Colours of the Reef ~20-22 h a day: not a person)
//   m000007-p1 .. m000059-p1  Christmas (The Mistletoe Crown every local day for 18 days, ending Dec 25)
// Members 0-3 stay ordinary so the first events of a population look like ordinary viewing.
// With fewer than MIN_MEMBERS_FOR_ALL_CASES members, the slots that exist are planted.

import type { Title } from '../domain/model.js';
import { dayNumberToIso } from '../domain/time.js';
import type { DemoCatalogue } from './catalogue.js';
import { memberId } from './household.js';
import type { DemoPeriod } from './options.js';
import type { Random } from './random.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, localDayStartMs } from './rhythm.js';

export type PlantRole = 'office' | 'pirate' | 'shop' | 'christmas';

export const OFFICE_MEMBER = 4;
export const PIRATE_MEMBER = 5;
export const SHOP_MEMBER = 6;
export const FIRST_CHRISTMAS_MEMBER = 7;
export const CHRISTMAS_PROFILES = 53;
export const CHRISTMAS_DAYS = 18;
export const OFFICE_EPISODES = 188;
export const OFFICE_DAYS = 7;
export const MIN_MEMBERS_FOR_ALL_CASES = FIRST_CHRISTMAS_MEMBER + CHRISTMAS_PROFILES; // 60
/** The shop screen plays between these many hours a day (mostly above the 20 h "not a person" line). */
export const SHOP_HOURS: readonly [number, number] = [19.5, 22];

export function plantRoleOf(index: number, plantCases: boolean): PlantRole | null {
  if (!plantCases) return null;
  if (index === OFFICE_MEMBER) return 'office';
  if (index === PIRATE_MEMBER) return 'pirate';
  if (index === SHOP_MEMBER) return 'shop';
  if (index >= FIRST_CHRISTMAS_MEMBER && index < MIN_MEMBERS_FOR_ALL_CASES) return 'christmas';
  return null;
}

export interface DayWindow {
  firstDayNumber: number;
  lastDayNumber: number;
  firstDay: string;
  lastDay: string;
}

function window(first: number, last: number): DayWindow {
  return { firstDayNumber: first, lastDayNumber: last, firstDay: dayNumberToIso(first), lastDay: dayNumberToIso(last) };
}

/** 18 days ending on the last Christmas Day of the period, else the last 18 days of the period. */
export function christmasWindow(period: DemoPeriod): DayWindow | null {
  if (period.days < CHRISTMAS_DAYS) return null;
  const lastYear = Number(period.toDay.slice(0, 4));
  for (const year of [lastYear, lastYear - 1]) {
    const christmas = Math.floor(Date.UTC(year, 11, 25) / DAY_MS);
    const first = christmas - CHRISTMAS_DAYS + 1;
    if (first >= period.firstDayNumber && christmas <= period.lastDayNumber) return window(first, christmas);
  }
  return window(period.lastDayNumber - CHRISTMAS_DAYS + 1, period.lastDayNumber);
}

/** A week about a third into the period. */
export function officeWindow(period: DemoPeriod): DayWindow | null {
  if (period.days < OFFICE_DAYS) return null;
  const first = period.firstDayNumber + Math.floor((period.days - OFFICE_DAYS) * 0.3);
  return window(first, first + OFFICE_DAYS - 1);
}

/** The first calendar year inside the period; without one, the whole period (the longest run). */
export function pirateWindow(period: DemoPeriod): DayWindow & { calendarYear: number | null } {
  const firstYear = Number(period.fromDay.slice(0, 4));
  for (let year = firstYear; year <= firstYear + 1; year++) {
    const first = Math.floor(Date.UTC(year, 0, 1) / DAY_MS);
    const last = Math.floor(Date.UTC(year, 11, 31) / DAY_MS);
    if (first >= period.firstDayNumber && last <= period.lastDayNumber) return { ...window(first, last), calendarYear: year };
  }
  return { ...window(period.firstDayNumber, period.lastDayNumber), calendarYear: null };
}

export interface PlantedCases {
  /** Members needed for every case; with fewer, the slots that exist are planted. */
  minimumMembers: number;
  christmas: { titleId: string; profileIds: string[]; window: DayWindow; minMinutesPerDay: number } | null;
  officeWeek: { seriesId: string; profileId: string; window: DayWindow; episodes: number; hoursPerDay: number } | null;
  pirateYear: { titleId: string; profileId: string; window: DayWindow; calendarYear: number | null } | null;
  shopScreen: { titleId: string; profileId: string; deviceId: string; hoursPerDay: readonly [number, number] } | null;
  /** Profiles that complete the new season of the racer series within 24 h of its release. */
  bingeRacers: { seriesId: string; season: number; releasedAtMs: number; profileIds: string[] };
  /** Profiles that are not a person (DEFINITIONS.md): only the shop screen. */
  notAPersonProfileIds: string[];
}

export function describePlanted(
  members: number,
  plantCases: boolean,
  period: DemoPeriod,
  catalogue: DemoCatalogue,
  racerProfileIds: string[],
): PlantedCases {
  const { landmarks } = catalogue;
  const has = (index: number): boolean => plantCases && index < members;
  const firstProfile = (index: number): string => `${memberId(index)}-p1`;
  const christmasIds: string[] = [];
  for (let i = FIRST_CHRISTMAS_MEMBER; i < MIN_MEMBERS_FOR_ALL_CASES && has(i); i++) christmasIds.push(firstProfile(i));
  const christmas = christmasWindow(period);
  const office = officeWindow(period);
  const pirate = pirateWindow(period);
  const shop = has(SHOP_MEMBER)
    ? { titleId: landmarks.shopLoop.titleId, profileId: firstProfile(SHOP_MEMBER), deviceId: `${memberId(SHOP_MEMBER)}-d1`, hoursPerDay: SHOP_HOURS }
    : null;
  return {
    minimumMembers: MIN_MEMBERS_FOR_ALL_CASES,
    christmas:
      christmas && christmasIds.length > 0
        ? { titleId: landmarks.christmasFilm.titleId, profileIds: christmasIds, window: christmas, minMinutesPerDay: 8 }
        : null,
    officeWeek:
      office && has(OFFICE_MEMBER)
        ? { seriesId: landmarks.officeSeries.seriesId, profileId: firstProfile(OFFICE_MEMBER), window: office, episodes: OFFICE_EPISODES, hoursPerDay: 9.9 }
        : null,
    pirateYear: has(PIRATE_MEMBER)
      ? { titleId: landmarks.pirateFilms[0].titleId, profileId: firstProfile(PIRATE_MEMBER), window: pirate, calendarYear: pirate.calendarYear }
      : null,
    shopScreen: shop,
    bingeRacers: {
      seriesId: landmarks.racerSeries.seriesId,
      season: landmarks.racerSeason,
      releasedAtMs: landmarks.racerReleaseMs,
      profileIds: racerProfileIds,
    },
    notAPersonProfileIds: shop ? [shop.profileId] : [],
  };
}

/** A sitting fixed in advance: the viewer plays it at its time, whatever the ordinary habits. */
export type FixedSitting =
  | { kind: 'chain'; startMs: number; exclusive: boolean; episodes: Title[]; toRuntime: boolean }
  | { kind: 'film'; startMs: number; exclusive: boolean; title: Title; fromS: number; toS: number }
  | { kind: 'loop'; startMs: number; exclusive: boolean; title: Title; untilMs: number };

/** The fixed sittings of a planted profile, in time order. */
export function plantedSittings(role: PlantRole, zone: string, period: DemoPeriod, catalogue: DemoCatalogue, rng: Random): FixedSitting[] {
  const { landmarks } = catalogue;
  const at = (day: number, hours: number): number => localDayStartMs(zone, day) + Math.round(hours * HOUR_MS);
  const sittings: FixedSitting[] = [];
  if (role === 'office') {
    const w = officeWindow(period);
    if (!w) return sittings;
    const episodes = landmarks.officeSeries.episodes.slice(0, OFFICE_EPISODES);
    let next = 0;
    for (let d = 0; d < OFFICE_DAYS; d++) {
      const today = Math.floor(OFFICE_EPISODES / OFFICE_DAYS) + (d < OFFICE_EPISODES % OFFICE_DAYS ? 1 : 0); // 27 x6, 26 x1
      const morning = Math.ceil(today / 2);
      const day = w.firstDayNumber + d;
      sittings.push({ kind: 'chain', startMs: at(day, rng.between(9, 9.75)), exclusive: true, episodes: episodes.slice(next, next + morning), toRuntime: true });
      sittings.push({ kind: 'chain', startMs: at(day, rng.between(15.25, 15.75)), exclusive: true, episodes: episodes.slice(next + morning, next + today), toRuntime: true });
      next += today;
    }
  } else if (role === 'pirate') {
    const w = pirateWindow(period);
    const film = landmarks.pirateFilms[0];
    const runtimeS = film.runtimeS ?? 0;
    let bookmark = 0;
    for (let day = w.firstDayNumber; day <= w.lastDayNumber; day++) {
      // A whole film some evenings; otherwise 20-70 minutes, often picking up where it stopped.
      const fromS = bookmark > 0 && rng.chance(0.6) ? bookmark : 0;
      const toS = rng.chance(0.35) ? runtimeS : Math.min(runtimeS, fromS + rng.int(20, 70) * 60);
      bookmark = toS >= runtimeS - 600 ? 0 : toS;
      sittings.push({ kind: 'film', startMs: at(day, rng.between(19, 20.5)), exclusive: false, title: film, fromS, toS });
    }
  } else if (role === 'christmas') {
    const w = christmasWindow(period);
    if (!w) return sittings;
    const film = landmarks.christmasFilm;
    const runtimeS = film.runtimeS ?? 0;
    for (let day = w.firstDayNumber; day <= w.lastDayNumber; day++) {
      const toS = rng.chance(0.4) ? runtimeS : rng.int(8, 60) * 60;
      sittings.push({ kind: 'film', startMs: at(day, rng.between(16, 20)), exclusive: false, title: film, fromS: 0, toS });
    }
  } else {
    for (let day = period.firstDayNumber; day <= period.lastDayNumber; day++) {
      const opensMs = at(day, rng.between(1.25, 1.75));
      sittings.push({ kind: 'loop', startMs: opensMs, exclusive: true, title: landmarks.shopLoop, untilMs: opensMs + Math.round(rng.between(SHOP_HOURS[0], SHOP_HOURS[1]) * HOUR_MS) });
    }
  }
  return sittings;
}

/** Racer: the whole new season back to back, starting within hours of the release. */
export function racerSitting(catalogue: DemoCatalogue, rng: Random): FixedSitting {
  const { racerSeries, racerSeason, racerReleaseMs } = catalogue.landmarks;
  return {
    kind: 'chain',
    startMs: racerReleaseMs + Math.round(rng.between(0.5, 9) * HOUR_MS) + rng.int(0, 59) * MINUTE_MS,
    exclusive: true,
    episodes: racerSeries.episodes.filter((e) => e.season === racerSeason),
    toRuntime: false,
  };
}
