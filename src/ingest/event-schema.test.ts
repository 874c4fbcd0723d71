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

test('an offset with zone minutes over 59 is not a real time: rejected with what is wrong and how to fix it', () => {
  for (const at of ['2026-03-01T05:59:00+00:60', '2026-03-01T05:59:00-05:99']) {
    assert.equal(parseAt(at), undefined, at);
    const checked = checkEvent({ ...valid, at }, rules);
    assert.ok(!checked.ok, at);
    assert.equal(checked.code, 'BINGE_EVENT_INVALID');
    assert.match(checked.message, /not a real date and time .*offset within ±14:00 with minutes 00-59/);
  }
  assert.equal(parseAt('2026-03-01T05:59:00+05:59')?.offsetMin, 359);
});

test('the wire form round-trips through the check', () => {
  const checked = checkEvent(valid, rules);
  assert.ok(checked.ok);
  assert.deepEqual(checkEvent(toWire(checked.event), rules), checked);
  assert.equal(formatAt(checked.event.atMs, null).endsWith('Z'), true);
  assert.deepEqual(parseAt('2026-03-01T05:59:00Z'), { atMs: Date.parse('2026-03-01T05:59:00Z'), offsetMin: null });
});

// The reading of `at` before it was written by hand: the regular expression and Date.UTC (and,
// since session 4, zone minutes 00-59 only). The hand-written scanner must give the same verdict
// and the same instant for every string.
const AT_REFERENCE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
function parseAtReference(at: string): { atMs: number; offsetMin: number | null } | undefined {
  const m = AT_REFERENCE.exec(at);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const month = +mo, day = +d, hour = +h, minute = +mi, second = +s;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const localMs = Date.UTC(+y, month - 1, day, hour, minute, second, frac ? Math.floor(Number(frac) * 1000) : 0);
  if (new Date(localMs).getUTCDate() !== day) return undefined;
  let offsetMin: number | null = null;
  if (zone !== 'Z') {
    if (Number(zone.slice(4, 6)) > 59) return undefined;
    offsetMin = (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
    if (Math.abs(offsetMin) > 14 * 60) return undefined;
  }
  return { atMs: localMs - (offsetMin ?? 0) * 60_000, offsetMin };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
/** Timestamps of the pattern, with fields in and just out of range, any fraction, any zone. */
const isoLike = fc
  .record({
    year: fc.oneof(fc.integer({ min: 1960, max: 2100 }), fc.integer({ min: 0, max: 9999 })),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 24 }),
    minute: fc.integer({ min: 0, max: 60 }),
    second: fc.integer({ min: 0, max: 60 }),
    fraction: fc.option(fc.stringMatching(/^[0-9]{0,10}$/)),
    zone: fc.oneof(fc.constant('Z'), fc.record({ sign: fc.constantFrom('+', '-'), h: fc.integer({ min: 0, max: 15 }), m: fc.integer({ min: 0, max: 60 }) }).map(({ sign, h, m }) => `${sign}${pad(h, 2)}:${pad(m, 2)}`)),
  })
  .map((t) => `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)}T${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)}${t.fraction === null ? '' : `.${t.fraction}`}${t.zone}`);
/** The same, with one character replaced, dropped or added somewhere. */
const isoMutated = fc
  .record({ at: isoLike, where: fc.nat(), what: fc.constantFrom('', '0', '9', '-', ':', 'T', 't', 'Z', 'z', '.', '+', ' ', '\n', '١', 'x'), drop: fc.boolean() })
  .map(({ at, where, what, drop }) => {
    const i = where % (at.length + 1);
    return at.slice(0, i) + what + at.slice(drop ? i + 1 : i);
  });

test('the hand-written reading of `at` gives the verdict and instant of the regular expression and Date.UTC', () => {
  fc.assert(
    fc.property(fc.oneof(isoLike, isoMutated, fc.string()), (at) => {
      assert.deepEqual(parseAt(at), parseAtReference(at));
    }),
    { numRuns: 20_000, seed: 7 },
  );
});

test('a valid `at` is the instant Date.parse reads', () => {
  fc.assert(
    fc.property(isoLike, (at) => {
      const parsed = parseAt(at);
      if (parsed && /^(19[7-9]\d|20\d\d)/.test(at)) assert.equal(parsed.atMs, Date.parse(at));
    }),
    { numRuns: 10_000, seed: 11 },
  );
});

test('fractions of up to 3 digits are read as exact milliseconds, as Math.floor(Number(fraction) * 1000) reads them', () => {
  for (let digits = 1; digits <= 3; digits++) {
    for (let n = 0; n < 10 ** digits; n++) {
      const fraction = pad(n, digits);
      assert.equal(parseAt(`2026-03-01T00:00:00.${fraction}Z`)!.atMs - Date.UTC(2026, 2, 1), Math.floor(Number(`.${fraction}`) * 1000));
    }
  }
  assert.equal(parseAt('2026-03-01T00:00:00.9999999999Z'), undefined, 'at most 9 digits');
  assert.equal(parseAt('2026-03-01T00:00:00.Z'), undefined, 'at least 1 digit');
});
