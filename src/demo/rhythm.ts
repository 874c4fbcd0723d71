// Daily rhythms in local time: when people watch (evening peak, more on weekends) and how local
// wall-clock times map to instants in the member's zone.

import type { Random } from './random.js';
import { zoneClock } from '../domain/zone-clock.js';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

/** Relative chance that a sitting starts in each local hour, 0-23. */
const WEEKDAY_HOURS = [1.0, 0.5, 0.2, 0.1, 0.1, 0.1, 0.3, 0.6, 0.6, 0.6, 0.6, 0.7, 1.3, 1.2, 0.8, 0.9, 1.1, 1.6, 2.4, 3.6, 4.6, 4.8, 3.6, 2.0];
const WEEKEND_HOURS = WEEKDAY_HOURS.map((w, h) => (h >= 9 && h <= 17 ? w * 2.2 : w));

/** Instant of local midnight starting the given local day in a zone (offset taken at local noon). */
export function localDayStartMs(zone: string, dayNumber: number): number {
  const offsetMin = zoneClock(zone).offsetAt(dayNumber * DAY_MS + 12 * HOUR_MS);
  return dayNumber * DAY_MS - offsetMin * MINUTE_MS;
}

/** 0 = Sunday ... 6 = Saturday. Day 0 (1970-01-01) was a Thursday. */
export function weekday(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

export function isWeekend(dayNumber: number): boolean {
  const d = weekday(dayNumber);
  return d === 0 || d === 6;
}

/** Probability that a profile watches at all on a day. */
export function watchProbability(appetite: number, dayNumber: number): number {
  const month = new Date(dayNumber * DAY_MS).getUTCMonth();
  const season = month === 11 || month === 0 ? 1.1 : month >= 5 && month <= 7 ? 0.9 : 1;
  return Math.min(0.95, appetite * season * (isWeekend(dayNumber) ? 1.3 : 1));
}

/** Milliseconds after local midnight at which a sitting starts. */
export function sittingStartOffsetMs(rng: Random, dayNumber: number, shiftH: number): number {
  const hour = rng.weighted(isWeekend(dayNumber) ? WEEKEND_HOURS : WEEKDAY_HOURS);
  const shifted = Math.min(23, Math.max(0, hour + shiftH));
  return shifted * HOUR_MS + rng.int(0, 3599) * 1000;
}
