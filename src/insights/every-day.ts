// Every day of the year (DEFINITIONS.md, "Binge insights"): a title (or series) viewed on every
// local day of a calendar year, or, when none was, the longest run of viewing days within it.
// A "viewed" day is a viewing day (at least `streakMinS`, see viewing-days.ts), so this is a
// streak as long as the year; runs are cut at the year's edges.

import type { Definitions } from '../domain/definitions.js';
import type { View } from '../domain/model.js';
import { dayNumberToIso } from '../domain/time.js';
import { yearDays } from './local-days.js';
import { groupByProfile } from './profiles.js';
import type { TitleLookup } from './viewing.js';
import { longestRun, subjectDaySeconds, subjectOfKey, viewingDayRuns, type DayRun, type Subject, type SubjectScope } from './viewing-days.js';

export interface YearRun {
  scope: SubjectScope;
  id: string;
  days: number;
  fromDay: string;
  toDay: string;
}

export interface EveryDayOfYear {
  profileId: string;
  year: number;
  daysInYear: number;
  /** Subjects viewed on every local day of the year (usually none). */
  everyDay: Subject[];
  /** The longest run within the year over all subjects (titles before series at equal length). */
  longest: YearRun;
}

/** One profile's every-day insight, or undefined when it has no viewing day in the year. */
export function everyDayOfYearForProfile(profileId: string, views: readonly View[], titleOf: TitleLookup, defs: Definitions, year: number): EveryDayOfYear | undefined {
  const range = yearDays(year);
  const daysInYear = range.last - range.first + 1;
  const everyDay: Subject[] = [];
  let longest: { subject: Subject; run: DayRun } | undefined;
  for (const [key, daySeconds] of subjectDaySeconds(views, titleOf, range)) {
    const run = longestRun(viewingDayRuns(daySeconds, defs.streakMinS));
    if (!run) continue;
    const subject = subjectOfKey(key);
    if (run.days === daysInYear) everyDay.push(subject);
    const better = !longest || run.days > longest.run.days || (run.days === longest.run.days && subject.scope === 'title' && longest.subject.scope === 'series');
    if (better) longest = { subject, run };
  }
  if (!longest) return undefined;
  const { subject, run } = longest;
  return { profileId, year, daysInYear, everyDay, longest: { ...subject, days: run.days, fromDay: dayNumberToIso(run.first), toDay: dayNumberToIso(run.last) } };
}

/** Every profile's every-day insight for a calendar year. */
export function everyDayOfYear(views: readonly View[], titleOf: TitleLookup, defs: Definitions, year: number): EveryDayOfYear[] {
  const out: EveryDayOfYear[] = [];
  for (const [profileId, profileViews] of groupByProfile(views)) {
    const result = everyDayOfYearForProfile(profileId, profileViews, titleOf, defs, year);
    if (result) out.push(result);
  }
  return out;
}
