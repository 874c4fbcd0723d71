// Local calendar days. A day is a day in the member's time zone: the offset the player
// reported, else the main zone of the member's country (DEFINITIONS.md, "A day").

import type { Millis } from './model.js';
import { zoneClock } from './zone-clock.js';

/** Main IANA zone per country (ISO 3166-1 alpha-2). Countries not listed fall back to UTC. */
export const COUNTRY_ZONES: Readonly<Record<string, string>> = Object.freeze({
  US: 'America/New_York',
  CA: 'America/Toronto',
  MX: 'America/Mexico_City',
  BR: 'America/Sao_Paulo',
  AR: 'America/Argentina/Buenos_Aires',
  CL: 'America/Santiago',
  CO: 'America/Bogota',
  PE: 'America/Lima',
  GB: 'Europe/London',
  IE: 'Europe/Dublin',
  FR: 'Europe/Paris',
  DE: 'Europe/Berlin',
  ES: 'Europe/Madrid',
  IT: 'Europe/Rome',
  NL: 'Europe/Amsterdam',
  SE: 'Europe/Stockholm',
  PL: 'Europe/Warsaw',
  PT: 'Europe/Lisbon',
  TR: 'Europe/Istanbul',
  IN: 'Asia/Kolkata',
  JP: 'Asia/Tokyo',
  KR: 'Asia/Seoul',
  PH: 'Asia/Manila',
  ID: 'Asia/Jakarta',
  TH: 'Asia/Bangkok',
  HK: 'Asia/Hong_Kong',
  SG: 'Asia/Singapore',
  TW: 'Asia/Taipei',
  MY: 'Asia/Kuala_Lumpur',
  VN: 'Asia/Ho_Chi_Minh',
  AE: 'Asia/Dubai',
  SA: 'Asia/Riyadh',
  IL: 'Asia/Jerusalem',
  AU: 'Australia/Sydney',
  NZ: 'Pacific/Auckland',
  ZA: 'Africa/Johannesburg',
  NG: 'Africa/Lagos',
  EG: 'Africa/Cairo',
});

export function zoneOfCountry(country: string): string {
  return COUNTRY_ZONES[country.toUpperCase()] ?? 'UTC';
}

/** UTC offset in minutes of an IANA zone at an instant (exact; see zone-clock.ts for how it stays cheap). */
export function zoneOffsetMin(zone: string, atMs: Millis): number {
  return zoneClock(zone).offsetAt(atMs);
}

/** The offset that applies to an event: the reported one, else the country's zone at that instant. */
export function effectiveOffsetMin(atMs: Millis, offsetMin: number | null, country: string): number {
  return offsetMin ?? zoneOffsetMin(zoneOfCountry(country), atMs);
}

/** Local wall-clock milliseconds (epoch ms shifted by the offset). */
export function localMs(atMs: Millis, offsetMin: number): Millis {
  return atMs + offsetMin * 60_000;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Days since 1970-01-01 of the local calendar day. */
export function localDayNumber(atMs: Millis, offsetMin: number): number {
  return Math.floor(localMs(atMs, offsetMin) / DAY_MS);
}

export function dayNumberToIso(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

export function isoToDayNumber(isoDay: string): number {
  return Math.floor(Date.parse(`${isoDay}T00:00:00Z`) / DAY_MS);
}

/** "YYYY-MM-DD" of the local calendar day. */
export function localDay(atMs: Millis, offsetMin: number): string {
  return dayNumberToIso(localDayNumber(atMs, offsetMin));
}

/** Local hour of day, 0-23. */
export function localHour(atMs: Millis, offsetMin: number): number {
  const ms = localMs(atMs, offsetMin);
  return Math.floor((((ms % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
}
