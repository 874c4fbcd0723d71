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

import { groupViewsBy } from './profiles.js';
import type { Definitions } from '../domain/definitions.js';
import type { Title, View } from '../domain/model.js';
import { RacerTally } from './binge-racer.js';
import { CountryHabitTally, type CountryHabit } from './country-habits.js';
import { HoursTally, type HoursViewed, type OffsetOf } from './hours.js';
import { dayNumberToIso } from '../domain/time.js';
import { yearDays } from './local-days.js';
import { notAPersonFlag, type NotAPersonFlag } from './not-a-person.js';
import { titleLookup } from './viewing.js';
import { longestRun, subjectDaySeconds, subjectKey, subjectOfKey, viewingDayRuns, type SubjectKey, type SubjectScope } from './viewing-days.js';
import { weeklyEpisodesForProfile } from './weekly-episodes.js';
import { countryFactKey, everyDayFactKey, profileHabit, racerFactKey, streakFactKey } from './public-facts.js';

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

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Leaderboard order: more episodes first; equals by profile, then series (so any reading order gives the same list). */
export function weeklyOrder(a: WeeklyRow, b: WeeklyRow): number {
  return b.episodes - a.episodes || cmp(a.profile, b.profile) || cmp(a.series, b.series);
}

/** Keeps the N first rows in weeklyOrder; N is small, so insertion is cheap. */
function keepTop(top: WeeklyRow[], row: WeeklyRow, n: number): void {
  if (top.length === n && weeklyOrder(top[n - 1], row) <= 0) return;
  let i = top.length;
  while (i > 0 && weeklyOrder(top[i - 1], row) > 0) i--;
  top.splice(i, 0, row);
  if (top.length > n) top.pop();
}

/** Canonical order of the facts lists (streaks by subject key then days, every-day titles by key, racers by series and season). */
export function canonicalFacts(facts: PopulationFacts): PopulationFacts {
  const key = (scope: SubjectScope, id: string) => subjectKey(scope, id);
  return {
    ...facts,
    streaks: [...facts.streaks].sort((a, b) => cmp(key(a.scope, a.title), key(b.scope, b.title)) || a.days - b.days),
    everyDay: { ...facts.everyDay, titles: [...facts.everyDay.titles].sort((a, b) => cmp(key(a.scope, a.title), key(b.scope, b.title))) },
    racers: [...facts.racers].sort((a, b) => cmp(a.series, b.series) || cmp(String(a.season), String(b.season))),
  };
}

/** A member with its profiles: the unit population facts stream (country habits are per member). */
export interface MemberProfiles {
  memberId: string;
  country: string;
  profiles: readonly ProfileViews[];
}

/** What one person-profile contributes to public facts (each key at most once; privacy/ bounds the number). */
export interface ProfileContribution {
  profileId: string;
  factKeys: string[];
}

/**
 * Population facts accumulated member by member, so a store can stream a population of any
 * size. Devices are judged on all their views: `decideDevices` first for devices shared by
 * several members (the caller knows which), then each member's own devices when it is added.
 * `populationFacts` below is the same computation over a list in memory.
 */
export class PopulationTally {
  private readonly thresholds: number[];
  private readonly topN: number;
  private readonly titleOf: ReturnType<typeof titleLookup>;
  private readonly range: { first: number; last: number };
  private readonly daysInYear: number;
  private readonly flags: NotAPersonFlag[] = [];
  private readonly decidedDevices = new Set<string>();
  private readonly flaggedDevices = new Set<string>();
  private readonly racers: RacerTally;
  private readonly hours: HoursTally;
  private readonly countries: CountryHabitTally;
  private readonly streakCounts = new Map<SubjectKey, number[]>();
  private readonly everyDayCounts = new Map<SubjectKey, number>();
  private longest: { key: SubjectKey; days: number } | undefined;
  private readonly weekly: WeeklyRow[] = [];
  private people = 0;
  /** Per person-profile fact keys, when asked for (public facts). */
  private readonly contributions: Map<string, string[]> | undefined;

  constructor(
    private readonly titles: readonly Title[],
    private readonly defs: Definitions,
    private readonly year: number,
    options: PopulationOptions & { contributions?: boolean } = {},
  ) {
    this.thresholds = [...(options.streakThresholds ?? DEFAULT_STREAK_THRESHOLDS)].sort((a, b) => a - b);
    this.topN = options.topWeekly ?? DEFAULT_TOP_WEEKLY;
    this.titleOf = titleLookup(titles);
    this.range = yearDays(year);
    this.daysInYear = this.range.last - this.range.first + 1;
    this.racers = new RacerTally(titles, defs);
    this.hours = new HoursTally(this.titleOf, options.offsetOf, this.range);
    this.countries = new CountryHabitTally(this.titleOf, defs, { fromDay: dayNumberToIso(this.range.first), toDay: dayNumberToIso(this.range.last) });
    this.contributions = options.contributions ? new Map() : undefined;
  }

  /** Judges devices from views of any profiles; a device decided here is not judged again per member. */
  decideDevices(views: readonly View[]): void {
    const byDevice = groupViewsBy(views, (v) => v.deviceId);
    for (const [id, list] of byDevice) {
      if (this.decidedDevices.has(id)) continue;
      this.decidedDevices.add(id);
      const flag = notAPersonFlag('device', id, list, this.titleOf, this.defs);
      if (flag) {
        this.flags.push(flag);
        this.flaggedDevices.add(id);
      }
    }
  }

  addMember(member: MemberProfiles): void {
    const all: View[] = [];
    for (const p of member.profiles) for (const v of p.views) all.push(v);
    this.decideDevices(all);
    const memberViews: View[] = [];
    let hasPeople = false;
    for (const profile of member.profiles) {
      const views = this.addProfile(profile);
      if (!views) continue;
      hasPeople = true;
      for (const v of views) memberViews.push(v); // a loop: spreading millions of views would overflow the stack
    }
    if (hasPeople) this.countries.add({ memberId: member.memberId, country: member.country, views: memberViews });
  }

  /** The profile's views that count for people, or undefined when the profile is not a person. */
  private addProfile(profile: ProfileViews): readonly View[] | undefined {
    const flag = notAPersonFlag('profile', profile.profileId, profile.views, this.titleOf, this.defs);
    if (flag) {
      this.flags.push(flag);
      return undefined;
    }
    this.people++;
    const views = this.flaggedDevices.size === 0 ? profile.views : profile.views.filter((v) => !this.flaggedDevices.has(v.deviceId));
    const keys: string[] | undefined = this.contributions ? [] : undefined;
    const { thresholds } = this;

    for (const [key, daySeconds] of subjectDaySeconds(views, this.titleOf, this.range)) {
      const run = longestRun(viewingDayRuns(daySeconds, this.defs.streakMinS));
      if (!run) continue;
      // Longest of all; equals by subject key, so the answer does not depend on reading order.
      if (!this.longest || run.days > this.longest.days || (run.days === this.longest.days && key < this.longest.key)) this.longest = { key, days: run.days };
      if (run.days === this.daysInYear) {
        this.everyDayCounts.set(key, (this.everyDayCounts.get(key) ?? 0) + 1);
        keys?.push(everyDayFactKey(key));
      }
      if (run.days < thresholds[0]) continue;
      let counts = this.streakCounts.get(key);
      if (!counts) this.streakCounts.set(key, (counts = new Array<number>(thresholds.length).fill(0)));
      for (let i = 0; i < thresholds.length && run.days >= thresholds[i]; i++) {
        counts[i]++;
        keys?.push(streakFactKey(key, thresholds[i]));
      }
    }

    for (const w of weeklyEpisodesForProfile(profile.profileId, views, this.titleOf, this.defs, this.range)) {
      keepTop(this.weekly, { profile: w.profileId, series: w.seriesId, episodes: w.episodes, fromDay: w.fromDay, toDay: w.toDay, impliedHoursPerDay: w.impliedHoursPerDay }, this.topN);
    }

    for (const v of views) {
      this.racers.add(v);
      this.hours.add(v);
    }

    if (keys && this.contributions) {
      const habit = profileHabit(views, this.titleOf, this.defs, this.range);
      if (habit.active) keys.push(countryFactKey('active', profile.country));
      if (habit.daily) keys.push(countryFactKey('daily', profile.country));
      this.contributions.set(profile.profileId, keys);
    }
    return views;
  }

  /** Racers of seasons first released in the year (per season, with the profiles). */
  private racersOfYear() {
    return this.racers.result().filter((s) => new Date(s.releasedAtMs).getUTCFullYear() === this.year);
  }

  result(): PopulationFacts {
    return canonicalFacts(this.unordered());
  }

  private unordered(): PopulationFacts {
    const streaks: PopulationFacts['streaks'] = [];
    for (const [key, counts] of this.streakCounts) {
      const { scope, id } = subjectOfKey(key);
      this.thresholds.forEach((days, i) => streaks.push({ title: id, scope, days, profiles: counts[i] }));
    }
    const longest = this.longest;
    return {
      year: this.year,
      profiles: this.people,
      streakThresholds: this.thresholds,
      streaks,
      weeklyEpisodes: this.weekly,
      everyDay: {
        daysInYear: this.daysInYear,
        titles: [...this.everyDayCounts].map(([key, profiles]) => ({ title: subjectOfKey(key).id, scope: subjectOfKey(key).scope, profiles })),
        longestRun: longest ? { title: subjectOfKey(longest.key).id, scope: subjectOfKey(longest.key).scope, days: longest.days } : null,
      },
      countries: this.countries.result(),
      racers: this.racersOfYear().map((s) => ({ series: s.seriesId, season: s.season, episodes: s.episodes, profiles: s.racers.length })),
      hours: this.hours.result(),
      notAPerson: [...this.flags]
        .sort((a, b) => (a.scope === b.scope ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.scope === 'profile' ? -1 : 1))
        .map((f) => ({ scope: f.scope, id: f.id, reason: f.reason, days: f.days, ...(f.titleId === undefined ? {} : { titleId: f.titleId }) })),
    };
  }

  /** Each person-profile's fact keys (streaks, every day, country habit, racers), for privacy/ to bound and release. */
  contributionsOf(): ProfileContribution[] {
    if (!this.contributions) throw new Error('PopulationTally was built without { contributions: true }');
    for (const season of this.racersOfYear()) {
      for (const r of season.racers) this.contributions.get(r.profileId)?.push(racerFactKey(season.seriesId, season.season));
    }
    return [...this.contributions].map(([profileId, factKeys]) => ({ profileId, factKeys }));
  }
}


/** The members of a list of profiles, in order of first appearance (a profile is its own member when memberId is absent). */
export function membersOf(profiles: readonly ProfileViews[]): MemberProfiles[] {
  const members = new Map<string, { memberId: string; country: string; profiles: ProfileViews[] }>();
  for (const p of profiles) {
    const memberId = p.memberId ?? p.profileId;
    const member = members.get(memberId);
    if (member) member.profiles.push(p);
    else members.set(memberId, { memberId, country: p.country, profiles: [p] });
  }
  return [...members.values()];
}

export function populationFacts(input: PopulationInput, defs: Definitions, year: number, options: PopulationOptions = {}): PopulationFacts {
  const tally = new PopulationTally(input.titles, defs, year, options);
  const all: View[] = [];
  for (const p of input.profiles) for (const v of p.views) all.push(v);
  tally.decideDevices(all);
  for (const member of membersOf(input.profiles)) tally.addMember(member);
  return tally.result();
}
