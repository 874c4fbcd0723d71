// Serving: the current model held in memory (loaded once; replaced after training in this
// process, or when the stored model id changed, checked with one small query at most every
// `modelCheckMs`), and each profile's inputs (views, signals, consent history, country) kept in
// a cache that the store's change reports invalidate (serving-cache.ts). Consent is decided at
// the moment of each request from the cached history; rows are computed in memory (scoring.ts,
// rows.ts). Without a change source (the CLI) nothing is cached: every call reads the store.

import DataLoader from 'dataloader';
import type { Catalogue } from '../domain/catalogue.js';
import type { Millis, View } from '../domain/model.js';
import { continueWatching } from '../history/continue-watching.js';
import { consentAt } from '../privacy/consent.js';
import type { Store } from '../store/port.js';
import type { PrivacyStore } from '../store/privacy-port.js';
import type { CompletedTitle, RecommendStore } from '../store/recommend-port.js';
import { ItemCatalogue } from './items.js';
import { decodeModel, type ItemModel } from './model-store.js';
import { onboardingTitles, type OnboardingTitle } from './onboarding.js';
import { buildRows, type Row, type RowItem } from './rows.js';
import { ScoringModel } from './scoring.js';
import { ServingCache, type ChangeSource, type ProfileInputs, type RenderedRows } from './serving-cache.js';
import { profileSignals, type ProfileSignals } from './training-data.js';

export const ROW_LIMIT = 20;
/**
 * Batches gather the keys asked for until the event loop's next check phase (every request read
 * in the same turn joins), never cache (the serving cache does, with its invalidations), and stay
 * small enough for one IN list.
 */
const BATCHED = { cache: false, batchScheduleFn: (run: () => void) => void setImmediate(run), maxBatchSize: 500 } as const;
/** How often the server asks the store whether another model was stored (outside this process). */
export const DEFAULT_MODEL_CHECK_MS = 30_000;

export interface ServingDeps {
  store: Store;
  recommend: RecommendStore;
  privacy: PrivacyStore;
  catalogue: Catalogue;
  now: () => Millis;
  /** Committed changes of this process's store; with it, profile inputs are cached. */
  changes?: ChangeSource;
  /** Brings these profiles' derived views up to date (the server passes refreshViews). */
  refresh?: (profileIds: readonly string[]) => Promise<void>;
  modelCheckMs?: number;
  maxCachedProfiles?: number;
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

/** A rows answer and what it was made from (`RecommendService.currentRows`, `stillCurrent`). */
export interface KeptRows {
  readonly body: Buffer;
  readonly inputs: ProfileInputs;
  readonly rendered: RenderedRows;
}

export class RecommendService {
  private loaded: ScoringModel | undefined;
  /** Id of the model served; null before the first look at the store. */
  private loadedId: string | undefined | null = null;
  private checkedAt = -Infinity;
  private modelChanged = false;
  private modelGeneration = 0;
  private checking: Promise<ScoringModel | undefined> | undefined;
  private itemCatalogue: { size: number; items: ItemCatalogue } | undefined;
  /** Present when a change source is given. */
  readonly cache: ServingCache | undefined;
  private readonly unsubscribe: (() => void) | undefined;

  /**
   * Profiles missed by the cache at the same moment (requests that arrived together, or while the
   * store's one connection was busy) are refreshed together and read together, one query per kind
   * for the batch: read one by one, 50 first visits at once queued ~6 queries each on the
   * connection, and the last waited over a second (DECISIONS.md, 34).
   */
  private readonly refreshes = new DataLoader<string, void>(
    async (profileIds) => {
      await this.deps.refresh?.(profileIds);
      return profileIds.map(() => undefined);
    },
    BATCHED,
  );
  private readonly reads = new DataLoader<{ profileId: string; memberId: string }, ProfileInputs>((profiles) => this.readInputsOf(profiles), BATCHED);

  constructor(private readonly deps: ServingDeps) {
    if (deps.changes) {
      const cache = (this.cache = new ServingCache(deps.maxCachedProfiles));
      this.unsubscribe = deps.changes.onChange((change) => {
        cache.apply(change);
        if (change.models) this.modelChanged = true;
      });
    }
  }

  /** Stops listening to the store. */
  close(): void {
    this.unsubscribe?.();
  }

  /** The model being served: loaded on first use, looked up again when a model was stored or `modelCheckMs` passed. */
  model(): Promise<ScoringModel | undefined> {
    if (this.modelIsCurrent()) return Promise.resolve(this.loaded);
    this.checking ??= this.checkModel().finally(() => (this.checking = undefined));
    return this.checking;
  }

  /** True while the loaded model may be served without asking the store (no model stored since, checked within `modelCheckMs`). */
  private modelIsCurrent(): boolean {
    const every = this.deps.modelCheckMs ?? DEFAULT_MODEL_CHECK_MS;
    return this.loadedId !== null && !this.modelChanged && performance.now() - this.checkedAt < every;
  }

  private async checkModel(): Promise<ScoringModel | undefined> {
    const { recommend } = this.deps;
    const generation = this.modelGeneration;
    const startedAt = performance.now();
    this.modelChanged = false;
    const id = await recommend.latestModelId();
    if (generation !== this.modelGeneration) return this.loaded; // use() replaced it meanwhile
    if (id !== (this.loadedId ?? undefined) || this.loadedId === null) {
      const row = id === undefined ? undefined : await recommend.latestModel();
      if (generation !== this.modelGeneration) return this.loaded;
      this.loaded = row ? new ScoringModel(decodeModel(row)) : undefined;
      this.loadedId = row?.modelId;
    }
    this.checkedAt = startedAt;
    return this.loaded;
  }

  /** Serves `model` from now on (after training in this process). */
  use(model: ItemModel): void {
    this.modelGeneration++;
    this.loaded = new ScoringModel(model);
    this.loadedId = model.modelId;
    this.checkedAt = performance.now();
    this.modelChanged = false;
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

  private refresh(profileId: string): Promise<void> {
    return this.refreshes.load(profileId);
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

  /**
   * What rows need of each profile, read from the store (after their views were brought up to
   * date): one read per kind for all of them. The same inputs as reading each profile alone
   * (serving.test.ts compares them).
   */
  private async readInputsOf(profiles: readonly { profileId: string; memberId: string }[]): Promise<ProfileInputs[]> {
    const { store, privacy, recommend, catalogue, now } = this.deps;
    const profileIds = profiles.map((p) => p.profileId);
    const consents = await privacy.consentHistories(profiles.map((p) => p.memberId));
    const countries = await recommend.countriesOf(profileIds);
    const catalogueSize = catalogue.size;
    const atMs = now();
    const personalIds = profiles.filter((p) => consentAt(consents.get(p.memberId)!, 'personalisation', atMs)).map((p) => p.profileId);
    const stored = personalIds.length > 0 ? await store.viewsOfProfiles(personalIds) : new Map<string, View[]>();
    const thumbs = personalIds.length > 0 ? await recommend.latestThumbs(personalIds) : [];
    const picks = personalIds.length > 0 ? await recommend.picksOf(personalIds) : [];
    const items = this.items();
    // Hidden views never read past this filter.
    const visible = new Map(personalIds.map((id) => [id, (stored.get(id) ?? []).filter((v) => !v.hidden)]));
    const signalsOf = profileSignals(items, { completed: [...visible.values()].flatMap(completedOfViews), thumbs, picks });
    return profiles.map(({ profileId, memberId }) => {
      const base = { profileId, memberId, consents: consents.get(memberId)!, country: countries.get(profileId), catalogueSize };
      const views = visible.get(profileId);
      if (!views) return { ...base, personal: undefined };
      const signals = signalsOf.get(profileId) ?? emptySignals(profileId);
      const completedRecentFirst = completedOfViews(views)
        .sort((a, b) => b.lastCompletedMs - a.lastCompletedMs)
        .map((c) => items.itemOfTitle(c.titleId)?.itemId)
        .filter((id): id is string => id !== undefined && !signals.disliked.has(id));
      return { ...base, personal: { views, signals, completedRecentFirst: [...new Set(completedRecentFirst)] } };
    });
  }

  /** The profile's inputs: from the cache when it holds them for the current catalogue, else read (and kept). */
  async inputsOf(profile: { profileId: string; memberId: string }): Promise<ProfileInputs> {
    const { profileId, memberId } = profile;
    const read = () => this.reads.load(profile);
    if (!this.cache) {
      await this.refresh(profileId);
      return read();
    }
    const inputs = await this.cache.inputs(profileId, memberId, () => this.refresh(profileId), read);
    if (inputs.catalogueSize === this.deps.catalogue.size) return inputs;
    this.cache.apply({ profileIds: [profileId] });
    return this.cache.inputs(profileId, memberId, () => this.refresh(profileId), read);
  }

  async rowsFor(profile: { profileId: string; memberId: string }, limit = ROW_LIMIT): Promise<ProfileRows> {
    return (await this.computeRows(profile, limit)).rows;
  }

  /**
   * The rows answer as the JSON body the route sends. Rendered once per profile, row limit and
   * model, and kept with the profile's cached inputs: the store's change reports drop it with
   * them (a new event, a hide, a thumb, a consent change, erasure), and it is rendered again
   * once the clock reaches the next moment the answer depends on (`rowsChangeAt`).
   */
  async rowsBody(profile: { profileId: string; memberId: string }, limit = ROW_LIMIT): Promise<Buffer> {
    const model = await this.model();
    const inputs = await this.inputsOf(profile);
    const kept = currentBody(inputs, limit, model, this.deps.now());
    if (kept) return kept;
    const computed = await this.computeRows(profile, limit);
    const body = Buffer.from(JSON.stringify(computed.rows));
    const own = computed.inputs;
    (own.rendered ??= new Map()).set(limit, {
      model: computed.model,
      fromMs: computed.nowMs,
      untilMs: rowsChangeAt(own, this.deps.catalogue, computed.nowMs),
      body,
    });
    return body;
  }

  /**
   * The kept rows answer when nothing needs reading or computing: a model is loaded and no model
   * change was reported since, the profile's inputs are cached for the current catalogue and their
   * body rendered for this moment, limit and model. Else undefined (`rowsBody` does the work).
   * The rows fast path (server/fast-rows.ts) answers with it.
   */
  renderedRows(profile: { profileId: string; memberId: string }, limit = ROW_LIMIT): Buffer | undefined {
    return this.currentRows(profile, limit)?.body;
  }

  /** `renderedRows`, with what the body was made from: a caller may keep it and ask `stillCurrent` later. */
  currentRows(profile: { profileId: string; memberId: string }, limit = ROW_LIMIT): KeptRows | undefined {
    if (!this.cache || this.loadedId === null || this.modelChanged) return undefined;
    // The periodic look for a model stored elsewhere runs beside the answers: until it returns
    // (one small query), the loaded model is served, as the slow path would while it waits.
    // Before, every request in that moment went the slow way and waited for it.
    if (!this.modelIsCurrent()) this.model().catch(() => undefined); // a failure is met again by the next slow-path request
    const inputs = this.cache.get(profile.profileId, profile.memberId);
    if (!inputs || inputs.catalogueSize !== this.deps.catalogue.size) return undefined;
    const rendered = currentRendered(inputs, limit, this.loaded, this.deps.now());
    return rendered && { body: rendered.body, inputs, rendered };
  }

  /**
   * Whether `currentRows` would give this kept answer's body now, decided without the cache: its
   * inputs are still the cached ones (the cache marks those it drops: every change that names the
   * profile or its member, a new catalogue, eviction), the same model is served, and the clock is
   * within the span the body was rendered for. While the inputs stay cached nothing renders this
   * limit again before that span ends, so the answer is the one `currentRows` holds.
   */
  stillCurrent(kept: KeptRows): boolean {
    if (this.loadedId === null || this.modelChanged || kept.inputs.dropped || kept.rendered.model !== this.loaded) return false;
    if (!this.modelIsCurrent()) this.model().catch(() => undefined); // as in currentRows
    const nowMs = this.deps.now();
    return kept.inputs.catalogueSize === this.deps.catalogue.size && kept.rendered.fromMs <= nowMs && nowMs < kept.rendered.untilMs;
  }

  private async computeRows(
    profile: { profileId: string; memberId: string },
    limit: number,
  ): Promise<{ rows: ProfileRows; inputs: ProfileInputs; model: ScoringModel | undefined; nowMs: number }> {
    const { catalogue, now } = this.deps;
    const model = await this.model();
    let inputs = await this.inputsOf(profile);
    const nowMs = now();
    const personal = consentAt(inputs.consents, 'personalisation', nowMs);
    if (personal && !inputs.personal) {
      // Consented now but not when read (the clock moved past a recorded change): read the viewing.
      this.cache?.apply({ profileIds: [profile.profileId] });
      inputs = await this.inputsOf(profile);
    }
    const items = this.items();
    const own = personal ? inputs.personal : undefined;
    if (!own) {
      const rows = buildRows({ personal: false, items, model, signals: emptySignals(profile.profileId), completedRecentFirst: [], continueItems: [], country: inputs.country, limit });
      return { rows: { personal: false, modelId: model?.model.modelId ?? null, rows }, inputs, model, nowMs };
    }
    const continueItems = continueWatching(own.views, catalogue.titleOf, catalogue.episodesOfSeries, nowMs, limit);
    const rows = buildRows({ personal, items, model, signals: own.signals, completedRecentFirst: own.completedRecentFirst, continueItems, country: inputs.country, limit });
    return { rows: { personal, modelId: model?.model.modelId ?? null, rows }, inputs, model, nowMs };
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

/**
 * The first moment after `nowMs` at which a profile's rows could change with no write at all:
 * they depend on the clock only through the member's consent (a change recorded for later), a
 * view that starts later (continue watching skips it until then) and an episode released later
 * (suggested as the next episode from then on). Infinity when none lies ahead.
 */
export function rowsChangeAt(inputs: Pick<ProfileInputs, 'consents' | 'personal'>, catalogue: Pick<Catalogue, 'titleOf' | 'episodesOfSeries'>, nowMs: Millis): number {
  let at = Infinity;
  for (const c of inputs.consents) if (c.atMs > nowMs && c.atMs < at) at = c.atMs;
  const series = new Set<string>();
  for (const v of inputs.personal?.views ?? []) {
    if (v.startMs > nowMs && v.startMs < at) at = v.startMs;
    const seriesId = catalogue.titleOf(v.titleId)?.seriesId;
    if (seriesId !== undefined) series.add(seriesId);
  }
  for (const seriesId of series) {
    for (const e of catalogue.episodesOfSeries(seriesId)) if (e.releasedAtMs !== undefined && e.releasedAtMs > nowMs && e.releasedAtMs < at) at = e.releasedAtMs;
  }
  return at;
}

/** The body rendered from `inputs` for this limit and model, if it is still the answer at `nowMs`. */
function currentBody(inputs: ProfileInputs, limit: number, model: ScoringModel | undefined, nowMs: number): Buffer | undefined {
  return currentRendered(inputs, limit, model, nowMs)?.body;
}

function currentRendered(inputs: ProfileInputs, limit: number, model: ScoringModel | undefined, nowMs: number): RenderedRows | undefined {
  const kept = inputs.rendered?.get(limit);
  return kept && kept.model === model && kept.fromMs <= nowMs && nowMs < kept.untilMs ? kept : undefined;
}

function emptySignals(profileId: string): ProfileSignals {
  return { profileId, positives: new Map(), excluded: new Set(), disliked: new Set() };
}
