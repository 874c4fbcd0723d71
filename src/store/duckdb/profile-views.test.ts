import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Catalogue } from '../../domain/catalogue.js';
import { DEFAULT_DEFINITIONS } from '../../domain/definitions.js';
import type { PlaybackEvent, View } from '../../domain/model.js';
import { refreshViews } from '../../history/refresh-views.js';
import { openDuckDbStore } from './adapter.js';

// Store.allViews on DuckDB reads one profile in one prepared statement, column by column
// (profile-views.ts). It must give exactly what the generic multi-profile read gives
// (viewsOfProfiles, which the refresh uses): the same views, oldest first with ties by id, each
// with its days in day order, its hidden mark and every field as written.

const DAY_MS = 86_400_000;
const iso = (dayNumber: number) => new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);

const viewSpec = fc.record({
  profile: fc.constantFrom('a', 'b', 'c'),
  // Few distinct starts, so that ties (broken by view id) happen.
  start: fc.integer({ min: 0, max: 40 }),
  // Days far apart and around year ends (1969, 2000, 2024 leap day), listed in any order.
  firstDay: fc.constantFrom(-1, 0, 10_956, 19_782, 19_722, 20_088),
  dayCount: fc.integer({ min: 0, max: 4 }),
  kind: fc.constantFrom('movie', 'episode', 'supplemental'),
  watchedS: fc.double({ min: 0, max: 90_000, noNaN: true }),
  flags: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
  sessions: fc.integer({ min: 1, max: 2_000_000 }),
  offsetMin: fc.integer({ min: -720, max: 840 }),
  hidden: fc.boolean(),
  reverseDays: fc.boolean(),
});
type ViewSpec = typeof viewSpec extends fc.Arbitrary<infer T> ? T : never;

function viewOf(spec: ViewSpec, i: number): View {
  const startMs = 1_700_000_000_000 + spec.start * 3_600_000 - (spec.start % 3) * 2 ** 40;
  const days = Array.from({ length: spec.dayCount }, (_, d) => ({ day: iso(spec.firstDay + d * 3), watchedS: spec.watchedS / (d + 1) }));
  if (spec.reverseDays) days.reverse();
  const [completed, rewatch, autoplayed, endedByTimeout, interacted] = spec.flags;
  return {
    viewId: `v${(i * 7919) % 1000}-${i}`,
    profileId: spec.profile,
    titleId: `t${i % 5}`,
    kind: spec.kind,
    startMs,
    endMs: startMs + 1_000 * i,
    watchedS: spec.watchedS,
    furthestS: spec.watchedS / 3,
    bookmarkS: spec.watchedS / 7,
    completed,
    rewatch,
    autoplayed,
    endedByTimeout,
    interacted,
    sessions: spec.sessions,
    deviceId: `d${i % 3}`,
    country: i % 2 ? 'DE' : 'MX',
    offsetMin: spec.offsetMin,
    day: iso(spec.firstDay),
    days,
    hidden: false,
  };
}

async function stored(views: readonly View[], hidden: readonly View[]) {
  const store = await openDuckDbStore({ dataDir: ':memory:' });
  await store.replaceViews(['a', 'b', 'c'].map((p) => ({ profileId: p, fromMs: -Infinity, views: views.filter((v) => v.profileId === p) })));
  for (const v of hidden) await store.hideView(v.profileId, v.viewId);
  return store;
}

test('allViews (one statement, columnar) equals the generic multi-profile read for every profile', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(viewSpec, { maxLength: 25 }), async (specs) => {
      const views = specs.map(viewOf);
      const store = await stored(views, views.filter((v, i) => specs[i].hidden));
      try {
        for (const profileId of ['a', 'b', 'c', 'nobody']) {
          const generic = (await store.viewsOfProfiles([profileId])).get(profileId) ?? [];
          assert.deepEqual(await store.allViews(profileId), generic);
        }
      } finally {
        await store.close();
      }
    }),
    { numRuns: 40, seed: 20261126 },
  );
});

test('allViews reads a profile whose rows span several of DuckDB’s chunks, and marks hidden views', async () => {
  const spec: ViewSpec = { profile: 'a', start: 0, firstDay: 20_088, dayCount: 2, kind: 'episode', watchedS: 600, flags: [true, false, false, false, true], sessions: 1, offsetMin: 60, hidden: false, reverseDays: true };
  // 3,000 views and 6,000 days: more than one 2,048-row chunk of each part.
  const views = Array.from({ length: 3000 }, (_, i) => viewOf({ ...spec, start: i % 50, profile: i % 10 === 0 ? 'b' : 'a' }, i));
  const store = await stored(views, [views[1], views[2999]]);
  try {
    const read = await store.allViews('a');
    assert.equal(read.length, views.filter((v) => v.profileId === 'a').length);
    assert.deepEqual(read, (await store.viewsOfProfiles(['a'])).get('a'));
    assert.deepEqual(read.filter((v) => v.hidden).map((v) => v.viewId).sort(), [views[1].viewId, views[2999].viewId].sort());
    assert.ok(read.every((v) => v.days.length === 2 && v.days[0].day < v.days[1].day));
  } finally {
    await store.close();
  }
});

test('dirtyProfiles of one profile (prepared) folds its marks as the read of every profile does; clean gives none', async () => {
  const store = await openDuckDbStore({ dataDir: ':memory:' });
  try {
    const event = (profileId: string, n: number, atMs: number): PlaybackEvent => ({
      eventId: `${profileId}-${n}`, playbackId: `pb-${profileId}-${n}`, profileId, titleId: 't1', type: 'start', positionS: 0, atMs,
      offsetMin: 60, deviceId: 'd1', country: 'DE', autoplayed: false, userAction: 'none',
    });
    // Two appends for 'a' (two marks: the earliest time and the latest sequence number win), one for 'b'.
    await store.appendEvents([event('a', 1, 5_000_000), event('b', 1, 7_000_000)]);
    await store.appendEvents([event('a', 2, 1_000_000)]);
    const all = await store.dirtyProfiles();
    for (const profileId of ['a', 'b']) assert.deepEqual(await store.dirtyProfiles([profileId]), all.filter((d) => d.profileId === profileId));
    assert.equal((await store.dirtyProfiles(['a']))[0].fromMs, 1_000_000);
    assert.deepEqual(await store.dirtyProfiles(['nobody']), []);
    await refreshViews(store, new Catalogue([{ titleId: 't1', kind: 'movie', name: 't1', runtimeS: 3000 }]), DEFAULT_DEFINITIONS);
    assert.deepEqual(await store.dirtyProfiles(['a']), []);
  } finally {
    await store.close();
  }
});
