// The wire format of a playback event, validated at the edge with zod. Inside the core, events
// are the trusted PlaybackEvent of domain/model.ts.

import { z } from 'zod';
import { PLAYBACK_EVENT_TYPES, USER_ACTIONS, type PlaybackEvent } from '../domain/model.js';
import type { ErrorCode } from '../errors.js';

/** ISO 8601 with seconds and an explicit offset: 2026-03-01T21:15:00-06:00 (Z = UTC, zone unknown). */
const AT_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

const id = (what: string) =>
  z.string({ error: `${what} must be a string` }).min(1, `${what} must not be empty`).max(128, `${what} is at most 128 characters`);

export const WireEventSchema = z
  .object({
    eventId: id('eventId'),
    playbackId: id('playbackId'),
    profileId: id('profileId'),
    titleId: id('titleId'),
    type: z.enum(PLAYBACK_EVENT_TYPES, { error: `type must be one of ${PLAYBACK_EVENT_TYPES.join(', ')}` }),
    positionS: z
      .number({ error: 'positionS must be a number of seconds into the title' })
      .finite()
      .min(0, 'positionS must not be negative')
      .max(7 * 86_400, 'positionS is more than a week into the title'),
    at: z.string({ error: 'at must be an ISO 8601 timestamp with offset, e.g. 2026-03-01T21:15:00-06:00' }).regex(AT_PATTERN, 'at must be an ISO 8601 timestamp with seconds and an offset, e.g. 2026-03-01T21:15:00-06:00'),
    device: id('device'),
    country: z.string({ error: 'country must be an ISO 3166-1 alpha-2 code such as MX' }).regex(/^[A-Z]{2}$/, 'country must be an ISO 3166-1 alpha-2 code in capitals, such as MX'),
    autoplayed: z.boolean({ error: 'autoplayed must be true or false' }).default(false),
    userAction: z.enum(USER_ACTIONS, { error: `userAction must be one of ${USER_ACTIONS.join(', ')}` }).default('none'),
  })
  .strict();

export type WireEvent = z.input<typeof WireEventSchema>;

export interface EventRules {
  nowMs: number;
  maxEventAgeDays: number;
  maxFutureS: number;
}

export type EventCheck =
  | { ok: true; event: PlaybackEvent }
  | { ok: false; code: ErrorCode; message: string };

/** Parses an ISO timestamp with offset into epoch ms and the offset in minutes (null for Z). */
export function parseAt(at: string): { atMs: number; offsetMin: number | null } | undefined {
  return scanAt(at) === AT_OK ? { atMs: scannedAtMs, offsetMin: scannedOffsetMin } : undefined;
}

// scanAt's verdicts; on AT_OK the value is in scannedAtMs / scannedOffsetMin (no allocation per
// event on the hot path).
export const AT_OK = 0;
/** Does not match AT_PATTERN (zod words this one). */
const AT_NOT_ISO = 1;
/** Matches the pattern but is not a real date and time (2026-02-30, 25:00, offset +15:00 or +01:75). */
const AT_NOT_REAL = 2;
// Exported (live bindings) for the clean-batch reader (clean-batch.ts), which reads `at` the same way.
export let scannedAtMs = 0;
export let scannedOffsetMin: number | null = null;

const digit = (at: string, i: number): number => {
  const c = at.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
};
const two = (at: string, i: number): number => {
  const a = digit(at, i);
  const b = digit(at, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
};

/**
 * A hand-written reading of AT_PATTERN plus the checks of a real date, the same verdicts and
 * values as the regular expression and Date.UTC (a property test holds them to it) at a fraction
 * of their cost: the regex, seven Number() calls and two Date objects were about a tenth of the
 * server's event-loop time.
 */
export function scanAt(at: string): number {
  const n = at.length;
  if (n < 20) return AT_NOT_ISO;
  const y0 = two(at, 0);
  const y1 = two(at, 2);
  const month = two(at, 5);
  const day = two(at, 8);
  const hour = two(at, 11);
  const minute = two(at, 14);
  const second = two(at, 17);
  if (y0 < 0 || y1 < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return AT_NOT_ISO;
  if (at.charCodeAt(4) !== 45 || at.charCodeAt(7) !== 45 || at.charCodeAt(10) !== 84 || at.charCodeAt(13) !== 58 || at.charCodeAt(16) !== 58) return AT_NOT_ISO;
  // Optional fraction: a dot and 1 to 9 digits.
  let i = 19;
  let ms = 0;
  if (at.charCodeAt(19) === 46) {
    let fraction = 0;
    i = 20;
    while (i < n && digit(at, i) >= 0) fraction = fraction * 10 + digit(at, i++);
    const digits = i - 20;
    if (digits < 1 || digits > 9) return AT_NOT_ISO;
    // Up to 3 digits the integer is exactly Math.floor(Number(fraction) * 1000) (checked for all
    // 1,110 of them by a test); longer fractions take the same floating-point route as before.
    ms = digits <= 3 ? fraction * (digits === 1 ? 100 : digits === 2 ? 10 : 1) : Math.floor(Number(at.slice(19, i)) * 1000);
  }
  // The zone: Z, or +hh:mm / -hh:mm, and then the end.
  let offsetMin: number | null = null;
  const zone = at.charCodeAt(i);
  if (zone === 90) {
    if (i + 1 !== n) return AT_NOT_ISO;
  } else if (zone === 43 || zone === 45) {
    const zh = two(at, i + 1);
    const zm = two(at, i + 4);
    if (i + 6 !== n || zh < 0 || zm < 0 || at.charCodeAt(i + 3) !== 58) return AT_NOT_ISO;
    // Zone minutes over 59 are no offset at all (Date.parse refuses them too), not +01:00 for +00:60.
    if (zm > 59) return AT_NOT_REAL;
    offsetMin = (zone === 45 ? -1 : 1) * (zh * 60 + zm);
  } else {
    return AT_NOT_ISO;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return AT_NOT_REAL;
  // Date.UTC reads years 0 to 99 as 1900 to 1999; kept, so that the verdicts do not change.
  let year = y0 * 100 + y1;
  if (year <= 99) year += 1900;
  if (day > daysInMonth(year, month)) return AT_NOT_REAL;
  if (offsetMin !== null && Math.abs(offsetMin) > 14 * 60) return AT_NOT_REAL;
  const localMs = daysFromCivil(year, month, day) * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms;
  scannedAtMs = localMs - (offsetMin ?? 0) * 60_000;
  scannedOffsetMin = offsetMin;
  return AT_OK;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/**
 * Validates one event of a batch. The rule for time: an event may be at most `maxFutureS` ahead
 * of the server clock (clock skew) and at most `maxEventAgeDays` old (late events from offline
 * players are normal; older history comes in through `binge import`, which has its own dedup).
 */
export function checkEvent(input: unknown, rules: EventRules): EventCheck {
  // Most events are well-formed: a direct check of the same rules is several times cheaper than
  // zod on the hot path. Anything it does not accept goes through zod, which also words the
  // error. A property test (event-schema.test.ts) holds the two to the same answers.
  const wire = wellFormed(input);
  return wire ? checkTime(wire, rules) : checkWithZod(input, rules);
}

const FIELDS = new Set(['eventId', 'playbackId', 'profileId', 'titleId', 'type', 'positionS', 'at', 'device', 'country', 'autoplayed', 'userAction']);
const EVENT_TYPES: ReadonlySet<unknown> = new Set(PLAYBACK_EVENT_TYPES);
const ACTIONS: ReadonlySet<unknown> = new Set(USER_ACTIONS);
const isCapital = (c: number): boolean => c >= 65 && c <= 90;
const isId = (value: unknown): value is string => typeof value === 'string' && value.length >= 1 && value.length <= 128;

/** The event when it passes every rule of WireEventSchema, else undefined (zod then says why). */
function wellFormed(input: unknown): z.output<typeof WireEventSchema> | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input) || Object.getPrototypeOf(input) !== Object.prototype) return undefined;
  const e = input as Record<string, unknown>;
  for (const key in e) if (!FIELDS.has(key)) return undefined;
  const { positionS, autoplayed, userAction, at, country } = e;
  if (!isId(e.eventId) || !isId(e.playbackId) || !isId(e.profileId) || !isId(e.titleId) || !isId(e.device)) return undefined;
  if (!EVENT_TYPES.has(e.type)) return undefined;
  if (typeof positionS !== 'number' || !Number.isFinite(positionS) || positionS < 0 || positionS > 7 * 86_400) return undefined;
  if (typeof at !== 'string' || scanAt(at) === AT_NOT_ISO) return undefined;
  if (typeof country !== 'string' || country.length !== 2 || !isCapital(country.charCodeAt(0)) || !isCapital(country.charCodeAt(1))) return undefined;
  if (autoplayed !== undefined && typeof autoplayed !== 'boolean') return undefined;
  if (userAction !== undefined && !ACTIONS.has(userAction)) return undefined;
  return {
    eventId: e.eventId,
    playbackId: e.playbackId,
    profileId: e.profileId,
    titleId: e.titleId,
    type: e.type as PlaybackEvent['type'],
    positionS,
    at,
    device: e.device,
    country,
    autoplayed: autoplayed ?? false,
    userAction: (userAction ?? 'none') as PlaybackEvent['userAction'],
  };
}

/** The zod path: the same rules, and the words of the first problem. */
export function checkWithZod(input: unknown, rules: EventRules): EventCheck {
  const parsed = WireEventSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue.code === 'unrecognized_keys') {
      return {
        ok: false,
        code: 'BINGE_EVENT_UNKNOWN_FIELD',
        message: `unknown field ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}: remove it (fields are eventId, playbackId, profileId, titleId, type, positionS, at, device, country, autoplayed, userAction)`,
      };
    }
    const where = issue.path.length > 0 ? issue.path.join('.') : 'event';
    const message = issue.path.length === 0 && issue.code === 'invalid_type' ? 'an event must be a JSON object' : issue.message;
    return { ok: false, code: 'BINGE_EVENT_INVALID', message: `${where}: ${message}` };
  }
  return checkTime(parsed.data, rules);
}

/** The time rule, on an event whose shape is already right. */
function checkTime(e: z.output<typeof WireEventSchema>, rules: EventRules): EventCheck {
  if (scanAt(e.at) !== AT_OK) return { ok: false, code: 'BINGE_EVENT_INVALID', message: `at: ${e.at} is not a real date and time (month 01-12, day of that month, hour 00-23, minutes and seconds 00-59, offset within ±14:00 with minutes 00-59)` };
  const atMs = scannedAtMs;
  const offsetMin = scannedOffsetMin;
  if (atMs > rules.nowMs + rules.maxFutureS * 1000) {
    return {
      ok: false,
      code: 'BINGE_EVENT_IN_FUTURE',
      message: `at: ${e.at} is more than ${rules.maxFutureS} s ahead of the server clock; check the player's clock`,
    };
  }
  if (atMs < rules.nowMs - rules.maxEventAgeDays * 86_400_000) {
    return {
      ok: false,
      code: 'BINGE_EVENT_TOO_OLD',
      message: `at: ${e.at} is more than ${rules.maxEventAgeDays} days old; send older history with \`binge import\``,
    };
  }
  return {
    ok: true,
    event: {
      eventId: e.eventId,
      playbackId: e.playbackId,
      profileId: e.profileId,
      titleId: e.titleId,
      type: e.type,
      positionS: e.positionS,
      atMs,
      offsetMin,
      deviceId: e.device,
      country: e.country,
      autoplayed: e.autoplayed,
      userAction: e.userAction,
    },
  };
}

/** The wire form of a domain event (for the SDK, the demo loader and tests). */
export function toWire(event: PlaybackEvent): WireEvent {
  return {
    eventId: event.eventId,
    playbackId: event.playbackId,
    profileId: event.profileId,
    titleId: event.titleId,
    type: event.type,
    positionS: event.positionS,
    at: formatAt(event.atMs, event.offsetMin),
    device: event.deviceId,
    country: event.country,
    autoplayed: event.autoplayed,
    userAction: event.userAction,
  };
}

export function formatAt(atMs: number, offsetMin: number | null): string {
  const local = new Date(atMs + (offsetMin ?? 0) * 60_000).toISOString().slice(0, 23);
  if (offsetMin === null) return `${local}Z`;
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
