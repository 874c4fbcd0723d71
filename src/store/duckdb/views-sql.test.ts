import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_DEFINITIONS, type Definitions } from '../../domain/definitions.js';
import { PLAYBACK_EVENT_TYPES, type PlaybackEvent, type Title } from '../../domain/model.js';
import { historyOf } from '../../history/index.js';
import { openDuckDbStore, type DuckDbStore } from './adapter.js';
import { comparableView, materializeViewsSql, readViewsSql, streamEventsByProfile } from './views-sql.js';

const HOUR_MS = 3_600_000;
const BASE_MS = Date.parse('2026-03-28T18:00:00Z'); // Europe springs forward the next night

const TITLES: Title[] = [
  { titleId: 't1', kind: 'movie', name: 't1', runtimeS: 3000 },
  { titleId: 't2', kind: 'supplemental', name: 't2', runtimeS: 120 },
  { titleId: 't3', kind: 'episode', name: 't3', runtimeS: 1500, creditsAtS: 1300, seriesId: 's1', season: 1, episode: 1 },
  { titleId: 't4', kind: 'movie', name: 't4', runtimeS: null },
];
const byId = new Map(TITLES.map((t) => [t.titleId, t]));
const titleOf = (id: string) => byId.get(id);

const step = fc.record({
  type: fc.constantFrom(...PLAYBACK_EVENT_TYPES),
  dtMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 120_000 }), fc.integer({ min: 0, max: 10 * HOUR_MS })),
  pace: fc.oneof(fc.constant(1), fc.double({ min: -1, max: 40, noNaN: true })),
  userAction: fc.constantFrom('none', 'none', 'none', 'none', 'interaction', 'visibility_timeout' as const),
  autoplayed: fc.boolean(),
  /** 0: sent once; 1: an exact copy re-sent; 2: a corrupt re-send (same eventId, other time and type). */
  copy: fc.constantFrom(0, 0, 0, 0, 0, 1, 2),
});

const playbackArb = fc.record({
  profile: fc.constantFrom('p1', 'p2', 'p3'),
  titleId: fc.constantFrom('t1', 't2', 't3', 't4', 'unknown'),
  device: fc.constantFrom('tv', 'phone'),
  startMs: fc.integer({ min: 0, max: 60 * HOUR_MS }),
  steps: fc.array(step, { minLength: 1, maxLength: 25 }),
});

// The 24 h per local day cap is not in the SQL (views-sql.ts): a profile keeps one offset, or no
// offset and one country, so that no local day of a profile can hold more than 24 h of wall clock
// once overlaps are counted once (the cap never applies).
const zoneArb = fc.constantFrom<{ offsetMin: number | null; country: string }>(
  { offsetMin: null, country: 'US' },
  { offsetMin: null, country: 'DE' },
  { offsetMin: null, country: 'XX' },
  { offsetMin: -360, country: 'MX' },
  { offsetMin: 330, country: 'IN' },
  { offsetMin: 840, country: 'KI' },
  { offsetMin: -720, country: 'US' },
);

const streamArb = fc
  .record({ zones: fc.array(zoneArb, { minLength: 3, maxLength: 3 }), playbacks: fc.array(playbackArb, { minLength: 1, maxLength: 10 }) })
  .map(({ zones, playbacks }) => {
    const events: PlaybackEvent[] = [];
    playbacks.forEach((pb, p) => {
      const zone = zones[Number(pb.profile.slice(1)) - 1];
      let atMs = BASE_MS + pb.startMs;
      let positionMs = 0;
      pb.steps.forEach((s, i) => {
        atMs += s.dtMs;
        positionMs = Math.max(0, Math.round(positionMs + s.dtMs * s.pace));
        const event: PlaybackEvent = {
          eventId: `pb${p}-${i}`,
          playbackId: `pb${p}`,
          profileId: pb.profile,
          titleId: pb.titleId,
          type: i === 0 ? 'start' : s.type,
          positionS: positionMs / 1000,
          atMs,
          offsetMin: zone.offsetMin,
          deviceId: pb.device,
          country: zone.country,
          autoplayed: s.autoplayed,
          userAction: s.userAction,
        };
        events.push(event);
        if (s.copy === 1) events.push({ ...event });
        if (s.copy === 2) events.push({ ...event, atMs: atMs - 30_000, type: 'heartbeat', positionS: event.positionS + 1 });
      });
    });
    return events;
  });

const defsArb = fc.constantFrom<Definitions>(
  DEFAULT_DEFINITIONS,
  { ...DEFAULT_DEFINITIONS, minWatchS: 1, resumeMergeH: 1 },
  { ...DEFAULT_DEFINITIONS, minWatchS: 0.5, resumeMergeH: 30, completeAt: 0.5 },
);

let store: DuckDbStore;
before(async () => {
  store = await openDuckDbStore({ dataDir: ':memory:' });
  await store.putTitles(TITLES);
});
after(async () => store.close());

test('SQL views equal the pure views (watched, furthest, bookmark, completed, start/end, sessions, ids, flags)', async () => {
  await fc.assert(
    fc.asyncProperty(streamArb, defsArb, async (events, defs) => {
      await store.withConnection((c) => c.run('DELETE FROM events'));
      await store.appendEvents(events);
      const pure = historyOf(events, titleOf, defs).views.map(comparableView);
      const sql = await store.withConnection(async (c) => {
        await materializeViewsSql(c, defs, 'test_views');
        return readViewsSql(c, 'test_views');
      });
      assert.deepEqual(sql.map(comparableView), pure);
    }),
    { numRuns: 100 },
  );
});

test('a literal timeline: pause, seek, timeout, resume merge, completion by credits', async () => {
  const at = (min: number) => BASE_MS + min * 60_000;
  const e = (id: string, playbackId: string, type: PlaybackEvent['type'], min: number, positionS: number, extra: Partial<PlaybackEvent> = {}): PlaybackEvent => ({
    eventId: id, playbackId, profileId: 'p1', titleId: 't3', type, positionS, atMs: at(min), offsetMin: 60,
    deviceId: 'tv', country: 'DE', autoplayed: false, userAction: 'none', ...extra,
  });
  const events = [
    e('a1', 'a', 'start', 0, 0), e('a2', 'a', 'heartbeat', 10, 600), e('a3', 'a', 'pause', 15, 900),
    e('a4', 'a', 'resume', 45, 900), e('a5', 'a', 'seek', 46, 1200), e('a6', 'a', 'heartbeat', 50, 1440),
    // an hour later: the same view (resume merge); the timeout ends it at 1340 s
    e('b1', 'b', 'start', 120, 1200), e('b2', 'b', 'heartbeat', 122, 1320), e('b3', 'b', 'still_watching_answer', 122.5, 1340, { userAction: 'visibility_timeout' }),
    e('b4', 'b', 'heartbeat', 130, 1800),
  ];
  await store.withConnection((c) => c.run('DELETE FROM events'));
  await store.appendEvents(events);
  const sql = await store.withConnection(async (c) => {
    await materializeViewsSql(c, DEFAULT_DEFINITIONS, 'test_views');
    return readViewsSql(c, 'test_views');
  });
  const pure = historyOf(events, titleOf, DEFAULT_DEFINITIONS).views;
  assert.equal(sql.length, 1);
  assert.deepEqual(sql.map(comparableView), pure.map(comparableView));
  assert.equal(sql[0].sessions, 2);
  assert.equal(sql[0].watchedS, 900 + 240 + 140);
  assert.equal(sql[0].bookmarkS, 1340);
  assert.equal(sql[0].completed, true); // past the credits at 1300 s
  assert.equal(sql[0].endedByTimeout, true);
});

test('streamEventsByProfile hands over every event once, one profile at a time', async () => {
  const events = fc.sample(streamArb, { numRuns: 1, seed: 7 })[0];
  await store.withConnection((c) => c.run('DELETE FROM events'));
  await store.appendEvents(events);
  const seen = new Map<string, number>();
  const profiles = await streamEventsByProfile(store, (profileId, list) => {
    assert.ok(!seen.has(profileId));
    assert.ok(list.every((ev) => ev.profileId === profileId));
    seen.set(profileId, list.length);
  });
  assert.equal(profiles, seen.size);
  assert.equal([...seen.values()].reduce((a, b) => a + b, 0), events.length);
});
