import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkEvent, checkWithZod, formatAt, parseAt, toWire } from './event-schema.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const rules = { nowMs: NOW, maxEventAgeDays: 30, maxFutureS: 300 };
const valid = {
  eventId: 'e-1',
  playbackId: 'pb-1',
  profileId: 'p-1',
  titleId: 't-1',
  type: 'heartbeat',
  positionS: 61.5,
  at: '2026-03-01T05:59:00-06:00',
  device: 'tv',
  country: 'MX',
  autoplayed: true,
  userAction: 'interaction',
};
const fields = Object.keys(valid);

/** Valid events with fields replaced by near-miss or arbitrary values, dropped, or added. */
const nearMiss = fc.constantFrom<unknown>(
  '', 'x'.repeat(128), 'x'.repeat(129), 'mx', 'MEX', -0, -1, 0, 604_800, 604_800.5, Number.NaN, Infinity, null, undefined, true, 'true',
  'start', 'stop', 'nap', 'none', 'visibility_timeout', 'Z', '2026-03-01T05:59:00Z', '2026-03-01T05:59:00.123+14:00', '2026-03-01T05:59:00+15:00',
  '2026-02-30T10:00:00+01:00', '2026-03-01 05:59:00-06:00', '2020-01-01T00:00:00Z', [], {},
);
const mutated = fc
  .record({
    replace: fc.dictionary(fc.constantFrom(...fields), fc.oneof(nearMiss, fc.jsonValue()), { maxKeys: 3 }),
    drop: fc.subarray(fields, { maxLength: 2 }),
    extra: fc.dictionary(fc.constantFrom('mood', 'at2', '__proto__x', 'EventId'), fc.jsonValue(), { maxKeys: 1 }),
  })
  .map(({ replace, drop, extra }) => {
    const event: Record<string, unknown> = { ...valid, ...replace, ...extra };
    for (const field of drop) delete event[field];
    return event;
  });

/** A valid event with exactly one field replaced by a value at or just past a rule's edge. */
const oneFieldOff = fc.record({ field: fc.constantFrom(...fields), value: nearMiss }).map(({ field, value }) => ({ ...valid, [field]: value }));

test('the fast path and zod give the same answer for every event, valid or not', () => {
  fc.assert(
    fc.property(fc.oneof({ arbitrary: oneFieldOff, weight: 3 }, { arbitrary: mutated, weight: 2 }, { arbitrary: fc.jsonValue(), weight: 1 }), (input) => {
      assert.deepEqual(checkEvent(input, rules), checkWithZod(input, rules));
    }),
    { numRuns: 3000, seed: 42 },
  );
});

test('a well-formed event becomes a domain event with its offset; defaults fill autoplayed and userAction', () => {
  const { autoplayed: _a, userAction: _u, ...bare } = valid;
  const checked = checkEvent(bare, rules);
  assert.ok(checked.ok);
  assert.equal(checked.event.atMs, Date.parse('2026-03-01T11:59:00Z'));
  assert.equal(checked.event.offsetMin, -360);
  assert.equal(checked.event.autoplayed, false);
  assert.equal(checked.event.userAction, 'none');
});

test('the wire form round-trips through the check', () => {
  const checked = checkEvent(valid, rules);
  assert.ok(checked.ok);
  assert.deepEqual(checkEvent(toWire(checked.event), rules), checked);
  assert.equal(formatAt(checked.event.atMs, null).endsWith('Z'), true);
  assert.deepEqual(parseAt('2026-03-01T05:59:00Z'), { atMs: Date.parse('2026-03-01T05:59:00Z'), offsetMin: null });
});
