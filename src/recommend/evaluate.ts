// Offline evaluation on the MovieLens-100k folds: every rating is one implicit interaction; for
// each user with held-out items, rank every item they did not train on and score the top k.
import { blendRecommenders } from './blend.js';
import { DEFAULT_EASE_LAMBDA, easeFromGram, trainEase, type EaseParams } from './ease.js';
import { gramMatrix } from './gram.js';
import { itemsOfUser } from './interactions.js';
import { trainItemKnn, type ItemKnnParams } from './item-knn.js';
import { catalogueCoverage, ndcgAtK, precisionAtK, recallAtK } from './metrics.js';
import { movieLensFoldNames, readMovieLensFold, type MovieLensFold } from './movielens.js';
import { trainPopularity } from './popularity.js';
import type { Recommender } from './ranking.js';
import { trainRp3beta, type Rp3betaParams } from './rp3beta.js';
import type { InverseOptions, InversePath } from './spd-inverse.js';

export const EVALUATED_MODELS = ['popularity', 'itemKnn', 'ease', 'rp3beta', 'easeRp3beta'] as const;
export type EvaluatedModel = (typeof EVALUATED_MODELS)[number];

/** Share of RP3beta in the EASE + RP3beta blend (each part scaled to its per-user maximum). */
export const DEFAULT_BLEND_WEIGHT = 0.05;

export interface RankingMetrics {
  precision: number;
  recall: number;
  ndcg: number;
  coverage: number;
}

export interface FoldEvaluation {
  name: string;
  /** Users with at least one held-out item: the ones averaged over. */
  users: number;
  models: Record<EvaluatedModel, RankingMetrics>;
  inversePath: InversePath;
}

export interface MovieLensEvaluation {
  dir: string;
  k: number;
  lambda: number;
  folds: FoldEvaluation[];
  mean: Record<EvaluatedModel, RankingMetrics>;
  /** The model with the best mean nDCG@k (EASE unless a candidate beats it). */
  defaultModel: EvaluatedModel;
}

export interface EvaluationOptions {
  k?: number;
  /** Fold names to run (default: every uN.base/uN.test pair in the folder). */
  folds?: string[];
  ease?: EaseParams;
  itemKnn?: ItemKnnParams;
  rp3beta?: Rp3betaParams;
  blendWeight?: number;
  onFold?: (fold: FoldEvaluation) => void;
}

/** Precision, recall, nDCG at k and catalogue coverage of one model on one fold. */
export function evaluateRecommender(model: Recommender, fold: MovieLensFold, k: number): RankingMetrics {
  const sums = { precision: 0, recall: 0, ndcg: 0 };
  const lists: number[][] = [];
  for (const [user, relevant] of fold.test) {
    if (relevant.size === 0) continue;
    const ranked = model.recommend(itemsOfUser(fold.train, user), k);
    lists.push(ranked);
    sums.precision += precisionAtK(ranked, relevant, k);
    sums.recall += recallAtK(ranked, relevant, k);
    sums.ndcg += ndcgAtK(ranked, relevant, k);
  }
  const users = Math.max(lists.length, 1);
  return {
    precision: sums.precision / users,
    recall: sums.recall / users,
    ndcg: sums.ndcg / users,
    coverage: catalogueCoverage(lists, fold.catalogue, k),
  };
}

export async function evaluateMovieLens(dir: string, options: EvaluationOptions = {}): Promise<MovieLensEvaluation> {
  const k = options.k ?? 10;
  const names = options.folds ?? movieLensFoldNames(dir);
  const folds: FoldEvaluation[] = [];
  for (const name of names) {
    const fold = readMovieLensFold(dir, name);
    const ease = await trainEase(fold.train, options.ease);
    const rp3beta = trainRp3beta(fold.train, options.rp3beta);
    const weight = options.blendWeight ?? DEFAULT_BLEND_WEIGHT;
    const models: Record<EvaluatedModel, Recommender> = {
      popularity: trainPopularity(fold.train),
      itemKnn: trainItemKnn(fold.train, options.itemKnn),
      ease,
      rp3beta,
      easeRp3beta: blendRecommenders('ease+rp3beta', [
        { model: ease, weight: 1 - weight },
        { model: rp3beta, weight },
      ]),
    };
    const result: FoldEvaluation = {
      name,
      users: [...fold.test.values()].filter((items) => items.size > 0).length,
      models: mapModels((model) => evaluateRecommender(models[model], fold, k)),
      inversePath: ease.inversePath,
    };
    options.onFold?.(result);
    folds.push(result);
  }
  const mean = mapModels((model) => meanMetrics(folds.map((f) => f.models[model])));
  const defaultModel = EVALUATED_MODELS.reduce((a, b) => (mean[b].ndcg > mean[a].ndcg ? b : a), 'ease' as EvaluatedModel);
  return { dir, k, lambda: options.ease?.lambda ?? DEFAULT_EASE_LAMBDA, folds, mean, defaultModel };
}

/** Mean nDCG@k of EASE per λ, building each fold's Gram matrix once. */
export async function sweepEaseLambda(
  dir: string,
  lambdas: readonly number[],
  options: { k?: number; inverse?: InverseOptions } = {},
): Promise<{ lambda: number; ndcg: number }[]> {
  const k = options.k ?? 10;
  const totals = lambdas.map(() => 0);
  const names = movieLensFoldNames(dir);
  for (const name of names) {
    const fold = readMovieLensFold(dir, name);
    const gram = gramMatrix(fold.train);
    for (const [at, lambda] of lambdas.entries()) {
      const model = await easeFromGram(gram.slice(), fold.train.items, { lambda, inverse: options.inverse });
      totals[at] += evaluateRecommender(model, fold, k).ndcg;
    }
  }
  return lambdas.map((lambda, at) => ({ lambda, ndcg: totals[at] / names.length }));
}

function mapModels<T>(f: (model: EvaluatedModel) => T): Record<EvaluatedModel, T> {
  return Object.fromEntries(EVALUATED_MODELS.map((m) => [m, f(m)])) as Record<EvaluatedModel, T>;
}

function meanMetrics(list: RankingMetrics[]): RankingMetrics {
  const mean = (pick: (m: RankingMetrics) => number) => list.reduce((s, m) => s + pick(m), 0) / list.length;
  return { precision: mean((m) => m.precision), recall: mean((m) => m.recall), ndcg: mean((m) => m.ndcg), coverage: mean((m) => m.coverage) };
}

/** A plain-text table: one row per fold and model, then the means; the best model is marked. */
export function formatEvaluation(report: MovieLensEvaluation): string {
  const k = report.k;
  const header = ['fold', 'model', `P@${k}`, `R@${k}`, `nDCG@${k}`, 'coverage'];
  const rows: string[][] = [];
  const add = (fold: string, metrics: Record<EvaluatedModel, RankingMetrics>) => {
    for (const model of EVALUATED_MODELS) {
      const m = metrics[model];
      const name = fold === 'mean' && model === report.defaultModel ? `${model} (default)` : model;
      rows.push([fold, name, m.precision.toFixed(4), m.recall.toFixed(4), m.ndcg.toFixed(4), m.coverage.toFixed(4)]);
    }
  };
  for (const fold of report.folds) add(fold.name, fold.models);
  add('mean', report.mean);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  const paths = [...new Set(report.folds.map((f) => f.inversePath))].join(', ');
  return [
    `MovieLens-100k, ${report.folds.length} folds, EASE λ=${report.lambda}, inverse: ${paths}`,
    line(header),
    ...rows.map(line),
  ].join('\n');
}
