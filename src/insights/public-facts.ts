// Public facts: which counts of profiles may be released with differential privacy, named by
// stable keys. Pure: PopulationTally lists each person-profile's keys, privacy/release bounds and
// noises them. Only counts of profiles are ever keys here: never a list of profiles, a top-N or
// a maximum (those stay in the exact, internal PopulationFacts).
//
// The facts (each profile adds at most 1 to a key):
//   streak|<scope>|<id>|<N>   profiles whose longest daily streak on the title/series in the year is ≥ N
//   every-day|<scope>|<id>    profiles that viewed it on every local day of the year
//   racers|<series>|<season>  binge racers of a season first released in the year
//   country|active|<CC>       profiles of members in CC with at least one viewing day in the year
//   country|daily|<CC>        of those, profiles that viewed on ≥ dailyShare of the year's days
// Country habits are counted per profile here (the privacy unit is the profile); the exact
// per-member habit of DEFINITIONS.md is in PopulationFacts.countries.
//
// Public groups (released even when empty, no partition selection): every catalogue subject
// (films and episodes as titles, series) at every streak threshold and for every day, every
// season whose first release falls in the year, and every country binge knows a time zone for.
// Anything else (a title missing from the catalogue, another country) passes the threshold.

import type { Definitions } from '../domain/definitions.js';
import type { Title, View } from '../domain/model.js';
import { COUNTRY_ZONES } from '../domain/time.js';
import { seasonKey } from './binge-racer.js';
import type { TitleLookup } from './viewing.js';
import { subjectOfKey, totalDaySeconds, type DayRange, type SubjectKey, type SubjectScope } from './viewing-days.js';

/** The data set public facts are charged to in the privacy ledger (one budget per year). */
export const PUBLIC_FACTS_DATASET = 'binge.views';
/** Yearly epsilon budget of the public-facts data set; each release spends its epsilon once. */
export const PUBLIC_FACTS_BUDGET_EPSILON = 1;

const SEP = '|';

export function streakFactKey(subject: SubjectKey, days: number): string {
  const { scope, id } = subjectOfKey(subject);
  return ['streak', scope, id, String(days)].join(SEP);
}

export function everyDayFactKey(subject: SubjectKey): string {
  const { scope, id } = subjectOfKey(subject);
  return ['every-day', scope, id].join(SEP);
}

export function racerFactKey(seriesId: string, season: number | string): string {
  return ['racers', seriesId, String(season)].join(SEP);
}

export function countryFactKey(kind: 'active' | 'daily', country: string): string {
  return ['country', kind, country].join(SEP);
}

/** What a fact key counts, for people reading a release. */
export type FactGroup =
  | { fact: 'streak'; scope: SubjectScope; id: string; days: number }
  | { fact: 'every-day'; scope: SubjectScope; id: string }
  | { fact: 'racers'; series: string; season: string }
  | { fact: 'country-active' | 'country-daily'; country: string };

/** Parses a key made above. Ids may not contain "|" (catalogue ids do not). */
export function factGroupOf(key: string): FactGroup {
  const parts = key.split(SEP);
  switch (parts[0]) {
    case 'streak':
      return { fact: 'streak', scope: parts[1] as SubjectScope, id: parts[2], days: Number(parts[3]) };
    case 'every-day':
      return { fact: 'every-day', scope: parts[1] as SubjectScope, id: parts[2] };
    case 'racers':
      return { fact: 'racers', series: parts[1], season: parts[2] };
    case 'country':
      return { fact: parts[1] === 'daily' ? 'country-daily' : 'country-active', country: parts[2] };
    default:
      throw new RangeError(`not a public fact key: ${key}`);
  }
}

/** A profile's own daily habit over the year (same viewing-day rule as country habits). */
export function profileHabit(views: readonly View[], titleOf: TitleLookup, defs: Definitions, range: DayRange): { active: boolean; daily: boolean } {
  let viewingDays = 0;
  for (const s of totalDaySeconds(views, titleOf, range).values()) if (s >= defs.streakMinS) viewingDays++;
  const periodDays = range.last - range.first + 1;
  return { active: viewingDays > 0, daily: viewingDays > 0 && viewingDays >= defs.dailyShare * periodDays - 1e-9 };
}

/** The public groups of a year: from the catalogue and the list of countries, never from the data. */
export function publicFactGroups(titles: readonly Title[], year: number, streakThresholds: readonly number[]): string[] {
  const groups: string[] = [];
  const subjects = new Set<SubjectKey>();
  const seasons = new Map<string, { seriesId: string; season: number | string; firstMs: number; known: boolean }>();
  for (const t of titles) {
    if (t.kind === 'supplemental') continue;
    subjects.add(`t:${t.titleId}`);
    if (t.kind !== 'episode' || t.seriesId === undefined) continue;
    subjects.add(`s:${t.seriesId}`);
    const key = seasonKey(t.seriesId, t.season);
    const s = seasons.get(key) ?? { seriesId: t.seriesId, season: t.season ?? '', firstMs: Infinity, known: true };
    if (t.releasedAtMs === undefined) s.known = false;
    else s.firstMs = Math.min(s.firstMs, t.releasedAtMs);
    seasons.set(key, s);
  }
  for (const subject of subjects) {
    groups.push(everyDayFactKey(subject));
    for (const days of streakThresholds) groups.push(streakFactKey(subject, days));
  }
  for (const s of seasons.values()) {
    if (s.known && new Date(s.firstMs).getUTCFullYear() === year) groups.push(racerFactKey(s.seriesId, s.season));
  }
  for (const country of Object.keys(COUNTRY_ZONES)) groups.push(countryFactKey('active', country), countryFactKey('daily', country));
  return groups;
}

/**
 * The catalogue's name of the title or series a fact is about, when it is about one: the
 * catalogue is public (every title in it is a public group of the release), so a name is added
 * to a released count after the noise, at no privacy cost. Undefined for countries and for ids
 * the catalogue does not know.
 */
export function factGroupName(group: FactGroup, titles: { titleOf(id: string): Title | undefined; episodesOfSeries(id: string): Title[] }): string | undefined {
  const seriesName = (id: string) => titles.episodesOfSeries(id).find((t) => t.seriesName !== undefined)?.seriesName;
  switch (group.fact) {
    case 'streak':
    case 'every-day':
      return group.scope === 'title' ? titles.titleOf(group.id)?.name : seriesName(group.id);
    case 'racers':
      return seriesName(group.series);
    default:
      return undefined;
  }
}
