import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PLAYBACK_EVENT_TYPES, USER_ACTIONS, type PlaybackEvent } from '../domain/model.js';
import { readCleanBatch } from './clean-batch.js';
import { checkEvent, formatAt, toWire } from './event-schema.js';
import { loadableAsSent } from './log-records.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const rules = { nowMs: NOW, maxEventAgeDays: 30, maxFutureS: 300 };
const MAX = 20;

/** The general path of the events route: JSON.parse, then checkEvent for each event; the batch only when every event passes. */
function generalPath(bytes: Buffer): { events: PlaybackEvent[]; loadable: boolean } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || parsed.length > MAX) return undefined;
  const events: PlaybackEvent[] = [];
  for (const input of parsed) {
    const checked = checkEvent(input, rules);
    if (!checked.ok) return undefined;
    events.push(checked.event);
  }
  return { events, loadable: loadableAsSent(bytes, parsed) };
}

const plainText = fc.string({ unit: fc.constantFrom(...'abcXYZ019-_.:/ ~'.split('')), minLength: 1, maxLength: 12 });
const anyText = fc.oneof(
  { arbitrary: plainText, weight: 6 },
  { arbitrary: fc.constantFrom('', 'x'.repeat(128), 'x'.repeat(129), 'a"b', 'a\\b', 'ü', 'a\tb', '\u2028', 'é'.repeat(3)), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 6 }), weight: 1 },
);
const validEvent = fc.record(
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
const offValue = fc.oneof(anyText, fc.constantFrom<unknown>(-0, -1, 604_800.5, 1e400, null, true, 'true', 'start', 'nap', [], {}, '2026-02-30T10:00:00+01:00', '2026-03-01T05:59:00+00:60'));
const fieldNames = ['eventId', 'playbackId', 'profileId', 'titleId', 'type', 'positionS', 'at', 'device', 'country', 'autoplayed', 'userAction', 'mood'];
const event = fc.oneof(
  { arbitrary: validEvent, weight: 12 },
  { arbitrary: fc.tuple(validEvent, fc.constantFrom(...fieldNames), offValue).map(([e, k, v]) => ({ ...e, [k]: v })), weight: 2 },
  { arbitrary: fc.tuple(validEvent, fc.constantFrom(...fieldNames)).map(([e, k]) => Object.fromEntries(Object.entries(e).filter(([key]) => key !== k))), weight: 1 },
);

const space = fc.oneof(
  { arbitrary: fc.constantFrom('', '', '', '', '', '', ' ', '\n', '\t', '\r\n', '  '), weight: 200 },
  { arbitrary: fc.constantFrom('\u00a0', '\f', '\v'), weight: 1 }, // not JSON whitespace
);
/** A number as JSON (or not quite JSON) may spell it. */
const spellNumber = (n: number, how: number): string =>
  ['', `${n}`, n.toExponential(), n.toFixed(3), `${n}0`, `-${n}`, `+${n}`, `0${n}`, `${n}.`][how % 9] || JSON.stringify(n);
/** One event written out by hand: keys in any order, odd spacing, numbers spelled differently, a key twice, an escape. */
const written = fc
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
const body = fc.oneof(
  { arbitrary: fc.array(written, { minLength: 0, maxLength: 4 }).map((events) => `[${events.join(',')}]`), weight: 6 },
  { arbitrary: fc.array(written, { minLength: MAX - 1, maxLength: MAX + 1 }).map((events) => `[${events.join(',')}]`), weight: 1 },
  { arbitrary: fc.array(validEvent, { minLength: 1, maxLength: 5 }).map((events) => JSON.stringify(events)), weight: 2 },
  { arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)), weight: 1 },
);
/** The same, with one character replaced, added or taken out somewhere. */
const mutatedBody = fc
  .record({ text: body, where: fc.nat(), what: fc.constantFrom('', '"', ',', '{', '}', '[', ']', ':', '\\', ' ', '0', '-', 'e', '.', 'x', 'ü', '\u0000'), drop: fc.boolean() })
  .map(({ text, where, what, drop }) => {
    const k = where % (text.length + 1);
    return text.slice(0, k) + what + text.slice(drop ? k + 1 : k);
  });

test('a batch read from its bytes is exactly what JSON.parse and checkEvent accept, in a body the store reads as sent', () => {
  let taken = 0;
  fc.assert(
    fc.property(fc.oneof({ arbitrary: body, weight: 3 }, { arbitrary: mutatedBody, weight: 2 }), (text) => {
      const bytes = Buffer.from(text, 'utf8');
      const clean = readCleanBatch(bytes, rules, MAX);
      if (clean === undefined) return;
      taken++;
      const general = generalPath(bytes);
      assert.ok(general, `the general path refuses what the clean reader took: ${text}`);
      assert.deepStrictEqual(clean, general.events);
      assert.ok(general.loadable, `a clean batch must be loadable as sent: ${text}`);
    }),
    { numRuns: 20_000, seed: 27 },
  );
  assert.ok(taken > 1_000, `the clean reader took only ${taken} bodies`);

});

test('batches as players send them (JSON.stringify of valid events) take the clean path', () => {
  fc.assert(
    fc.property(fc.array(validEvent, { minLength: 1, maxLength: MAX }), (events) => {
      const valid = events.filter((e) => /^[A-Z]{2}$/.test(e.country));
      fc.pre(valid.length > 0);
      const bytes = Buffer.from(JSON.stringify(valid));
      const general = generalPath(bytes);
      fc.pre(general !== undefined); // an `at` generated just past the future bound is rejected by both
      assert.deepStrictEqual(readCleanBatch(bytes, rules, MAX), general.events);
    }),
    { numRuns: 2_000, seed: 3 },
  );
});

test('the wire form of domain events reads back as the same events, -0 and all', () => {
  const base: PlaybackEvent = {
    eventId: 'e-1',
    playbackId: 'pb-1',
    profileId: 'p-1',
    titleId: 't-1',
    type: 'heartbeat',
    positionS: -0,
    atMs: NOW - 60_000,
    offsetMin: -360,
    deviceId: 'tv',
    country: 'MX',
    autoplayed: true,
    userAction: 'interaction',
  };
  const events = [base, { ...base, eventId: 'e-2', positionS: 1234.5678, offsetMin: null, autoplayed: false, userAction: 'none' as const }];
  // JSON.stringify writes -0 as 0: the body spells it out.
  const read = readCleanBatch(Buffer.from(JSON.stringify(events.map(toWire)).replace('"positionS":0,', '"positionS":-0,')), rules, MAX);
  assert.deepStrictEqual(read, events);
  assert.ok(Object.is(read![0].positionS, -0));
});

test('anything else is left to the general path: empty, too many, rejected, duplicate keys, escapes, NDJSON', () => {
  const one = toWire({
    eventId: 'e',
    playbackId: 'pb',
    profileId: 'p',
    titleId: 't',
    type: 'start',
    positionS: 0,
    atMs: NOW,
    offsetMin: 60,
    deviceId: 'd',
    country: 'DE',
    autoplayed: false,
    userAction: 'none',
  });
  const text = JSON.stringify(one);
  for (const refused of [
    '[]',
    `[${Array(MAX + 1).fill(text).join(',')}]`,
    `[${text.replace('"DE"', '"de"')}]`,
    `[${text.replace('}', ',"country":"DE"}')}]`,
    `[${text.replace('"e"', '"\\u0065"')}]`,
    `[${text.replace('"pb"', '"pü"')}]`,
    `[${text},]`,
    `${text}\n${text}`,
    `[${text.replace('"autoplayed":false', '"autoplayed":null')}]`,
    `[${text.replace(/"at":"[^"]*"/, `"at":"${formatAt(NOW + 301_000, 0)}"`)}]`,
  ]) {
    assert.equal(readCleanBatch(Buffer.from(refused), rules, MAX), undefined, refused);
  }
  assert.equal(readCleanBatch(Buffer.from(` [ ${text} ]\n`), rules, MAX)?.length, 1);
});

/** A valid event inside the time rule (the general path accepts it). */
const acceptedEvent = validEvent.filter((e) => /^[A-Z]{2}$/.test(e.country) && Date.parse(e.at) <= NOW);
/** Up to MAX events written by hand or as players send them, often with one character changed. */
const longBody = fc
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

test('a body read in windows gives what the whole body gives, or goes to the general path', () => {
  let windowed = 0;
  fc.assert(
    fc.property(fc.oneof({ arbitrary: body, weight: 1 }, { arbitrary: mutatedBody, weight: 1 }, { arbitrary: longBody, weight: 2 }), fc.integer({ min: 1, max: 4_000 }), (text, window) => {
      const bytes = Buffer.from(text, 'utf8');
      const inWindows = readCleanBatch(bytes, rules, MAX, window);
      if (inWindows === undefined) return;
      if (bytes.length > window) windowed++;
      assert.deepStrictEqual(inWindows, readCleanBatch(bytes, rules, MAX, bytes.length + 1), text);
    }),
    { numRuns: 20_000, seed: 33 },
  );
  assert.ok(windowed > 500, `only ${windowed} bodies were taken across more than one window`);

});

test('a batch of 500 events longer than a window (133 KB as the bench sends) is read whole, window by window', () => {
  const events = Array.from({ length: 500 }, (_, k): PlaybackEvent => ({
    eventId: `evt-${k}-${'x'.repeat(100)}`,
    playbackId: `pb-${k >> 4}`,
    profileId: 'profile-1',
    titleId: 'title-1',
    type: 'heartbeat',
    positionS: k * 30,
    atMs: NOW - 60_000 + k,
    offsetMin: 60,
    deviceId: 'tv-1',
    country: 'DE',
    autoplayed: false,
    userAction: 'none',
  }));
  const bytes = Buffer.from(JSON.stringify(events.map(toWire)));
  assert.ok(bytes.length > 2 * 64 * 1024);
  assert.deepStrictEqual(readCleanBatch(bytes, rules, 1000), events);
  // An event cut at a window's end is never taken as it is: with windows too small for one event, the general path decides.
  assert.equal(readCleanBatch(bytes, rules, 1000, 200), undefined);
});
