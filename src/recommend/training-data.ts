// From stored signals to what models learn from and what rows must leave out, per profile.
// Pure: the store has already dropped hidden views and kept only the profiles whose member
// consents to personalisation (training.ts asks it).
//
// Rules (src/recommend/README.md, "Training data"):
// - a positive is an item with a completed view, a thumbs up or two up, or an onboarding pick;
// - the latest thumb on a title wins; a thumbs-down makes its item *disliked*: never a positive,
//   never recommended;
// - an item with a completed view is *seen* and left out of recommendations, unless it was
//   rewatched often: at least REWATCHES_TO_RECOMMEND_AGAIN rewatches (completions − 1) of one
//   of its titles.

import type { Millis, OnboardingPick } from '../domain/model.js';
import type { CompletedTitle, LatestThumb } from '../store/recommend-port.js';
import type { ItemCatalogue } from './items.js';

/** "Rewatched often": a title completed at least 1 + 3 times may be recommended again. */
export const REWATCHES_TO_RECOMMEND_AGAIN = 3;

export interface ProfileSignals {
  profileId: string;
  /** Positive items with the time of the latest positive signal. */
  positives: Map<string, Millis>;
  /** Items to leave out of recommendations: seen (not rewatched often) or disliked. */
  excluded: Set<string>;
  disliked: Set<string>;
}

export interface SignalSources {
  completed: readonly CompletedTitle[];
  thumbs: readonly LatestThumb[];
  picks?: readonly OnboardingPick[];
}

/** Signals per profile, in the order profiles first appear. */
export function profileSignals(items: ItemCatalogue, sources: SignalSources): Map<string, ProfileSignals> {
  const out = new Map<string, ProfileSignals>();
  const of = (profileId: string): ProfileSignals => {
    let s = out.get(profileId);
    if (!s) out.set(profileId, (s = { profileId, positives: new Map(), excluded: new Set(), disliked: new Set() }));
    return s;
  };
  const positive = (s: ProfileSignals, itemId: string, atMs: Millis) => s.positives.set(itemId, Math.max(atMs, s.positives.get(itemId) ?? -Infinity));

  for (const thumb of sources.thumbs) {
    const item = items.itemOfTitle(thumb.titleId);
    if (item && thumb.rating === 'down') of(thumb.profileId).disliked.add(item.itemId);
  }
  const rewatchedOften = new Map<string, Set<string>>();
  for (const c of sources.completed) {
    const item = items.itemOfTitle(c.titleId);
    if (!item) continue;
    const s = of(c.profileId);
    positive(s, item.itemId, c.lastCompletedMs);
    if (c.completions - 1 >= REWATCHES_TO_RECOMMEND_AGAIN) {
      let often = rewatchedOften.get(c.profileId);
      if (!often) rewatchedOften.set(c.profileId, (often = new Set()));
      often.add(item.itemId);
    }
  }
  for (const c of sources.completed) {
    const item = items.itemOfTitle(c.titleId);
    if (item && !rewatchedOften.get(c.profileId)?.has(item.itemId)) of(c.profileId).excluded.add(item.itemId);
  }
  for (const thumb of sources.thumbs) {
    const item = items.itemOfTitle(thumb.titleId);
    if (item && thumb.rating !== 'down') positive(of(thumb.profileId), item.itemId, thumb.atMs);
  }
  for (const pick of sources.picks ?? []) {
    const item = items.itemOfTitle(pick.titleId);
    if (item) positive(of(pick.profileId), item.itemId, pick.atMs);
  }
  for (const s of out.values()) {
    for (const itemId of s.disliked) {
      s.positives.delete(itemId);
      s.excluded.add(itemId);
    }
  }
  return out;
}

/** The interaction records a model trains on: one per profile and positive item, with its time. */
export function trainingRecords(signals: Iterable<ProfileSignals>): { userId: string; itemId: string; atMs: number }[] {
  const records: { userId: string; itemId: string; atMs: number }[] = [];
  for (const s of signals) {
    for (const [itemId, atMs] of [...s.positives].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      records.push({ userId: s.profileId, itemId, atMs });
    }
  }
  return records;
}
