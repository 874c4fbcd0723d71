// The local day of a Start Time, as domain/time.ts defines it (no reported offset, so the main
// zone of the country), fast. zoneOffsetMin caches per hour, and a long export touches a new
// hour on almost every row; a zone's offset is constant over most UTC months, so this keeps,
// per zone, the last month (or day, in a month with a change) whose offset is constant, and
// asks zoneOffsetMin per instant only on the days of a change. (A month or day with two
// changes that cancel out does not occur in the zones binge maps countries to.)

import { dayNumberToIso, zoneOfCountry, zoneOffsetMin } from '../../domain/time.js';

const DAY_MS = 86_400_000;
const MAX_CACHED_DAYS = 100_000;

interface Span {
  fromMs: number;
  toMs: number;
  offset: number;
}

const zones = new Map<string, string>();
const lastSpan = new Map<string, Span>();
/** Constant months (or null) per zone and "year-month": profiles of one export revisit the same months. */
const monthSpans = new Map<string, Span | null>();
const isoOfDay = new Map<number, string>();

function constantSpan(zone: string, fromMs: number, toMs: number): Span | null {
  const offset = zoneOffsetMin(zone, fromMs);
  return offset === zoneOffsetMin(zone, toMs - 1) ? { fromMs, toMs, offset } : null;
}

export function offsetOfCountry(atMs: number, country: string): number {
  let zone = zones.get(country);
  if (zone === undefined) {
    zone = zoneOfCountry(country);
    zones.set(country, zone);
  }
  const last = lastSpan.get(zone);
  if (last !== undefined && atMs >= last.fromMs && atMs < last.toMs) return last.offset;
  const date = new Date(atMs);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const day = Math.floor(atMs / DAY_MS);
  const monthKey = `${zone}|${year}-${month}`;
  let monthly = monthSpans.get(monthKey);
  if (monthly === undefined) {
    monthly = constantSpan(zone, Date.UTC(year, month, 1), Date.UTC(year, month + 1, 1));
    if (monthSpans.size > MAX_CACHED_DAYS) monthSpans.clear();
    monthSpans.set(monthKey, monthly);
  }
  const span = monthly ?? constantSpan(zone, day * DAY_MS, (day + 1) * DAY_MS);
  if (span === null) return zoneOffsetMin(zone, atMs);
  lastSpan.set(zone, span);
  return span.offset;
}

export function localDayOfCountry(atMs: number, country: string): string {
  const localDayNumber = Math.floor((atMs + offsetOfCountry(atMs, country) * 60_000) / DAY_MS);
  let iso = isoOfDay.get(localDayNumber);
  if (iso === undefined) {
    iso = dayNumberToIso(localDayNumber);
    if (isoOfDay.size > MAX_CACHED_DAYS) isoOfDay.clear();
    isoOfDay.set(localDayNumber, iso);
  }
  return iso;
}
