// Integer local day numbers (days since 1970-01-01) for the "YYYY-MM-DD" days of DayShare.
// Insights compare and subtract days millions of times; parsing a date string each time would
// dominate, so each distinct string is parsed once (a data set spans a few thousand days).

import { isoToDayNumber } from '../domain/time.js';

const cache = new Map<string, number>();

/** Day number of a "YYYY-MM-DD" local day, memoised. */
export function dayNumber(isoDay: string): number {
  let n = cache.get(isoDay);
  if (n === undefined) {
    n = isoToDayNumber(isoDay);
    if (cache.size > 100_000) cache.clear();
    cache.set(isoDay, n);
  }
  return n;
}

/** First and last day numbers of a calendar year (inclusive). */
export function yearDays(year: number): { first: number; last: number } {
  return { first: dayNumber(`${year}-01-01`), last: dayNumber(`${year}-12-31`) };
}

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** ISO weekday index, 0 = Monday. Day 0 (1970-01-01) was a Thursday. */
export function weekdayIndex(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}
