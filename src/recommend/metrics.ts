// Offline ranking metrics with binary relevance. `ranked` is a list of item ids, best first;
// `relevant` the held-out items of the user.

export function hitsAtK(ranked: readonly number[], relevant: ReadonlySet<number>, k: number): number {
  let hits = 0;
  for (let r = 0; r < Math.min(k, ranked.length); r++) if (relevant.has(ranked[r])) hits++;
  return hits;
}

/** Hits in the top k divided by k (a short list is not rewarded for being short). */
export function precisionAtK(ranked: readonly number[], relevant: ReadonlySet<number>, k: number): number {
  return hitsAtK(ranked, relevant, k) / k;
}

/** Hits in the top k divided by the number of relevant items. */
export function recallAtK(ranked: readonly number[], relevant: ReadonlySet<number>, k: number): number {
  return relevant.size === 0 ? 0 : hitsAtK(ranked, relevant, k) / relevant.size;
}

/** DCG@k with gain 1 per hit at rank r (from 1) discounted by log2(r + 1), over the ideal DCG of min(k, |relevant|) hits. */
export function ndcgAtK(ranked: readonly number[], relevant: ReadonlySet<number>, k: number): number {
  let dcg = 0;
  for (let r = 0; r < Math.min(k, ranked.length); r++) if (relevant.has(ranked[r])) dcg += 1 / Math.log2(r + 2);
  let ideal = 0;
  for (let r = 0; r < Math.min(k, relevant.size); r++) ideal += 1 / Math.log2(r + 2);
  return ideal === 0 ? 0 : dcg / ideal;
}

/** Share of the catalogue that appears in at least one top-k list. */
export function catalogueCoverage(lists: Iterable<readonly number[]>, catalogueSize: number, k: number): number {
  const shown = new Set<number>();
  for (const list of lists) for (const item of list.slice(0, k)) shown.add(item);
  return catalogueSize === 0 ? 0 : shown.size / catalogueSize;
}
