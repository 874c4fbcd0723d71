// Keeps the derived views in the store up to date, incrementally. Appending events marks their
// profile dirty from the earliest new event; a refresh recomputes only from the first view that
// the new events can touch (a view ending within resumeMergeH of them, or a playback they
// continue), never the profile's whole history, and never other profiles. Dirty profiles are
// handled in batches: each batch reads its views and events in a few passes over the store,
// not a pass per profile.

import type { Catalogue } from '../domain/catalogue.js';
import type { Definitions } from '../domain/definitions.js';
import type { Millis, View } from '../domain/model.js';
import type { ProfileCut, Store, ViewReplacement } from '../store/port.js';
import { historyOf } from './index.js';

/** The earliest start of a view that ends within the merge window before `cut` (or `cut`). */
function viewCut(cut: Millis, existing: readonly View[], mergeMs: number): Millis {
  let next = cut;
  for (const view of existing) {
    if (view.endMs >= cut - mergeMs && view.startMs < next) next = view.startMs;
  }
  return next;
}

/**
 * Where recomputation of each profile must start so that the result equals a full recompute:
 * widened to views that may merge with the new events, and to playbacks that began earlier and
 * go on after the cut, until nothing moves.
 */
export async function recomputeFrom(
  store: Store,
  dirty: readonly ProfileCut[],
  existing: ReadonlyMap<string, readonly View[]>,
  defs: Definitions,
): Promise<Map<string, Millis>> {
  const mergeMs = defs.resumeMergeH * 3_600_000;
  const cuts = new Map(dirty.map((d) => [d.profileId, viewCut(d.fromMs, existing.get(d.profileId) ?? [], mergeMs)]));
  let moving = [...cuts.keys()];
  while (moving.length > 0) {
    const playbackStarts = await store.earliestEventOfPlaybacksSince(moving.map((profileId) => ({ profileId, fromMs: cuts.get(profileId)! })));
    const moved: string[] = [];
    for (const profileId of moving) {
      const cut = cuts.get(profileId)!;
      const started = playbackStarts.get(profileId);
      const next = viewCut(started !== undefined && started < cut ? started : cut, existing.get(profileId) ?? [], mergeMs);
      if (next < cut) {
        cuts.set(profileId, next);
        moved.push(profileId);
      }
    }
    moving = moved;
  }
  return cuts;
}

/** Recomputes the views of a batch of dirty profiles, each from its own cut (the pure functions are the rule). */
export async function recomputeViews(
  store: Store,
  catalogue: Catalogue,
  defs: Definitions,
  dirty: readonly (ProfileCut & { upToSeq?: number })[],
): Promise<ViewReplacement[]> {
  const existing = await store.viewsOfProfiles(dirty.map((d) => d.profileId));
  const cuts = await recomputeFrom(store, dirty, existing, defs);
  const events = await store.eventsOfProfiles([...cuts].map(([profileId, fromMs]) => ({ profileId, fromMs })));
  return dirty.map(({ profileId, upToSeq }) => {
    const fromMs = cuts.get(profileId)!;
    const before = existing.get(profileId) ?? [];
    const { views } = historyOf(events.get(profileId) ?? [], catalogue.titleOf, defs);
    // Rewatches look back past the cut: a title completed before it makes a later completion a rewatch.
    const completedBefore = new Set(before.filter((v) => v.startMs < fromMs && v.completed).map((v) => v.titleId));
    const hidden = new Set(before.filter((v) => v.hidden).map((v) => v.viewId));
    for (const view of views) {
      if (view.completed && completedBefore.has(view.titleId)) view.rewatch = true;
      view.hidden = hidden.has(view.viewId);
    }
    return { profileId, fromMs, views, upToSeq };
  });
}

export interface RefreshResult {
  profiles: number;
  views: number;
}

const DEFAULT_BATCH_PROFILES = 2000;
/** Events an in-store batch aims at: a full recompute stays at 2,000 profiles a batch (memory), a day's refresh of a large service takes one or two. */
const IN_STORE_BATCH_EVENTS = 4_000_000;
const MAX_IN_STORE_BATCH_PROFILES = 200_000;

/**
 * The size of the next in-store batch from what the last one read: each batch pays a few passes
 * over the whole events, views and bounds tables whatever its size (at 100M events, seconds), so
 * after one more day, when each profile has few new events, profiles go in by the hundred thousand.
 */
export function nextInStoreBatch(profiles: number, events: number): number {
  const perProfile = Math.max(1, events) / Math.max(1, profiles);
  return Math.min(MAX_IN_STORE_BATCH_PROFILES, Math.max(DEFAULT_BATCH_PROFILES, Math.floor(IN_STORE_BATCH_EVENTS / perProfile)));
}

/**
 * Brings the derived views of dirty profiles (all, or the ones named) up to date. A store that
 * computes views itself (DuckDB: store/duckdb/views-refresh.ts) does each batch in place and
 * hands back the profiles it cannot do exactly (the 24 h cap), which the pure functions redo;
 * `inStore: false` forces the pure path for every profile.
 */
export async function refreshViews(
  store: Store,
  catalogue: Catalogue,
  defs: Definitions,
  options: {
    profileIds?: readonly string[];
    batchSize?: number;
    inStore?: boolean;
    onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<RefreshResult> {
  const dirty = await store.dirtyProfiles(options.profileIds);
  let batchSize = options.batchSize ?? DEFAULT_BATCH_PROFILES;
  let views = 0;
  for (let i = 0; i < dirty.length; ) {
    let batch = dirty.slice(i, i + batchSize);
    i += batch.length;
    if (store.refreshViewsInStore && options.inStore !== false) {
      const done = await store.refreshViewsInStore(batch, defs);
      views += done.views;
      batch = done.leftDirty;
      if (options.batchSize === undefined && done.events !== undefined) batchSize = nextInStoreBatch(done.profiles + done.leftDirty.length, done.events);
    }
    if (batch.length > 0) {
      const work = await recomputeViews(store, catalogue, defs, batch);
      await store.replaceViews(work);
      views += work.reduce((n, w) => n + w.views.length, 0);
    }
    options.onProgress?.(i, dirty.length);
  }
  return { profiles: dirty.length, views };
}
