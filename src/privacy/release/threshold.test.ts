import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { rational, toNumber } from './rational.js';
import type { Rational } from './rational.js';
import { gaussianTau, isReleased, laplaceTau, releaseThreshold } from './threshold.js';

/** P[N ≥ m] for N ~ Lap_Z(1/ε), by summing the probability mass function (not the closed form). */
function laplaceTail(epsilon: number, m: number): number {
  const q = Math.exp(-epsilon);
  let tail = 0;
  for (let k = Math.max(m, -5000); k < m + 20_000; k++) tail += ((1 - q) / (1 + q)) * q ** Math.abs(k);
  return tail;
}

/** P[N ≥ m] for N ~ N_Z(0, σ²), by summing the probability mass function. */
function gaussianTail(sigma2: number, m: number): number {
  const reach = Math.ceil(40 * Math.sqrt(sigma2)) + 10;
  let z = 0;
  let tail = 0;
  for (let x = -reach; x <= reach; x++) {
    const w = Math.exp(-(x * x) / (2 * sigma2));
    z += w;
    if (x >= m) tail += w;
  }
  return tail / z;
}

const laplaceCases: Array<[Rational, number]> = [
  [rational(1n, 10n), 1e-6],
  [rational(1n, 10n), 1e-8],
  [rational(1n, 2n), 1e-5],
  [rational(1n), 1e-7],
  [rational(3n), 1e-9],
];

test('the Laplace threshold τ is the smallest with P[1 + noise ≥ τ] ≤ δ′ for the discrete Laplace', () => {
  for (const [epsilon, delta] of laplaceCases) {
    const tau = laplaceTau(epsilon, delta);
    const e = toNumber(epsilon);
    assert.ok(laplaceTail(e, tau - 1) <= delta * (1 + 1e-9), `ε′ ${e}, δ′ ${delta}: τ ${tau} leaks ${laplaceTail(e, tau - 1)}`);
    assert.ok(laplaceTail(e, tau - 2) > delta, `ε′ ${e}, δ′ ${delta}: τ ${tau} is not the smallest`);
  }
});

test('the continuous-Laplace rule 1 + ceil(ln(1/(2δ′))/ε′) can fall one short for discrete noise; ours never does', () => {
  let shortfalls = 0;
  for (let i = 1; i <= 60; i++) {
    const epsilon = rational(BigInt(i), 40n);
    const e = toNumber(epsilon);
    const delta = 1e-6;
    const continuousTau = 1 + Math.ceil(Math.log(1 / (2 * delta)) / e);
    if (laplaceTail(e, continuousTau - 1) > delta) shortfalls++;
    assert.ok(laplaceTail(e, laplaceTau(epsilon, delta) - 1) <= delta * (1 + 1e-9));
  }
  assert.ok(shortfalls > 0, 'expected at least one ε′ where the continuous rule is too low');
});

test('the Gaussian threshold keeps P[1 + noise ≥ τ] ≤ δ′', () => {
  for (const sigma2 of [1, 24.016, 250]) {
    for (const delta of [1e-5, 1e-9]) {
      const tau = gaussianTau(rational(BigInt(Math.round(sigma2 * 1000)), 1000n), delta);
      assert.ok(gaussianTail(sigma2, tau - 1) <= delta, `σ² ${sigma2}, δ′ ${delta}: τ ${tau}`);
    }
  }
});

test('the floor lifts the threshold by kMin − 1, so the group at exactly kMin leaks at most δ′', () => {
  assert.equal(releaseThreshold(15, 50), 64);
  assert.equal(releaseThreshold(15, 1), 15);
  assert.equal(releaseThreshold(15, 0), 15);
  const epsilon = rational(1n, 2n);
  const delta = 1e-6;
  const threshold = releaseThreshold(laplaceTau(epsilon, delta), 50);
  // exact count 50 + noise ≥ threshold: the only way a group that one profile pushed over the floor shows.
  assert.ok(laplaceTail(toNumber(epsilon), threshold - 50) <= delta);
  assert.throws(() => releaseThreshold(15, -1), RangeError);
});

test('a non-public group below the floor is never released, whatever its noise', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: -10_000, max: 1_000_000 }), fc.integer({ min: 1, max: 200 }), (kMin, below, noisy, threshold) => {
      const exact = kMin === 0 ? 0 : below % kMin; // below the floor (an empty group when kMin is 0)
      assert.equal(isReleased({ isPublic: false, exact, noisy }, { threshold, kMin }), false);
    }),
  );
});

test('a public group is always released and a non-public group at the floor needs the threshold', () => {
  assert.equal(isReleased({ isPublic: true, exact: 0, noisy: -3 }, { threshold: 64, kMin: 50 }), true);
  assert.equal(isReleased({ isPublic: false, exact: 50, noisy: 63 }, { threshold: 64, kMin: 50 }), false);
  assert.equal(isReleased({ isPublic: false, exact: 50, noisy: 64 }, { threshold: 64, kMin: 50 }), true);
});

test('deltas outside (0, 0.5) are refused', () => {
  assert.throws(() => laplaceTau(rational(1n), 0), RangeError);
  assert.throws(() => gaussianTau(rational(1n), 0.5), RangeError);
});
