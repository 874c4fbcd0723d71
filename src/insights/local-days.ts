// Integer local day numbers (days since 1970-01-01) for the "YYYY-MM-DD" days of DayShare.
// Insights convert millions of day strings; this reads the digits and applies the civil-calendar
// formula (Howard Hinnant's days_from_civil) instead of Date.parse, and agrees with
// isoToDayNumber of src/domain/time.ts (a test checks both on random days).

import { isoToDayNumber } from '../domain/time.js';

function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

/** Day number of a "YYYY-MM-DD" local day. */
export function dayNumber(isoDay: string): number {
  if (isoDay.length !== 10) return isoToDayNumber(isoDay);
  const y0 = digits(isoDay, 0, 4);
  const m = digits(isoDay, 5, 7);
  const d = digits(isoDay, 8, 10);
  if (Number.isNaN(y0 + m + d)) return isoToDayNumber(isoDay);
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** First and last day numbers of a calendar year (inclusive). */
export function yearDays(year: number): { first: number; last: number } {
  return { first: isoToDayNumber(`${year}-01-01`), last: isoToDayNumber(`${year}-12-31`) };
}

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** ISO weekday index, 0 = Monday. Day 0 (1970-01-01) was a Thursday. */
export function weekdayIndex(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}
