// history: views of N demo events computed from scratch the way binge computes them, against a
// hand-written single DuckDB query for the same sessions on the same store, with the results
// compared; then the incremental refresh after one more day of events against the full recompute.
//
// Measured: `refreshViews` with every profile dirty, the product's path (demo load, `serve`, the
// insights bench). On DuckDB that is store/duckdb/views-refresh.ts: a few SQL statements per
// batch of profiles that compute sessions, per-day minutes and views and write the `views` and
// `view_days` tables, handing profiles with a local day over 24 h to the pure functions.
// Baseline: store/duckdb/views-sql.ts, one independent statement written for comparison (not
// used by the product), materialized into a table. How the two differ: the baseline ranks every
// event by (playback, eventId) to drop repeats where views-refresh.ts ranks only eventIds that a
// hash aggregate finds repeated; the baseline clips every stretch in one ordered pass per profile
// where views-refresh.ts does that only for playbacks that overlap another; the baseline computes
// no per-day minutes, ignores the 24 h cap and writes one table, views-refresh.ts does all of it.
// Checks: the stored views equal the baseline's on every field it computes, and equal the pure
// functions (src/history, events streamed per profile; timed for reference) on every field,
// per-day minutes included. Before the one more day, an untimed CHECKPOINT writes the earlier
// steps' tables to the file (without it, the day's append paid for that checkpoint).

import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Catalogue } from '../domain/catalogue.js';
import { DEFAULT_DEFINITIONS } from '../domain/definitions.js';
import type { PlaybackEvent, View } from '../domain/model.js';
import { isoToDayNumber } from '../domain/time.js';
import { historyOf } from '../history/index.js';
import { refreshViews } from '../history/refresh-views.js';
import { bulkLoad } from '../ingest/bulk-load.js';
import { openDuckDbStore, type DuckDbStore } from '../store/duckdb/adapter.js';
import { comparableView, materializeViewsSql, readViewsSql, streamEventsByProfile, type SqlView } from '../store/duckdb/views-sql.js';
import { demoEvents } from './events.js';
import { type Benchmark, round3, throughput, timed } from './measure.js';

const DAY_MS = 86_400_000;

export const historyBench: Benchmark = {
  name: 'history',
  description: 'views from scratch: refreshViews (in-store SQL) vs a hand-written SQL query (same store, results compared, pure functions as the reference); incremental refresh after one more day vs full recompute',
  defaultEvents: 10_000_000,
  async run({ events, tmpDir, log }) {
    const count = events ?? this.defaultEvents;
    const defs = DEFAULT_DEFINITIONS;
    const period = { fromDay: '2025-01-01', toDay: '2025-12-31' };
    log(`generating ${count.toLocaleString('en-US')} events (untimed); events of the last day are kept back as "one more day"`);
    const data = demoEvents(count, period);
    const cutMs = isoToDayNumber(period.toDay) * DAY_MS;
    const initial: PlaybackEvent[][] = [];
    const nextDay: PlaybackEvent[] = [];
    for (const batch of data.batches) {
      const before = batch.filter((e) => e.atMs < cutMs);
      if (before.length > 0) initial.push(before);
      if (before.length < batch.length) for (const e of batch) if (e.atMs >= cutMs) nextDay.push(e);
    }
    const initialCount = count - nextDay.length;
    const store = await openDuckDbStore({ dataDir: join(tmpDir, 'store') });
    try {
      await store.putTitles(data.population.catalogue);
      await bulkLoad(store, initial, { dedup: 'unique-by-construction' });
      const catalogue = new Catalogue(data.population.catalogue);

      log('binge: refreshViews from scratch (every profile dirty)');
      const full = await timed(() => refreshViews(store, catalogue, defs));

      log('hand-written SQL over the same store');
      const sql = await timed(() => store.withConnection((c) => materializeViewsSql(c, defs, 'bench_sql_views')));
      const sqlViews = await store.withConnection((c) => readViewsSql(c, 'bench_sql_views'));
      const stored = await allStoredViews(store);
      const mismatches = compareViews(stored, sqlViews);

      log('pure functions over every profile (streamed from the store; the reference, timed for comparison)');
      const pure = await timed(async () => {
        const views: View[] = [];
        await streamEventsByProfile(store, (_profileId, list) => {
          for (const v of historyOf(list, catalogue.titleOf, defs).views) views.push(v);
        });
        return views;
      });
      const pureMismatches = compareFullViews(stored, pure.value);

      // Untimed: write what the steps above left in the write-ahead log (the baseline's table among
      // them) to the file, so that the day's append does not pay for an earlier step's checkpoint.
      await store.withConnection((c) => c.run('CHECKPOINT'));
      log(`one more day: ${nextDay.length.toLocaleString('en-US')} events appended, then refreshViews`);
      const appended = await timed(() => bulkLoad(store, [nextDay], { dedup: 'unique-by-construction' }));
      const incremental = await timed(() => refreshViews(store, catalogue, defs));
      log('after the day: stored views against the hand-written SQL over every event (untimed)');
      await store.withConnection((c) => materializeViewsSql(c, defs, 'bench_sql_views_after'));
      const afterDay = compareViews(await allStoredViews(store), await store.withConnection((c) => readViewsSql(c, 'bench_sql_views_after')));

      const measured = throughput('refreshViews from scratch (in-store SQL, views and per-day minutes written)', initialCount, full.seconds);
      const baseline = throughput('hand-written SQL query (views-sql.ts, one table)', initialCount, sql.seconds);
      const ratio = measured.value / baseline.value;
      const incrementalShare = (appended.seconds + incremental.seconds) / full.seconds;
      return {
        name: this.name,
        size: initialCount,
        measured,
        baseline,
        ratio,
        goal: 'views from scratch within 1.5x of the hand-written SQL (ratio >= 0.667); incremental day < 5 % of full recompute',
        met: ratio >= 1 / 1.5 && incrementalShare < 0.05,
        ok: mismatches.count === 0 && pureMismatches.count === 0,
        details: {
          views: stored.length,
          sqlViews: sqlViews.length,
          pureViews: pure.value.length,
          viewsEqualSql: mismatches.count === 0,
          mismatches: mismatches.count,
          firstMismatch: mismatches.first,
          viewsEqualPure: pureMismatches.count === 0,
          pureMismatches: pureMismatches.count,
          firstPureMismatch: pureMismatches.first,
          fullRecomputeSeconds: round3(full.seconds),
          fullRecomputeCpuSeconds: round3(full.cpuSeconds),
          fullRecomputeProfiles: full.value.profiles,
          pureEventsPerSecond: Math.round(initialCount / pure.seconds),
          pureSeconds: round3(pure.seconds),
          pureCpuSeconds: round3(pure.cpuSeconds),
          nextDayEvents: nextDay.length,
          incrementalAppendSeconds: round3(appended.seconds),
          incrementalRefreshSeconds: round3(incremental.seconds),
          incrementalProfiles: incremental.value.profiles,
          incrementalShareOfFull: round3(incrementalShare),
          incrementalGoalMet: incrementalShare < 0.05,
          // not a check of this benchmark: an incremental refresh recomputes from each profile's cut
          afterDayEqualsSqlFromScratch: afterDay.count === 0,
          afterDayMismatches: afterDay.count,
          afterDayFirstMismatch: afterDay.first,
        },
      };
    } finally {
      await store.close();
    }
  },
};

async function allStoredViews(store: DuckDbStore): Promise<View[]> {
  const profileIds = await store.withConnection(async (c) =>
    (await c.runAndReadAll('SELECT DISTINCT profile_id FROM events ORDER BY 1')).getRowObjects().map((r) => r.profile_id as string),
  );
  return [...(await store.viewsOfProfiles(profileIds)).values()].flat();
}

/** Views equal on every field, per-day minutes included (stored views against the pure functions). */
export function compareFullViews(stored: readonly View[], pure: readonly View[]): { count: number; first?: unknown } {
  const key = (v: View) => `${v.profileId}|${v.viewId}`;
  const byPure = new Map(pure.map((v) => [key(v), v]));
  let count = 0;
  let first: unknown;
  for (const view of stored) {
    const p = byPure.get(key(view));
    byPure.delete(key(view));
    if (p !== undefined && isDeepStrictEqual(p, view)) continue;
    count++;
    first ??= { stored: view, pure: p ?? null };
  }
  for (const p of byPure.values()) {
    count++;
    first ??= { stored: null, pure: p };
  }
  return { count, first };
}

/** Views equal on every field both versions compute (the SQL has no per-day shares). */
export function compareViews(pure: readonly View[], sql: readonly SqlView[]): { count: number; first?: unknown } {
  const key = (v: SqlView) => `${v.profileId}|${v.viewId}`;
  const bySql = new Map(sql.map((v) => [key(v), comparableView(v)]));
  let count = 0;
  let first: unknown;
  const seen = new Set<string>();
  for (const view of pure) {
    const p = comparableView(view);
    const k = key(p);
    seen.add(k);
    const s = bySql.get(k);
    if (s !== undefined && JSON.stringify(s) === JSON.stringify(p)) continue;
    count++;
    first ??= { pure: p, sql: s ?? null };
  }
  for (const [k, s] of bySql) {
    if (seen.has(k)) continue;
    count++;
    first ??= { pure: null, sql: s };
  }
  return { count, first };
}
