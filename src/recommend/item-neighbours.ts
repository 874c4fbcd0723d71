// Sparse item-item weights shared by item-kNN and RP3beta: for each item, its k strongest
// neighbours from weighted co-occurrence, stored as CSR (row i = neighbours of item i).
import type { Interactions } from './interactions.js';
import { transpose } from './interactions.js';

export interface ItemNeighbours {
  readonly items: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly weights: Float64Array;
}

export interface NeighbourRule {
  /** What one user sharing items i and j adds to their co-occurrence (1 for plain counts). */
  userWeight: (user: number) => number;
  /** The neighbour weight of j for item i from their co-occurrence. */
  weigh: (i: number, j: number, cooccurrence: number) => number;
  /** Keep at most this many neighbours per item (the strongest; ties to the lower index). */
  neighbours: number;
}

export function itemNeighbours(x: Interactions, rule: NeighbourRule): ItemNeighbours {
  const n = x.items;
  const byItem = transpose(x);
  const userWeights = Float64Array.from({ length: x.users }, (_, u) => rule.userWeight(u));
  const cooc = new Float64Array(n);
  const seen = new Uint8Array(n);
  const touched: number[] = [];
  const indptr = new Int32Array(n + 1);
  const indices: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let p = byItem.indptr[i]; p < byItem.indptr[i + 1]; p++) {
      const u = byItem.indices[p];
      const w = userWeights[u];
      for (let q = x.indptr[u]; q < x.indptr[u + 1]; q++) {
        const j = x.indices[q];
        if (j === i) continue;
        if (!seen[j]) {
          seen[j] = 1;
          touched.push(j);
        }
        cooc[j] += w;
      }
    }
    keepStrongest(Int32Array.from(touched).sort(), (j) => rule.weigh(i, j, cooc[j]), rule.neighbours, indices, weights);
    indptr[i + 1] = indices.length;
    for (const j of touched) {
      cooc[j] = 0;
      seen[j] = 0;
    }
    touched.length = 0;
  }
  return { items: n, indptr, indices: Int32Array.from(indices), weights: Float64Array.from(weights) };
}

// Appends the `keep` candidates (ascending ids) with the largest positive weight, ties to the lower id.
// The cut-off (the keep-th largest weight) is found by quickselect in linear time.
function keepStrongest(
  candidates: Int32Array,
  weightOf: (j: number) => number,
  keep: number,
  indices: number[],
  weights: number[],
): void {
  const w = Float64Array.from(candidates, weightOf);
  let cutoff = 0;
  if (candidates.length > keep) {
    cutoff = Math.max(0, kthLargest(w.slice(), keep));
  }
  let above = 0;
  for (let c = 0; c < w.length; c++) if (w[c] > cutoff) above++;
  // Every weight above the cut-off is kept; the remaining places go to ties at the cut-off.
  let tiesLeft = Math.min(keep, candidates.length) - above;
  for (let c = 0; c < w.length; c++) {
    const value = w[c];
    if (value > cutoff || (value === cutoff && value > 0 && tiesLeft-- > 0)) {
      indices.push(candidates[c]);
      weights.push(value);
    }
  }
}

// The k-th largest value (k from 1) of `values`, reordering them: Hoare's quickselect.
function kthLargest(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] > pivot) i++;
      while (values[j] < pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return values[target];
  }
  return values[target];
}

/** Score of item j = Σ over the user's items i of weight(i → j). */
export function scoreByNeighbours(nb: ItemNeighbours, userItems: ArrayLike<number>): Float64Array {
  const scores = new Float64Array(nb.items);
  for (let u = 0; u < userItems.length; u++) {
    const i = userItems[u];
    for (let p = nb.indptr[i]; p < nb.indptr[i + 1]; p++) scores[nb.indices[p]] += nb.weights[p];
  }
  return scores;
}
