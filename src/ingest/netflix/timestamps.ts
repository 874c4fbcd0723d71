// Start Time and the H:MM:SS fields. Netflix writes Start Time in UTC, in one format per file:
// ISO-like ("2022-09-27 21:16:43", or "2023-08-24 9:07" without seconds) or US
// ("7/28/2022 4:22"). The format is detected once per file from its first rows and every row
// must then match it: "3/4/2022" is never read as ISO in one row and US in the next.

import type { Millis } from '../../domain/model.js';

export const START_TIME_FORMATS = ['YYYY-MM-DD H:MM:SS', 'YYYY-MM-DD H:MM', 'M/D/YYYY H:MM:SS', 'M/D/YYYY H:MM'] as const;
export type StartTimeFormat = (typeof START_TIME_FORMATS)[number];

/** Per format, its numbers in order: [fewest digits, most digits, separator that follows ('' at the end)]. */
type Layout = readonly (readonly [min: number, max: number, separator: string])[];
const LAYOUTS: Record<StartTimeFormat, Layout> = {
  'YYYY-MM-DD H:MM:SS': [[4, 4, '-'], [2, 2, '-'], [2, 2, ' '], [1, 2, ':'], [2, 2, ':'], [2, 2, '']],
  'YYYY-MM-DD H:MM': [[4, 4, '-'], [2, 2, '-'], [2, 2, ' '], [1, 2, ':'], [2, 2, '']],
  'M/D/YYYY H:MM:SS': [[1, 2, '/'], [1, 2, '/'], [4, 4, ' '], [1, 2, ':'], [2, 2, ':'], [2, 2, '']],
  'M/D/YYYY H:MM': [[1, 2, '/'], [1, 2, '/'], [4, 4, ' '], [1, 2, ':'], [2, 2, '']],
};

const US_ORDER = new Set<StartTimeFormat>(['M/D/YYYY H:MM:SS', 'M/D/YYYY H:MM']);
const numbers = [0, 0, 0, 0, 0, 0];

/** Reads the numbers of a layout into `numbers` (a hand scan: a regex per row costs more than the rest of a row). */
function scan(text: string, layout: Layout): boolean {
  let i = 0;
  let end = text.length;
  while (i < end && text.charCodeAt(i) === 32) i++;
  while (end > i && text.charCodeAt(end - 1) === 32) end--;
  for (let n = 0; n < layout.length; n++) {
    const part = layout[n];
    const min = part[0];
    const max = part[1];
    const separator = part[2];
    let value = 0;
    let digits = 0;
    while (i < end && digits < max) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      value = value * 10 + d;
      digits++;
      i++;
    }
    if (digits < min) return false;
    numbers[n] = value;
    if (separator === '') return i === end;
    if (i >= end || text.charCodeAt(i) !== separator.charCodeAt(0)) return false;
    i++;
  }
  return false;
}

/** Epoch ms of a Start Time in the given format, or null when it does not match or is not a real instant. */
export function parseStartTime(text: string, format: StartTimeFormat): Millis | null {
  const layout = LAYOUTS[format];
  if (!scan(text, layout)) return null;
  const us = US_ORDER.has(format);
  const year = us ? numbers[2] : numbers[0];
  const month = us ? numbers[0] : numbers[1];
  const day = us ? numbers[1] : numbers[2];
  const hour = numbers[3];
  const minute = numbers[4];
  const second = layout.length === 6 ? numbers[5] : 0;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * The format most of the sample matches (ties: the one matched first). The sample is the Start
 * Time of a file's first rows; null when none of them is a valid Start Time in any format.
 */
export function detectStartTimeFormat(sample: readonly string[]): StartTimeFormat | null {
  const votes = new Map<StartTimeFormat, number>();
  for (const text of sample) {
    const format = START_TIME_FORMATS.find((f) => parseStartTime(text, f) !== null);
    if (format !== undefined) votes.set(format, (votes.get(format) ?? 0) + 1);
  }
  let best: StartTimeFormat | null = null;
  for (const [format, count] of votes) if (best === null || count > (votes.get(best) ?? 0)) best = format;
  return best;
}

/** Hours of an H:MM:SS field have at most this many digits (a longer number is garbage, not a duration). */
const MAX_HOUR_DIGITS = 6;

/** Seconds of an H:MM:SS field; hours may pass 24 ("25:03:11"). Null when malformed. */
export function parseClockSeconds(text: string): number | null {
  let i = 0;
  let end = text.length;
  while (i < end && text.charCodeAt(i) === 32) i++;
  while (end > i && text.charCodeAt(end - 1) === 32) end--;
  let hours = 0;
  const from = i;
  while (i < end && i - from < MAX_HOUR_DIGITS) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    hours = hours * 10 + d;
    i++;
  }
  if (i === from || end - i !== 6 || text.charCodeAt(i) !== 58 || text.charCodeAt(i + 3) !== 58) return null;
  const minutes = twoDigits(text, i + 1);
  const seconds = twoDigits(text, i + 4);
  if (minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) return null;
  return hours * 3600 + minutes * 60 + seconds;
}

function twoDigits(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  return a < 0 || a > 9 || b < 0 || b > 9 ? -1 : a * 10 + b;
}
