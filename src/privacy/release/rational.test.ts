import { test } from 'node:test';
import assert from 'node:assert/strict';
import { add, compare, divideByInteger, formatRational, parseRational, rational, rationalAtMost, reciprocal, subtract } from './rational.js';

test('rationals are kept in lowest terms and refuse negative values or zero denominators', () => {
  assert.deepEqual(rational(6n, 4n), { num: 3n, den: 2n });
  assert.deepEqual(rational(0n, 7n), { num: 0n, den: 1n });
  assert.throws(() => rational(-1n, 2n), RangeError);
  assert.throws(() => rational(1n, 0n), RangeError);
});

test('arithmetic is exact where doubles are not: 0.1 + 0.2 = 0.3', () => {
  const sum = add(rationalAtMost(0.1), rationalAtMost(0.2));
  assert.equal(compare(sum, rationalAtMost(0.3)), 0);
  assert.deepEqual(subtract(rational(1n), rational(1n, 3n)), rational(2n, 3n));
  assert.throws(() => subtract(rational(1n, 3n), rational(1n)), RangeError);
  assert.deepEqual(divideByInteger(rational(1n), 10), rational(1n, 10n));
  assert.deepEqual(reciprocal(rational(3n, 10n)), rational(10n, 3n));
});

test('decimals round down to 9 places, so a guarantee is never weakened', () => {
  assert.deepEqual(rationalAtMost('0.9999999999'), rational(999_999_999n, 1_000_000_000n));
  assert.deepEqual(rationalAtMost(1e-9), rational(1n, 1_000_000_000n));
  assert.deepEqual(rationalAtMost('1.5E2'), rational(150n));
  assert.throws(() => rationalAtMost('1/3'), RangeError);
  assert.throws(() => rationalAtMost(Number.NaN), RangeError);
});

test('the ledger text form round-trips', () => {
  assert.equal(formatRational(rational(3n, 10n)), '3/10');
  assert.deepEqual(parseRational('3/10'), rational(3n, 10n));
  assert.throws(() => parseRational('0.3'), RangeError);
});
