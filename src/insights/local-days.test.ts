import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dayNumberToIso, isoToDayNumber } from '../domain/time.js';
import { dayNumber, weekdayIndex, yearDays } from './local-days.js';

test('day numbers agree with the domain helper on random days from 1900 to 2200', () => {
  fc.assert(
    fc.property(fc.integer({ min: -25567, max: 84000 }), (n) => {
      const iso = dayNumberToIso(n);
      return dayNumber(iso) === n && isoToDayNumber(iso) === n;
    }),
    { numRuns: 200 },
  );
});

test('a leap year has 366 days and 2024-03-04 was a Monday', () => {
  const y = yearDays(2024);
  assert.equal(y.last - y.first + 1, 366);
  assert.equal(weekdayIndex(dayNumber('2024-03-04')), 0);
  assert.equal(weekdayIndex(dayNumber('2024-03-10')), 6);
});
