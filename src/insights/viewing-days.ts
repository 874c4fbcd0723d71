// Viewing days: seconds of viewing per local day, per profile and subject (a title, or the series
// of an episode). A view across midnight adds its DayShare to each day it touches. A local day
// with at least `streakMinS` of a subject is a "viewing day" of that subject: streaks, every day
// of the year and country habits all use this one threshold, so "viewed on a day" means the
// same everywhere.

import type { View } from '../domain/model.js';
import { dayNumber } from './local-days.js';
import { countsAsViewing, seriesOf, type TitleLookup } from './viewing.js';

export type SubjectScope = 'title' | 'series';

/** What a streak is about: one title, or every episode of one series. */
export interface Subject {
  scope: SubjectScope;
  id: string;
}

/** Map keys: "t:<titleId>" or "s:<seriesId>" (cheap to build, cheap to split). */
export type SubjectKey = string;

export function subjectKey(scope: SubjectScope, id: string): SubjectKey {
  return (scope === 'title' ? 't:' : 's:') + id;
}

export function subjectOfKey(key: SubjectKey): Subject {
  return { scope: key.startsWith('t:') ? 'title' : 'series', id: key.slice(2) };
}

/** Seconds per local day number. */
export type DaySeconds = Map<number, number>;

/** Inclusive range of local day numbers. */
export interface DayRange {
  first: number;
  last: number;
}

function add(target: Map<SubjectKey, DaySeconds>, key: SubjectKey, day: number, seconds: number): void {
  let days = target.get(key);
  if (!days) target.set(key, (days = new Map()));
  days.set(day, (days.get(day) ?? 0) + seconds);
}

/**
 * Seconds per subject and local day for the views of ONE profile, in one pass. Views that do
 * not count as viewing are skipped; days outside `range` (when given) are ignored.
 */
export function subjectDaySeconds(views: readonly View[], titleOf: TitleLookup, range?: DayRange): Map<SubjectKey, DaySeconds> {
  const out = new Map<SubjectKey, DaySeconds>();
  for (const view of views) {
    if (!countsAsViewing(view, titleOf)) continue;
    const titleKey = subjectKey('title', view.titleId);
    const series = seriesOf(view, titleOf);
    const seriesKey = series === undefined ? undefined : subjectKey('series', series);
    for (const share of view.days) {
      if (share.watchedS <= 0) continue;
      const day = dayNumber(share.day);
      if (range && (day < range.first || day > range.last)) continue;
      add(out, titleKey, day, share.watchedS);
      if (seriesKey) add(out, seriesKey, day, share.watchedS);
    }
  }
  return out;
}

/** Seconds of all viewing per local day for the views given (any number of profiles). */
export function totalDaySeconds(views: readonly View[], titleOf: TitleLookup, range?: DayRange): DaySeconds {
  const out: DaySeconds = new Map();
  for (const view of views) {
    if (!countsAsViewing(view, titleOf)) continue;
    for (const share of view.days) {
      if (share.watchedS <= 0) continue;
      const day = dayNumber(share.day);
      if (range && (day < range.first || day > range.last)) continue;
      out.set(day, (out.get(day) ?? 0) + share.watchedS);
    }
  }
  return out;
}

/** A run of consecutive viewing days. */
export interface DayRun {
  first: number;
  last: number;
  days: number;
}

/** Consecutive runs of days with at least `minS` seconds, in day order. */
export function viewingDayRuns(daySeconds: DaySeconds, minS: number): DayRun[] {
  const days: number[] = [];
  for (const [day, seconds] of daySeconds) if (seconds >= minS) days.push(day);
  days.sort((a, b) => a - b);
  const runs: DayRun[] = [];
  let run: DayRun | undefined;
  for (const day of days) {
    if (run && day === run.last + 1) {
      run.last = day;
      run.days++;
    } else {
      run = { first: day, last: day, days: 1 };
      runs.push(run);
    }
  }
  return runs;
}

/** The longest run (the earliest of equals), or undefined when there is no viewing day. */
export function longestRun(runs: readonly DayRun[]): DayRun | undefined {
  let best: DayRun | undefined;
  for (const run of runs) if (!best || run.days > best.days) best = run;
  return best;
}
