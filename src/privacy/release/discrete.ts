// Exact samplers for discrete noise, following Canonne, Kamath and Steinke, "The Discrete
// Gaussian for Differential Privacy" (NeurIPS 2020, arXiv:2004.00010), Algorithms 1–3. Only
// integer arithmetic on BigInt and uniform integers from a RandomSource: no floating point, so
// no rounding artefacts that could leak the exact count (Mironov 2012), and no Math.random.
import type { Rational } from './rational.js';
import { rational } from './rational.js';
import type { RandomSource } from './random.js';
import { defaultRandom } from './random.js';

const ONE: Rational = { num: 1n, den: 1n };

/** Bernoulli(num/den), 0 ≤ num ≤ den. */
export function bernoulli(num: bigint, den: bigint, rng: RandomSource = defaultRandom): boolean {
  return rng.uniformInt(den) < num;
}

/** Algorithm 1 for gamma in [0, 1]: K ← 1; while Bernoulli(gamma/K) do K ← K+1; return K odd. */
function bernoulliExpAtMostOne(num: bigint, den: bigint, rng: RandomSource): boolean {
  let k = 1n;
  while (bernoulli(num, den * k, rng)) k += 1n;
  return k % 2n === 1n;
}

/**
 * Bernoulli(exp(−gamma)) for a rational gamma ≥ 0 (Algorithm 1). For gamma > 1 it multiplies
 * floor(gamma) independent Bernoulli(exp(−1)) trials and one Bernoulli(exp(−(gamma − floor))).
 */
export function bernoulliExp(gamma: Rational, rng: RandomSource = defaultRandom): boolean {
  const whole = gamma.num / gamma.den;
  for (let i = 0n; i < whole; i += 1n) {
    if (!bernoulliExpAtMostOne(ONE.num, ONE.den, rng)) return false;
  }
  return bernoulliExpAtMostOne(gamma.num - whole * gamma.den, gamma.den, rng);
}

/**
 * Discrete Laplace Lap_Z(scale): P[X = x] ∝ exp(−|x| / scale) on the integers (Algorithm 2,
 * whose parameters are t = scale.num and s = scale.den).
 */
export function discreteLaplace(scale: Rational, rng: RandomSource = defaultRandom): bigint {
  if (scale.num <= 0n) throw new RangeError('the discrete Laplace scale must be positive');
  const t = scale.num;
  const s = scale.den;
  for (;;) {
    const u = rng.uniformInt(t);
    if (!bernoulliExp({ num: u, den: t }, rng)) continue;
    // V ~ Geometric(1 − e^{−1}): count successes of Bernoulli(exp(−1)) before the first failure.
    let v = 0n;
    while (bernoulliExp(ONE, rng)) v += 1n;
    const y = (u + t * v) / s; // X = U + tV has P[X = x] ∝ e^{−x/t}; Y = floor(X/s) ∝ e^{−ys/t}
    const negative = bernoulli(1n, 2n, rng);
    if (negative && y === 0n) continue; // otherwise 0 would be drawn twice as often
    return negative ? -y : y;
  }
}

function floorSqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  while (x * x > n) x -= 1n;
  while ((x + 1n) * (x + 1n) <= n) x += 1n;
  return x;
}

/**
 * Discrete Gaussian N_Z(0, sigma²): P[X = x] ∝ exp(−x² / (2 sigma²)) (Algorithm 3). With
 * t = floor(sigma) + 1, a candidate Y ~ Lap_Z(t) is accepted with probability
 * exp(−(|Y| − sigma²/t)² / (2 sigma²)); for sigma² = p/q that exponent is the rational
 * (|Y|·t·q − p)² / (2·p·q·t²).
 */
export function discreteGaussian(sigma2: Rational, rng: RandomSource = defaultRandom): bigint {
  const p = sigma2.num;
  const q = sigma2.den;
  if (p <= 0n) throw new RangeError('the discrete Gaussian variance must be positive');
  const t = floorSqrt(p / q) + 1n; // floor(sqrt(p/q)) = floor(sqrt(floor(p/q)))
  const laplaceScale: Rational = { num: t, den: 1n };
  for (;;) {
    const y = discreteLaplace(laplaceScale, rng);
    const magnitude = y < 0n ? -y : y;
    const gap = magnitude * t * q - p;
    if (bernoulliExp(rational(gap * gap, 2n * p * q * t * t), rng)) return y;
  }
}
