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

/**
 * Seconds per subject and local day for the views of ONE profile, in one pass. Views that do
 * not count as viewing are skipped; days outside `range` (when given) are ignored.
 */
export function subjectDaySeconds(views: readonly View[], titleOf: TitleLookup, range?: DayRange): Map<SubjectKey, DaySeconds> {
  const out = new Map<SubjectKey, DaySeconds>();
  // Per title once: the day maps of its title and series (no key strings built per view).
  const targets = new Map<string, [DaySeconds, DaySeconds | undefined]>();
  const mapOf = (key: SubjectKey) => {
    let days = out.get(key);
    if (!days) out.set(key, (days = new Map()));
    return days;
  };
  for (const view of views) {
    if (!countsAsViewing(view, titleOf)) continue;
    let target = targets.get(view.titleId);
    if (!target) {
      const series = seriesOf(view, titleOf);
      target = [mapOf(subjectKey('title', view.titleId)), series === undefined ? undefined : mapOf(subjectKey('series', series))];
      targets.set(view.titleId, target);
    }
    const [titleDays, seriesDays] = target;
    for (const share of view.days) {
      if (share.watchedS <= 0) continue;
      const day = dayNumber(share.day);
      if (range && (day < range.first || day > range.last)) continue;
      titleDays.set(day, (titleDays.get(day) ?? 0) + share.watchedS);
      if (seriesDays) seriesDays.set(day, (seriesDays.get(day) ?? 0) + share.watchedS);
    }
  }
  // A subject whose views all fell outside the range has an empty map: drop it.
  for (const [key, days] of out) if (days.size === 0) out.delete(key);
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
