// The common batch, read straight from its bytes: a JSON array whose every event is valid becomes
// PlaybackEvents without JSON.parse's objects and without checking each event again. JSON.parse,
// the per-event checks and loadableAsSent's pass over the bytes were about 4 µs of the server's
// 7 to 8 µs per event on the event loop (docs/DECISIONS.md, 27).
//
// An event in the layout JSON.stringify gives (the fields in toWire's order, no space) is matched
// by one compiled regular expression (readUsual); any other event by a reader of the plainest JSON,
// character by character: printable ASCII with no backslash inside strings, JSON whitespace
// between tokens, the eleven fields of an event and no other, no key twice, no null. For anything
// else, and for any event that checkEvent would not accept as it is, the answer is undefined and
// the route takes the general path (JSON.parse, checkEvent, zod's words for each rejection): so
// the events returned are exactly the events that path would accept, and the body is one the
// store reads as sent (loadableAsSent holds). clean-batch.test.ts holds it to both.

import { PLAYBACK_EVENT_TYPES, USER_ACTIONS, type PlaybackEvent } from '../domain/model.js';
import { AT_OK, scanAt, scannedAtMs, scannedOffsetMin, type EventRules } from './event-schema.js';

// Field numbers: a bit each in `seen`.
const EVENT_ID = 0;
const PLAYBACK_ID = 1;
const PROFILE_ID = 2;
const TITLE_ID = 3;
const TYPE = 4;
const POSITION_S = 5;
const AT = 6;
const DEVICE = 7;
const COUNTRY = 8;
const AUTOPLAYED = 9;
const USER_ACTION = 10;
const FIELD_NAMES = ['eventId', 'playbackId', 'profileId', 'titleId', 'type', 'positionS', 'at', 'device', 'country', 'autoplayed', 'userAction'];
/** Every field but autoplayed and userAction, which have defaults. */
const REQUIRED = (1 << AUTOPLAYED) - 1;

const EVENT_TYPES: ReadonlySet<string> = new Set(PLAYBACK_EVENT_TYPES);
const ACTIONS: ReadonlySet<string> = new Set(USER_ACTIONS);
const MAX_POSITION_S = 7 * 86_400;
/** Exact powers of ten: an integer below 2^53 divided by one of them is correctly rounded, as Number() reads it. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

// The reader's state: a window of the body as a one-byte string, the byte offset it starts at, and
// the position in it (no object per token).
let s = '';
let base = 0;
let i = 0;
const NO_BODY = Buffer.alloc(0);
let body: Buffer = NO_BODY;
let windowChars = 0;

/**
 * Characters of the body decoded at a time. V8 puts a string over 128 KiB in its large-object space,
 * fresh pages for each: decoding a 133 KB batch of 500 events whole took about 280 µs (0.45 µs an
 * event, a fifth of the reader), two strings of half that size about 20 µs.
 */
export const WINDOW_CHARS = 64 * 1024;

/** Decodes the window that starts at byte `at` of the body. */
function refill(at: number): void {
  s = body.toString('latin1', at, Math.min(body.length, at + windowChars));
  base = at;
  i = 0;
}

/**
 * The events of `bytes` when it is a JSON array of 1 to `maxEvents` events that are all valid under
 * `rules` and written in one of the forms above; undefined otherwise (the caller then reads it the
 * general way, which also words what is wrong).
 *
 * The body is read in windows of `window` characters: before each event, when less than a quarter
 * of a window is left and the body goes on, the window moves to start at that event. A window's end
 * reads like the end of the body (charCodeAt answers NaN, which every check refuses), so an event
 * cut by it is never taken: the body then goes to the general path. Events are far shorter than
 * a quarter window (at most about 1 KB without spaces).
 */
export function readCleanBatch(bytes: Buffer, rules: EventRules, maxEvents: number, window = WINDOW_CHARS): PlaybackEvent[] | undefined {
  // latin1 maps each byte to one character: a byte above 0x7e then fails the checks below, so only
  // ASCII bodies pass, whose utf8 reading (JSON.parse's) is the same text.
  body = bytes;
  windowChars = window;
  const margin = window >> 2;
  refill(0);
  try {
    const events: PlaybackEvent[] = [];
    const notAfter = rules.nowMs + rules.maxFutureS * 1000;
    const notBefore = rules.nowMs - rules.maxEventAgeDays * 86_400_000;
    space();
    if (s.charCodeAt(i) !== 0x5b) return undefined;
    i++;
    for (;;) {
      space();
      if (s.length - i < margin && base + s.length < body.length) refill(base + i);
      const event = readEvent(notBefore, notAfter);
      if (event === undefined || events.length === maxEvents) return undefined;
      events.push(event);
      space();
      const c = s.charCodeAt(i++);
      if (c === 0x5d) break;
      if (c !== 0x2c) return undefined;
    }
    space();
    return i === s.length && base + s.length === body.length ? events : undefined;
  } finally {
    s = '';
    body = NO_BODY;
  }
}

function space(): void {
  let c = s.charCodeAt(i);
  while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = s.charCodeAt(++i);
}

function readEvent(notBefore: number, notAfter: number): PlaybackEvent | undefined {
  const usual = readUsual(notBefore, notAfter);
  if (usual !== undefined) return usual;
  if (s.charCodeAt(i) !== 0x7b) return undefined;
  i++;
  let seen = 0;
  let eventId = '';
  let playbackId = '';
  let profileId = '';
  let titleId = '';
  let type = '';
  let positionS = 0;
  let at = '';
  let device = '';
  let country = '';
  let autoplayed = false;
  let userAction = 'none';
  space();
  for (;;) {
    const field = readKey();
    if (field < 0 || (seen & (1 << field)) !== 0) return undefined;
    seen |= 1 << field;
    space();
    if (s.charCodeAt(i) !== 0x3a) return undefined;
    i++;
    space();
    switch (field) {
      // readId and readString answer '' for a value they do not take (no valid id or checked string is empty).
      case EVENT_ID:
        if ((eventId = readId()) === '') return undefined;
        break;
      case PLAYBACK_ID:
        if ((playbackId = readId()) === '') return undefined;
        break;
      case PROFILE_ID:
        if ((profileId = readId()) === '') return undefined;
        break;
      case TITLE_ID:
        if ((titleId = readId()) === '') return undefined;
        break;
      case DEVICE:
        if ((device = readId()) === '') return undefined;
        break;
      case TYPE:
        type = readString();
        if (!EVENT_TYPES.has(type)) return undefined;
        break;
      case USER_ACTION:
        userAction = readString();
        if (!ACTIONS.has(userAction)) return undefined;
        break;
      case COUNTRY: {
        country = readString();
        if (country.length !== 2 || !isCapital(country.charCodeAt(0)) || !isCapital(country.charCodeAt(1))) return undefined;
        break;
      }
      case AT:
        at = readString();
        if (at === '') return undefined;
        break;
      case POSITION_S:
        positionS = readNumber();
        // NaN (not a JSON number) fails both comparisons' negation; Infinity fails the upper bound.
        if (!(positionS >= 0 && positionS <= MAX_POSITION_S)) return undefined;
        break;
      case AUTOPLAYED:
        if (s.startsWith('true', i)) {
          autoplayed = true;
          i += 4;
        } else if (s.startsWith('false', i)) {
          i += 5;
        } else {
          return undefined;
        }
        break;
    }
    space();
    const c = s.charCodeAt(i++);
    if (c === 0x7d) break;
    if (c !== 0x2c) return undefined;
    space();
  }
  if ((seen & REQUIRED) !== REQUIRED) return undefined;
  // The time rule of checkTime: a real instant, not too far ahead of the clock nor too old.
  if (scanAt(at) !== AT_OK) return undefined;
  const atMs = scannedAtMs;
  if (atMs > notAfter || atMs < notBefore) return undefined;
  // The shape (and property order) of checkTime's event.
  return {
    eventId,
    playbackId,
    profileId,
    titleId,
    type: type as PlaybackEvent['type'],
    positionS,
    atMs,
    offsetMin: scannedOffsetMin,
    deviceId: device,
    country,
    autoplayed,
    userAction: userAction as PlaybackEvent['userAction'],
  };
}

const isCapital = (c: number): boolean => c >= 65 && c <= 90;

// An event in the layout of JSON.stringify(toWire(event)): every field in that order, no space.
// One sticky regular expression (compiled to machine code once) checks the layout and the shape of
// each value: ids of 1 to 128 printable ASCII characters without quote or backslash, the type and
// userAction among their values, a JSON number, a country of two capitals; `at` and the number's
// range are checked after it. Field by field from JS took more time than JSON.parse here.
const ID = '([\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]{1,128})';
const USUAL = new RegExp(
  `\\{"eventId":"${ID}","playbackId":"${ID}","profileId":"${ID}","titleId":"${ID}","type":"(${PLAYBACK_EVENT_TYPES.join('|')})",` +
    `"positionS":(-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?),"at":"([0-9T:.+Z-]{20,36})","device":"${ID}","country":"([A-Z]{2})",` +
    `"autoplayed":(true|false),"userAction":"(${USER_ACTIONS.join('|')})"\\}`,
  'y',
);

/** The event at i in the usual layout and valid, or undefined (the general reader then decides). */
function readUsual(notBefore: number, notAfter: number): PlaybackEvent | undefined {
  USUAL.lastIndex = i;
  const m = USUAL.exec(s);
  if (m === null) return undefined;
  // A JSON number's text is read by Number() exactly as JSON.parse reads it.
  const positionS = Number(m[6]);
  if (!(positionS >= 0 && positionS <= MAX_POSITION_S)) return undefined;
  if (scanAt(m[7]) !== AT_OK) return undefined;
  const atMs = scannedAtMs;
  if (atMs > notAfter || atMs < notBefore) return undefined;
  i = USUAL.lastIndex;
  return {
    eventId: m[1],
    playbackId: m[2],
    profileId: m[3],
    titleId: m[4],
    type: m[5] as PlaybackEvent['type'],
    positionS,
    atMs,
    offsetMin: scannedOffsetMin,
    deviceId: m[8],
    country: m[9],
    autoplayed: m[10] === 'true',
    userAction: m[11] as PlaybackEvent['userAction'],
  };
}

/** The field a key names (i at its opening quote), or -1 for any other key (or one with an escape). */
function readKey(): number {
  if (s.charCodeAt(i) !== 0x22) return -1;
  const start = i + 1;
  const end = s.indexOf('"', start);
  if (end < 0) return -1;
  i = end + 1;
  let field = -1;
  switch (end - start) {
    case 2:
      field = AT;
      break;
    case 4:
      field = TYPE;
      break;
    case 6:
      field = DEVICE;
      break;
    case 7: {
      const c = s.charCodeAt(start);
      field = c === 0x65 ? EVENT_ID : c === 0x74 ? TITLE_ID : c === 0x63 ? COUNTRY : -1;
      break;
    }
    case 9: {
      const c = s.charCodeAt(start + 1);
      field = c === 0x72 ? PROFILE_ID : c === 0x6f ? POSITION_S : -1;
      break;
    }
    case 10: {
      const c = s.charCodeAt(start);
      field = c === 0x70 ? PLAYBACK_ID : c === 0x61 ? AUTOPLAYED : c === 0x75 ? USER_ACTION : -1;
      break;
    }
  }
  // The length and one character chose the candidate; the whole name must match.
  return field >= 0 && s.startsWith(FIELD_NAMES[field], start) ? field : -1;
}

/**
 * A string value (i at its opening quote) of printable ASCII without a backslash, or '' for
 * anything else (an empty string, an escape, a control or non-ASCII character, a non-string).
 */
function readString(): string {
  if (s.charCodeAt(i) !== 0x22) return '';
  const start = i + 1;
  let j = start;
  for (;;) {
    const c = s.charCodeAt(j);
    if (c === 0x22) break;
    // NaN (past the end) fails the range test too.
    if (!(c >= 0x20 && c <= 0x7e) || c === 0x5c) return '';
    j++;
  }
  i = j + 1;
  return s.slice(start, j);
}

/** An id: a plain string of 1 to 128 characters, or '' when it is not one. */
function readId(): string {
  const value = readString();
  return value.length <= 128 ? value : '';
}

/** A JSON number (i at its first character) as JSON.parse reads it, or NaN when it is not one. */
function readNumber(): number {
  const start = i;
  let c = s.charCodeAt(i);
  const negative = c === 0x2d;
  if (negative) c = s.charCodeAt(++i);
  let mantissa = 0;
  let digits = 0;
  if (c === 0x30) {
    c = s.charCodeAt(++i);
  } else if (c >= 0x31 && c <= 0x39) {
    do {
      mantissa = mantissa * 10 + (c - 0x30);
      digits++;
      c = s.charCodeAt(++i);
    } while (c >= 0x30 && c <= 0x39);
  } else {
    return Number.NaN;
  }
  let scale = 0;
  if (c === 0x2e) {
    c = s.charCodeAt(++i);
    if (!(c >= 0x30 && c <= 0x39)) return Number.NaN;
    do {
      mantissa = mantissa * 10 + (c - 0x30);
      digits++;
      scale++;
      c = s.charCodeAt(++i);
    } while (c >= 0x30 && c <= 0x39);
  }
  let exponent = false;
  if (c === 0x65 || c === 0x45) {
    exponent = true;
    c = s.charCodeAt(++i);
    if (c === 0x2b || c === 0x2d) c = s.charCodeAt(++i);
    if (!(c >= 0x30 && c <= 0x39)) return Number.NaN;
    do c = s.charCodeAt(++i);
    while (c >= 0x30 && c <= 0x39);
  }
  // Up to 15 digits (below 2^53, leading zeros of a fraction included) and no exponent: one exact
  // division, correctly rounded like Number(); anything longer is read by Number() itself.
  if (!exponent && digits <= 15 && scale < POW10.length) {
    const value = mantissa / POW10[scale];
    return negative ? -value : value;
  }
  return Number(s.slice(start, i));
}
