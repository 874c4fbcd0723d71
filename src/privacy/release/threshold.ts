// Which groups may be released. A group named in the public catalogue is always released (with
// count 0 when nobody is in it): its existence reveals nothing. Any other group exists only
// because some profiles are in it, so releasing it at all is a privacy event; it is released
// only when (1) its exact count (after bounding) is at least kMin, and (2) its noisy count is at
// least T = τ + max(kMin, 1) − 1. A group below the floor is never released.
//
// Derivation (discrete Laplace, per-fact ε', δ' = δ / maxFacts). Remove one profile: at most
// maxFacts groups change, each by 1. For N ~ Lap_Z(1/ε'), q = e^{−ε'}, and m ≥ 0:
//     P[N ≥ m] = Σ_{k≥m} (1−q)/(1+q)·q^k = q^m / (1 + q).
// The dangerous case is a group releasable with the profile and impossible without it: its
// exact count goes from f = max(kMin, 1) to f − 1 (below the floor, or absent when kMin ≤ 1).
// It is released with probability P[f + N ≥ T] = P[N ≥ τ − 1] = q^{τ−1}/(1+q), which must be
// ≤ δ':
//     τ = 1 + ceil( ln(1 / (δ'·(1 + e^{−ε'}))) / ε' ).
// (The continuous-Laplace rule 1 + ceil(ln(1/(2δ'))/ε') uses the tail ½e^{−ε'm}; for the
// discrete Laplace the tail is larger, since 1 + q < 2, and that rule can fall one short.)
// Above the floor both data sets can release the group and the ratio of output probabilities,
// including "not released", stays within e^{ε'}. So each group is (ε', δ')-DP and, by basic
// composition over the ≤ maxFacts groups a profile touches, the release is (ε, δ)-DP. The floor
// lifts the threshold by f − 1: an exact floor alone (release when exact ≥ kMin) would break
// DP, since the group at exactly kMin would appear or vanish with one profile.
//
// Discrete Gaussian: it is σ²-subgaussian (CKS 2020, §2), so P[N ≥ m] ≤ exp(−m²/(2σ²)) and
//     τ = 1 + ceil( sqrt(2σ²·ln(1/δ')) ).
import type { Rational } from './rational.js';
import { toNumber } from './rational.js';

function checkDelta(delta: number): void {
  if (!(delta > 0 && delta < 0.5)) throw new RangeError(`a per-fact delta must be in (0, 0.5), got ${delta}`);
}

/** τ for discrete Laplace noise of scale 1/ε' (see the derivation above). */
export function laplaceTau(epsilonPerFact: Rational, deltaPerFact: number): number {
  checkDelta(deltaPerFact);
  const epsilon = toNumber(epsilonPerFact);
  const needed = Math.log(1 / (deltaPerFact * (1 + Math.exp(-epsilon)))) / epsilon;
  return 1 + Math.max(0, Math.ceil(needed));
}

/** τ for discrete Gaussian noise of variance σ² (subgaussian tail bound). */
export function gaussianTau(sigma2: Rational, deltaPerFact: number): number {
  checkDelta(deltaPerFact);
  return 1 + Math.ceil(Math.sqrt(2 * toNumber(sigma2) * Math.log(1 / deltaPerFact)));
}

/** The noisy count a non-public group needs: τ shifted so the exact floor costs at most δ'. */
export function releaseThreshold(tau: number, kMin: number): number {
  if (!Number.isInteger(kMin) || kMin < 0) throw new RangeError(`kMin must be a whole number ≥ 0, got ${kMin}`);
  return tau + Math.max(kMin, 1) - 1;
}

export interface GroupOutcome {
  isPublic: boolean;
  /** Exact count after bounding. */
  exact: number;
  /** Exact count plus noise. */
  noisy: number;
}

/** Whether a group's noisy count may be published. */
export function isReleased(group: GroupOutcome, rule: { threshold: number; kMin: number }): boolean {
  if (group.isPublic) return true;
  return group.exact >= rule.kMin && group.exact >= 1 && group.noisy >= rule.threshold;
}
