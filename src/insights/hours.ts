// Hours viewed per local day and per hour of the local day.
//
// Per day comes straight from View.days (exact, no offset needed). Per hour needs the view's UTC
// offset, which View does not carry (its `day` and `days` pin the offset only when a view
// crosses midnight). Until the domain adds `View.offsetMin` (the effective offset at the view's
// start), callers pass an `offsetOf(view)` lookup; the default is the main zone of the view's
// country, which is right for most members and wrong for travellers and border zones.
//
// Each DayShare's seconds are spread evenly over the part of the view's local wall-clock span
// that lies in that day, hour by hour. So the per-hour total of a day always equals its per-day
// total, pauses are spread (not located: View has no session timeline), and a view the offset
// places outside its own DayShare day falls back to the local hour of its start.

import type { View } from '../domain/model.js';
import { dayNumberToIso, effectiveOffsetMin } from '../domain/time.js';
import { dayNumber, weekdayIndex } from './local-days.js';
import { countsAsViewing, type TitleLookup } from './viewing.js';
import type { DayRange } from './viewing-days.js';

/** The UTC offset in minutes that applies to a view. */
export type OffsetOf = (view: View) => number;

/** Interim default: the main time zone of the view's country at the view's start. */
export const countryZoneOffset: OffsetOf = (view) => effectiveOffsetMin(view.startMs, null, view.country);
/** The offset the view started in (reported by the player, else its country's zone then). */
export const viewOffset: OffsetOf = (view) => view.offsetMin;

export interface HoursViewed {
  /** Hours per local day with viewing, in day order. */
  perDay: { day: string; hours: number }[];
  /** Hours per hour of the local day, index 0-23. */
  perHourOfDay: number[];
  /** Hours per ISO weekday, index 0 = Monday. */
  perWeekday: number[];
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Accumulates views one at a time (population facts stream them). */
export class HoursTally {
  private readonly daySeconds = new Map<number, number>();
  private readonly hourSeconds = new Float64Array(24);

  constructor(
    private readonly titleOf: TitleLookup,
    private readonly offsetOf: OffsetOf = viewOffset,
    private readonly range?: DayRange,
  ) {}

  add(view: View): void {
    if (!countsAsViewing(view, this.titleOf)) return;
    let offsetMs: number | undefined;
    for (const share of view.days) {
      if (share.watchedS <= 0) continue;
      const day = dayNumber(share.day);
      if (this.range && (day < this.range.first || day > this.range.last)) continue;
      this.daySeconds.set(day, (this.daySeconds.get(day) ?? 0) + share.watchedS);
      offsetMs ??= this.offsetOf(view) * 60_000;
      this.spreadOverHours(view, day, share.watchedS, offsetMs);
    }
  }

  private spreadOverHours(view: View, day: number, seconds: number, offsetMs: number): void {
    const from = Math.max(view.startMs + offsetMs, day * DAY_MS);
    const to = Math.min(view.endMs + offsetMs, (day + 1) * DAY_MS);
    if (to <= from) {
      const startLocal = view.startMs + offsetMs;
      this.hourSeconds[Math.floor((((startLocal % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS)] += seconds;
      return;
    }
    const perMs = seconds / (to - from);
    for (let t = from; t < to; ) {
      const hourEnd = Math.min(to, (Math.floor(t / HOUR_MS) + 1) * HOUR_MS);
      this.hourSeconds[Math.floor((t - day * DAY_MS) / HOUR_MS)] += (hourEnd - t) * perMs;
      t = hourEnd;
    }
  }

  result(): HoursViewed {
    const days = [...this.daySeconds.keys()].sort((a, b) => a - b);
    const perWeekday = new Array<number>(7).fill(0);
    for (const d of days) perWeekday[weekdayIndex(d)] += this.daySeconds.get(d)! / 3600;
    return {
      perDay: days.map((d) => ({ day: dayNumberToIso(d), hours: this.daySeconds.get(d)! / 3600 })),
      perHourOfDay: Array.from(this.hourSeconds, (s) => s / 3600),
      perWeekday,
    };
  }
}

/** Hours viewed per local day, hour of day and weekday; `range` limits the days counted. */
export function hoursViewed(views: readonly View[], titleOf: TitleLookup, offsetOf: OffsetOf = viewOffset, range?: DayRange): HoursViewed {
  const tally = new HoursTally(titleOf, offsetOf, range);
  for (const view of views) tally.add(view);
  return tally.result();
}
