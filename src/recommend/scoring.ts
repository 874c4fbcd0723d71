// Scoring one profile against a stored model, in memory: the sum of the top-K neighbour weights
// of the profile's positive items (EASE cut to K, or item-kNN), remembering for each candidate
// which of the profile's items gave it most (the reason shown beside it). Cost: K × (positives
// used) additions plus one pass over the items; no store access.

import type { ItemModel } from './model-store.js';
import { topK } from './ranking.js';

/** Only the most recent positives score (a profile's taste drifts; cost stays bounded). */
export const MAX_SCORING_ITEMS = 50;

export interface Scored {
  item: number;
  score: number;
  /** The profile's item that contributed most. */
  because: number;
}

export class ScoringModel {
  readonly index: Map<string, number>;

  constructor(readonly model: ItemModel) {
    this.index = new Map(model.itemIds.map((id, i) => [id, i]));
  }

  get items(): number {
    return this.model.itemIds.length;
  }

  /** Matrix indices of known item ids (unknown ones dropped). */
  indicesOf(itemIds: Iterable<string>): number[] {
    const out: number[] = [];
    for (const id of itemIds) {
      const i = this.index.get(id);
      if (i !== undefined) out.push(i);
    }
    return out;
  }

  /** The k best items for a profile with `positives` (most recent first), leaving out `excluded`. */
  topPicks(positives: readonly number[], excluded: readonly number[], k: number): Scored[] {
    const n = this.items;
    const { indptr, indices, weights } = this.model.neighbours;
    const scores = new Float64Array(n);
    const best = new Float64Array(n);
    const because = new Int32Array(n).fill(-1);
    for (const i of positives.slice(0, MAX_SCORING_ITEMS)) {
      for (let p = indptr[i]; p < indptr[i + 1]; p++) {
        const j = indices[p];
        const w = weights[p];
        scores[j] += w;
        if (w > best[j]) {
          best[j] = w;
          because[j] = i;
        }
      }
    }
    for (let j = 0; j < n; j++) if (!(scores[j] > 0)) scores[j] = -Infinity;
    const kept = scores.slice();
    return topK(scores, k, [...positives, ...excluded]).map((item) => ({ item, score: kept[item], because: because[item] }));
  }

  /** The strongest neighbours of one item, leaving out `excluded`. */
  neighboursOf(item: number, excluded: ReadonlySet<number>, k: number): number[] {
    const { indptr, indices, weights } = this.model.neighbours;
    const row: number[] = [];
    for (let p = indptr[item]; p < indptr[item + 1]; p++) if (!excluded.has(indices[p]) && indices[p] !== item) row.push(p);
    row.sort((a, b) => weights[b] - weights[a] || indices[a] - indices[b]);
    return row.slice(0, k).map((p) => indices[p]);
  }

  /**
   * The most popular items: recent counts in the country when it has its own counts, else recent
   * counts everywhere, else all-time counts. Returns the scope used.
   */
  popular(country: string | undefined, excluded: ReadonlySet<number>, k: number): { scope: 'country' | 'everywhere' | 'all_time'; items: number[] } {
    const m = this.model;
    const ranked = (counts: Float64Array) => topK(counts.map((c) => (c > 0 ? c : -Infinity)), k, [...excluded]);
    const local = country ? m.countries[country] : undefined;
    if (local && local.counts.length > 0) {
      const counts = new Float64Array(this.items);
      for (const [i, c] of local.counts) counts[i] = c;
      const items = ranked(counts);
      if (items.length > 0) return { scope: 'country', items };
    }
    const recent = ranked(m.recent);
    if (recent.length > 0) return { scope: 'everywhere', items: recent };
    return { scope: 'all_time', items: ranked(m.popularity) };
  }
}
