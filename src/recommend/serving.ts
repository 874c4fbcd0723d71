// Serving: the current model held in memory (loaded once, swapped after each training), and per
// request the profile's own signals read in three small queries (views, thumbs, picks), consent
// checked at the moment of the request, then rows computed in memory (scoring.ts, rows.ts).

import type { Catalogue } from '../domain/catalogue.js';
import type { Millis, View } from '../domain/model.js';
import { continueWatching } from '../history/continue-watching.js';
import type { Store } from '../store/port.js';
import type { PrivacyStore } from '../store/privacy-port.js';
import type { CompletedTitle, RecommendStore } from '../store/recommend-port.js';
import { ItemCatalogue } from './items.js';
import { decodeModel, type ItemModel } from './model-store.js';
import { onboardingTitles, type OnboardingTitle } from './onboarding.js';
import { buildRows, type Row, type RowItem } from './rows.js';
import { ScoringModel } from './scoring.js';
import { profileSignals, type ProfileSignals } from './training-data.js';

export const ROW_LIMIT = 20;

export interface ServingDeps {
  store: Store;
  recommend: RecommendStore;
  privacy: PrivacyStore;
  catalogue: Catalogue;
  now: () => Millis;
}

export interface ProfileRows {
  personal: boolean;
  modelId: string | null;
  rows: Row[];
}

/** Completed titles of a profile from its views (hidden and supplemental views left out). */
export function completedOfViews(views: readonly View[]): CompletedTitle[] {
  const byTitle = new Map<string, CompletedTitle>();
  for (const v of views) {
    if (v.hidden || !v.completed || v.kind === 'supplemental') continue;
    const c = byTitle.get(v.titleId);
    if (c) {
      c.completions++;
      c.firstCompletedMs = Math.min(c.firstCompletedMs, v.endMs);
      c.lastCompletedMs = Math.max(c.lastCompletedMs, v.endMs);
    } else {
      byTitle.set(v.titleId, { profileId: v.profileId, titleId: v.titleId, completions: 1, firstCompletedMs: v.endMs, lastCompletedMs: v.endMs });
    }
  }
  return [...byTitle.values()];
}

export class RecommendService {
  private current: Promise<ScoringModel | undefined> | undefined;
  private loaded: ScoringModel | undefined;
  private itemCatalogue: { size: number; items: ItemCatalogue } | undefined;

  constructor(private readonly deps: ServingDeps) {}

  /** The model being served (loaded from the store on first use). */
  model(): Promise<ScoringModel | undefined> {
    this.current ??= this.deps.recommend.latestModel().then((row) => (this.loaded = row ? new ScoringModel(decodeModel(row)) : undefined));
    return this.current;
  }

  /** Serves `model` from now on (after training in this process). */
  use(model: ItemModel): void {
    this.loaded = new ScoringModel(model);
    this.current = Promise.resolve(this.loaded);
  }

  /** The in-memory part of serving alone (personal rows from known signals; no store access): the bench measures it. */
  rowsFromSignals(signals: ProfileSignals, country: string | undefined, limit = ROW_LIMIT): Row[] {
    const items = this.items();
    const completedRecentFirst = [...signals.positives].sort((a, b) => b[1] - a[1]).map(([id]) => id);
    return buildRows({ personal: true, items, model: this.loaded, signals, completedRecentFirst, continueItems: [], country, limit });
  }

  items(): ItemCatalogue {
    const { catalogue } = this.deps;
    if (!this.itemCatalogue || this.itemCatalogue.size !== catalogue.size) this.itemCatalogue = { size: catalogue.size, items: new ItemCatalogue(catalogue) };
    return this.itemCatalogue.items;
  }

  /** The profile's own signals: hidden views never read past the filter here. */
  async signalsOf(profileId: string, extraPicks: readonly string[] = []): Promise<{ signals: ProfileSignals; views: View[] }> {
    const { store, recommend, now } = this.deps;
    const views = (await store.allViews(profileId)).filter((v) => !v.hidden);
    const thumbs = await recommend.latestThumbs([profileId]);
    const picks = await recommend.picksOf([profileId]);
    const at = now();
    const all = profileSignals(this.items(), {
      completed: completedOfViews(views),
      thumbs,
      picks: [...picks, ...extraPicks.map((titleId) => ({ profileId, titleId, atMs: at }))],
    });
    return { signals: all.get(profileId) ?? emptySignals(profileId), views };
  }

  async rowsFor(profile: { profileId: string; memberId: string }, limit = ROW_LIMIT): Promise<ProfileRows> {
    const { privacy, recommend, catalogue, now } = this.deps;
    const nowMs = now();
    const personal = await privacy.consentedAt(profile.memberId, 'personalisation', nowMs);
    const model = await this.model();
    const country = (await recommend.countriesOf([profile.profileId])).get(profile.profileId);
    const items = this.items();
    if (!personal) {
      const rows = buildRows({ personal, items, model, signals: emptySignals(profile.profileId), completedRecentFirst: [], continueItems: [], country, limit });
      return { personal, modelId: model?.model.modelId ?? null, rows };
    }
    const { signals, views } = await this.signalsOf(profile.profileId);
    const completedRecentFirst = completedOfViews(views)
      .sort((a, b) => b.lastCompletedMs - a.lastCompletedMs)
      .map((c) => items.itemOfTitle(c.titleId)?.itemId)
      .filter((id): id is string => id !== undefined && !signals.disliked.has(id));
    const continueItems = continueWatching(views, catalogue.titleOf, catalogue.episodesOfSeries, nowMs, limit);
    const rows = buildRows({ personal, items, model, signals, completedRecentFirst: [...new Set(completedRecentFirst)], continueItems, country, limit });
    return { personal, modelId: model?.model.modelId ?? null, rows };
  }

  /** Stores a profile's onboarding picks and answers with recommendations from the served model at once (no retraining). */
  async pick(profile: { profileId: string; memberId: string }, titleIds: readonly string[], limit = ROW_LIMIT): Promise<{ personal: boolean; items: RowItem[] }> {
    const { privacy, recommend, now } = this.deps;
    const nowMs = now();
    await recommend.setPicks(profile.profileId, titleIds, nowMs);
    const personal = await privacy.consentedAt(profile.memberId, 'personalisation', nowMs);
    const model = await this.model();
    if (!model) return { personal, items: [] };
    const items = this.items();
    if (!personal) {
      const country = (await recommend.countriesOf([profile.profileId])).get(profile.profileId);
      const popular = buildRows({ personal, items, model, signals: emptySignals(profile.profileId), completedRecentFirst: [], continueItems: [], country, limit });
      return { personal, items: popular.flatMap((r) => r.items) };
    }
    const { signals } = await this.signalsOf(profile.profileId);
    const picked = model.indicesOf(titleIds.map((t) => items.itemOfTitle(t)?.itemId).filter((id): id is string => id !== undefined));
    const excluded = model.indicesOf(signals.excluded);
    const positives = [...picked, ...model.indicesOf([...signals.positives.keys()]).filter((i) => !picked.includes(i))];
    const out: RowItem[] = [];
    for (const s of model.topPicks(positives, excluded, limit)) {
      const x = items.item(model.model.itemIds[s.item]);
      const from = s.because >= 0 ? items.item(model.model.itemIds[s.because]) : undefined;
      const verb = picked.includes(s.because) ? 'picked' : 'liked';
      if (x) out.push({ itemId: x.itemId, titleId: x.playTitleId, name: x.name, reason: from ? `Because you ${verb} ${from.name}` : 'Picked for you' });
    }
    return { personal, items: out };
  }

  async onboarding(limit?: number): Promise<OnboardingTitle[]> {
    return onboardingTitles(this.items(), await this.model(), limit);
  }
}

function emptySignals(profileId: string): ProfileSignals {
  return { profileId, positives: new Map(), excluded: new Set(), disliked: new Set() };
}
