import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Catalogue } from '../../domain/catalogue.js';
import { DEFAULT_DEFINITIONS } from '../../domain/definitions.js';
import type { PlaybackEvent, Title } from '../../domain/model.js';
import { refreshViews } from '../../history/refresh-views.js';
import { openDuckDbStore, type DuckDbStore } from './adapter.js';
import { MIGRATIONS } from './migrations.js';

// views and view_days are kept in profile order (migration 9), so that a read of one profile
// (a year in review) skips the row groups of the others. "Stored order" is the order of a scan
// without ORDER BY, which DuckDB keeps as insertion order.

const TITLES: Title[] = [{ titleId: 't1', kind: 'movie', name: 't1', runtimeS: 3000 }];
const START_MS = Date.parse('2026-03-02T18:00:00Z');

/** One 20-minute playback per profile, profiles in an order that is not sorted. */
function events(profiles: readonly string[]): PlaybackEvent[] {
  return profiles.flatMap((profileId, i) => {
    const atMs = START_MS + i * 60_000;
    const base = { playbackId: `pb-${profileId}`, profileId, titleId: 't1', offsetMin: 60, deviceId: `d-${profileId}`, country: 'DE', autoplayed: false, userAction: 'none' } as const;
    return [
      { ...base, eventId: `${profileId}-a`, type: 'start', positionS: 0, atMs },
      { ...base, eventId: `${profileId}-b`, type: 'stop', positionS: 1200, atMs: atMs + 1_200_000 },
    ] satisfies PlaybackEvent[];
  });
}

/** The profile ids of a table's rows in stored order (the live tables: imported views are kept apart, migration 11). */
async function storedProfiles(store: DuckDbStore, table: 'views' | 'view_days'): Promise<string[]> {
  return store.withConnection(async (c) => (await c.runAndReadAll(`SELECT profile_id FROM live_${table}`)).getRows().map((r) => r[0] as string));
}

const sorted = (ids: readonly string[]) => [...ids].sort();

test('the refresh writes views and view_days in profile order', async () => {
  const store = await openDuckDbStore({ dataDir: ':memory:' });
  try {
    await store.appendEvents(events(['p3', 'p1', 'p4', 'p2']));
    await refreshViews(store, new Catalogue(TITLES), DEFAULT_DEFINITIONS);
    const views = await storedProfiles(store, 'views');
    assert.equal(views.length, 4);
    assert.deepEqual(views, sorted(views));
    const days = await storedProfiles(store, 'view_days');
    assert.deepEqual(days, sorted(days));
  } finally {
    await store.close();
  }
});

test('migration 9 puts rows written in any order into profile order and keeps every row', async () => {
  const store = await openDuckDbStore({ dataDir: ':memory:' });
  try {
    await store.appendEvents(events(['p3', 'p1', 'p4', 'p2']));
    await refreshViews(store, new Catalogue(TITLES), DEFAULT_DEFINITIONS);
    const rows = (table: string) =>
      store.withConnection(async (c) => (await c.runAndReadAll(`SELECT * FROM ${table}`)).getRows().map((r) => JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? String(v) : v))));
    // Rewrite both tables in reverse order, as a store from before migration 9 could hold them.
    await store.withConnection(async (c) => {
      for (const table of ['live_views', 'live_view_days']) {
        await c.run(`CREATE TEMP TABLE _rev AS SELECT * FROM ${table} ORDER BY profile_id DESC`);
        await c.run(`DELETE FROM ${table}`);
        await c.run(`INSERT INTO ${table} SELECT * FROM _rev`);
        await c.run('DROP TABLE _rev');
      }
    });
    const before = { views: (await rows('views')).sort(), days: (await rows('view_days')).sort() };
    assert.notDeepEqual(await storedProfiles(store, 'views'), sorted(await storedProfiles(store, 'views')));

    const migration = MIGRATIONS.find((m) => m.version === 9);
    assert.ok(migration);
    // Its statements on the tables' names since migration 11 (views and view_days are now views over live_views and live_view_days).
    await store.withConnection((c) => c.run(migration.sql.replace(/\b(views|view_days)\b/g, 'live_$1')));

    assert.deepEqual((await rows('views')).sort(), before.views);
    assert.deepEqual((await rows('view_days')).sort(), before.days);
    const views = await storedProfiles(store, 'views');
    assert.deepEqual(views, sorted(views));
    const days = await storedProfiles(store, 'view_days');
    assert.deepEqual(days, sorted(days));
  } finally {
    await store.close();
  }
});
