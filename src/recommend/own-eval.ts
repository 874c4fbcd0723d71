// Offline evaluation on binge's own store, with the models and metrics of the MovieLens
// evaluation (evaluate.ts): a time split per profile. For each consenting profile, its completed
// items ordered by first completion; the last 20 % (at least one, for profiles with at least two)
// are held out, everything before them (and thumbs up, picks) is training. Every model ranks
// the items the profile did not train on; P/R/nDCG@k and coverage as for MovieLens.

import { blendRecommenders } from './blend.js';
import { trainEase } from './ease.js';
import { DEFAULT_BLEND_WEIGHT, EVALUATED_MODELS, evaluateRecommender, formatEvaluation, type EvaluatedModel, type MovieLensEvaluation } from './evaluate.js';
import { interactionsFromPairs, type InteractionPair } from './interactions.js';
import { trainItemKnn } from './item-knn.js';
import { ItemCatalogue } from './items.js';
import type { MovieLensFold } from './movielens.js';
import { trainPopularity } from './popularity.js';
import type { Recommender } from './ranking.js';
import { trainRp3beta } from './rp3beta.js';
import { DEFAULT_TRAINING, readTrainingData, type TrainingDeps } from './training.js';

export const OWN_TEST_SHARE = 0.2;

export interface OwnSplit {
  fold: MovieLensFold;
  profiles: number;
  heldOut: number;
}

/** The time split of the store's consenting profiles as a fold the MovieLens metrics understand. */
export async function ownSplit(deps: TrainingDeps, windowDays = DEFAULT_TRAINING.windowDays): Promise<OwnSplit> {
  const data = await readTrainingData(deps, windowDays);
  const nowMs = deps.now();
  const items = new ItemCatalogue(deps.catalogue);
  const completed = await deps.store.completedTitles([...data.signals.keys()], { fromMs: nowMs - windowDays * 86_400_000, toMs: nowMs });
  const firstCompletion = new Map<string, Map<string, number>>();
  for (const c of completed) {
    const item = items.itemOfTitle(c.titleId);
    if (!item) continue;
    let byItem = firstCompletion.get(c.profileId);
    if (!byItem) firstCompletion.set(c.profileId, (byItem = new Map()));
    byItem.set(item.itemId, Math.min(c.firstCompletedMs, byItem.get(item.itemId) ?? Infinity));
  }
  const itemIndex = new Map<string, number>();
  const indexOf = (id: string) => itemIndex.get(id) ?? (itemIndex.set(id, itemIndex.size), itemIndex.size - 1);
  const pairs: InteractionPair[] = [];
  const test = new Map<number, Set<number>>();
  let user = 0;
  let heldOut = 0;
  for (const [profileId, signals] of data.signals) {
    const order = [...(firstCompletion.get(profileId) ?? new Map<string, number>())]
      .filter(([itemId]) => signals.positives.has(itemId))
      .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
      .map(([itemId]) => itemId);
    const held = order.length >= 2 ? new Set(order.slice(order.length - Math.max(1, Math.round(order.length * OWN_TEST_SHARE)))) : new Set<string>();
    for (const itemId of signals.positives.keys()) if (!held.has(itemId)) pairs.push({ user, item: indexOf(itemId) });
    if (held.size > 0) {
      test.set(user, new Set([...held].map(indexOf)));
      heldOut += held.size;
    }
    user++;
  }
  const fold: MovieLensFold = { name: 'own', train: interactionsFromPairs(user, itemIndex.size, pairs), test, catalogue: itemIndex.size };
  return { fold, profiles: test.size, heldOut };
}

export interface OwnEvaluation extends MovieLensEvaluation {
  profiles: number;
  heldOut: number;
}

export async function evaluateOwn(deps: TrainingDeps, options: { k?: number; lambda?: number } = {}): Promise<OwnEvaluation> {
  const k = options.k ?? 10;
  const lambda = options.lambda ?? DEFAULT_TRAINING.lambda;
  const { fold, profiles, heldOut } = await ownSplit(deps);
  const ease = await trainEase(fold.train, { lambda });
  const rp3beta = trainRp3beta(fold.train);
  const models: Record<EvaluatedModel, Recommender> = {
    popularity: trainPopularity(fold.train),
    itemKnn: trainItemKnn(fold.train),
    ease,
    rp3beta,
    easeRp3beta: blendRecommenders('ease+rp3beta', [
      { model: ease, weight: 1 - DEFAULT_BLEND_WEIGHT },
      { model: rp3beta, weight: DEFAULT_BLEND_WEIGHT },
    ]),
  };
  const metrics = Object.fromEntries(EVALUATED_MODELS.map((m) => [m, evaluateRecommender(models[m], fold, k)])) as MovieLensEvaluation['mean'];
  const defaultModel = EVALUATED_MODELS.reduce((a, b) => (metrics[b].ndcg > metrics[a].ndcg ? b : a), 'ease' as EvaluatedModel);
  return {
    dir: 'store',
    k,
    lambda,
    folds: [{ name: 'own', users: profiles, models: metrics, inversePath: ease.inversePath }],
    mean: metrics,
    defaultModel,
    profiles,
    heldOut,
  };
}

/** The MovieLens table, headed for the store's split. */
export function formatOwnEvaluation(report: OwnEvaluation): string {
  const lines = formatEvaluation(report).split('\n');
  lines[0] =
    `binge store, time split per profile (last ${OWN_TEST_SHARE * 100} % of completed titles held out): ` +
    `${report.profiles} profiles, ${report.heldOut} held-out items, EASE λ=${report.lambda}, inverse: ${report.folds[0].inversePath}`;
  return lines.join('\n');
}
