// Request bodies for the events route, as players write them and as they should not: valid and
// near-miss events, keys in any order, odd whitespace, numbers spelled as JSON allows and does not,
// repeated keys, escapes, non-ASCII, one character changed. Shared by the clean reader's property
// tests (ingest/clean-batch.test.ts) and the worker's (ingest/clean-batch-pool.test.ts).

import fc from 'fast-check';
import { PLAYBACK_EVENT_TYPES, USER_ACTIONS } from '../domain/model.js';
import { formatAt } from '../ingest/event-schema.js';

/** The clock the generated instants are around, and the rules they are checked by. */
export const NOW = Date.parse('2026-03-01T12:00:00Z');
export const rules = { nowMs: NOW, maxEventAgeDays: 30, maxFutureS: 300 };
export const MAX = 20;

export const plainText = fc.string({ unit: fc.constantFrom(...'abcXYZ019-_.:/ ~'.split('')), minLength: 1, maxLength: 12 });
export const anyText = fc.oneof(
  { arbitrary: plainText, weight: 6 },
  { arbitrary: fc.constantFrom('', 'x'.repeat(128), 'x'.repeat(129), 'a"b', 'a\\b', 'ü', 'a\tb', '\u2028', 'é'.repeat(3)), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 6 }), weight: 1 },
);
export const validEvent = fc.record(
  {
    eventId: plainText,
    playbackId: plainText,
    profileId: plainText,
    titleId: plainText,
    type: fc.constantFrom(...PLAYBACK_EVENT_TYPES),
    positionS: fc.oneof(fc.integer({ min: 0, max: 604_800 }), fc.double({ min: 0, max: 604_800, noNaN: true }), fc.constantFrom(0.1, 1e-7, 604_800, 61.5)),
    at: fc
      .record({ ms: fc.integer({ min: NOW - 31 * 86_400_000, max: NOW + 400_000 }), offset: fc.option(fc.integer({ min: -14 * 60, max: 14 * 60 })) })
      .map(({ ms, offset }) => formatAt(ms, offset)),
    device: plainText,
    country: fc.constantFrom('MX', 'US', 'DE', 'BR', 'IN', 'JP', 'mx', 'MEX'),
    autoplayed: fc.boolean(),
    userAction: fc.constantFrom(...USER_ACTIONS),
  },
  { requiredKeys: ['eventId', 'playbackId', 'profileId', 'titleId', 'type', 'positionS', 'at', 'device', 'country'] },
);
/** Values at or past a rule's edge, and of the wrong type. */
export const offValue = fc.oneof(anyText, fc.constantFrom<unknown>(-0, -1, 604_800.5, 1e400, null, true, 'true', 'start', 'nap', [], {}, '2026-02-30T10:00:00+01:00', '2026-03-01T05:59:00+00:60'));
export const fieldNames = ['eventId', 'playbackId', 'profileId', 'titleId', 'type', 'positionS', 'at', 'device', 'country', 'autoplayed', 'userAction', 'mood'];
export const event = fc.oneof(
  { arbitrary: validEvent, weight: 12 },
  { arbitrary: fc.tuple(validEvent, fc.constantFrom(...fieldNames), offValue).map(([e, k, v]) => ({ ...e, [k]: v })), weight: 2 },
  { arbitrary: fc.tuple(validEvent, fc.constantFrom(...fieldNames)).map(([e, k]) => Object.fromEntries(Object.entries(e).filter(([key]) => key !== k))), weight: 1 },
);

export const space = fc.oneof(
  { arbitrary: fc.constantFrom('', '', '', '', '', '', ' ', '\n', '\t', '\r\n', '  '), weight: 200 },
  { arbitrary: fc.constantFrom('\u00a0', '\f', '\v'), weight: 1 }, // not JSON whitespace
);
/** A number as JSON (or not quite JSON) may spell it. */
export const spellNumber = (n: number, how: number): string =>
  ['', `${n}`, n.toExponential(), n.toFixed(3), `${n}0`, `-${n}`, `+${n}`, `0${n}`, `${n}.`][how % 9] || JSON.stringify(n);
/** One event written out by hand: keys in any order, odd spacing, numbers spelled differently, a key twice, an escape. */
export const written = fc
  .record({
    e: event,
    order: fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
    spaces: fc.array(space, { minLength: 60, maxLength: 60 }),
    number: fc.nat(),
    repeat: fc.option(fc.nat()),
    escape: fc.nat().map((n) => n % 10 === 0),
  })
  .map(({ e, order, spaces, number, repeat, escape }) => {
    const entries = Object.entries(e)
      .map(([k, v], n) => [k, v, order[n % 12]] as const)
      .sort((a, b) => a[2] - b[2])
      .map(([k, v]) => [k, v] as const);
    if (repeat !== null && repeat % 5 === 0 && entries.length > 0) entries.push(entries[repeat % entries.length]);
    let w = 0;
    const sp = () => spaces[w++ % spaces.length];
    const value = (v: unknown) => {
      if (typeof v === 'number' && number % 8 === 0) return spellNumber(v, number >> 2);
      const text = JSON.stringify(v) ?? 'null';
      return escape && typeof v === 'string' && text.length > 2 ? `"\\u${text.charCodeAt(1).toString(16).padStart(4, '0')}${text.slice(2)}` : text;
    };
    return `${sp()}{${sp()}${entries.map(([k, v]) => `${JSON.stringify(k)}${sp()}:${sp()}${value(v)}${sp()}`).join(`,${sp()}`)}}${sp()}`;
  });
export const body = fc.oneof(
  { arbitrary: fc.array(written, { minLength: 0, maxLength: 4 }).map((events) => `[${events.join(',')}]`), weight: 6 },
  { arbitrary: fc.array(written, { minLength: MAX - 1, maxLength: MAX + 1 }).map((events) => `[${events.join(',')}]`), weight: 1 },
  { arbitrary: fc.array(validEvent, { minLength: 1, maxLength: 5 }).map((events) => JSON.stringify(events)), weight: 2 },
  { arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)), weight: 1 },
);
/** The same, with one character replaced, added or taken out somewhere. */
export const mutatedBody = fc
  .record({ text: body, where: fc.nat(), what: fc.constantFrom('', '"', ',', '{', '}', '[', ']', ':', '\\', ' ', '0', '-', 'e', '.', 'x', 'ü', '\u0000'), drop: fc.boolean() })
  .map(({ text, where, what, drop }) => {
    const k = where % (text.length + 1);
    return text.slice(0, k) + what + text.slice(drop ? k + 1 : k);
  });

/** A valid event inside the time rule (the general path accepts it). */
export const acceptedEvent = validEvent.filter((e) => /^[A-Z]{2}$/.test(e.country) && Date.parse(e.at) <= NOW);
/** Up to MAX events written by hand or as players send them, often with one character changed. */
export const longBody = fc
  .record({
    events: fc.array(fc.oneof({ arbitrary: written, weight: 1 }, { arbitrary: acceptedEvent.map((e) => JSON.stringify(e)), weight: 8 }), { minLength: 5, maxLength: MAX }),
    where: fc.nat(),
    what: fc.constantFrom('', '"', ',', '}', ' ', '0'),
    mutate: fc.nat().map((n) => n % 4 === 0),
  })
  .map(({ events, where, what, mutate }) => {
    const text = `[${events.join(',')}]`;
    const k = where % (text.length + 1);
    return mutate ? text.slice(0, k) + what + text.slice(k + 1) : text;
  });

