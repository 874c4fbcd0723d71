import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { COUNTRY_ZONES } from './time.js';
import { probeZoneOffsetMin as zoneOffsetMin, ZoneClock } from './zone-clock.js';

const zones = Object.values(COUNTRY_ZONES);
const YEAR_START = Date.parse('2015-01-01T00:00:00Z');
const YEAR_END = Date.parse('2026-01-01T00:00:00Z');

test('the zone clock agrees with Intl at any instant of any country zone, 2015-2025', () => {
  const clocks = new Map(zones.map((z) => [z, new ZoneClock(z)]));
  fc.assert(
    fc.property(fc.constantFrom(...zones), fc.integer({ min: YEAR_START, max: YEAR_END }), (zone, at) => {
      assert.equal(clocks.get(zone)!.offsetAt(at), zoneOffsetMin(zone, at));
    }),
    { numRuns: 3000 },
  );
});

test('daylight saving switches at the right hour (Berlin, 2025-03-30 01:00 UTC)', () => {
  const clock = new ZoneClock('Europe/Berlin');
  const switchMs = Date.parse('2025-03-30T01:00:00Z');
  assert.equal(clock.offsetAt(switchMs - 1), 60);
  assert.equal(clock.offsetAt(switchMs), 120);
  assert.deepEqual(clock.span(switchMs), { offsetMin: 120, fromMs: switchMs, toMs: Date.parse('2025-03-31T00:00:00Z') });
});
