// Country daily habit (DEFINITIONS.md, "Binge insights"): per country, the share of active
// members who viewed on at least `dailyShare` of the days of the period, and the mean minutes
// per member per day.
//
// - The period is an inclusive range of local days (a calendar year in population facts).
// - A member's viewing is the sum over their profiles; a day counts as viewed when it is a
//   viewing day (at least `streakMinS`, as for streaks).
// - An active member has at least one viewing day in the period. Members who never viewed are
//   not in the denominator: the habit is about people who use the service.
// - Mean minutes per member per day = all viewing minutes of active members in the period,
//   divided by (active members x days of the period).
// - The country is the member's country (Member.country), not where a view happened.

import type { Definitions } from '../domain/definitions.js';
import type { View } from '../domain/model.js';
import { dayNumber } from './local-days.js';
import type { TitleLookup } from './viewing.js';
import { totalDaySeconds, type DayRange } from './viewing-days.js';

export interface MemberViews {
  memberId: string;
  country: string;
  /** Views of all the member's profiles. */
  views: readonly View[];
}

export interface Period {
  fromDay: string;
  toDay: string;
}

export interface CountryHabit {
  country: string;
  periodDays: number;
  activeMembers: number;
  /** Active members who viewed on at least dailyShare of the period's days. */
  dailyMembers: number;
  /** dailyMembers / activeMembers. */
  dailyShare: number;
  meanMinutesPerMemberPerDay: number;
}

interface Tally {
  active: number;
  daily: number;
  seconds: number;
}

/** Accumulates members one at a time, so a caller can stream members without holding them all. */
export class CountryHabitTally {
  private readonly range: DayRange;
  private readonly byCountry = new Map<string, Tally>();
  readonly periodDays: number;

  constructor(
    private readonly titleOf: TitleLookup,
    private readonly defs: Definitions,
    period: Period,
  ) {
    this.range = { first: dayNumber(period.fromDay), last: dayNumber(period.toDay) };
    this.periodDays = Math.max(0, this.range.last - this.range.first + 1);
  }

  add(member: MemberViews): void {
    const days = totalDaySeconds(member.views, this.titleOf, this.range);
    let viewingDays = 0;
    let seconds = 0;
    for (const s of days.values()) {
      seconds += s;
      if (s >= this.defs.streakMinS) viewingDays++;
    }
    if (viewingDays === 0) return;
    let t = this.byCountry.get(member.country);
    if (!t) this.byCountry.set(member.country, (t = { active: 0, daily: 0, seconds: 0 }));
    t.active++;
    t.seconds += seconds;
    if (viewingDays >= this.defs.dailyShare * this.periodDays - 1e-9) t.daily++;
  }

  result(): CountryHabit[] {
    const out: CountryHabit[] = [];
    for (const [country, t] of this.byCountry) {
      out.push({
        country,
        periodDays: this.periodDays,
        activeMembers: t.active,
        dailyMembers: t.daily,
        dailyShare: t.daily / t.active,
        meanMinutesPerMemberPerDay: t.seconds / 60 / (t.active * this.periodDays),
      });
    }
    return out.sort((a, b) => (a.country < b.country ? -1 : a.country > b.country ? 1 : 0));
  }
}

/** Habits per country (sorted by country code) over an inclusive period of local days. */
export function countryHabits(members: Iterable<MemberViews>, titleOf: TitleLookup, defs: Definitions, period: Period): CountryHabit[] {
  const tally = new CountryHabitTally(titleOf, defs, period);
  for (const member of members) tally.add(member);
  return tally.result();
}
