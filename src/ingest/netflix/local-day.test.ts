import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { effectiveOffsetMin, localDay } from '../../domain/time.js';
import { localDayOfCountry } from './local-day.js';

test('the cached local day equals the domain local day of the country zone, across DST changes', () => {
  const countries = fc.constantFrom('US', 'DE', 'BR', 'AU', 'NZ', 'KR', 'GB', 'HK');
  const instants = fc.integer({ min: Date.UTC(2015, 0, 1), max: Date.UTC(2026, 0, 1) });
  fc.assert(
    fc.property(instants, countries, (atMs, country) => {
      assert.equal(localDayOfCountry(atMs, country), localDay(atMs, effectiveOffsetMin(atMs, null, country)));
    }),
    { numRuns: 2000 },
  );
  // Minutes around the 2023 US spring-forward and fall-back changes.
  for (const change of [Date.UTC(2023, 2, 12, 7), Date.UTC(2023, 10, 5, 6)]) {
    for (let m = -90; m <= 90; m += 15) {
      const atMs = change + m * 60_000;
      assert.equal(localDayOfCountry(atMs, 'US'), localDay(atMs, effectiveOffsetMin(atMs, null, 'US')));
    }
  }
});
