// Episodes in a rolling 7 days (DEFINITIONS.md, "Binge insights"): per profile and series, the
// most distinct episodes completed in any window of `rollingWindowDays` consecutive local days,
// with the window and the hours per day it implies ("188 episodes of The Office in a week").
//
// An episode completes on the local day its view ended (the last day of View.days): a view that
// starts at 23:40 and finishes at 00:05 completes on the second day. An episode completed twice
// in a window counts once. The implied hours per day are the runtimes of those episodes (the
// view's furthest position when the catalogue has no runtime) spread over the window's days.

import type { Definitions } from '../domain/definitions.js';
import type { View } from '../domain/model.js';
import { dayNumberToIso } from '../domain/time.js';
import { dayNumber } from './local-days.js';
import { groupByProfile } from './profiles.js';
import { countsAsViewing, seriesOf, type TitleLookup } from './viewing.js';
import type { DayRange } from './viewing-days.js';

export interface WeeklyEpisodes {
  profileId: string;
  seriesId: string;
  /** Distinct episodes completed in the best window. */
  episodes: number;
  /** The window: `windowDays` local days ending on the day the maximum was reached (earliest of equals). */
  fromDay: string;
  toDay: string;
  windowDays: number;
  /** Runtime of those episodes divided by the window's days, in hours. */
  impliedHoursPerDay: number;
}

interface Completion {
  day: number;
  titleId: string;
  seconds: number;
}

/** Local day number on which a view completed: the last day it touched. */
export function completionDay(view: View): number {
  for (let i = view.days.length - 1; i >= 0; i--) if (view.days[i].watchedS > 0) return dayNumber(view.days[i].day);
  return dayNumber(view.day);
}

/** Completed episode views of one profile, per series, in day order. */
function completionsBySeries(views: readonly View[], titleOf: TitleLookup, range?: DayRange): Map<string, Completion[]> {
  const out = new Map<string, Completion[]>();
  for (const view of views) {
    if (!view.completed || !countsAsViewing(view, titleOf)) continue;
    const series = seriesOf(view, titleOf);
    if (series === undefined) continue;
    const day = completionDay(view);
    if (range && (day < range.first || day > range.last)) continue;
    const seconds = titleOf(view.titleId)?.runtimeS ?? view.furthestS;
    const list = out.get(series) ?? [];
    if (list.length === 0) out.set(series, list);
    list.push({ day, titleId: view.titleId, seconds });
  }
  for (const list of out.values()) list.sort((a, b) => a.day - b.day);
  return out;
}

/** Best window over completions in day order: sliding window with a count per episode, O(n). */
function bestWindow(completions: readonly Completion[], windowDays: number): { episodes: number; lastDay: number; seconds: number } {
  const inWindow = new Map<string, number>();
  let left = 0;
  let best = { episodes: 0, lastDay: completions[0]?.day ?? 0 };
  for (let right = 0; right < completions.length; ) {
    const day = completions[right].day;
    for (; right < completions.length && completions[right].day === day; right++) {
      const id = completions[right].titleId;
      inWindow.set(id, (inWindow.get(id) ?? 0) + 1);
    }
    for (; completions[left].day <= day - windowDays; left++) {
      const id = completions[left].titleId;
      const n = inWindow.get(id)! - 1;
      if (n === 0) inWindow.delete(id);
      else inWindow.set(id, n);
    }
    if (inWindow.size > best.episodes) best = { episodes: inWindow.size, lastDay: day };
  }
  const seen = new Map<string, number>();
  for (const c of completions) {
    if (c.day > best.lastDay - windowDays && c.day <= best.lastDay) seen.set(c.titleId, Math.max(seen.get(c.titleId) ?? 0, c.seconds));
  }
  let seconds = 0;
  for (const s of seen.values()) seconds += s;
  return { ...best, seconds };
}

/**
 * One profile's best window per series. With `range`, only completions on those days count
 * (population facts use the calendar year), so a window may start before the range.
 */
export function weeklyEpisodesForProfile(profileId: string, views: readonly View[], titleOf: TitleLookup, defs: Definitions, range?: DayRange): WeeklyEpisodes[] {
  const windowDays = Math.max(1, Math.round(defs.rollingWindowDays));
  const out: WeeklyEpisodes[] = [];
  for (const [seriesId, completions] of completionsBySeries(views, titleOf, range)) {
    const best = bestWindow(completions, windowDays);
    out.push({
      profileId,
      seriesId,
      episodes: best.episodes,
      fromDay: dayNumberToIso(best.lastDay - windowDays + 1),
      toDay: dayNumberToIso(best.lastDay),
      windowDays,
      impliedHoursPerDay: best.seconds / 3600 / windowDays,
    });
  }
  return out;
}

/** For every (profile, series) with a completed episode: its best rolling window. */
export function weeklyEpisodes(views: readonly View[], titleOf: TitleLookup, defs: Definitions): WeeklyEpisodes[] {
  const out: WeeklyEpisodes[] = [];
  for (const [profileId, profileViews] of groupByProfile(views)) out.push(...weeklyEpisodesForProfile(profileId, profileViews, titleOf, defs));
  return out;
}
