// Migration 11 moves imported history into its narrow form: a store written by the version before
// it (imported rows with 48-digit ids, imported views named by a digest, live views beside them,
// hidden marks on both) opens with the same rows and views, each imported view under its new id
// (its first row's id) with its hidden mark moved along, the live ones untouched; importing the
// same rows again changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Catalogue } from '../../domain/catalogue.js';
import { DEFAULT_DEFINITIONS } from '../../domain/definitions.js';
import type { Title, View } from '../../domain/model.js';
import { historyOf } from '../../history/index.js';
import { eventsOfSession, importedViewsOf } from '../../ingest/netflix/imported-history.js';
import { refreshImportedHistory } from '../../ingest/netflix/store-import.js';
import { IMPORTED_VIEW_ID_PREFIX, type ImportedSession } from '../csv-import-port.js';
import { openDuckDbStore } from './adapter.js';
import { MIGRATIONS } from './migrations.js';
import { appendView } from './view-rows.js';

const TITLES: Title[] = [
  { titleId: 't1', kind: 'movie', name: 'Film', runtimeS: 3000 },
  { titleId: 't2', kind: 'episode', name: 'Episode', runtimeS: 1500, seriesId: 's1', season: 1, episode: 1 },
];
const catalogue = new Catalogue(TITLES);

/** A row id of the old form: 48 hex digits (playback, start event, stop event). */
const oldRowId = (n: number): string => ['a', 'b', 'c'].map((k) => k + n.toString(16).padStart(15, '0')).join('');

const row = { profileId: 'p1', deviceId: 'tv', country: 'DE', autoplayed: false, userAction: 'none' } as const;
const OLD_ROWS: ImportedSession[] = [
  // two rows of one film within 8 hours: one view of two sessions
  { ...row, rowId: oldRowId(1), titleId: 't1', startMs: Date.parse('2025-03-01T18:00:00Z'), durationS: 1200, bookmarkS: 1200 },
  { ...row, rowId: oldRowId(2), titleId: 't1', startMs: Date.parse('2025-03-01T19:00:00Z'), durationS: 1200, bookmarkS: 2400 },
  // an episode across midnight in Berlin: per-day minutes on two days
  { ...row, rowId: oldRowId(3), titleId: 't2', startMs: Date.parse('2025-03-02T22:40:00Z'), durationS: 1500, bookmarkS: 1500 },
  // too short to be a view
  { ...row, rowId: oldRowId(4), titleId: 't2', startMs: Date.parse('2025-03-05T10:00:00Z'), durationS: 20, bookmarkS: 20 },
];

/** The imported views as the version before migration 11 named them: the prefix and the pure functions' digest id. */
function oldImportedViews(rows: readonly ImportedSession[]): View[] {
  const { views } = historyOf(rows.flatMap(eventsOfSession), catalogue.titleOf, DEFAULT_DEFINITIONS);
  for (const view of views) view.viewId = IMPORTED_VIEW_ID_PREFIX + view.viewId;
  return views;
}

const LIVE_VIEW: View = {
  viewId: 'live0000view0001', profileId: 'p1', titleId: 't2', kind: 'episode', startMs: Date.parse('2025-04-01T18:00:00Z'), endMs: Date.parse('2025-04-01T18:25:00Z'),
  watchedS: 1500, furthestS: 1500, bookmarkS: 1500, completed: true, rewatch: false, autoplayed: false, endedByTimeout: false, interacted: false, sessions: 1,
  deviceId: 'phone', country: 'DE', offsetMin: 120, day: '2025-04-01', days: [{ day: '2025-04-01', watchedS: 1500 }], hidden: false,
};

/** A store at version 10 holding the old form: rows, imported and live views, hidden marks on one of each. */
async function writeVersion10Store(dataDir: string): Promise<{ hiddenImportedOldId: string }> {
  const instance = await DuckDBInstance.create(join(dataDir, 'binge.duckdb'));
  const c = await instance.connect();
  try {
    await c.run('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP DEFAULT current_timestamp)');
    for (const migration of MIGRATIONS.filter((m) => m.version <= 10)) {
      await c.run(migration.sql);
      await c.run('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
    }
    await c.run("INSERT INTO members VALUES ('m1', 'DE', 0)");
    await c.run("INSERT INTO profiles VALUES ('p1', 'm1', 'Ana')");
    for (const t of TITLES) await c.run('INSERT INTO titles (title_id, kind, name, runtime_s) VALUES ($1, $2, $3, $4)', [t.titleId, t.kind, t.name, t.runtimeS]);
    for (const r of OLD_ROWS) {
      await c.run('INSERT INTO imported_sessions VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)', [
        r.rowId, r.profileId, r.titleId, BigInt(r.startMs), BigInt(r.durationS), BigInt(r.bookmarkS), r.deviceId, r.country, r.autoplayed, r.userAction,
      ]);
    }
    const views = await c.createAppender('views');
    const days = await c.createAppender('view_days');
    const imported = oldImportedViews(OLD_ROWS);
    for (const v of [...imported, LIVE_VIEW]) appendView(views, days, v);
    views.flushSync();
    days.flushSync();
    views.closeSync();
    days.closeSync();
    const hiddenImportedOldId = imported.find((v) => v.titleId === 't2')!.viewId;
    for (const viewId of [hiddenImportedOldId, LIVE_VIEW.viewId]) await c.run("INSERT INTO hidden_views VALUES ('p1', $1, 7)", [viewId]);
    return { hiddenImportedOldId };
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

const comparable = (views: readonly View[]) =>
  [...views].map((v) => ({ ...v, watchedS: Math.round(v.watchedS * 1000), days: v.days.map((d) => ({ day: d.day, ms: Math.round(d.watchedS * 1000) })) })).sort((a, b) => a.startMs - b.startMs);

test('migration 11 keeps every imported row and view in the narrow form, renames imported views to their first row, moves their hidden marks and leaves live views alone', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'binge-m11-'));
  try {
    const { hiddenImportedOldId } = await writeVersion10Store(dataDir);
    const store = await openDuckDbStore({ dataDir });
    try {
      assert.equal(await store.schemaVersion(), MIGRATIONS.at(-1)!.version);
      const newRows = OLD_ROWS.map((r) => ({ ...r, rowId: r.rowId.slice(0, 16) }));
      assert.deepEqual((await store.importedHistory.importedSessionsOf(['p1'])).get('p1'), newRows);

      // The imported views as the pure functions name them now, the one hidden before still hidden; the live view as it was.
      const expected = importedViewsOf(newRows, catalogue.titleOf, DEFAULT_DEFINITIONS);
      assert.equal(expected.length, 2);
      const hiddenNewId = expected.find((v) => v.titleId === 't2')!.viewId;
      assert.equal(hiddenNewId, `${IMPORTED_VIEW_ID_PREFIX}${oldRowId(3).slice(0, 16)}`, "an imported view's id is its first row's id");
      assert.notEqual(hiddenNewId, hiddenImportedOldId);
      for (const v of expected) v.hidden = v.viewId === hiddenNewId;
      const stored = (await store.viewsOfProfiles(['p1'])).get('p1') ?? [];
      assert.deepEqual(comparable(stored), comparable([...expected, { ...LIVE_VIEW, hidden: true }]));
      assert.equal(expected.find((v) => v.viewId === hiddenNewId)!.days.length, 2, 'the fixture has a view across midnight');

      // Importing the same rows again stores nothing and recomputes the same views, in the narrow form.
      assert.equal(await store.importedHistory.putImportedSessions(newRows), 0);
      await refreshImportedHistory(store.importedHistory, catalogue, DEFAULT_DEFINITIONS, ['p1']);
      assert.deepEqual(comparable((await store.viewsOfProfiles(['p1'])).get('p1') ?? []), comparable([...expected, { ...LIVE_VIEW, hidden: true }]));
      const onOwnDay = await store.withConnection(async (c) => (await c.runAndReadAll('SELECT count(*) FILTER (WHERE on_own_day), count(*) FROM imported_views')).getRows()[0]);
      assert.deepEqual(onOwnDay.map(Number), [1, 2], 'the view within one local day has no per-day rows of its own');
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
