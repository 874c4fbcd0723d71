// EASE (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data"): an item-item weight
// matrix B with a zero diagonal, learnt in closed form:
//   G = XᵀX,  P = (G + λI)⁻¹,  B = I − P·diag(1/diag(P)),  i.e. B[i][j] = −P[i][j] / P[j][j], B[j][j] = 0.
// A user's score for item j is Σ_{i ∈ user} B[i][j].
import { RecommendError } from './errors.js';
import { gramMatrix } from './gram.js';
import type { Interactions } from './interactions.js';
import { recommenderFrom, type Recommender } from './ranking.js';
import { invertSpd, type InverseOptions, type InversePath } from './spd-inverse.js';

/** λ chosen by the MovieLens-100k sweep (see README.md, "Choosing λ"). */
export const DEFAULT_EASE_LAMBDA = 500;

export interface EaseParams {
  lambda?: number;
  inverse?: InverseOptions;
}

export interface EaseModel extends Recommender {
  readonly kind: 'ease';
  readonly lambda: number;
  /** B, items × items row-major: row i holds what interacting with item i adds to every item. */
  readonly weights: Float64Array;
  /** Which inverse ran: the native LAPACK addon or the TypeScript worker. */
  readonly inversePath: InversePath;
  readonly timings: { gramMs: number; inverseMs: number };
}

/** Trains EASE off the event loop (native addon or worker thread). */
export async function trainEase(x: Interactions, params: EaseParams = {}): Promise<EaseModel> {
  const started = performance.now();
  const g = gramMatrix(x);
  const gramMs = performance.now() - started;
  return easeFromGram(g, x.items, params, gramMs);
}

/** EASE from a precomputed Gram matrix (consumed); lets a λ sweep build G once. */
export async function easeFromGram(
  gram: Float64Array,
  items: number,
  params: EaseParams = {},
  gramMs = 0,
): Promise<EaseModel> {
  const lambda = params.lambda ?? DEFAULT_EASE_LAMBDA;
  if (!(lambda > 0) || !Number.isFinite(lambda)) {
    throw new RecommendError('BINGE_RECOMMEND_BAD_INPUT', `EASE lambda must be a positive number, got ${lambda}`);
  }
  for (let i = 0; i < items; i++) gram[i * items + i] += lambda;
  const { inverse, path, ms } = await invertSpd(gram, items, params.inverse);
  const weights = easeWeightsFromInverse(inverse, items);
  return easeModel(weights, items, lambda, path, { gramMs, inverseMs: ms });
}

/** B = I − P·diag(1/diag(P)), in place over P. */
export function easeWeightsFromInverse(p: Float64Array, n: number): Float64Array {
  const diag = new Float64Array(n);
  for (let j = 0; j < n; j++) diag[j] = p[j * n + j];
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) p[row + j] = -p[row + j] / diag[j];
    p[row + i] = 0;
  }
  return p;
}

function easeModel(
  weights: Float64Array,
  items: number,
  lambda: number,
  inversePath: InversePath,
  timings: EaseModel['timings'],
): EaseModel {
  const scoreUser = (userItems: ArrayLike<number>) => {
    const scores = new Float64Array(items);
    for (let u = 0; u < userItems.length; u++) {
      const row = weights.subarray(userItems[u] * items, (userItems[u] + 1) * items);
      for (let j = 0; j < items; j++) scores[j] += row[j];
    }
    return scores;
  };
  return { ...recommenderFrom('ease', items, scoreUser), kind: 'ease', lambda, weights, inversePath, timings };
}
