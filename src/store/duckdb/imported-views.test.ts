// Imported history in DuckDB: the views computed in SQL from imported rows must be exactly the
// views the pure functions make of the rows' events (ingest/netflix/imported-history.ts), per-day
// minutes included; a profile with a local day over 24 h goes to the pure functions; live events
// of the same profile, refreshed, leave the imported views be; export and erasure cover the rows.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Catalogue } from '../../domain/catalogue.js';
import { DEFAULT_DEFINITIONS } from '../../domain/definitions.js';
import type { PlaybackEvent, Title, View } from '../../domain/model.js';
import { refreshViews } from '../../history/refresh-views.js';
import { importedViewsOf } from '../../ingest/netflix/imported-history.js';
import { refreshImportedHistory } from '../../ingest/netflix/store-import.js';
import { IMPORTED_VIEW_ID_PREFIX, type ImportedSession } from '../csv-import-port.js';
import { openDuckDbStore, type DuckDbStore } from './adapter.js';
import { privacyStoreOf } from './privacy.js';

const HOUR_MS = 3_600_000;
const BASE_MS = Date.parse('2026-10-24T18:00:00Z'); // Europe falls back in the night of the 25th (a 25-hour day)

const TITLES: Title[] = [
  { titleId: 't1', kind: 'movie', name: 't1', runtimeS: 3000 },
  { titleId: 't2', kind: 'supplemental', name: 't2', runtimeS: 120 },
  { titleId: 't3', kind: 'episode', name: 't3', runtimeS: 1500, creditsAtS: 1300, seriesId: 's1', season: 1, episode: 1 },
  { titleId: 't4', kind: 'movie', name: 't4', runtimeS: null },
];
const catalogue = new Catalogue(TITLES);

/** A row id: 16 hex digits, as the first 64 bits of a SHA-256. */
const rowId = (n: number): string => 'a' + n.toString(16).padStart(15, '0');

const hex16 = fc.array(fc.constantFrom(...'0123456789abcdef'), { minLength: 16, maxLength: 16 }).map((d) => d.join(''));

const sessionArb = fc.record({
  rowId: hex16,
  profileId: fc.constantFrom('p1', 'p2'),
  titleId: fc.constantFrom('t1', 't2', 't3', 't4', 'unknown'),
  // rows that overlap, follow each other within the merge window, or cross midnight and the zone's switch
  startMs: fc.integer({ min: 0, max: 72 * HOUR_MS }).map((dt) => BASE_MS + Math.floor(dt / 1000) * 1000),
  durationS: fc.oneof(fc.integer({ min: 0, max: 90 }), fc.integer({ min: 0, max: 4 * 3600 }), fc.integer({ min: 0, max: 30 * 3600 })),
  bookmarkS: fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 30 * 3600 })),
  deviceId: fc.constantFrom('tv', 'phone'),
  country: fc.constantFrom('US', 'DE', 'IN', 'XX'),
  autoplayed: fc.boolean(),
  userAction: fc.constantFrom('none', 'none', 'interaction', 'visibility_timeout' as const),
}) satisfies fc.Arbitrary<ImportedSession>;

function expectedViews(sessions: readonly ImportedSession[]): View[] {
  const byProfile = new Map<string, ImportedSession[]>();
  for (const s of sessions) byProfile.set(s.profileId, [...(byProfile.get(s.profileId) ?? []), s]);
  return [...byProfile.values()].flatMap((list) => importedViewsOf(list, catalogue.titleOf, DEFAULT_DEFINITIONS));
}

function comparable(views: readonly View[]) {
  return views
    .map((v) => ({ ...v, hidden: false, watchedS: Math.round(v.watchedS * 1000), days: v.days.map((d) => ({ day: d.day, ms: Math.round(d.watchedS * 1000) })) }))
    .sort((a, b) => a.profileId.localeCompare(b.profileId) || a.startMs - b.startMs || a.viewId.localeCompare(b.viewId));
}

async function storedViews(store: DuckDbStore, profileIds: readonly string[]): Promise<View[]> {
  return [...(await store.viewsOfProfiles(profileIds)).values()].flat();
}

let store: DuckDbStore;
before(async () => {
  store = await openDuckDbStore({ dataDir: ':memory:' });
  await store.putTitles(TITLES);
});
after(async () => store.close());

async function reset(): Promise<void> {
  await store.withConnection(async (c) => {
    for (const table of ['events', 'live_views', 'live_view_days', 'dirty_marks', 'imported_rows', 'imported_views', 'imported_view_days', 'hidden_views']) {
      await c.run(`DELETE FROM ${table}`);
    }
  });
}

test('imported views computed in the store equal the pure functions over the rows, per-day minutes included', { timeout: 300_000 }, async () => {
  let capped = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(sessionArb, { minLength: 1, maxLength: 40 }), async (sessions) => {
      await reset();
      const history = store.importedHistory;
      await history.putImportedSessions(sessions);
      const result = await refreshImportedHistory(history, catalogue, DEFAULT_DEFINITIONS, ['p1', 'p2']);
      capped += result.capped.length;
      assert.deepEqual(comparable(await storedViews(store, ['p1', 'p2'])), comparable(expectedViews(sessions)));
    }),
    { numRuns: 150 },
  );
  // Long rows on the 25-hour day reach the cap now and then; the fallback is checked below in any case.
  assert.ok(capped >= 0);
});

test('a profile with a local day over 24 h is left to the pure functions, which cap it', async () => {
  await reset();
  // Berlin's 25-hour day (2026-10-25): a row watches from local midnight for 24 hours (its stretch is
  // placed in days with the offset at its start, +2 h), the next row starts at 23:00 local (+1 h).
  const midnight = Date.parse('2026-10-24T22:00:00Z');
  const row = { deviceId: 'tv', country: 'DE', autoplayed: false, userAction: 'none' as const };
  const sessions: ImportedSession[] = [
    { ...row, rowId: rowId(1), profileId: 'p1', titleId: 't4', startMs: midnight, durationS: 24 * 3600, bookmarkS: 24 * 3600 },
    { ...row, rowId: rowId(2), profileId: 'p1', titleId: 't1', startMs: midnight + 24 * HOUR_MS, durationS: 2 * 3600, bookmarkS: 2 * 3600 },
    { ...row, rowId: rowId(3), profileId: 'p2', titleId: 't1', startMs: midnight, durationS: 3600, bookmarkS: 3600 },
  ];
  const history = store.importedHistory;
  await history.putImportedSessions(sessions);
  const result = await refreshImportedHistory(history, catalogue, DEFAULT_DEFINITIONS, ['p1', 'p2']);
  assert.deepEqual(result.capped, ['p1']);
  const views = await storedViews(store, ['p1', 'p2']);
  assert.deepEqual(comparable(views), comparable(expectedViews(sessions)));
  const day = views.filter((v) => v.profileId === 'p1').flatMap((v) => v.days.filter((d) => d.day === '2026-10-25'));
  assert.equal(day.reduce((s, d) => s + d.watchedS, 0), 24 * 3600, 'at most 24 h in a local day');
});

test('a row id that is not 16 lowercase hex digits (the importers never make one) is refused, naming the row, and nothing of the batch is stored', async () => {
  await reset();
  const row = { profileId: 'p1', titleId: 't1', startMs: BASE_MS, deviceId: 'tv', country: 'DE', autoplayed: false, userAction: 'none' as const };
  for (const bad of ['B'.padEnd(16, '0'), 'a'.padEnd(48, 'b'), 'abc']) {
    const sessions: ImportedSession[] = [
      { ...row, rowId: rowId(4), durationS: 1800, bookmarkS: 1800 },
      { ...row, rowId: bad, durationS: 3600, bookmarkS: 3600 },
    ];
    await assert.rejects(store.importedHistory.putImportedSessions(sessions), (error: Error) => error.message.includes(JSON.stringify(bad)) && /16 lowercase hex digits/.test(error.message));
  }
  assert.equal((await store.importedHistory.importedSessionsOf(['p1'])).size, 0);
});

test('storing the same rows again changes nothing: rows are kept once by their row id', async () => {
  await reset();
  const rows = fc.sample(fc.array(sessionArb, { minLength: 5, maxLength: 20 }), { seed: 7, numRuns: 1 })[0];
  const history = store.importedHistory;
  assert.equal(await history.putImportedSessions(rows), new Set(rows.map((r) => r.rowId)).size);
  await refreshImportedHistory(history, catalogue, DEFAULT_DEFINITIONS, ['p1', 'p2']);
  const first = comparable(await storedViews(store, ['p1', 'p2']));
  assert.equal(await history.putImportedSessions(rows), 0);
  await refreshImportedHistory(history, catalogue, DEFAULT_DEFINITIONS, ['p1', 'p2']);
  assert.deepEqual(comparable(await storedViews(store, ['p1', 'p2'])), first);
});

function liveEvents(profileId: string, titleId: string, startMs: number, minutes: number): PlaybackEvent[] {
  const base = { playbackId: `live-${startMs}`, profileId, titleId, offsetMin: null, deviceId: 'web', country: 'DE', autoplayed: false, userAction: 'none' as const };
  return [
    { ...base, eventId: `live-${startMs}-a`, type: 'start', positionS: 0, atMs: startMs },
    { ...base, eventId: `live-${startMs}-b`, type: 'stop', positionS: minutes * 60, atMs: startMs + minutes * 60_000 },
  ];
}

test('live events of the same profile, refreshed in the store or by the pure path, leave its imported views as they were', async () => {
  for (const inStore of [true, false]) {
    await reset();
    const sessions: ImportedSession[] = [0, 1, 2].map((i) => ({
      rowId: rowId(10 + i),
      profileId: 'p1',
      titleId: 't1',
      startMs: BASE_MS + i * 5 * HOUR_MS,
      durationS: 1800,
      bookmarkS: 1800 * (i + 1),
      deviceId: 'tv',
      country: 'DE',
      autoplayed: false,
      userAction: 'none',
    }));
    const history = store.importedHistory;
    await history.putImportedSessions(sessions);
    await refreshImportedHistory(history, catalogue, DEFAULT_DEFINITIONS, ['p1']);
    const imported = comparable(await storedViews(store, ['p1']));
    assert.equal(imported.length, 1, 'three rows within 8 h of each other are one view');

    // Live telemetry before, between and after the imported rows, of the same and of another title.
    await store.appendEvents([
      ...liveEvents('p1', 't1', BASE_MS - 2 * HOUR_MS, 30),
      ...liveEvents('p1', 't3', BASE_MS + 6 * HOUR_MS, 20),
      ...liveEvents('p1', 't1', BASE_MS + 20 * HOUR_MS, 10),
    ]);
    await refreshViews(store, catalogue, DEFAULT_DEFINITIONS, { inStore });
    const after = await storedViews(store, ['p1']);
    assert.deepEqual(comparable(after.filter((v) => v.viewId.startsWith(IMPORTED_VIEW_ID_PREFIX))), imported, `inStore: ${inStore}`);
    assert.equal(after.filter((v) => !v.viewId.startsWith(IMPORTED_VIEW_ID_PREFIX)).length, 3, 'the live views are there too');
    // A later live event refreshes again from an earlier cut: the imported views stay.
    await store.appendEvents(liveEvents('p1', 't1', BASE_MS + HOUR_MS, 5));
    await refreshViews(store, catalogue, DEFAULT_DEFINITIONS, { inStore });
    const again = await storedViews(store, ['p1']);
    assert.deepEqual(comparable(again.filter((v) => v.viewId.startsWith(IMPORTED_VIEW_ID_PREFIX))), imported, `inStore: ${inStore}`);
  }
});

test("a member's export holds their imported rows, their devices were seen then, and erasure removes them with the imported views", async () => {
  await reset();
  await store.putMembers([{ memberId: 'm1', country: 'DE', createdAtMs: 0 }]);
  await store.putProfiles([{ profileId: 'p1', memberId: 'm1', name: 'Ana' }]);
  const history = store.importedHistory;
  await history.putImportedSessions([
    { rowId: rowId(3), profileId: 'p1', titleId: 't1', startMs: BASE_MS, durationS: 1800, bookmarkS: 1800, deviceId: 'tv', country: 'DE', autoplayed: false, userAction: 'none' },
  ]);
  await refreshImportedHistory(history, catalogue, DEFAULT_DEFINITIONS, ['p1']);
  const privacy = privacyStoreOf(store);
  assert.deepEqual(await privacy.devicesOf('m1'), [{ deviceId: 'tv', kind: null, lastSeenMs: BASE_MS + 1800 * 1000 }], 'an imported row is a sighting of its device');
  const exported = await privacy.memberRows('m1');
  assert.equal(exported.imported_sessions.length, 1);
  assert.equal(exported.views.length, 1);
  // Exported decoded, as the member reads them: the codes of the stored form do not leave the store.
  assert.equal(exported.imported_sessions[0].title_id, 't1');
  assert.equal(exported.imported_sessions[0].row_id, rowId(3));
  assert.equal(exported.views[0].title_id, 't1');
  assert.equal(exported.views[0].country, 'DE');
  assert.deepEqual(exported.view_days.map((d) => d.watched_s), [1800], 'a view within its own day has that day\'s minutes');
  assert.equal(exported.imported_views, undefined, 'imported views are exported within views');
  await privacy.eraseMember('m1', { atMs: 2, asker: 'cli:test', role: 'operator', subject: null, purpose: 'member_request', ticket: null, data: 'erasure', what: 'test', outcome: 'allowed' }, 2);
  await store.withConnection(async (c) => {
    for (const table of ['imported_sessions', 'views', 'view_days', 'imported_rows', 'imported_views', 'imported_view_days']) {
      assert.equal(Number((await c.runAndReadAll(`SELECT count(*) FROM ${table}`)).getRows()[0][0]), 0, table);
    }
  });
});
