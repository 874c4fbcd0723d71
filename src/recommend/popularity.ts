// Popularity: score = how many users interacted with the item. Variants count only the users
// of one country, or only the interactions of a recent window (time is passed in, never read).
import { RecommendError } from './errors.js';
import type { Interactions } from './interactions.js';
import { recommenderFrom, type Recommender } from './ranking.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface PopularityParams {
  /** Count only users whose country (userCountries[user], ISO 3166-1 alpha-2) is `code`. */
  country?: { code: string; userCountries: readonly string[] };
  /** Count only interactions in (nowMs − windowDays, nowMs]; needs `atMs` on the matrix. */
  recent?: { nowMs: number; windowDays: number };
}

export interface PopularityModel extends Recommender {
  readonly kind: 'popularity';
  readonly counts: Float64Array;
}

export function trainPopularity(x: Interactions, params: PopularityParams = {}): PopularityModel {
  const { country, recent } = params;
  if (country && country.userCountries.length !== x.users) {
    throw new RecommendError(
      'BINGE_RECOMMEND_BAD_INPUT',
      `userCountries has ${country.userCountries.length} entries for ${x.users} users`,
    );
  }
  if (recent && !x.atMs) {
    throw new RecommendError(
      'BINGE_RECOMMEND_NO_TIMESTAMPS',
      'recent-window popularity needs interaction times: build the matrix from pairs with atMs',
    );
  }
  const since = recent ? recent.nowMs - recent.windowDays * DAY_MS : -Infinity;
  const until = recent ? recent.nowMs : Infinity;
  const counts = new Float64Array(x.items);
  for (let u = 0; u < x.users; u++) {
    if (country && country.userCountries[u] !== country.code) continue;
    for (let p = x.indptr[u]; p < x.indptr[u + 1]; p++) {
      const at = x.atMs ? x.atMs[p] : 0;
      if (recent && !(at > since && at <= until)) continue;
      counts[x.indices[p]]++;
    }
  }
  return { ...recommenderFrom('popularity', x.items, () => counts.slice()), kind: 'popularity', counts };
}
