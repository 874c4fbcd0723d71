import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bernoulliExp, discreteGaussian, discreteLaplace } from './discrete.js';
import { seededRandom } from './random.js';
import type { Rational } from './rational.js';
import { toNumber } from './rational.js';

const SAMPLES = 200_000;

function laplacePmf(scale: number): (x: number) => number {
  const q = Math.exp(-1 / scale);
  return (x) => ((1 - q) / (1 + q)) * q ** Math.abs(x);
}

function gaussianPmf(sigma2: number): (x: number) => number {
  const reach = Math.ceil(40 * Math.sqrt(sigma2)) + 10;
  let z = 0;
  for (let x = -reach; x <= reach; x++) z += Math.exp(-(x * x) / (2 * sigma2));
  return (x) => Math.exp(-(x * x) / (2 * sigma2)) / z;
}

/**
 * Critical value of chi-square at p = 0.001 by the Wilson–Hilferty cube-root approximation,
 * k·(1 − 2/(9k) + z·sqrt(2/(9k)))³ with z = Φ⁻¹(0.999) = 3.090232. Within 1.5 % of the tables
 * for k ≥ 5 (checked below), slightly above them, i.e. a hair lenient.
 */
function chiSquareCritical999(k: number): number {
  const a = 2 / (9 * k);
  return k * (1 - a + 3.090232 * Math.sqrt(a)) ** 3;
}

/** Pearson's statistic with the tails pooled into the outermost bins so every bin expects ≥ 5. */
function chiSquare(samples: bigint[], pmf: (x: number) => number): { statistic: number; degrees: number } {
  const n = samples.length;
  let low = 0;
  while (n * pmf(low - 1) >= 5) low--;
  let high = 0;
  while (n * pmf(high + 1) >= 5) high++;
  const observed = new Map<number, number>();
  for (const sample of samples) {
    const bin = Math.min(high, Math.max(low, Number(sample)));
    observed.set(bin, (observed.get(bin) ?? 0) + 1);
  }
  let statistic = 0;
  for (let bin = low; bin <= high; bin++) {
    let p = pmf(bin);
    const reach = 10_000;
    if (bin === low) for (let x = low - 1; x > low - reach; x--) p += pmf(x);
    if (bin === high) for (let x = high + 1; x < high + reach; x++) p += pmf(x);
    const expected = n * p;
    assert.ok(expected >= 5, `bin ${bin} expects ${expected}`);
    const o = observed.get(bin) ?? 0;
    statistic += ((o - expected) * (o - expected)) / expected;
  }
  return { statistic, degrees: high - low };
}

test('the Wilson–Hilferty critical values agree with the chi-square tables at p = 0.001', () => {
  const tabulated: Record<number, number> = { 5: 20.515, 10: 29.588, 20: 45.315, 30: 59.703, 50: 86.661 };
  for (const [k, value] of Object.entries(tabulated)) {
    const approx = chiSquareCritical999(Number(k));
    assert.ok(approx >= value && approx <= value * 1.015, `k=${k}: ${approx} vs ${value}`);
  }
});

const laplaceScales: Rational[] = [
  { num: 1n, den: 1n },
  { num: 10n, den: 3n },
];
for (const scale of laplaceScales) {
  test(`discrete Laplace of scale ${scale.num}/${scale.den} matches its probability mass function (chi-square, p = 0.001)`, () => {
    const rng = seededRandom(`laplace ${scale.num}/${scale.den}`);
    const samples = Array.from({ length: SAMPLES }, () => discreteLaplace(scale, rng));
    const fit = chiSquare(samples, laplacePmf(toNumber(scale)));
    assert.ok(fit.degrees >= 5);
    assert.ok(fit.statistic < chiSquareCritical999(fit.degrees), `chi² ${fit.statistic} on ${fit.degrees} df`);
    // Power: the same samples reject a scale only 5 % larger, so passing above means something.
    const wrong = chiSquare(samples, laplacePmf(toNumber(scale) * 1.05));
    assert.ok(wrong.statistic > chiSquareCritical999(wrong.degrees), `wrong scale not rejected: ${wrong.statistic}`);
  });
}

const gaussianVariances: Rational[] = [
  { num: 1n, den: 1n },
  { num: 25n, den: 2n },
];
for (const sigma2 of gaussianVariances) {
  test(`discrete Gaussian of variance ${sigma2.num}/${sigma2.den} matches its probability mass function (chi-square, p = 0.001)`, () => {
    const rng = seededRandom(`gaussian ${sigma2.num}/${sigma2.den}`);
    const samples = Array.from({ length: SAMPLES }, () => discreteGaussian(sigma2, rng));
    const fit = chiSquare(samples, gaussianPmf(toNumber(sigma2)));
    assert.ok(fit.degrees >= 5);
    assert.ok(fit.statistic < chiSquareCritical999(fit.degrees), `chi² ${fit.statistic} on ${fit.degrees} df`);
    const wrong = chiSquare(samples, gaussianPmf(toNumber(sigma2) * 1.05));
    assert.ok(wrong.statistic > chiSquareCritical999(wrong.degrees), `wrong variance not rejected: ${wrong.statistic}`);
  });
}

test('Bernoulli(exp(−gamma)) is true with probability exp(−gamma), for gamma below and above 1', () => {
  const rng = seededRandom('bernoulli-exp');
  const gammas: Rational[] = [
    { num: 0n, den: 1n },
    { num: 1n, den: 3n },
    { num: 1n, den: 1n },
    { num: 5n, den: 2n },
    { num: 7n, den: 2n },
  ];
  for (const gamma of gammas) {
    let hits = 0;
    for (let i = 0; i < SAMPLES; i++) if (bernoulliExp(gamma, rng)) hits++;
    const p = Math.exp(-toNumber(gamma));
    const tolerance = 4.5 * Math.sqrt((p * (1 - p)) / SAMPLES);
    assert.ok(Math.abs(hits / SAMPLES - p) <= tolerance, `gamma ${toNumber(gamma)}: ${hits / SAMPLES} vs ${p}`);
  }
});

test('the samplers never call Math.random and depend only on their random source', () => {
  const original = Math.random;
  Math.random = () => {
    throw new Error('Math.random used');
  };
  try {
    const draw = (seed: string) => {
      const rng = seededRandom(seed);
      return [
        ...Array.from({ length: 50 }, () => discreteLaplace({ num: 7n, den: 2n }, rng)),
        ...Array.from({ length: 50 }, () => discreteGaussian({ num: 24016123n, den: 1000000n }, rng)),
      ];
    };
    assert.deepEqual(draw('same'), draw('same'));
    assert.notDeepEqual(draw('same'), draw('other'));
  } finally {
    Math.random = original;
  }
});

test('invalid noise parameters are refused', () => {
  assert.throws(() => discreteLaplace({ num: 0n, den: 1n }), RangeError);
  assert.throws(() => discreteGaussian({ num: 0n, den: 1n }), RangeError);
});
