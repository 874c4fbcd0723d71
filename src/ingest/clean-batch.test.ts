import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { PlaybackEvent } from '../domain/model.js';
import { readCleanBatch } from './clean-batch.js';
import { checkEvent, formatAt, toWire } from './event-schema.js';
import { body, longBody, MAX, mutatedBody, NOW, rules, validEvent } from '../test-support/wire-bodies.js';
import { loadableAsSent } from './log-records.js';

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
