// Training a served model from the store: read the signals of the profiles whose member consents
// to personalisation *now*, build the interaction matrix, train (EASE's inverse runs in the
// native addon or a worker thread, off the event loop), cut to top-K neighbours, add popularity
// counts, and save it with its data window and the consent state it saw.

import { randomUUID } from 'node:crypto';
import type { Catalogue } from '../domain/catalogue.js';
import type { Millis } from '../domain/model.js';
import { BingeError } from '../errors.js';
import type { PrivacyStore } from '../store/privacy-port.js';
import type { RecommendStore } from '../store/recommend-port.js';
import { DEFAULT_EASE_LAMBDA, trainEase } from './ease.js';
import { indexInteractions } from './interactions.js';
import { trainItemKnn } from './item-knn.js';
import { ItemCatalogue } from './items.js';
import {
  consentDigest,
  DEFAULT_NEIGHBOURS,
  encodeModel,
  neighboursOfSparse,
  topNeighboursOfDense,
  type ItemModel,
  type ModelKind,
} from './model-store.js';
import { trainPopularity } from './popularity.js';
import { profileSignals, trainingRecords, type ProfileSignals } from './training-data.js';

const DAY_MS = 86_400_000;

export interface TrainingOptions {
  kind: ModelKind;
  lambda: number;
  neighbours: number;
  /** Signals older than this are not read. */
  windowDays: number;
  /** "Popular" rows count the last this many days. */
  recentDays: number;
  /** A country gets its own popular row only with at least this many profiles in the data (else the global row). */
  minCountryProfiles: number;
}

export const DEFAULT_TRAINING: Readonly<TrainingOptions> = Object.freeze({
  kind: 'ease',
  lambda: DEFAULT_EASE_LAMBDA,
  neighbours: DEFAULT_NEIGHBOURS,
  windowDays: 730,
  recentDays: 30,
  minCountryProfiles: 20,
});

export interface TrainingDeps {
  store: RecommendStore;
  privacy: PrivacyStore;
  catalogue: Catalogue;
  now: () => Millis;
}

export interface TrainingData {
  consent: ItemModel['consent'];
  window: ItemModel['window'];
  signals: Map<string, ProfileSignals>;
}

/** The signals of consenting profiles in the window (hidden views never reach here: the store drops them). */
export async function readTrainingData(deps: TrainingDeps, windowDays: number): Promise<TrainingData> {
  const nowMs = deps.now();
  const window = { fromMs: nowMs - windowDays * DAY_MS, toMs: nowMs };
  const members = await deps.privacy.membersConsenting('personalisation', nowMs);
  const profiles = await deps.privacy.profilesConsenting('personalisation', nowMs);
  const inWindow = <T extends { atMs: Millis }>(list: T[]) => list.filter((s) => s.atMs >= window.fromMs && s.atMs <= window.toMs);
  const signals = profileSignals(new ItemCatalogue(deps.catalogue), {
    completed: await deps.store.completedTitles(profiles, window),
    thumbs: inWindow(await deps.store.latestThumbs(profiles)),
    picks: inWindow(await deps.store.picksOf(profiles)),
  });
  return { consent: { members: members.length, profiles: profiles.length, digest: consentDigest(members) }, window, signals };
}

/**
 * Trains a model from consenting profiles' signals and saves it; returns it. An erasure flag
 * (`recompute.models`) seen before the data is read is cleared once the model is saved: the
 * model was trained without the erased member. One set meanwhile stays for the next training.
 */
export async function trainAndStore(deps: TrainingDeps, options: Partial<TrainingOptions> = {}): Promise<ItemModel> {
  const o = { ...DEFAULT_TRAINING, ...options };
  const erasure = await deps.store.recomputeFlag();
  const data = await readTrainingData(deps, o.windowDays);
  const model = await trainItemModel(data, o, deps.now());
  if (model.kind !== 'popularity' || model.itemIds.length > 0) {
    const countries = await deps.store.countriesOf([...data.signals.keys()]);
    addCountryPopularity(model, data, countries, o, deps.now());
  }
  await deps.store.saveModel(encodeModel(model));
  if (erasure !== undefined) await deps.store.clearRecomputeFlag(erasure);
  return model;
}

/** The model of `data` (no store access): neighbours and global popularity. */
export async function trainItemModel(data: TrainingData, o: TrainingOptions, nowMs: Millis): Promise<ItemModel> {
  const records = trainingRecords(data.signals.values());
  if (records.length === 0) {
    throw new BingeError(
      'BINGE_RECOMMEND_NO_DATA',
      `no completed views, thumbs up or picks of consenting profiles in the last ${o.windowDays} days; load some (binge demo, binge import) and train again`,
    );
  }
  const { matrix, itemIds } = indexInteractions(records);
  let neighbours: ItemModel['neighbours'];
  const params: Record<string, unknown> = { neighbours: o.neighbours, windowDays: o.windowDays };
  if (o.kind === 'ease') {
    const ease = await trainEase(matrix, { lambda: o.lambda });
    neighbours = topNeighboursOfDense(ease.weights, matrix.items, o.neighbours);
    Object.assign(params, { lambda: o.lambda, inversePath: ease.inversePath });
  } else if (o.kind === 'itemKnn') {
    neighbours = neighboursOfSparse(trainItemKnn(matrix, { neighbours: o.neighbours }).similarities, o.neighbours);
  } else {
    neighbours = { indptr: new Int32Array(matrix.items + 1), indices: new Int32Array(0), weights: new Float32Array(0) };
  }
  return {
    modelId: randomUUID(),
    kind: o.kind,
    params,
    trainedAtMs: nowMs,
    window: data.window,
    consent: data.consent,
    interactions: records.length,
    itemIds,
    neighbours,
    popularity: trainPopularity(matrix).counts,
    recent: trainPopularity(matrix, { recent: { nowMs, windowDays: o.recentDays } }).counts,
    recentDays: o.recentDays,
    countries: {},
  };
}

/** Recent popularity per country, for countries with enough profiles that a row reveals no one. */
function addCountryPopularity(model: ItemModel, data: TrainingData, countries: Map<string, string>, o: TrainingOptions, nowMs: Millis): void {
  const records = trainingRecords(data.signals.values());
  const { matrix, userIds, itemIds } = indexInteractions(records);
  const position = new Map(model.itemIds.map((id, i) => [id, i]));
  const userCountries = userIds.map((p) => countries.get(p) ?? '');
  const sizes = new Map<string, number>();
  for (const c of userCountries) if (c) sizes.set(c, (sizes.get(c) ?? 0) + 1);
  for (const [code, profiles] of sizes) {
    if (profiles < o.minCountryProfiles) continue;
    const counts = trainPopularity(matrix, { country: { code, userCountries }, recent: { nowMs, windowDays: o.recentDays } }).counts;
    const sparse: [number, number][] = [];
    counts.forEach((n, i) => {
      if (n > 0) sparse.push([position.get(itemIds[i])!, n]);
    });
    model.countries[code] = { profiles, counts: sparse };
  }
}
