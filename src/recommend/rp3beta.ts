// RP3beta (Paudel et al. 2017; Dacrema et al. 2019): a three-step random walk item → user → item
// with transition probabilities raised to α, divided by the popularity of the arrival item
// raised to β so that popular items do not win every walk:
//   W[i][j] = deg(i)^-α · Σ_{u ∈ users(i) ∩ users(j)} deg(u)^-α / deg(j)^β
// keeping each item's strongest neighbours; a user's score for j sums W[i][j] over their items.
import { itemDegrees, type Interactions } from './interactions.js';
import { itemNeighbours, scoreByNeighbours, type ItemNeighbours } from './item-neighbours.js';
import { recommenderFrom, type Recommender } from './ranking.js';

/** Tuned on the MovieLens-100k folds (README.md, "Candidates"). */
export const DEFAULT_RP3BETA = Object.freeze({ alpha: 1, beta: 0.6, neighbours: 200 });

export interface Rp3betaParams {
  alpha?: number;
  beta?: number;
  neighbours?: number;
}

export interface Rp3betaModel extends Recommender {
  readonly kind: 'rp3beta';
  readonly transitions: ItemNeighbours;
}

export function trainRp3beta(x: Interactions, params: Rp3betaParams = {}): Rp3betaModel {
  const { alpha, beta, neighbours } = { ...DEFAULT_RP3BETA, ...params };
  const degree = itemDegrees(x);
  const transitions = itemNeighbours(x, {
    userWeight: (u) => (x.indptr[u + 1] - x.indptr[u]) ** -alpha,
    weigh: (i, j, c) => (c * degree[i] ** -alpha) / degree[j] ** beta,
    neighbours,
  });
  const scoreUser = (userItems: ArrayLike<number>) => scoreByNeighbours(transitions, userItems);
  return { ...recommenderFrom('rp3beta', x.items, scoreUser), kind: 'rp3beta', transitions };
}
