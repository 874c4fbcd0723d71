// Keeps the derived views in the store up to date, incrementally. Appending events marks their
// profile dirty from the earliest new event; a refresh recomputes only from the first view that
// the new events can touch (a view ending within resumeMergeH of them, or a playback they
// continue), never the profile's whole history, and never other profiles.

import type { Catalogue } from '../domain/catalogue.js';
import type { Definitions } from '../domain/definitions.js';
import type { Millis, View } from '../domain/model.js';
import type { Store, ViewReplacement } from '../store/port.js';
import { historyOf } from './index.js';

/** Where recomputation of a profile must start so that the result equals a full recompute. */
export async function recomputeFrom(store: Store, profileId: string, dirtyFromMs: Millis, existing: readonly View[], defs: Definitions): Promise<Millis> {
  const mergeMs = defs.resumeMergeH * 3_600_000;
  let cut = dirtyFromMs;
  for (;;) {
    let next = cut;
    // A view that ends close enough before `cut` may merge with what comes after it.
    for (const view of existing) {
      if (view.endMs >= cut - mergeMs && view.startMs < next) next = view.startMs;
    }
    // A playback that began before `cut` and goes on after it must be read whole.
    const playbackStart = await store.earliestEventOfPlaybacksSince(profileId, next);
    if (playbackStart !== undefined && playbackStart < next) next = playbackStart;
    if (next === cut) return cut;
    cut = next;
  }
}

/** Recomputes the views of one profile from `fromMs` on (the pure functions are the rule). */
export async function viewsOfProfileFrom(
  store: Store,
  catalogue: Catalogue,
  defs: Definitions,
  profileId: string,
  dirtyFromMs: Millis,
): Promise<ViewReplacement> {
  const existing = await store.allViews(profileId);
  const fromMs = await recomputeFrom(store, profileId, dirtyFromMs, existing, defs);
  const events = await store.eventsOfProfile(profileId, fromMs);
  const { views } = historyOf(events, catalogue.titleOf, defs);
  // Rewatches look back past the cut: a title completed before it makes a later completion a rewatch.
  const completedBefore = new Set(existing.filter((v) => v.startMs < fromMs && v.completed).map((v) => v.titleId));
  const hidden = new Set(existing.filter((v) => v.hidden).map((v) => v.viewId));
  for (const view of views) {
    if (view.completed && completedBefore.has(view.titleId)) view.rewatch = true;
    view.hidden = hidden.has(view.viewId);
  }
  return { profileId, fromMs, views };
}

export interface RefreshResult {
  profiles: number;
  views: number;
}

/** Brings the derived views of dirty profiles (all, or the ones named) up to date. */
export async function refreshViews(
  store: Store,
  catalogue: Catalogue,
  defs: Definitions,
  options: { profileIds?: readonly string[]; batchSize?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<RefreshResult> {
  let dirty = await store.dirtyProfiles();
  if (options.profileIds) {
    const wanted = new Set(options.profileIds);
    dirty = dirty.filter((d) => wanted.has(d.profileId));
  }
  const batchSize = options.batchSize ?? 200;
  let views = 0;
  for (let i = 0; i < dirty.length; i += batchSize) {
    const work: ViewReplacement[] = [];
    for (const { profileId, fromMs } of dirty.slice(i, i + batchSize)) {
      work.push(await viewsOfProfileFrom(store, catalogue, defs, profileId, fromMs));
    }
    await store.replaceViews(work);
    views += work.reduce((n, w) => n + w.views.length, 0);
    options.onProgress?.(Math.min(i + batchSize, dirty.length), dirty.length);
  }
  return { profiles: dirty.length, views };
}
