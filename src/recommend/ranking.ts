// What every model exposes once trained, and the one way scores become a ranked list.
// Item ids in models are matrix columns (0..items-1); the caller maps them to titles.

export interface Recommender {
  readonly kind: string;
  readonly items: number;
  /** A fresh score per item for a user who interacted with `userItems`; higher is better. */
  scoreUser(userItems: ArrayLike<number>): Float64Array;
  /** The k best items, best first; `exclude` defaults to `userItems` (do not re-recommend). */
  recommend(userItems: ArrayLike<number>, k: number, exclude?: ArrayLike<number>): number[];
}

export function recommenderFrom(
  kind: string,
  items: number,
  scoreUser: (userItems: ArrayLike<number>) => Float64Array,
): Recommender {
  return {
    kind,
    items,
    scoreUser,
    recommend: (userItems, k, exclude = userItems) => topK(scoreUser(userItems), k, exclude),
  };
}

/**
 * Indices of the k highest scores, best first. Ties go to the lower index so rankings are
 * deterministic; excluded items and -Infinity never appear. Overwrites excluded entries of `scores`.
 */
export function topK(scores: Float64Array, k: number, exclude: ArrayLike<number> = []): number[] {
  for (let e = 0; e < exclude.length; e++) scores[exclude[e]] = -Infinity;
  const best: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (s === -Infinity || Number.isNaN(s)) continue;
    if (best.length === k && !(s > scores[best[k - 1]])) continue;
    let at = best.length === k ? k - 1 : best.length;
    while (at > 0 && s > scores[best[at - 1]]) at--;
    if (best.length === k) best.pop();
    best.splice(at, 0, i);
  }
  return best;
}
