// Releasing one count with differential privacy. Each released number carries the guarantee
// it was made with: {value, epsilon, delta, method}.
//
// Laplace (pure epsilon-DP): value = count + Lap_Z(Δ1/ε). The discrete Laplace is ε-DP for
// integer queries of L1 sensitivity Δ1 (CKS 2020, §2). ε is taken as a rational approximation:
// the decimal asked, rounded down to 9 places (rational.ts), so the guarantee honoured is never
// weaker than the one asked for; the number published is that rational.
//
// Gaussian ((ε, δ)-DP): value = count + N_Z(0, σ²). The discrete Gaussian satisfies
// ρ-zero-concentrated DP with ρ = Δ2² / (2σ²) (CKS 2020, Theorem 4), and ρ-zCDP implies
// (ρ + 2·sqrt(ρ·ln(1/δ)), δ)-DP (Bun and Steinke 2016, Proposition 1.3). Solving
// ε = ρ + 2·sqrt(ρ·L), L = ln(1/δ), for ρ gives the closed form
//     ρ = (sqrt(L + ε) − sqrt(L))² = ε² / (sqrt(L + ε) + sqrt(L))²,   σ² = Δ2² / (2ρ).
// The second spelling avoids cancellation. σ² is computed in floating point (calibration, not
// noise) and rounded UP to 6 decimal places, which only adds privacy. Tighter conversions exist
// (CKS Corollary 13); this one is simple and safe. It holds for any ε > 0 (unlike the classic
// sqrt(2 ln(1.25/δ))/ε calibration, valid for ε < 1 only) and for vectors: Δ2² is the sum of
// squared changes over all coordinates, because zCDP composes by adding ρ.
import type { RandomSource } from './random.js';
import { defaultRandom } from './random.js';
import { discreteGaussian, discreteLaplace } from './discrete.js';
import type { Rational } from './rational.js';
import { rational, rationalAtMost, toNumber } from './rational.js';

export const DP_METHODS = ['discrete-laplace', 'discrete-gaussian'] as const;
export type DpMethod = (typeof DP_METHODS)[number];

export interface ReleasedNumber {
  value: number;
  epsilon: number;
  delta: number;
  method: DpMethod;
}

/** An epsilon as asked (decimal number or text) or already exact. */
export type EpsilonInput = number | string | Rational;

export function epsilonOf(input: EpsilonInput): Rational {
  const epsilon = typeof input === 'object' ? rational(input.num, input.den) : rationalAtMost(input);
  if (epsilon.num === 0n) throw new RangeError(`epsilon must be positive (at least 1e-9), got ${String(typeof input === 'object' ? toNumber(input) : input)}`);
  return epsilon;
}

function checkDelta(delta: number): void {
  if (!(delta > 0 && delta < 1)) throw new RangeError(`delta must be strictly between 0 and 1, got ${delta}`);
}

function checkSensitivity(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number ≥ 1, got ${value}`);
}

/** Scale Δ1/ε of the discrete Laplace that makes a count of L1 sensitivity Δ1 ε-DP. */
export function laplaceScale(epsilon: Rational, l1Sensitivity: number): Rational {
  checkSensitivity('the L1 sensitivity', l1Sensitivity);
  return rational(BigInt(l1Sensitivity) * epsilon.den, epsilon.num);
}

/** ρ of zCDP that (ε, δ)-DP allows, by inverting Bun–Steinke Proposition 1.3. */
export function zcdpRho(epsilon: number, delta: number): number {
  const l = Math.log(1 / delta);
  const root = Math.sqrt(l + epsilon) + Math.sqrt(l);
  return (epsilon * epsilon) / (root * root);
}

/** The ε that ρ-zCDP gives at a chosen δ (Bun–Steinke Proposition 1.3). */
export function epsilonOfZcdp(rho: number, delta: number): number {
  return rho + 2 * Math.sqrt(rho * Math.log(1 / delta));
}

const SIGMA2_SCALE = 1_000_000;

/** σ² of the discrete Gaussian that makes a query with L2 sensitivity² Δ2² (ε, δ)-DP, rounded up. */
export function gaussianSigma2(epsilon: Rational, delta: number, l2SensitivitySquared: number): Rational {
  checkDelta(delta);
  checkSensitivity('the squared L2 sensitivity', l2SensitivitySquared);
  const sigma2 = (l2SensitivitySquared / (2 * zcdpRho(toNumber(epsilon), delta))) * (1 + 1e-12);
  const scaled = sigma2 * SIGMA2_SCALE;
  return Number.isSafeInteger(Math.ceil(scaled))
    ? rational(BigInt(Math.ceil(scaled)), BigInt(SIGMA2_SCALE))
    : rational(BigInt(Math.ceil(sigma2)));
}

function noisyValue(count: number, noise: bigint): number {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`a count is a whole number ≥ 0, got ${count}`);
  return Number(BigInt(count) + noise);
}

/** count + Lap_Z(Δ1/ε): ε-DP when one profile changes the count by at most Δ1. */
export function releaseCountLaplace(
  count: number,
  options: { epsilon: EpsilonInput; l1Sensitivity?: number },
  rng: RandomSource = defaultRandom,
): ReleasedNumber {
  const epsilon = epsilonOf(options.epsilon);
  const scale = laplaceScale(epsilon, options.l1Sensitivity ?? 1);
  return { value: noisyValue(count, discreteLaplace(scale, rng)), epsilon: toNumber(epsilon), delta: 0, method: 'discrete-laplace' };
}

/** count + N_Z(0, σ²): (ε, δ)-DP when one profile changes the count by at most Δ2. */
export function releaseCountGaussian(
  count: number,
  options: { epsilon: EpsilonInput; delta: number; l2SensitivitySquared?: number },
  rng: RandomSource = defaultRandom,
): ReleasedNumber {
  const epsilon = epsilonOf(options.epsilon);
  const sigma2 = gaussianSigma2(epsilon, options.delta, options.l2SensitivitySquared ?? 1);
  return { value: noisyValue(count, discreteGaussian(sigma2, rng)), epsilon: toNumber(epsilon), delta: options.delta, method: 'discrete-gaussian' };
}
