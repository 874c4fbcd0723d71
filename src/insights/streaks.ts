// Daily streaks (DEFINITIONS.md, "Binge insights"): per profile and title, and per profile and
// series, consecutive local days each with at least `streakMinS` of viewing. "Watched X every
// day for 18 days" is a streak of at least 18 days ending on the as-of day.
//
// Everything is "as of" a day: viewing after the as-of day is ignored, so a streak ending on the
// as-of day is the one a member would see that day, and re-running for a past day gives the
// answer of that day.

import type { Definitions } from '../domain/definitions.js';
import type { View } from '../domain/model.js';
import { dayNumberToIso } from '../domain/time.js';
import { dayNumber } from './local-days.js';
import { groupByProfile } from './profiles.js';
import type { TitleLookup } from './viewing.js';
import { longestRun, subjectDaySeconds, subjectOfKey, viewingDayRuns, type DayRun, type SubjectScope } from './viewing-days.js';

export interface Streak {
  profileId: string;
  scope: SubjectScope;
  /** titleId when scope is "title", seriesId when "series". */
  id: string;
  /** The longest streak up to the as-of day (the earliest of equals). */
  longest: { fromDay: string; toDay: string; days: number };
  /** Days of the streak ending on the as-of day; 0 when the as-of day is not a viewing day. */
  endingAsOf: number;
}

/** Length of the run ending on `day`, from runs in day order. */
export function runEndingOn(runs: readonly DayRun[], day: number): number {
  const last = runs[runs.length - 1];
  return last && last.last === day ? last.days : 0;
}

/** Streaks of every (profile, title) and (profile, series) with at least one viewing day. */
export function dailyStreaks(views: readonly View[], titleOf: TitleLookup, defs: Definitions, asOfDay: string): Streak[] {
  const asOf = dayNumber(asOfDay);
  const out: Streak[] = [];
  for (const [profileId, profileViews] of groupByProfile(views)) {
    const perSubject = subjectDaySeconds(profileViews, titleOf, { first: -Infinity, last: asOf });
    for (const [key, daySeconds] of perSubject) {
      const runs = viewingDayRuns(daySeconds, defs.streakMinS);
      const longest = longestRun(runs);
      if (!longest) continue;
      const { scope, id } = subjectOfKey(key);
      out.push({
        profileId,
        scope,
        id,
        longest: { fromDay: dayNumberToIso(longest.first), toDay: dayNumberToIso(longest.last), days: longest.days },
        endingAsOf: runEndingOn(runs, asOf),
      });
    }
  }
  return out;
}

/** "Watched X every day for `days` days": a streak of at least that many days ending on the as-of day. */
export function watchedEveryDayFor(streak: Streak, days: number): boolean {
  return streak.endingAsOf >= days;
}
