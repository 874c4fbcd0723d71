// The insights doors (CLI and HTTP) share this: it reads through the InsightsStore port and
// hands plain data to the pure insights and to privacy/release. It is the only file of this
// folder that does I/O; everything it computes is defined by the pure functions it calls.
//
// - populationOfYear: streams members (never the whole population in memory) into a
//   PopulationTally; devices used by several members are judged first on all their views.
// - releasePublicFacts: bounded counts of profiles → releaseFacts with the stored secret and
//   the ledger of the data set and year; the published release is stored for comparisons.
// - freshYearInReviewOf / yearInReviewOf: one profile's whole history (refreshed first by the
//   former, as the route does), compared with the latest release of the year.

import type { Catalogue as DomainCatalogue } from '../domain/catalogue.js';
import type { Definitions } from '../domain/definitions.js';
import type { View } from '../domain/model.js';
import { refreshViews } from '../history/refresh-views.js';
import { boundContributions, boundingKey } from '../privacy/release/bounding.js';
import { PrivacyLedger } from '../privacy/release/ledger.js';
import type { DpMethod } from '../privacy/release/mechanism.js';
import { releaseFacts, type FactsRelease } from '../privacy/release/release.js';
import { parseRational, toNumber } from '../privacy/release/rational.js';
import type { InsightsStore, TimeWindow } from '../store/insights-port.js';
import type { Store } from '../store/port.js';
import { yearDays } from './local-days.js';
import { DEFAULT_STREAK_THRESHOLDS, PopulationTally, type PopulationFacts, type PopulationOptions } from './population.js';
import { factGroupName, factGroupOf, publicFactGroups, PUBLIC_FACTS_BUDGET_EPSILON, PUBLIC_FACTS_DATASET, type FactGroup } from './public-facts.js';
import { catalogue as insightsCatalogue } from './viewing.js';
import { yearInReview, type ReleasedFacts, type YearInReview } from './year-in-review.js';

const DAY_MS = 86_400_000;

export interface InsightsDeps {
  store: Store;
  insights: InsightsStore;
  catalogue: DomainCatalogue;
  defs: Definitions;
  now: () => number;
  /** Profiles whose members consent, at that moment, to inclusion in public facts (privacy/consent). */
  publicFactsProfiles: (nowMs: number) => Promise<readonly string[]>;
}

/** The latest calendar year with viewing, or undefined for an empty store. */
export async function latestYearWithViews(insights: InsightsStore): Promise<number | undefined> {
  return (await insights.yearsWithViews()).at(-1);
}

/** Views that can touch the year's local days (offsets ≤ 14 h) or its racers (released in it, raced within racerWindowH). */
export function yearWindow(year: number, defs: Definitions): TimeWindow {
  const { first, last } = yearDays(year);
  return { fromMs: (first - 2) * DAY_MS, toMs: (last + 3) * DAY_MS + defs.racerWindowH * 3_600_000 };
}

/** The population of a year streamed into a tally (call `result()` or `contributionsOf()`). */
export async function populationOfYear(deps: InsightsDeps, year: number, options: PopulationOptions & { contributions?: boolean } = {}): Promise<PopulationTally> {
  const window = yearWindow(year, deps.defs);
  const tally = new PopulationTally(deps.catalogue.all(), deps.defs, year, options);
  const shared = await deps.insights.devicesOfSeveralMembers(window);
  if (shared.length > 0) tally.decideDevices(await deps.insights.viewsOnDevices(shared, window));
  await deps.insights.eachMember((member) => tally.addMember(member), window);
  return tally;
}

/**
 * The exact population facts of a year: computed by the store where it can (DuckDB, checked
 * against the pure tally by a property test), else streamed through a PopulationTally.
 */
export async function populationFactsOfYear(deps: InsightsDeps, year: number, options: PopulationOptions = {}): Promise<PopulationFacts> {
  if (deps.insights.populationFacts && options.offsetOf === undefined) {
    return deps.insights.populationFacts(year, yearWindow(year, deps.defs), deps.defs, options);
  }
  return (await populationOfYear(deps, year, options)).result();
}

export interface FactsRequest {
  year: number;
  epsilon: number;
  delta: number;
  method?: DpMethod;
}

export interface PublishedFact {
  key: string;
  group: FactGroup;
  /** The catalogue's name of the title or series the count is about (public; factGroupName). */
  name?: string;
  value: number;
  epsilon: number;
  delta: number;
  method: DpMethod;
}

/** A release as published: the library's release, with the facts labelled by group and the budget left. */
export interface PublicFactsRelease extends Omit<FactsRelease, 'facts'> {
  budget: { epsilon: number; spent: number; remaining: number };
  facts: PublishedFact[];
}

/** One PrivacyLedger per InsightsStore: its queue is what serialises charges of one data set and year. */
const ledgers = new WeakMap<InsightsStore, PrivacyLedger>();
function ledgerOf(deps: Pick<InsightsDeps, 'insights' | 'now'>): PrivacyLedger {
  let ledger = ledgers.get(deps.insights);
  if (!ledger) ledgers.set(deps.insights, (ledger = new PrivacyLedger(deps.insights.ledger, { budget: PUBLIC_FACTS_BUDGET_EPSILON, now: deps.now })));
  return ledger;
}

/**
 * What each profile contributes to the public facts of a year, before bounding and noise: only
 * profiles whose member consents to public facts now (a withdrawal counts from the next release).
 */
export async function publicFactContributions(deps: InsightsDeps, year: number): Promise<{ profileId: string; factKeys: string[] }[]> {
  const tally = await populationOfYear(deps, year, { contributions: true });
  const consenting = new Set(await deps.publicFactsProfiles(deps.now()));
  return tally.contributionsOf().filter((c) => consenting.has(c.profileId));
}

/** Releases the public facts of a year with DP; refused with BINGE_DP_BUDGET_EXCEEDED over budget. */
export async function releasePublicFacts(deps: InsightsDeps, request: FactsRequest): Promise<PublicFactsRelease> {
  const { year } = request;
  const secret = await deps.insights.releaseSecret();
  const dataVersion = await deps.insights.dataVersion();
  const contributions = await publicFactContributions(deps, year);
  const maxFacts = deps.defs.maxFacts;
  const counts = boundContributions(
    contributions.map((c) => [c.profileId, c.factKeys] as const),
    { maxFacts, key: boundingKey(secret, PUBLIC_FACTS_DATASET, year) },
  );
  const ledger = ledgerOf(deps);
  const release: FactsRelease = await releaseFacts({ dataset: PUBLIC_FACTS_DATASET, year, dataVersion }, counts, {
    epsilon: request.epsilon,
    delta: request.delta,
    method: request.method,
    kMin: deps.defs.kMin,
    maxFacts,
    publicGroups: publicFactGroups(deps.catalogue.all(), year, DEFAULT_STREAK_THRESHOLDS),
    secret,
    ledger,
  });
  const spent = toNumber(await ledger.spent(PUBLIC_FACTS_DATASET, year));
  const published: PublicFactsRelease = {
    dataset: release.dataset,
    year: release.year,
    questionId: release.questionId,
    epsilon: release.epsilon,
    delta: release.delta,
    method: release.method,
    maxFacts: release.maxFacts,
    kMin: release.kMin,
    threshold: release.threshold,
    noiseParameter: release.noiseParameter,
    charged: release.charged,
    budget: { epsilon: PUBLIC_FACTS_BUDGET_EPSILON, spent, remaining: Math.max(0, PUBLIC_FACTS_BUDGET_EPSILON - spent) },
    facts: release.facts.map((f) => {
      const group = factGroupOf(f.key);
      const name = factGroupName(group, deps.catalogue);
      return { key: f.key, group, ...(name === undefined ? {} : { name }), value: f.value, epsilon: f.epsilon, delta: f.delta, method: f.method };
    }),
  };
  if (release.charged) {
    await deps.insights.saveRelease({ dataset: release.dataset, year, questionId: release.questionId, releasedAtMs: deps.now(), body: published });
  }
  return published;
}

/** The yearly budget of the public facts and every question charged to it: read only, nothing spent. */
export interface PublicFactsLedger {
  dataset: string;
  year: number;
  budget: { epsilon: number; spent: number; remaining: number };
  /** Each charged question, oldest first: its exact epsilon as a number, delta and method. */
  charges: { questionId: string; epsilon: number; delta: number; method: DpMethod; atMs: number }[];
}

export async function publicFactsLedger(deps: Pick<InsightsDeps, 'insights' | 'now'>, year: number): Promise<PublicFactsLedger> {
  const entries = [...(await deps.insights.ledger.get(PUBLIC_FACTS_DATASET, year))].sort((a, b) => a.atMs - b.atMs || a.questionId.localeCompare(b.questionId));
  // The same exact sum the ledger refuses a release with, so the page and the refusal agree.
  const spent = toNumber(await ledgerOf(deps).spent(PUBLIC_FACTS_DATASET, year));
  return {
    dataset: PUBLIC_FACTS_DATASET,
    year,
    budget: { epsilon: PUBLIC_FACTS_BUDGET_EPSILON, spent, remaining: Math.max(0, PUBLIC_FACTS_BUDGET_EPSILON - spent) },
    charges: entries.map((e) => ({ questionId: e.questionId, epsilon: toNumber(parseRational(e.epsilon)), delta: e.delta, method: e.method, atMs: e.atMs })),
  };
}

/** The released counts a year in review can compare with ("one of about N"), from a published release. */
export function releasedFactsOf(release: Pick<PublicFactsRelease, 'facts'>): ReleasedFacts {
  const racers: NonNullable<ReleasedFacts['racers']> = [];
  const streaks: NonNullable<ReleasedFacts['streaks']> = [];
  for (const f of release.facts) {
    if (f.group.fact === 'racers') racers.push({ series: f.group.series, season: f.group.season, profiles: f.value });
    else if (f.group.fact === 'streak') streaks.push({ title: f.group.id, scope: f.group.scope, days: f.group.days, profiles: f.value });
  }
  return { racers, streaks };
}

/** Caches the insights Catalogue per domain catalogue size (titles are only ever added). */
const catalogues = new WeakMap<DomainCatalogue, { size: number; value: ReturnType<typeof insightsCatalogue> }>();
function catalogueOf(domain: DomainCatalogue) {
  const cached = catalogues.get(domain);
  if (cached && cached.size === domain.size) return cached.value;
  const value = insightsCatalogue(domain.all());
  catalogues.set(domain, { size: domain.size, value });
  return value;
}

export interface YearInReviewAnswer extends YearInReview {
  /** The release compared with, when one exists: its question id and guarantee. */
  comparedWith: { questionId: string; epsilon: number; delta: number; method: DpMethod } | null;
}

/** How a year in review reads the profile's whole history (the store's allViews; the bench swaps in another read to compare). */
export type ProfileViewsRead = (profileId: string) => Promise<View[]>;

/**
 * What the route does for a member's request once the privacy hook has let it through: the
 * profile's views brought up to date (a no-op when it is not dirty), then its year in review.
 */
export async function freshYearInReviewOf(deps: InsightsDeps, profileId: string, year: number, read?: ProfileViewsRead): Promise<YearInReviewAnswer> {
  await refreshViews(deps.store, deps.catalogue, deps.defs, { profileIds: [profileId] });
  return yearInReviewOf(deps, profileId, year, read);
}

/** The released counts of a stored release, derived once per release read (the store shares it). */
const releasedOfBody = new WeakMap<PublicFactsRelease, ReleasedFacts>();
function releasedOf(release: PublicFactsRelease): ReleasedFacts {
  let released = releasedOfBody.get(release);
  if (!released) releasedOfBody.set(release, (released = releasedFactsOf(release)));
  return released;
}

/** A profile's year in review from its whole history (views must be fresh: the caller refreshes). */
export async function yearInReviewOf(deps: InsightsDeps, profileId: string, year: number, read: ProfileViewsRead = (id) => deps.store.allViews(id)): Promise<YearInReviewAnswer> {
  const views = await read(profileId);
  const stored = await deps.insights.latestRelease(PUBLIC_FACTS_DATASET, year);
  const release = stored?.body as PublicFactsRelease | undefined;
  const review = yearInReview(profileId, views, catalogueOf(deps.catalogue), deps.defs, year, { released: release ? releasedOf(release) : undefined });
  return {
    ...review,
    comparedWith: release ? { questionId: release.questionId, epsilon: release.epsilon, delta: release.delta, method: release.method } : null,
  };
}
