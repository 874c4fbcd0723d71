// Population facts for a calendar year: exact counts over the profiles that are people, ready for
// privacy/ to release with differential privacy. Nothing here adds noise or applies kMin.
//
// Who counts: profiles flagged not-a-person are left out entirely, and so are views made on a
// flagged device (a lobby screen shared by profiles). Hidden and supplemental views never count.
// What "in the year" means: local days of the calendar year (streaks and runs are cut at its
// edges; an episode counts for the week it completed in), racers of seasons first released in
// that UTC year.
//
// The object (JSON-able):
//  - profiles: how many people-profiles were considered.
//  - streaks: per title or series with at least one profile at the smallest threshold, one row
//    per threshold (default 7, 14, 18, 30, 365): `profiles` = profiles whose longest daily
//    streak on it in the year was at least `days`. Each profile counts at most once per row, so
//    rows are monotone non-increasing in `days`.
//  - weeklyEpisodes: the top N (profile, series) best 7-day windows, by episodes. A leaderboard of
//    individuals: internal only, never releasable as a DP count.
//  - everyDay: per title or series, profiles that viewed it on every local day of the year, and
//    the longest run anyone had (a maximum, not a count: release it only through privacy/).
//  - countries: country daily habits over the year (members = profiles grouped by memberId).
//  - racers: per season, how many profiles were binge racers.
//  - hours: hours per hour of local day, per weekday and per local day, summed over people.
//  - notAPerson: flagged profiles and devices with the reason (internal, for operators).

import type { Definitions } from '../domain/definitions.js';
import type { Title, View } from '../domain/model.js';
import { RacerTally } from './binge-racer.js';
import { CountryHabitTally, type CountryHabit } from './country-habits.js';
import { HoursTally, type HoursViewed, type OffsetOf } from './hours.js';
import { dayNumberToIso } from '../domain/time.js';
import { yearDays } from './local-days.js';
import { notAPersonFlag, type NotAPersonFlag } from './not-a-person.js';
import { titleLookup } from './viewing.js';
import { longestRun, subjectDaySeconds, subjectOfKey, viewingDayRuns, type SubjectKey, type SubjectScope } from './viewing-days.js';
import { weeklyEpisodesForProfile } from './weekly-episodes.js';

export const DEFAULT_STREAK_THRESHOLDS: readonly number[] = Object.freeze([7, 14, 18, 30, 365]);
export const DEFAULT_TOP_WEEKLY = 10;

export interface ProfileViews {
  profileId: string;
  /** Groups profiles into members for country habits; the profile is its own member when absent. */
  memberId?: string;
  /** The member's country. */
  country: string;
  views: readonly View[];
}

export interface PopulationInput {
  profiles: readonly ProfileViews[];
  titles: readonly Title[];
}

export interface PopulationOptions {
  streakThresholds?: readonly number[];
  topWeekly?: number;
  offsetOf?: OffsetOf;
}

export interface PopulationFacts {
  year: number;
  profiles: number;
  streakThresholds: number[];
  streaks: { title: string; scope: SubjectScope; days: number; profiles: number }[];
  weeklyEpisodes: { profile: string; series: string; episodes: number; fromDay: string; toDay: string; impliedHoursPerDay: number }[];
  everyDay: {
    daysInYear: number;
    titles: { title: string; scope: SubjectScope; profiles: number }[];
    longestRun: { title: string; scope: SubjectScope; days: number } | null;
  };
  countries: CountryHabit[];
  racers: { series: string; season: number | string; episodes: number; profiles: number }[];
  hours: HoursViewed;
  notAPerson: { scope: 'profile' | 'device'; id: string; reason: NotAPersonFlag['reason']; days: number; titleId?: string }[];
}

type WeeklyRow = PopulationFacts['weeklyEpisodes'][number];

/** Keeps the N largest rows by episodes (earliest seen wins ties); N is small, so insertion is cheap. */
function keepTop(top: WeeklyRow[], row: WeeklyRow, n: number): void {
  if (top.length === n && top[n - 1].episodes >= row.episodes) return;
  let i = top.length;
  while (i > 0 && top[i - 1].episodes < row.episodes) i--;
  top.splice(i, 0, row);
  if (top.length > n) top.pop();
}

function deviceFlags(profiles: readonly ProfileViews[], titleOf: ReturnType<typeof titleLookup>, defs: Definitions): NotAPersonFlag[] {
  const byDevice = new Map<string, View[]>();
  for (const p of profiles) {
    for (const v of p.views) {
      const list = byDevice.get(v.deviceId);
      if (list) list.push(v);
      else byDevice.set(v.deviceId, [v]);
    }
  }
  const out: NotAPersonFlag[] = [];
  for (const [id, views] of byDevice) {
    const flag = notAPersonFlag('device', id, views, titleOf, defs);
    if (flag) out.push(flag);
  }
  return out;
}

export function populationFacts(input: PopulationInput, defs: Definitions, year: number, options: PopulationOptions = {}): PopulationFacts {
  const thresholds = [...(options.streakThresholds ?? DEFAULT_STREAK_THRESHOLDS)].sort((a, b) => a - b);
  const topN = options.topWeekly ?? DEFAULT_TOP_WEEKLY;
  const titleOf = titleLookup(input.titles);
  const range = yearDays(year);
  const daysInYear = range.last - range.first + 1;

  const flags = deviceFlags(input.profiles, titleOf, defs);
  const flaggedDevices = new Set(flags.map((f) => f.id));
  const racers = new RacerTally(input.titles, defs);
  const hours = new HoursTally(titleOf, options.offsetOf, range);
  const streakCounts = new Map<SubjectKey, number[]>();
  const everyDayCounts = new Map<SubjectKey, number>();
  let longest: { key: SubjectKey; days: number } | undefined;
  const weekly: WeeklyRow[] = [];
  const members = new Map<string, { country: string; views: View[] }>();
  let people = 0;

  for (const profile of input.profiles) {
    const flag = notAPersonFlag('profile', profile.profileId, profile.views, titleOf, defs);
    if (flag) {
      flags.push(flag);
      continue;
    }
    people++;
    const views = flaggedDevices.size === 0 ? profile.views : profile.views.filter((v) => !flaggedDevices.has(v.deviceId));

    for (const [key, daySeconds] of subjectDaySeconds(views, titleOf, range)) {
      const run = longestRun(viewingDayRuns(daySeconds, defs.streakMinS));
      if (!run) continue;
      if (!longest || run.days > longest.days) longest = { key, days: run.days };
      if (run.days === daysInYear) everyDayCounts.set(key, (everyDayCounts.get(key) ?? 0) + 1);
      if (run.days < thresholds[0]) continue;
      let counts = streakCounts.get(key);
      if (!counts) streakCounts.set(key, (counts = new Array<number>(thresholds.length).fill(0)));
      for (let i = 0; i < thresholds.length && run.days >= thresholds[i]; i++) counts[i]++;
    }

    for (const w of weeklyEpisodesForProfile(profile.profileId, views, titleOf, defs, range)) {
      keepTop(weekly, { profile: w.profileId, series: w.seriesId, episodes: w.episodes, fromDay: w.fromDay, toDay: w.toDay, impliedHoursPerDay: w.impliedHoursPerDay }, topN);
    }

    for (const v of views) {
      racers.add(v);
      hours.add(v);
    }

    const memberId = profile.memberId ?? profile.profileId;
    const member = members.get(memberId);
    const memberViews = member?.views ?? [];
    if (!member) members.set(memberId, { country: profile.country, views: memberViews });
    for (const v of views) memberViews.push(v); // a loop: spreading millions of views would overflow the stack
  }

  const countries = new CountryHabitTally(titleOf, defs, { fromDay: dayNumberToIso(range.first), toDay: dayNumberToIso(range.last) });
  for (const [memberId, m] of members) countries.add({ memberId, country: m.country, views: m.views });

  const streaks: PopulationFacts['streaks'] = [];
  for (const [key, counts] of streakCounts) {
    const { scope, id } = subjectOfKey(key);
    thresholds.forEach((days, i) => streaks.push({ title: id, scope, days, profiles: counts[i] }));
  }

  return {
    year,
    profiles: people,
    streakThresholds: thresholds,
    streaks,
    weeklyEpisodes: weekly,
    everyDay: {
      daysInYear,
      titles: [...everyDayCounts].map(([key, profiles]) => ({ title: subjectOfKey(key).id, scope: subjectOfKey(key).scope, profiles })),
      longestRun: longest ? { title: subjectOfKey(longest.key).id, scope: subjectOfKey(longest.key).scope, days: longest.days } : null,
    },
    countries: countries.result(),
    racers: racers
      .result()
      .filter((s) => new Date(s.releasedAtMs).getUTCFullYear() === year)
      .map((s) => ({ series: s.seriesId, season: s.season, episodes: s.episodes, profiles: s.racers.length })),
    hours: hours.result(),
    notAPerson: flags.map((f) => ({ scope: f.scope, id: f.id, reason: f.reason, days: f.days, ...(f.titleId === undefined ? {} : { titleId: f.titleId }) })),
  };
}
