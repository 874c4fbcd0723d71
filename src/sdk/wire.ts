// The wire form of a playback event as the SDK builds it, and the SDK's checks of a player's
// arguments. Browser-safe: no Node import and no zod (the server's schema, ingest/event-schema.ts,
// would pull zod and server code into a player's bundle). The rules are the server's shape rules;
// a property test (sdk.test.ts) holds the two to the same verdicts. The time rule (not too old,
// not in the future) stays the server's: only it has the reference clock.

import { PLAYBACK_EVENT_TYPES, USER_ACTIONS, type PlaybackEventType, type UserAction } from '../domain/model.js';

export { PLAYBACK_EVENT_TYPES, USER_ACTIONS, type PlaybackEventType, type UserAction };

/** One event as POST /v1/events reads it (the same fields as the server's WireEvent). */
export interface WireEvent {
  eventId: string;
  playbackId: string;
  profileId: string;
  titleId: string;
  type: PlaybackEventType;
  positionS: number;
  /** ISO 8601 with seconds and the player's UTC offset, e.g. 2026-03-01T21:15:00.250-06:00. */
  at: string;
  device: string;
  country: string;
  autoplayed: boolean;
  userAction: UserAction;
}

/** A player's argument that the server would reject: thrown at the call, before anything is queued. */
export class PlayerArgumentError extends TypeError {
  override readonly name = 'PlayerArgumentError';
}

const MAX_POSITION_S = 7 * 86_400;
const TYPES: ReadonlySet<unknown> = new Set(PLAYBACK_EVENT_TYPES);
const ACTIONS: ReadonlySet<unknown> = new Set(USER_ACTIONS);
const AT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const FIELDS = ['eventId', 'playbackId', 'profileId', 'titleId', 'type', 'positionS', 'at', 'device', 'country', 'autoplayed', 'userAction'];

/** What is wrong with an id argument (1 to 128 characters), else undefined. */
export function idProblem(what: string, value: unknown): string | undefined {
  if (typeof value !== 'string') return `${what} must be a string`;
  if (value.length < 1) return `${what} must not be empty`;
  if (value.length > 128) return `${what} is at most 128 characters`;
  return undefined;
}

export function positionProblem(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'positionS must be a number of seconds into the title';
  if (value < 0) return 'positionS must not be negative';
  if (value > MAX_POSITION_S) return 'positionS is more than a week into the title';
  return undefined;
}

export function countryProblem(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Z]{2}$/.test(value) ? undefined : 'country must be an ISO 3166-1 alpha-2 code in capitals, such as MX';
}

/** Every shape rule of the server's WireEventSchema (not the time rule); the first problem, else undefined. */
export function eventProblem(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'an event must be a JSON object';
  const e = input as Record<string, unknown>;
  const unknown = Object.keys(e).filter((k) => !FIELDS.includes(k));
  if (unknown.length > 0) return `unknown field ${unknown.map((k) => JSON.stringify(k)).join(', ')}`;
  for (const field of ['eventId', 'playbackId', 'profileId', 'titleId'] as const) {
    const problem = idProblem(field, e[field]);
    if (problem) return problem;
  }
  if (!TYPES.has(e.type)) return `type must be one of ${PLAYBACK_EVENT_TYPES.join(', ')}`;
  const position = positionProblem(e.positionS);
  if (position) return position;
  if (typeof e.at !== 'string' || !AT.test(e.at)) return 'at must be an ISO 8601 timestamp with seconds and an offset, e.g. 2026-03-01T21:15:00-06:00';
  const device = idProblem('device', e.device);
  if (device) return device;
  const country = countryProblem(e.country);
  if (country) return country;
  if (e.autoplayed !== undefined && typeof e.autoplayed !== 'boolean') return 'autoplayed must be true or false';
  if (e.userAction !== undefined && !ACTIONS.has(e.userAction)) return `userAction must be one of ${USER_ACTIONS.join(', ')}`;
  return undefined;
}

/** The player's clock as the wire wants it: local time with its offset (offsetMin east of UTC). */
export function formatAt(atMs: number, offsetMin: number): string {
  const local = new Date(atMs + offsetMin * 60_000).toISOString().slice(0, 23);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The local UTC offset at an instant, in minutes east of UTC (Date's is west). */
export function localOffsetMin(atMs: number): number {
  return -new Date(atMs).getTimezoneOffset() || 0;
}

/**
 * A random UUID (version 4) for event and playback ids. crypto.randomUUID exists in Node and in
 * secure browser contexts; elsewhere getRandomValues, which every current browser has.
 */
export function newId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string; getRandomValues?: (array: Uint8Array) => Uint8Array } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  if (!c?.getRandomValues) throw new Error('no crypto.getRandomValues here: the SDK needs it for idempotent event ids');
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
