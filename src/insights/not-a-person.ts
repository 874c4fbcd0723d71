// Not a person (DEFINITIONS.md, "Binge insights"): a profile or device that views more than
// `notAPersonDayH` hours on at least `notAPersonDays` local days, or loops one title (at least
// `loopViewsPerDay` plays of it on one local day, on at least `notAPersonDays` days). Flagged
// profiles, and views made on flagged devices, are left out of facts about people.
//
// Plays of a title on a day: the resume rule merges a looping screen's sessions into one long
// view, so a View is not a play. A day's plays are the larger of (a) the view's sessions
// apportioned to the day by its DayShare and (b) the day's seconds of the title divided by its
// runtime (a player that loops by seeking back is one session but many runtimes).
// Hidden views count here (this is a data-quality filter, never shown; hiding a view must not
// turn a shop screen into a person); supplemental videos do not.

import { groupViewsBy } from './profiles.js';
import type { Definitions } from '../domain/definitions.js';
import type { View } from '../domain/model.js';
import { dayNumber } from './local-days.js';
import { isProgramme, type TitleLookup } from './viewing.js';

export type NotAPersonReason = 'hours' | 'loop';

export interface NotAPersonFlag {
  scope: 'profile' | 'device';
  id: string;
  reason: NotAPersonReason;
  /** Days on which the rule held (at least notAPersonDays). */
  days: number;
  /** The looped title, for reason "loop". */
  titleId?: string;
}

interface Plays {
  sessions: number;
  seconds: number;
}

function countHeavyDays(daySeconds: Map<number, number>, limitS: number): number {
  let n = 0;
  for (const s of daySeconds.values()) if (s > limitS) n++;
  return n;
}

/** The flag of one profile or device from all its views, or undefined for a person. */
export function notAPersonFlag(scope: 'profile' | 'device', id: string, views: readonly View[], titleOf: TitleLookup, defs: Definitions): NotAPersonFlag | undefined {
  const daySeconds = new Map<number, number>();
  const plays = new Map<string, Map<number, Plays>>(); // title -> day -> plays
  for (const view of views) {
    if (!isProgramme(view, titleOf)) continue;
    let total = 0;
    for (const share of view.days) total += Math.max(0, share.watchedS);
    let perDay = plays.get(view.titleId);
    if (!perDay) plays.set(view.titleId, (perDay = new Map()));
    for (const share of view.days) {
      if (share.watchedS <= 0) continue;
      const day = dayNumber(share.day);
      daySeconds.set(day, (daySeconds.get(day) ?? 0) + share.watchedS);
      const p = perDay.get(day) ?? { sessions: 0, seconds: 0 };
      p.sessions += (view.sessions * share.watchedS) / total;
      p.seconds += share.watchedS;
      perDay.set(day, p);
    }
  }
  const heavy = countHeavyDays(daySeconds, defs.notAPersonDayH * 3600);
  if (heavy >= defs.notAPersonDays) return { scope, id, reason: 'hours', days: heavy };
  let worst: NotAPersonFlag | undefined;
  for (const [titleId, perDay] of plays) {
    const runtimeS = titleOf(titleId)?.runtimeS ?? 0;
    let loopDays = 0;
    for (const p of perDay.values()) {
      const byRuntime = runtimeS > 0 ? p.seconds / runtimeS : 0;
      // A small tolerance: apportioned sessions are fractions that should add up to whole plays.
      if (Math.max(p.sessions, byRuntime) + 1e-9 >= defs.loopViewsPerDay) loopDays++;
    }
    // Equal days: the smaller title id, so the flag does not depend on the order views are read in.
    if (loopDays >= defs.notAPersonDays && (!worst || loopDays > worst.days || (loopDays === worst.days && titleId < worst.titleId!))) worst = { scope, id, reason: 'loop', days: loopDays, titleId };
  }
  return worst;
}


/** Flags for every profile and every device (across its profiles) that is not a person. */
export function notAPerson(views: readonly View[], titleOf: TitleLookup, defs: Definitions): NotAPersonFlag[] {
  const out: NotAPersonFlag[] = [];
  for (const [id, list] of groupViewsBy(views, (v) => v.profileId)) {
    const flag = notAPersonFlag('profile', id, list, titleOf, defs);
    if (flag) out.push(flag);
  }
  for (const [id, list] of groupViewsBy(views, (v) => v.deviceId)) {
    const flag = notAPersonFlag('device', id, list, titleOf, defs);
    if (flag) out.push(flag);
  }
  return out;
}
