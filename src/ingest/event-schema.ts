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
  const m = AT_PATTERN.exec(at);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const month = +mo, day = +d, hour = +h, minute = +mi, second = +s;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const localMs = Date.UTC(+y, month - 1, day, hour, minute, second, frac ? Math.floor(Number(frac) * 1000) : 0);
  if (new Date(localMs).getUTCDate() !== day) return undefined; // 2026-02-30
  let offsetMin: number | null = null;
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    offsetMin = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
    if (Math.abs(offsetMin) > 14 * 60) return undefined;
  }
  return { atMs: localMs - (offsetMin ?? 0) * 60_000, offsetMin };
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
  if (typeof at !== 'string' || !AT_PATTERN.test(at)) return undefined;
  if (typeof country !== 'string' || !/^[A-Z]{2}$/.test(country)) return undefined;
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
  const at = parseAt(e.at);
  if (!at) return { ok: false, code: 'BINGE_EVENT_INVALID', message: `at: ${e.at} is not a real date and time` };
  if (at.atMs > rules.nowMs + rules.maxFutureS * 1000) {
    return {
      ok: false,
      code: 'BINGE_EVENT_IN_FUTURE',
      message: `at: ${e.at} is more than ${rules.maxFutureS} s ahead of the server clock; check the player's clock`,
    };
  }
  if (at.atMs < rules.nowMs - rules.maxEventAgeDays * 86_400_000) {
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
      atMs: at.atMs,
      offsetMin: at.offsetMin,
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
