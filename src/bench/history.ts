// history: views of N demo events computed from scratch with the pure functions (events read
// per profile from the store, sessionize, views) against the hand-written SQL of
// store/duckdb/views-sql.ts on the same store, with the results compared; then the incremental
// refresh after one more day of events against the full recompute through the store.

import { join } from 'node:path';
import { Catalogue } from '../domain/catalogue.js';
import { DEFAULT_DEFINITIONS } from '../domain/definitions.js';
import type { PlaybackEvent, View } from '../domain/model.js';
import { isoToDayNumber } from '../domain/time.js';
import { historyOf } from '../history/index.js';
import { refreshViews } from '../history/refresh-views.js';
import { bulkLoad } from '../ingest/bulk-load.js';
import { openDuckDbStore } from '../store/duckdb/adapter.js';
import { comparableView, materializeViewsSql, readViewsSql, streamEventsByProfile, type SqlView } from '../store/duckdb/views-sql.js';
import { demoEvents } from './events.js';
import { type Benchmark, round3, throughput, timed } from './measure.js';

const DAY_MS = 86_400_000;

export const historyBench: Benchmark = {
  name: 'history',
  description: 'views from scratch: pure functions vs hand-written SQL (same store, results compared); incremental refresh after one more day vs full recompute',
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

      log('pure functions over every profile (streamed from the store)');
      const pure = await timed(async () => {
        const views: View[] = [];
        await streamEventsByProfile(store, (_profileId, list) => {
          for (const v of historyOf(list, catalogue.titleOf, defs).views) views.push(v);
        });
        return views;
      });

      log('hand-written SQL over the same store');
      const sql = await timed(() => store.withConnection((c) => materializeViewsSql(c, defs, 'bench_sql_views')));
      const sqlViews = await store.withConnection((c) => readViewsSql(c, 'bench_sql_views'));
      const mismatches = compareViews(pure.value, sqlViews);

      log('full recompute through the store (refreshViews, every profile dirty)');
      const full = await timed(() => refreshViews(store, catalogue, defs));

      log(`one more day: ${nextDay.length.toLocaleString('en-US')} events appended, then refreshViews`);
      const appended = await timed(() => bulkLoad(store, [nextDay], { dedup: 'unique-by-construction' }));
      const incremental = await timed(() => refreshViews(store, catalogue, defs));

      // binge computes views with the pure functions; the hand-written SQL is the baseline to be within 1.5x of.
      const measured = throughput('pure functions (stream per profile, sessionize, views)', initialCount, pure.seconds);
      const baseline = throughput('hand-written SQL (views-sql.ts)', initialCount, sql.seconds);
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
        ok: mismatches.count === 0,
        details: {
          views: pure.value.length,
          sqlViews: sqlViews.length,
          viewsEqual: mismatches.count === 0,
          mismatches: mismatches.count,
          firstMismatch: mismatches.first,
          pureCpuSeconds: round3(pure.cpuSeconds),
          fullRecomputeSeconds: round3(full.seconds),
          fullRecomputeProfiles: full.value.profiles,
          nextDayEvents: nextDay.length,
          incrementalAppendSeconds: round3(appended.seconds),
          incrementalRefreshSeconds: round3(incremental.seconds),
          incrementalProfiles: incremental.value.profiles,
          incrementalShareOfFull: round3(incrementalShare),
          incrementalShareOfPureFromScratch: round3((appended.seconds + incremental.seconds) / pure.seconds),
          incrementalGoalMet: incrementalShare < 0.05,
        },
      };
    } finally {
      await store.close();
    }
  },
};

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
