// The local day of a Start Time, as domain/time.ts defines it (no reported offset, so the main
// zone of the country), fast. zoneOffsetMin caches per hour, and a long export touches a new
// hour on almost every row; a zone's offset is constant over most UTC months, so this caches
// it per zone and month, then per day for the months of a change, and asks zoneOffsetMin per
// instant only on the days of a change. (A month or day with two changes that cancel out does
// not occur in the IANA zones binge maps countries to.)

import { dayNumberToIso, zoneOfCountry, zoneOffsetMin } from '../../domain/time.js';

const DAY_MS = 86_400_000;
const MAX_CACHED = 100_000;

/** Offset over a whole UTC month or day, or null when it changes inside. */
const spanOffsets = new Map<string, number | null>();
const isoOfDay = new Map<number, string>();

function constantOffset(zone: string, key: string, fromMs: number, toMs: number): number | null {
  let offset = spanOffsets.get(key);
  if (offset === undefined) {
    const first = zoneOffsetMin(zone, fromMs);
    offset = first === zoneOffsetMin(zone, toMs - 1) ? first : null;
    if (spanOffsets.size > MAX_CACHED) spanOffsets.clear();
    spanOffsets.set(key, offset);
  }
  return offset;
}

export function offsetOfCountry(atMs: number, country: string): number {
  const zone = zoneOfCountry(country);
  const date = new Date(atMs);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const monthly = constantOffset(zone, `${zone}|${year}-${month}`, Date.UTC(year, month, 1), Date.UTC(year, month + 1, 1));
  if (monthly !== null) return monthly;
  const day = Math.floor(atMs / DAY_MS);
  return constantOffset(zone, `${zone}|${day}`, day * DAY_MS, (day + 1) * DAY_MS) ?? zoneOffsetMin(zone, atMs);
}

export function localDayOfCountry(atMs: number, country: string): string {
  const localDayNumber = Math.floor((atMs + offsetOfCountry(atMs, country) * 60_000) / DAY_MS);
  let iso = isoOfDay.get(localDayNumber);
  if (iso === undefined) {
    iso = dayNumberToIso(localDayNumber);
    if (isoOfDay.size > MAX_CACHED) isoOfDay.clear();
    isoOfDay.set(localDayNumber, iso);
  }
  return iso;
}
