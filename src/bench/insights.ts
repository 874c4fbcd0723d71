// Insights benchmark on a generated population in the embedded store, every baseline measured in
// the same run on the same data:
//  1. all population facts as `binge insights population` computes them (populationFactsOfYear:
//     in the store, store/duckdb/population-facts.ts) vs hand-written DuckDB SQL for the same
//     facts (not a person, streak counts, country daily habit, hours per local hour, racers; see
//     sqlFacts for how the two differ); the numbers must agree before any noise (checked here:
//     counts exactly, hours to 1e-6). Up to TYPESCRIPT_UP_TO events the pure streamed tally (the
//     definition) is timed too and must give the same facts.
//  2. a personal year in review: p50/p99 over up to 1,000 random profiles (store read included).
//  3. after one more day of events: the per-profile insights brought up to date (the refresh of
//     the dirty views and per-day minutes, which is all they are computed from: every personal
//     insight is computed from them per request) vs their full recompute (every view again); the
//     population facts, recomputed whole after the day, are timed beside it and reported apart.
// Sizes: `events` is a target (1M, 10M, 100M); members are chosen from a small calibration run.

import { Catalogue } from '../domain/catalogue.js';
import { DEFAULT_DEFINITIONS, type Definitions } from '../domain/definitions.js';
import { generatePopulation } from '../demo/population.js';
import { refreshViews } from '../history/refresh-views.js';
import { bulkLoad } from '../ingest/bulk-load.js';
import { freshYearInReviewOf, populationFactsOfYear, populationOfYear, yearWindow, type InsightsDeps, type ProfileViewsRead } from '../insights/from-store.js';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { YearInReviewSchema } from '../server/routes/insights.js';
import type { PopulationFacts } from '../insights/population.js';
import { yearDays } from '../insights/local-days.js';
import { openDuckDbStore, type DuckDbStore } from '../store/duckdb/adapter.js';
import { duckDbInsights } from '../store/duckdb/insights.js';
import { listValue, type DuckDBValue } from '@duckdb/node-api';
import { loadPopulation, type LoadedPopulation } from './insights-data.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoOptionsInput } from '../demo/population.js';
import { DuckDbPrivacyStore } from '../store/duckdb/privacy.js';

export interface InsightsBenchOptions {
  /** Target number of events (the generator is calibrated to reach about this many). */
  events: number;
  seed?: string;
  fromDay?: string;
  toDay?: string;
  /** Year-in-review requests timed, on random profiles (drawn again when there are fewer). */
  reviews?: number;
  /** Heartbeat interval of the generated players (default 60 s, the real one). */
  heartbeatS?: number;
  /** ':memory:' (default) or a folder. */
  dataDir?: string;
  log?: (line: string) => void;
}

export interface ReviewLatency {
  requests: number;
  profiles: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The same requests with the profile read by the generic multi-profile read (session 3's path). */
  baseline: { p50Ms: number; p99Ms: number; maxMs: number };
  /** A profile whose two answers were not the same bytes (a failed check), if any. */
  differ?: string;
}

export interface YearInReviewBenchResult {
  members: number;
  events: number;
  views: number;
  loadS: number;
  deriveS: number;
  review: ReviewLatency;
}

export interface InsightsBenchResult extends YearInReviewBenchResult {
  populationS: number;
  sqlS: number;
  /** The pure tally's time, at sizes where it is run (see TYPESCRIPT_UP_TO). */
  typescriptS?: number;
  /** populationS / sqlS. */
  ratio: number;
  /** The facts compared, all equal. */
  compared: { notAPerson: number; streakRows: number; countries: number; hours: number; racerSeasons: number };
  oneMoreDay: OneMoreDay;
}

export interface OneMoreDay {
  events: number;
  /**
   * The goal's measure: the day's incremental refresh of views (what per-profile insights are
   * computed from) over the full recompute of every view.
   */
  perProfileRatio: number;
  /** Refresh plus the population facts recomputed whole, over the full refresh plus the facts. */
  incrementalS: number;
  fullS: number;
  withFactsRatio: number;
  parts: { refreshS: number; factsS: number; fullRefreshS: number; fullFactsS: number };
}

export interface FactsBenchResult {
  members: number;
  events: number;
  views: number;
  populationS: number;
  sqlS: number;
  compared: InsightsBenchResult['compared'];
}

const DAY_MS = 86_400_000;
/** Up to this many events the bench also times the pure tally and checks the store's facts against it. */
const TYPESCRIPT_UP_TO = 20_000_000;

/**
 * Where two facts objects differ (a path), or undefined when they are equal: numbers to a relative
 * 1e-9, since DuckDB adds floats in parallel, in no fixed order, and so may move the last digits.
 */
export function factsDiffer(a: unknown, b: unknown, path = ''): string | undefined {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)) ? undefined : `${path}: ${a} vs ${b}`;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: ${a.length} vs ${b.length} items`;
    for (let i = 0; i < a.length; i++) {
      const d = factsDiffer(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = factsDiffer((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return a === b ? undefined : `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
}

/** Members that give about `events` events over the period (from the first members' events). */
function membersFor(events: number, seed: string, fromDay: string, toDay: string, heartbeatS: number): number {
  const sample = 8;
  const population = generatePopulation({ members: sample, seed, fromDay, toDay, heartbeatS, plantCases: false });
  let n = 0;
  for (const batch of population.eventBatches()) n += batch.length;
  return Math.max(sample, Math.round((events / n) * sample));
}

const seconds = (from: number) => (performance.now() - from) / 1000;

interface OpenPopulation {
  store: DuckDbStore;
  deps: InsightsDeps;
  loaded: LoadedPopulation;
  members: number;
  year: number;
  lastDayMs: number;
  log: (line: string) => void;
}

/** Opens the store, loads the population (or reuses the folder that holds it) and runs `work` on it. */
async function withPopulation<T>(options: InsightsBenchOptions, work: (population: OpenPopulation) => Promise<T>): Promise<T> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const seed = options.seed ?? 'bench';
  const fromDay = options.fromDay ?? '2025-01-01';
  const toDay = options.toDay ?? '2025-12-31';
  const defs = DEFAULT_DEFINITIONS;
  const year = Number(toDay.slice(0, 4));
  const heartbeatS = options.heartbeatS ?? 60;
  const members = membersFor(options.events, seed, fromDay, toDay, heartbeatS);
  const lastDayMs = Date.parse(`${toDay}T00:00:00Z`) - 14 * 3_600_000; // a day before the end, in every zone
  const dataDir = options.dataDir ?? ':memory:';
  const existed = dataDir !== ':memory:' && existsSync(join(dataDir, 'binge.duckdb'));
  const store = await openDuckDbStore({ dataDir });
  try {
    log(`insights bench: ${members} members, ${fromDay}..${toDay}, seed ${seed}, heartbeats every ${heartbeatS} s, no planted cases`);
    // No planted cases: the shop screen alone would be ~500k events a year and skew any size.
    const demo = { members, seed, fromDay, toDay, heartbeatS, plantCases: false };
    const loaded = await loadOrReuse(store, dataDir, existed, defs, demo, lastDayMs, log);
    log(`loaded ${loaded.events} events in ${loaded.loadS.toFixed(1)} s, derived ${loaded.views} views in ${loaded.refreshS.toFixed(1)} s`);
    const catalogue = new Catalogue(loaded.population.catalogue);
    const privacy = new DuckDbPrivacyStore(store);
    const deps: InsightsDeps = { store, insights: duckDbInsights(store), catalogue, defs, now: Date.now, publicFactsProfiles: (nowMs) => privacy.profilesConsenting('public_facts', nowMs) };
    return await work({ store, deps, loaded, members, year, lastDayMs, log });
  } finally {
    await store.close();
  }
}

/** Only the year in review (`bench insights --only year-in-review`): quick on a population kept with --data. */
export async function benchYearInReview(options: InsightsBenchOptions): Promise<YearInReviewBenchResult> {
  return withPopulation(options, async ({ deps, loaded, members, year, log }) => {
    const review = await reviewLatency(deps, loaded.population.profiles.map((p) => p.profileId), year, options.reviews ?? 1000);
    log(reviewLine(review));
    return { members, events: loaded.events, views: loaded.views, loadS: loaded.loadS, deriveS: loaded.refreshS, review };
  });
}

/** Only the facts against the SQL (`bench insights --only facts`). */
export async function benchFactsOnly(options: InsightsBenchOptions): Promise<FactsBenchResult> {
  return withPopulation(options, async ({ store, deps, loaded, members, year, log }) => {
    const { populationS, sqlS, compared } = await factsAgainstSql(store, deps, year, log);
    return { members, events: loaded.events, views: loaded.views, populationS, sqlS, compared };
  });
}

/** Only the one more day (`bench insights --only one-more-day`). */
export async function benchOneMoreDayOnly(options: InsightsBenchOptions): Promise<{ members: number; events: number; views: number; oneMoreDay: OneMoreDay }> {
  return withPopulation(options, async ({ store, deps, loaded, members, year, lastDayMs, log }) => {
    const oneMoreDay = await afterOneMoreDay(store, deps, loaded.population, lastDayMs, year);
    log(oneMoreDayLine(oneMoreDay));
    return { members, events: loaded.events + oneMoreDay.events, views: loaded.views, oneMoreDay };
  });
}

async function factsAgainstSql(store: DuckDbStore, deps: InsightsDeps, year: number, log: (line: string) => void) {
  let started = performance.now();
  const facts = await populationFactsOfYear(deps, year);
  const populationS = seconds(started);
  started = performance.now();
  const sql = await sqlFacts(store, deps.defs, year, facts.streakThresholds);
  const sqlS = seconds(started);
  const compared = compareFacts(facts, sql);
  log(`population facts (binge, in the store): ${populationS.toFixed(2)} s; hand-written SQL for the same facts: ${sqlS.toFixed(2)} s; ratio ${(populationS / sqlS).toFixed(2)}; equal: ${JSON.stringify(compared)}`);
  return { facts, populationS, sqlS, compared };
}

function oneMoreDayLine(day: OneMoreDay): string {
  const p = day.parts;
  return (
    `one more day (${day.events} events): per-profile insights refreshed in ${p.refreshS.toFixed(2)} s vs recomputed whole in ${p.fullRefreshS.toFixed(2)} s = ` +
    `${(100 * day.perProfileRatio).toFixed(1)} %; with the population facts recomputed whole after each (${p.factsS.toFixed(2)} s; ${p.fullFactsS.toFixed(2)} s): ` +
    `${day.incrementalS.toFixed(2)} s vs ${day.fullS.toFixed(2)} s = ${(100 * day.withFactsRatio).toFixed(1)} %`
  );
}

function reviewLine(review: ReviewLatency): string {
  const b = review.baseline;
  return (
    `year in review, ${review.requests} requests over ${review.profiles} random profiles: p50 ${review.p50Ms.toFixed(1)} ms, p99 ${review.p99Ms.toFixed(1)} ms, max ${review.maxMs.toFixed(1)} ms; ` +
    `with the generic read (baseline, same loop): p50 ${b.p50Ms.toFixed(1)} ms, p99 ${b.p99Ms.toFixed(1)} ms, max ${b.maxMs.toFixed(1)} ms; ` +
    (review.differ ? `CHECK FAILED: the answers for ${review.differ} differ` : 'same answers')
  );
}

export async function benchInsights(options: InsightsBenchOptions): Promise<InsightsBenchResult> {
  return withPopulation(options, async ({ store, deps, loaded, members, year, lastDayMs, log }) => {
    const { facts, populationS, sqlS, compared } = await factsAgainstSql(store, deps, year, log);
    // The pure streamed tally (the definition) too, while it takes seconds rather than minutes.
    let typescriptS: number | undefined;
    if (loaded.events <= TYPESCRIPT_UP_TO) {
      const started = performance.now();
      const pure = (await populationOfYear(deps, year)).result();
      typescriptS = seconds(started);
      const differ = factsDiffer(pure, facts);
      if (differ) throw new Error(`insights bench: the store's population facts differ from the pure tally at ${differ}`);
      log(`pure TypeScript tally (the definition): ${typescriptS.toFixed(2)} s, same facts`);
    }

    const review = await reviewLatency(deps, loaded.population.profiles.map((p) => p.profileId), year, options.reviews ?? 1000);
    log(reviewLine(review));

    const oneMoreDay = await afterOneMoreDay(store, deps, loaded.population, lastDayMs, year);
    log(oneMoreDayLine(oneMoreDay));

    return {
      members,
      events: loaded.events + oneMoreDay.events,
      views: loaded.views,
      loadS: loaded.loadS,
      deriveS: loaded.refreshS,
      populationS,
      sqlS,
      typescriptS,
      ratio: populationS / sqlS,
      compared,
      review,
      oneMoreDay,
    };
  });
}

const BUILT_FILE = 'insights-bench.json';

/**
 * Loads the population, or reuses a data folder that already holds it (built by an earlier run
 * with the same options: checked against the file written beside the database). A reused folder
 * may hold the extra day appended by the last run's "one more day": it is taken out again here
 * (its events deleted, their profiles marked dirty from that day and refreshed, the product's
 * incremental path), so every run starts from the same state.
 */
async function loadOrReuse(
  store: DuckDbStore,
  dataDir: string,
  existed: boolean,
  defs: Definitions,
  demo: DemoOptionsInput,
  lastDayMs: number,
  log: (line: string) => void,
): Promise<LoadedPopulation> {
  const marker = dataDir === ':memory:' ? undefined : join(dataDir, BUILT_FILE);
  const wanted = JSON.stringify({ ...demo, lastDayMs });
  if (marker && !existsSync(marker)) {
    if (existed) throw new Error(`insights bench: ${dataDir} holds a store that this bench did not build (or an interrupted load): remove it first`);
    // Events first, then the marker: a build interrupted while deriving views resumes below.
    const loaded = await loadPopulation(store, defs, demo, (e) => e.atMs < lastDayMs, { derive: false });
    writeFileSync(marker, wanted);
    log(`loaded ${loaded.events} events into ${dataDir} in ${loaded.loadS.toFixed(1)} s`);
    const started = performance.now();
    const views = (await refreshViews(store, new Catalogue(loaded.population.catalogue), defs)).views;
    return { ...loaded, views, refreshS: seconds(started) };
  }
  if (marker) {
    if (readFileSync(marker, 'utf8') !== wanted) throw new Error(`insights bench: ${dataDir} holds another population (${readFileSync(marker, 'utf8')}), not ${wanted}`);
    const population = generatePopulation(demo);
    const catalogue = new Catalogue(population.catalogue);
    const removed = await store.withConnection(async (c) => {
      const rows = (await c.runAndReadAll('SELECT profile_id, count(*) FROM events WHERE at_ms >= $1 GROUP BY profile_id', [BigInt(lastDayMs)])).getRows();
      if (rows.length === 0) return 0;
      await c.run('BEGIN');
      await c.run('INSERT INTO dirty_marks SELECT DISTINCT profile_id, $1, 0 FROM events WHERE at_ms >= $1', [BigInt(lastDayMs)]);
      await c.run('DELETE FROM events WHERE at_ms >= $1', [BigInt(lastDayMs)]);
      await c.run('COMMIT');
      return rows.reduce((n, r) => n + Number(r[1]), 0);
    });
    const started = performance.now();
    await refreshViews(store, catalogue, defs); // finishes an interrupted derive too
    const refreshS = seconds(started);
    if (removed > 0) log(`took out the ${removed} events of the last run's extra day again (refresh ${refreshS.toFixed(1)} s)`);
    else if (refreshS > 1) log(`finished deriving views left dirty by an interrupted build in ${refreshS.toFixed(1)} s`);
    const [events, views] = await store.withConnection(async (c) => (await c.runAndReadAll('SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM views)')).getRows()[0].map(Number));
    log(`${dataDir} already holds the population (${events} events, ${views} views): loading skipped`);
    return { population, events, views, loadS: 0, refreshS: 0 };
  }
  return loadPopulation(store, defs, demo, (e) => e.atMs < lastDayMs);
}

/** The route's own serializer for the answer (Fastify compiles the same one from the route's schema). */
const serializeReview = serializerCompiler({ schema: YearInReviewSchema, method: 'GET', url: '/v1/profiles/:id/year-in-review', httpStatus: '200' }) as (data: unknown) => string;

/**
 * Year-in-review requests on random profiles, each timed as the route does its work after the
 * privacy hook (the profile's refresh check, the year in review, the route's serializer), and in
 * the same loop the same request with the profile read by the store's generic multi-profile read
 * (viewsOfProfiles: session 3's path, two statements read as row objects) as the baseline. The two
 * answers must be the same bytes. The order alternates so that load on the machine hits both alike.
 */
async function reviewLatency(deps: InsightsDeps, profileIds: string[], year: number, count: number): Promise<ReviewLatency> {
  // A fixed-seed shuffle (xorshift), so runs compare; Math.random is not needed for sampling.
  let x = 0x9e3779b9;
  const next = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) / 2 ** 32);
  const ids = [...profileIds];
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  // Distinct profiles first; when the population has fewer than `count`, draw again at random.
  const sample = ids.slice(0, Math.min(count, ids.length));
  while (sample.length < count && ids.length > 0) sample.push(ids[Math.floor(next() * ids.length)]);
  const genericRead: ProfileViewsRead = async (id) => (await deps.store.viewsOfProfiles([id])).get(id) ?? [];
  const request = async (id: string, read?: ProfileViewsRead) => {
    const started = performance.now();
    const body = serializeReview(await freshYearInReviewOf(deps, id, year, read));
    return { ms: performance.now() - started, body };
  };
  const times: number[] = [];
  const baseline: number[] = [];
  let differ: string | undefined;
  for (const [i, id] of sample.entries()) {
    const generic = i % 2 === 0 ? undefined : await request(id, genericRead);
    const product = await request(id);
    const other = generic ?? (await request(id, genericRead));
    times.push(product.ms);
    baseline.push(other.ms);
    if (product.body !== other.body) differ ??= id;
  }
  const stats = (list: number[]) => {
    list.sort((a, b) => a - b);
    const at = (q: number) => list[Math.min(list.length - 1, Math.ceil(q * list.length) - 1)];
    return { p50Ms: at(0.5), p99Ms: at(0.99), maxMs: list[list.length - 1] };
  };
  return { requests: times.length, profiles: Math.min(count, ids.length), ...stats(times), baseline: stats(baseline), differ };
}

async function afterOneMoreDay(
  store: DuckDbStore,
  deps: InsightsDeps,
  population: ReturnType<typeof generatePopulation>,
  lastDayMs: number,
  year: number,
): Promise<OneMoreDay> {
  const batches = (function* () {
    for (const batch of population.eventBatches()) yield batch.filter((e) => e.atMs >= lastDayMs);
  })();
  const appended = await bulkLoad(store, batches, { dedup: 'unique-by-construction' });
  let started = performance.now();
  await refreshViews(store, deps.catalogue, deps.defs);
  const refreshS = seconds(started);
  const incremental = await populationFactsOfYear(deps, year);
  const incrementalS = seconds(started);
  started = performance.now();
  await duckDbInsights(store).markAllDirty();
  await refreshViews(store, deps.catalogue, deps.defs);
  const fullRefreshS = seconds(started);
  const full = await populationFactsOfYear(deps, year);
  const fullS = seconds(started);
  const differ = factsDiffer(full, incremental);
  if (differ) throw new Error(`insights bench: incremental and full recomputation disagree at ${differ}`);
  // The goal (under 5 %) is on perProfileRatio: the registered bench checks it.
  const parts = { refreshS, factsS: incrementalS - refreshS, fullRefreshS, fullFactsS: fullS - fullRefreshS };
  return { events: appended.accepted, perProfileRatio: refreshS / fullRefreshS, incrementalS, fullS, withFactsRatio: incrementalS / fullS, parts };
}

export interface SqlFacts {
  notAPerson: string[]; // "scope|id|reason|days|title"
  streaks: Map<string, number>; // "scope|id|days" -> profiles
  countries: Map<string, { active: number; daily: number; meanMinutes: number }>;
  perHourOfDay: number[];
  racers: Map<string, number>; // "series|season" -> profiles
}

/**
 * The same facts in hand-written DuckDB SQL over views/view_days/titles/profiles/members, written
 * apart from store/duckdb/population-facts.ts (binge's path): one statement per fact over CTEs,
 * no temporary tables, the exclusions as lists bound into each statement. It covers not-a-person,
 * streak counts, country habits, hours per local hour and racers; binge's path computes the
 * weekly leaderboard, every-day titles and hours per day as well, so the ratio is if anything
 * unfavourable to binge.
 */
export async function sqlFacts(store: DuckDbStore, defs: Definitions, year: number, thresholds: readonly number[]): Promise<SqlFacts> {
  const window = yearWindow(year, defs);
  const { first, last } = yearDays(year);
  const periodDays = last - first + 1;
  const range = [BigInt(Math.floor(window.fromMs)), BigInt(Math.ceil(window.toMs))];
  return store.withConnection(async (c) => {
    // Not a person: heavy local days, else a title played loopViewsPerDay times a day, per profile and per device.
    const flagRows = (
      await c.runAndReadAll(
        `WITH prog AS (
           SELECT v.profile_id, v.device_id, v.view_id, v.title_id, v.sessions, coalesce(t.runtime_s, 0) AS runtime_s
           FROM views v LEFT JOIN titles t ON t.title_id = v.title_id
           WHERE v.end_ms >= $1 AND v.start_ms <= $2 AND v.kind <> 'supplemental' AND coalesce(t.kind, '') <> 'supplemental'
         ),
         share AS (
           SELECT p.*, d.day, d.watched_s, d.watched_s * p.sessions / sum(greatest(d.watched_s, 0)) OVER (PARTITION BY d.profile_id, d.view_id) AS plays
           FROM prog p JOIN view_days d ON d.profile_id = p.profile_id AND d.view_id = p.view_id
         ),
         who AS (
           SELECT CASE WHEN GROUPING(device_id) = 1 THEN 'profile' ELSE 'device' END AS scope, coalesce(device_id, profile_id) AS id,
                  title_id, day, sum(watched_s) AS secs, sum(plays) AS plays, max(runtime_s) AS runtime_s
           FROM share WHERE watched_s > 0 GROUP BY GROUPING SETS ((profile_id, title_id, day), (device_id, title_id, day))
         ),
         hours AS (SELECT scope, id, count(*) AS days FROM (SELECT scope, id, day FROM who GROUP BY ALL HAVING sum(secs) > $3) GROUP BY ALL HAVING count(*) >= $4),
         loops AS (
           SELECT scope, id, title_id, count(*) AS days FROM who
           WHERE greatest(plays, CASE WHEN runtime_s > 0 THEN secs / runtime_s ELSE 0 END) + 1e-9 >= $5 GROUP BY ALL HAVING count(*) >= $4
         )
         SELECT scope, id, 'hours', days, '' FROM hours
         UNION ALL
         SELECT scope, id, 'loop', max(days), arg_min(title_id, (-days, title_id)) FROM loops l
         WHERE NOT EXISTS (SELECT 1 FROM hours h WHERE h.scope = l.scope AND h.id = l.id) GROUP BY ALL`,
        [...range, defs.notAPersonDayH * 3600, defs.notAPersonDays, defs.loopViewsPerDay],
      )
    ).getRows();
    const exProfiles = flagRows.filter((r) => r[0] === 'profile').map((r) => r[1] as string);
    const exDevices = flagRows.filter((r) => r[0] === 'device').map((r) => r[1] as string);
    const params: DuckDBValue[] = [
      ...range,
      // node-api cannot bind an empty untyped list; '' is never an id (ids have at least one character).
      listValue(exProfiles.length > 0 ? exProfiles : ['']),
      listValue(exDevices.length > 0 ? exDevices : ['']),
      first,
      last,
    ];
    const base = `
    WITH vv AS (
      SELECT v.view_id, v.profile_id, v.title_id, v.kind, v.start_ms, v.end_ms, v.offset_min, v.completed, t.series_id,
             t.season, t.released_at_ms
      FROM views v LEFT JOIN titles t ON t.title_id = v.title_id
      WHERE v.end_ms >= $1 AND v.start_ms <= $2
        AND v.kind <> 'supplemental' AND coalesce(t.kind, '') <> 'supplemental'
        AND NOT EXISTS (SELECT 1 FROM hidden_views h WHERE h.profile_id = v.profile_id AND h.view_id = v.view_id)
        AND NOT list_contains($3::VARCHAR[], v.profile_id) AND NOT list_contains($4::VARCHAR[], v.device_id)
    ),
    vd AS (
      SELECT vv.*, d.day, (d.day - DATE '1970-01-01') AS dn, d.watched_s
      FROM vv JOIN view_days d ON d.view_id = vv.view_id AND d.profile_id = vv.profile_id
      WHERE d.watched_s > 0 AND (d.day - DATE '1970-01-01') BETWEEN $5 AND $6
    )`;
    const rows = async (sql: string, extra: DuckDBValue[] = []) => (await c.runAndReadAll(`${base} ${sql}`, [...params, ...extra])).getRows();
    const streakRows = await rows(
      `, subject_days AS (
         SELECT profile_id, 'title' AS scope, title_id AS id, dn, sum(watched_s) AS s FROM vd GROUP BY ALL
         UNION ALL
         SELECT profile_id, 'series', series_id, dn, sum(watched_s) FROM vd WHERE kind = 'episode' AND series_id IS NOT NULL GROUP BY ALL
       ),
       good AS (SELECT profile_id, scope, id, dn, dn - row_number() OVER (PARTITION BY profile_id, scope, id ORDER BY dn) AS grp FROM subject_days WHERE s >= $7),
       best AS (SELECT profile_id, scope, id, max(n) AS longest FROM (SELECT profile_id, scope, id, grp, count(*) AS n FROM good GROUP BY ALL) GROUP BY ALL)
       SELECT scope, id, th.days, count(*) FILTER (WHERE longest >= th.days) AS profiles
       FROM best, (SELECT unnest($8::INTEGER[]) AS days) th
       WHERE longest >= $9 GROUP BY ALL`,
      [defs.streakMinS, listValue(thresholds), thresholds[0]],
    );
    const countryRows = await rows(
      `, member_days AS (
         SELECT coalesce(p.member_id, vd.profile_id) AS member_id, m.country, dn, sum(watched_s) AS s
         FROM vd LEFT JOIN profiles p ON p.profile_id = vd.profile_id LEFT JOIN members m ON m.member_id = p.member_id GROUP BY ALL
       ),
       per_member AS (SELECT member_id, country, count(*) FILTER (WHERE s >= $7) AS viewing_days, sum(s) AS secs FROM member_days GROUP BY ALL)
       SELECT country, count(*) AS active, count(*) FILTER (WHERE viewing_days >= $8 * $9 - 1e-9) AS daily, sum(secs) / 60 / (count(*) * $9) AS mean
       FROM per_member WHERE viewing_days > 0 GROUP BY country`,
      [defs.streakMinS, defs.dailyShare, periodDays],
    );
    const hourRows = await rows(
      `, spans AS (
         SELECT watched_s, start_ms + offset_min * 60000 AS start_local, dn * 86400000 AS day_start,
                greatest(start_ms + offset_min * 60000, dn * 86400000) AS f, least(end_ms + offset_min * 60000, (dn + 1) * 86400000) AS t
         FROM vd
       )
       SELECT h, sum(CASE WHEN t <= f THEN (CASE WHEN h = floor(((start_local % 86400000 + 86400000) % 86400000) / 3600000) THEN watched_s ELSE 0 END)
                          ELSE watched_s * greatest(0, least(t, day_start + (h + 1) * 3600000) - greatest(f, day_start + h * 3600000)) / (t - f) END) / 3600 AS hours
       FROM spans, range(24) r(h) GROUP BY h ORDER BY h`,
    );
    const racerRows = await rows(
      `, seasons AS (
         SELECT series_id, season, count(*) AS episodes, min(released_at_ms) AS released, bool_and(released_at_ms IS NOT NULL) AS known
         FROM titles WHERE kind = 'episode' AND series_id IS NOT NULL GROUP BY ALL
       ),
       raced AS (
         SELECT profile_id, series_id, season, count(DISTINCT title_id) AS done FROM vv
         WHERE completed AND kind = 'episode' AND released_at_ms IS NOT NULL AND end_ms BETWEEN released_at_ms AND released_at_ms + $7
         GROUP BY ALL
       )
       SELECT s.series_id, coalesce(s.season, ''), count(*) FROM raced r JOIN seasons s ON s.series_id = r.series_id AND s.season IS NOT DISTINCT FROM r.season
       WHERE s.known AND r.done = s.episodes AND year(make_timestamp(s.released * 1000)) = $8 GROUP BY ALL`,
      [BigInt(defs.racerWindowH * 3_600_000), year],
    );
    const num = (v: DuckDBValue) => (typeof v === 'bigint' ? Number(v) : (v as number));
    return {
      notAPerson: flagRows.map((r) => `${r[0]}|${r[1]}|${r[2]}|${num(r[3])}|${r[4]}`).sort(),
      streaks: new Map(streakRows.map((r) => [`${r[0]}|${r[1]}|${num(r[2])}`, num(r[3])])),
      countries: new Map(countryRows.map((r) => [r[0] as string, { active: num(r[1]), daily: num(r[2]), meanMinutes: num(r[3]) }])),
      perHourOfDay: Array.from({ length: 24 }, (_, h) => num(hourRows.find((r) => num(r[0]) === h)?.[1] ?? 0)),
      racers: new Map(racerRows.map((r) => [`${r[0]}|${r[1]}`, num(r[2])])),
    };
  });
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

/** Throws on the first difference; returns how many numbers were compared. */
export function compareFacts(facts: PopulationFacts, sql: SqlFacts): InsightsBenchResult['compared'] {
  const fail = (what: string, ts: unknown, db: unknown) => {
    throw new Error(`insights bench: ${what} differs: binge ${JSON.stringify(ts)} vs hand-written SQL ${JSON.stringify(db)}`);
  };
  const flags = facts.notAPerson.map((f) => `${f.scope}|${f.id}|${f.reason}|${f.days}|${f.titleId ?? ''}`).sort();
  if (JSON.stringify(flags) !== JSON.stringify(sql.notAPerson)) fail('not a person', flags, sql.notAPerson);
  const streaks = new Map(facts.streaks.map((s) => [`${s.scope}|${s.title}|${s.days}`, s.profiles]));
  if (streaks.size !== sql.streaks.size) fail('number of streak rows', streaks.size, sql.streaks.size);
  for (const [key, n] of streaks) if (sql.streaks.get(key) !== n) fail(`streak ${key}`, n, sql.streaks.get(key));
  if (facts.countries.length !== sql.countries.size) fail('countries', facts.countries.length, sql.countries.size);
  for (const c of facts.countries) {
    const d = sql.countries.get(c.country);
    if (!d || d.active !== c.activeMembers || d.daily !== c.dailyMembers || !close(d.meanMinutes, c.meanMinutesPerMemberPerDay)) fail(`country ${c.country}`, c, d);
  }
  facts.hours.perHourOfDay.forEach((h, i) => {
    if (!close(h, sql.perHourOfDay[i])) fail(`hours at ${i}`, h, sql.perHourOfDay[i]);
  });
  if (facts.racers.length !== sql.racers.size) fail('racer seasons', facts.racers.length, sql.racers.size);
  for (const r of facts.racers) if (sql.racers.get(`${r.series}|${r.season}`) !== r.profiles) fail(`racers ${r.series} ${r.season}`, r.profiles, sql.racers.get(`${r.series}|${r.season}`));
  return { notAPerson: flags.length, streakRows: streaks.size, countries: facts.countries.length, hours: 24, racerSeasons: facts.racers.length };
}
