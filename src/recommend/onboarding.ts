// Titles to pick from at sign-up: diverse, not only the most popular. Greedy selection (a form
// of maximal marginal relevance): each step takes the candidate with the best
//   POPULARITY_WEIGHT · popularity (normalised) + GENRE_WEIGHT · share of its genres not yet covered
//   − SIMILARITY_PENALTY · its strongest neighbour weight to an already chosen item (normalised per item)
// so the list spans genres and does not hold three titles everyone watches together.

import type { Item, ItemCatalogue } from './items.js';
import type { ScoringModel } from './scoring.js';

export const ONBOARDING_DEFAULTS: Readonly<{ limit: number; candidates: number }> = Object.freeze({ limit: 24, candidates: 300 });
const POPULARITY_WEIGHT = 0.45;
const GENRE_WEIGHT = 0.55;
const SIMILARITY_PENALTY = 0.5;

export interface OnboardingTitle {
  itemId: string;
  titleId: string;
  name: string;
  genres: readonly string[];
}

export function onboardingTitles(items: ItemCatalogue, model: ScoringModel | undefined, limit = ONBOARDING_DEFAULTS.limit): OnboardingTitle[] {
  const popularity = (item: Item) => {
    const i = model?.index.get(item.itemId);
    return i === undefined ? 0 : model!.model.popularity[i];
  };
  const all = items.all();
  const candidates = all
    .map((item) => ({ item, pop: popularity(item) }))
    .sort((a, b) => b.pop - a.pop || (a.item.itemId < b.item.itemId ? -1 : 1))
    .slice(0, Math.max(ONBOARDING_DEFAULTS.candidates, limit));
  const maxPop = Math.max(1, ...candidates.map((c) => c.pop));
  const covered = new Set<string>();
  const chosen: { item: Item; index: number | undefined }[] = [];
  const left = new Set(candidates.keys());
  while (chosen.length < limit && left.size > 0) {
    let best = -1;
    let bestValue = -Infinity;
    for (const c of left) {
      const { item, pop } = candidates[c];
      const fresh = item.genres.length === 0 ? 0 : item.genres.filter((g) => !covered.has(g)).length / item.genres.length;
      const value = POPULARITY_WEIGHT * Math.log1p(pop) / Math.log1p(maxPop) + GENRE_WEIGHT * fresh - SIMILARITY_PENALTY * similarityToChosen(model, item, chosen);
      if (value > bestValue) {
        bestValue = value;
        best = c;
      }
    }
    left.delete(best);
    const item = candidates[best].item;
    for (const g of item.genres) covered.add(g);
    chosen.push({ item, index: model?.index.get(item.itemId) });
  }
  return chosen.map(({ item }) => ({ itemId: item.itemId, titleId: item.playTitleId, name: item.name, genres: item.genres }));
}

/** The candidate's strongest neighbour weight to a chosen item, as a share of its strongest weight (0..1). */
function similarityToChosen(model: ScoringModel | undefined, item: Item, chosen: readonly { index: number | undefined }[]): number {
  const i = model?.index.get(item.itemId);
  if (!model || i === undefined || chosen.length === 0) return 0;
  const { indptr, indices, weights } = model.model.neighbours;
  let max = 0;
  let toChosen = 0;
  const picked = new Set(chosen.map((c) => c.index));
  for (let p = indptr[i]; p < indptr[i + 1]; p++) {
    max = Math.max(max, weights[p]);
    if (picked.has(indices[p])) toChosen = Math.max(toChosen, weights[p]);
  }
  return max > 0 ? toChosen / max : 0;
}
