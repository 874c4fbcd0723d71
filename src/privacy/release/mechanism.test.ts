import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  epsilonOf,
  epsilonOfZcdp,
  gaussianSigma2,
  laplaceScale,
  releaseCountGaussian,
  releaseCountLaplace,
} from './mechanism.js';
import { seededRandom } from './random.js';
import { rational, toNumber } from './rational.js';

test('epsilon is the decimal asked, as an exact rational rounded down to 9 places', () => {
  assert.deepEqual(epsilonOf(0.1), rational(1n, 10n));
  assert.deepEqual(epsilonOf(0.3), rational(3n, 10n));
  assert.deepEqual(epsilonOf('1.25'), rational(5n, 4n));
  assert.deepEqual(epsilonOf('2e-3'), rational(1n, 500n));
  assert.deepEqual(epsilonOf('0.1234567899'), rational(123456789n, 1_000_000_000n));
  assert.throws(() => epsilonOf(1e-12), RangeError);
  assert.throws(() => epsilonOf(-1), RangeError);
  assert.throws(() => epsilonOf('abc'), RangeError);
});

test('the Laplace scale is sensitivity over epsilon, exactly', () => {
  assert.deepEqual(laplaceScale(rational(1n, 10n), 1), rational(10n));
  assert.deepEqual(laplaceScale(rational(3n, 10n), 4), rational(40n, 3n));
});

test('a Laplace count carries its value, epsilon, delta 0 and method', () => {
  const released = releaseCountLaplace(1000, { epsilon: 0.5 }, seededRandom('carry'));
  assert.equal(released.epsilon, 0.5);
  assert.equal(released.delta, 0);
  assert.equal(released.method, 'discrete-laplace');
  assert.ok(Number.isInteger(released.value));
  assert.ok(Math.abs(released.value - 1000) < 60); // scale 2: P[|noise| ≥ 60] < e^-29
  assert.throws(() => releaseCountLaplace(-1, { epsilon: 1 }), RangeError);
});

test('sigma² follows ρ = (sqrt(ln(1/δ) + ε) − sqrt(ln(1/δ)))², σ² = Δ2²/(2ρ), rounded up, and gives back the ε asked', () => {
  const l = Math.log(1e5);
  const rho = (Math.sqrt(l + 1) - Math.sqrt(l)) ** 2;
  const sigma2 = toNumber(gaussianSigma2(rational(1n), 1e-5, 1));
  assert.ok(sigma2 >= 1 / (2 * rho) && sigma2 <= 1 / (2 * rho) + 2e-6, `${sigma2} vs ${1 / (2 * rho)}`);
  for (const [epsilon, delta, l2] of [[0.1, 1e-6, 1], [1, 1e-9, 10], [8, 1e-5, 3]] as const) {
    const s2 = toNumber(gaussianSigma2(epsilonOf(epsilon), delta, l2));
    const achieved = epsilonOfZcdp(l2 / (2 * s2), delta);
    assert.ok(achieved <= epsilon && achieved > epsilon * 0.9999, `ε ${epsilon}: achieved ${achieved}`);
  }
  assert.throws(() => gaussianSigma2(rational(1n), 0, 1), RangeError);
  assert.throws(() => gaussianSigma2(rational(1n), 1e-5, 0), RangeError);
});

test('a Gaussian count carries (ε, δ) and its noise has the promised variance', () => {
  const rng = seededRandom('gauss-variance');
  const options = { epsilon: 1, delta: 1e-5 };
  const sigma2 = toNumber(gaussianSigma2(epsilonOf(1), 1e-5, 1));
  const n = 40_000;
  let sumSquares = 0;
  for (let i = 0; i < n; i++) {
    const released = releaseCountGaussian(500, options, rng);
    assert.equal(released.method, 'discrete-gaussian');
    assert.equal(released.epsilon, 1);
    assert.equal(released.delta, 1e-5);
    sumSquares += (released.value - 500) ** 2;
  }
  const variance = sumSquares / n;
  assert.ok(Math.abs(variance / sigma2 - 1) < 0.04, `variance ${variance} vs σ² ${sigma2}`);
});

test('neighbouring counts (one profile removed) give output probabilities within e^ε of each other, and no closer than needed', () => {
  const epsilon = 1;
  const n = 200_000;
  const histogram = (count: number, seed: string) => {
    const rng = seededRandom(seed);
    const h = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const { value } = releaseCountLaplace(count, { epsilon }, rng);
      h.set(value, (h.get(value) ?? 0) + 1);
    }
    return h;
  };
  const withProfile = histogram(101, 'with');
  const withoutProfile = histogram(100, 'without');
  let checked = 0;
  let largest = 0;
  for (const [value, a] of withProfile) {
    const b = withoutProfile.get(value) ?? 0;
    if (a < 2000 || b < 2000) continue; // relative error of each ratio ≤ ~3.2 %
    const ratio = Math.max(a / b, b / a);
    largest = Math.max(largest, ratio);
    assert.ok(ratio <= Math.exp(epsilon) * 1.15, `output ${value}: ratio ${ratio}`);
    checked++;
  }
  assert.ok(checked >= 6, `only ${checked} outputs had enough samples`);
  // The discrete Laplace is tight: away from the two counts the ratio is exactly e^ε.
  assert.ok(largest >= Math.exp(epsilon) / 1.15, `largest ratio ${largest}`);
});
