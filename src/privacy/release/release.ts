// One public-facts release: bounded exact counts in, noisy counts out, budget charged once.
//   1. calibrate the noise to the sensitivity that bounding guarantees (bounding.ts);
//   2. name the question: a keyed hash of its canonical text and of the exact counts, so new
//      data can never reuse old noise even if the caller forgets to change dataVersion;
//   3. charge the ledger (refused when over budget; free when the question was asked before);
//   4. add noise to every public group and every observed group, from a stream keyed by
//      (secret, question, group): asking again gives the same numbers;
//   5. keep public groups always and other groups only past the floor and threshold
//      (threshold.ts). Withheld groups are simply absent: nothing says which were suppressed.
//
// Guarantees per release, for the addition or removal of one profile:
//   discrete-laplace: each fact gets Lap_Z(maxFacts/ε), i.e. ε' = ε/maxFacts, and a per-fact
//     δ' = δ/maxFacts for the threshold; basic composition over the ≤ maxFacts facts a profile
//     touches gives (ε, δ).
//   discrete-gaussian: σ² is calibrated for (ε, δ/2) with L2² = maxFacts (mechanism.ts); the
//     thresholds get δ/2 in total, divided by e^ε because "not released" is only (ε, ·)-close
//     on the other facts: P_D'(S) ≤ e^ε·(P_D(S) + p) + δ/2 with p ≤ maxFacts·δ'_thr.
// Each fact carries the guarantee for that number alone; the release carries the total.
// Negative noisy counts of public groups are published as 0 (post-processing: no privacy cost).
import { createHmac } from 'node:crypto';
import { DEFAULT_DEFINITIONS } from '../../domain/definitions.js';
import type { BoundedCounts } from './bounding.js';
import { discreteGaussian, discreteLaplace } from './discrete.js';
import type { PrivacyLedger } from './ledger.js';
import type { DpMethod, EpsilonInput, ReleasedNumber } from './mechanism.js';
import { epsilonOf, epsilonOfZcdp, gaussianSigma2 } from './mechanism.js';
import { questionRandom } from './random.js';
import type { Rational } from './rational.js';
import { divideByInteger, formatRational, reciprocal, toNumber } from './rational.js';
import { gaussianTau, isReleased, laplaceTau, releaseThreshold } from './threshold.js';

export interface FactsQuestion {
  dataset: string;
  year: number;
  /** Changes whenever the data behind the counts changes (e.g. the last committed ingest batch). */
  dataVersion: string;
}

export interface ReleaseOptions {
  epsilon: EpsilonInput;
  delta: number;
  /** Default discrete-laplace. */
  method?: DpMethod;
  /** Floor on the exact count of a non-public group. Default: Definitions.kMin. */
  kMin?: number;
  /** At most this many facts per profile; the counts must have been bounded with at most this. Default: Definitions.maxFacts. */
  maxFacts?: number;
  /** Fact keys from the public catalogue: released without partition selection, even when empty. */
  publicGroups: Iterable<string>;
  /** The server secret keying the noise (32 random bytes from node:crypto). */
  secret: string | Uint8Array;
  ledger: PrivacyLedger;
}

export interface ReleasedFact extends ReleasedNumber {
  key: string;
}

export interface FactsRelease {
  dataset: string;
  year: number;
  questionId: string;
  /** Total guarantee of the release (what the ledger charged). */
  epsilon: number;
  delta: number;
  method: DpMethod;
  maxFacts: number;
  kMin: number;
  /** Noisy count a non-public group needs to be released. */
  threshold: number;
  /** Laplace scale or Gaussian σ², published so analysts know the error. */
  noiseParameter: number;
  /** Released facts, sorted by key. */
  facts: ReleasedFact[];
  /** False when this question had been asked (and paid for) before. */
  charged: boolean;
}

interface Calibration {
  noise: (rng: ReturnType<typeof questionRandom>) => bigint;
  noiseParameter: number;
  tau: number;
  perFact: { epsilon: number; publicDelta: number; otherDelta: number };
}

function calibrate(method: DpMethod, epsilon: Rational, delta: number, maxFacts: number): Calibration {
  if (method === 'discrete-laplace') {
    const epsilonPerFact = divideByInteger(epsilon, maxFacts);
    const deltaPerFact = delta / maxFacts;
    const scale = reciprocal(epsilonPerFact);
    return {
      noise: (rng) => discreteLaplace(scale, rng),
      noiseParameter: toNumber(scale),
      tau: laplaceTau(epsilonPerFact, deltaPerFact),
      perFact: { epsilon: toNumber(epsilonPerFact), publicDelta: 0, otherDelta: deltaPerFact },
    };
  }
  const sigma2 = gaussianSigma2(epsilon, delta / 2, maxFacts);
  const thresholdDeltaPerFact = delta / (2 * maxFacts * Math.exp(toNumber(epsilon)));
  const factEpsilon = epsilonOfZcdp(1 / (2 * toNumber(sigma2)), delta / 2);
  return {
    noise: (rng) => discreteGaussian(sigma2, rng),
    noiseParameter: toNumber(sigma2),
    tau: gaussianTau(sigma2, thresholdDeltaPerFact),
    perFact: {
      epsilon: factEpsilon,
      publicDelta: delta / 2,
      otherDelta: delta / 2 + Math.exp(factEpsilon) * thresholdDeltaPerFact,
    },
  };
}

function checkWhole(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be a whole number ≥ ${min}, got ${value}`);
}

/** The identity of a question: keyed, so the ledger never holds a fingerprint of the counts anyone could test guesses against. */
function questionIdOf(secret: string | Uint8Array, canonicalQuestion: string, counts: ReadonlyMap<string, number>): string {
  const sortedCounts = [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHmac('sha256', secret)
    .update(`binge/dp/release\0${canonicalQuestion}\0${JSON.stringify(sortedCounts)}`)
    .digest('hex');
}

export async function releaseFacts(question: FactsQuestion, exactCounts: BoundedCounts, options: ReleaseOptions): Promise<FactsRelease> {
  const method = options.method ?? 'discrete-laplace';
  const kMin = options.kMin ?? DEFAULT_DEFINITIONS.kMin;
  const maxFacts = options.maxFacts ?? DEFAULT_DEFINITIONS.maxFacts;
  const { delta } = options;
  checkWhole('kMin', kMin, 0);
  checkWhole('maxFacts', maxFacts, 1);
  checkWhole('year', question.year, 1);
  if (!(delta > 0 && delta < 1)) throw new RangeError(`delta must be strictly between 0 and 1, got ${delta}`);
  if (exactCounts.maxFacts > maxFacts) {
    throw new RangeError(`the counts were bounded to ${exactCounts.maxFacts} facts per profile, more than this release's maxFacts ${maxFacts}: the sensitivity would be wrong`);
  }
  const epsilon = epsilonOf(options.epsilon);
  const publicGroups = [...new Set(options.publicGroups)].sort();
  const calibration = calibrate(method, epsilon, delta, maxFacts);
  const threshold = releaseThreshold(calibration.tau, kMin);

  const canonicalQuestion = JSON.stringify({
    v: 1,
    dataset: question.dataset,
    year: question.year,
    dataVersion: question.dataVersion,
    epsilon: formatRational(epsilon),
    delta,
    method,
    maxFacts,
    kMin,
    publicGroups,
  });
  const questionId = questionIdOf(options.secret, canonicalQuestion, exactCounts.counts);
  const { charged } = await options.ledger.charge({ dataset: question.dataset, year: question.year, questionId, epsilon, delta, method });

  const isPublic = new Set(publicGroups);
  const keys = [...new Set([...publicGroups, ...exactCounts.counts.keys()])].sort();
  const facts: ReleasedFact[] = [];
  for (const key of keys) {
    const exact = exactCounts.counts.get(key) ?? 0;
    const noise = calibration.noise(questionRandom(options.secret, `${questionId}\0${key}`));
    const noisy = Number(BigInt(exact) + noise);
    if (!isReleased({ isPublic: isPublic.has(key), exact, noisy }, { threshold, kMin })) continue;
    facts.push({
      key,
      value: Math.max(0, noisy),
      epsilon: calibration.perFact.epsilon,
      delta: isPublic.has(key) ? calibration.perFact.publicDelta : calibration.perFact.otherDelta,
      method,
    });
  }
  return {
    dataset: question.dataset,
    year: question.year,
    questionId,
    epsilon: toNumber(epsilon),
    delta,
    method,
    maxFacts,
    kMin,
    threshold,
    noiseParameter: calibration.noiseParameter,
    facts,
    charged,
  };
}

