// The contract every storage engine keeps. Each adapter's test file calls `storeContract` with a
// factory for a fresh, empty store; a second engine runs the same specification unchanged.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PlaybackEvent, Title, View } from '../domain/model.js';
import type { Store } from './port.js';

export function sampleEvent(overrides: Partial<PlaybackEvent> = {}): PlaybackEvent {
  return {
    eventId: 'e1',
    playbackId: 'pb1',
    profileId: 'profile-a',
    titleId: 'title-1',
    type: 'start',
    positionS: 0,
    atMs: Date.parse('2026-03-01T20:00:00Z'),
    offsetMin: -360,
    deviceId: 'device-1',
    country: 'MX',
    autoplayed: false,
    userAction: 'none',
    ...overrides,
  };
}

export function sampleView(overrides: Partial<View> = {}): View {
  return {
    viewId: 'view-1',
    profileId: 'profile-a',
    titleId: 'title-1',
    kind: 'episode',
    startMs: Date.parse('2026-03-01T20:00:00Z'),
    endMs: Date.parse('2026-03-01T20:40:00Z'),
    watchedS: 2400,
    furthestS: 2400,
    bookmarkS: 2400,
    completed: false,
    rewatch: false,
    autoplayed: false,
    endedByTimeout: false,
    interacted: true,
    sessions: 1,
    deviceId: 'device-1',
    country: 'MX',
    offsetMin: -360,
    day: '2026-03-01',
    days: [{ day: '2026-03-01', watchedS: 2400 }],
    hidden: false,
    ...overrides,
  };
}

export function storeContract(engine: string, open: () => Promise<Store>): void {
  const withStore = (name: string, body: (store: Store) => Promise<void>) =>
    test(`${engine}: ${name}`, async () => {
      const store = await open();
      try {
        await body(store);
      } finally {
        await store.close();
      }
    });

  withStore('appended events are read back exactly, per profile', async (store) => {
    const a = sampleEvent();
    const b = sampleEvent({ eventId: 'e2', type: 'stop', positionS: 1234.5, atMs: a.atMs + 1_234_500, offsetMin: null, autoplayed: true, userAction: 'visibility_timeout' });
    const other = sampleEvent({ eventId: 'e3', profileId: 'profile-b' });
    await store.appendEvents([a, b, other]);
    assert.equal(await store.countEvents(), 3);
    const events = (await store.eventsOfProfile('profile-a')).sort((x, y) => x.atMs - y.atMs);
    assert.deepEqual(events, [a, b]);
    assert.deepEqual(await store.eventsOfProfile('profile-a', b.atMs), [b]);
  });

  withStore('appended events mark their profiles dirty from the earliest event; a refresh clears only the marks it read', async (store) => {
    await store.appendEvents([sampleEvent({ atMs: 5000 }), sampleEvent({ eventId: 'e2', atMs: 3000 })]);
    await store.appendEvents([sampleEvent({ eventId: 'e3', atMs: 4000 })]);
    const dirty = await store.dirtyProfiles();
    assert.deepEqual(dirty.map((d) => [d.profileId, d.fromMs]), [['profile-a', 3000]]);
    // Events committed after a refresh read the marks keep the profile dirty.
    await store.appendEvents([sampleEvent({ eventId: 'e4', atMs: 9000 })]);
    await store.replaceViews([{ profileId: 'profile-a', fromMs: 3000, views: [], upToSeq: dirty[0].upToSeq }]);
    assert.deepEqual((await store.dirtyProfiles()).map((d) => [d.profileId, d.fromMs]), [['profile-a', 9000]]);
    await store.appendEvents([sampleEvent({ eventId: 'b1', profileId: 'profile-b', atMs: 100 })]);
    assert.deepEqual((await store.dirtyProfiles(['profile-b'])).map((d) => d.profileId), ['profile-b']);
    await store.replaceViews([{ profileId: 'profile-a', fromMs: 3000, views: [] }]);
    assert.deepEqual((await store.dirtyProfiles()).map((d) => d.profileId), ['profile-b']);
  });

  withStore('stored event ids are found exactly; others are not', async (store) => {
    await store.appendEvents([sampleEvent({ eventId: 'x' }), sampleEvent({ eventId: 'y' })]);
    assert.deepEqual([...(await store.storedEventIds(['x', 'z']))], ['x']);
    const pages = [];
    for await (const page of store.eventIdsSince(0, 1)) pages.push(...page.eventIds);
    assert.deepEqual(pages.sort(), ['x', 'y']);
  });

  withStore('events and views of many profiles are read in one call, each from its own time', async (store) => {
    await store.appendEvents([
      sampleEvent({ eventId: 'a1', atMs: 1000 }),
      sampleEvent({ eventId: 'a2', atMs: 3000 }),
      sampleEvent({ eventId: 'b1', profileId: 'profile-b', atMs: 1000 }),
      sampleEvent({ eventId: 'c1', profileId: 'profile-c', atMs: 1000 }),
    ]);
    const events = await store.eventsOfProfiles([
      { profileId: 'profile-a', fromMs: 2000 },
      { profileId: 'profile-b', fromMs: -Infinity },
    ]);
    assert.deepEqual([...events.keys()].sort(), ['profile-a', 'profile-b']);
    assert.deepEqual(events.get('profile-a')!.map((e) => e.eventId), ['a2']);
    await store.replaceViews([
      { profileId: 'profile-a', fromMs: -Infinity, views: [sampleView({ viewId: 'va' })] },
      { profileId: 'profile-b', fromMs: -Infinity, views: [sampleView({ viewId: 'vb', profileId: 'profile-b' })] },
    ]);
    const views = await store.viewsOfProfiles(['profile-a', 'profile-b', 'profile-c']);
    assert.deepEqual(views.get('profile-b')!.map((v) => v.viewId), ['vb']);
    assert.deepEqual(views.get('profile-a')![0].days, sampleView().days);
    assert.equal(views.has('profile-c'), false);
  });

  withStore('an empty append stores nothing and succeeds', async (store) => {
    await store.appendEvents([]);
    assert.equal(await store.countEvents(), 0);
  });

  withStore('titles keep every field through a round trip', async (store) => {
    const titles: Title[] = [
      { titleId: 't1', kind: 'episode', name: 'Pilot', runtimeS: 1320, seriesId: 's1', seriesName: 'Office Park', season: 1, episode: 1, releasedAtMs: 1000, genres: ['comedy'] },
      { titleId: 't2', kind: 'supplemental', name: 'Trailer', runtimeS: null, supplementalType: 'trailer' },
      { titleId: 't3', kind: 'episode', name: 'Part', runtimeS: 3000, seriesId: 's2', seriesName: 'X', season: 'Limited Series', episode: 2, creditsAtS: 2800 },
    ];
    await store.putTitles(titles);
    await store.putTitles([titles[0]]); // upsert, not duplicate
    const back = (await store.titles()).sort((a, b) => a.titleId.localeCompare(b.titleId));
    assert.deepEqual(back, titles);
  });

  withStore('members and profiles are upserted by id', async (store) => {
    await store.putMembers([{ memberId: 'm1', country: 'DE', createdAtMs: 1 }]);
    await store.putProfiles([{ profileId: 'p1', memberId: 'm1', name: 'Kids & Co' }]);
    await store.putProfiles([{ profileId: 'p1', memberId: 'm1', name: 'Kinder' }]);
    assert.deepEqual(await store.profile('p1'), { profileId: 'p1', memberId: 'm1', name: 'Kinder' });
    assert.deepEqual(await store.member('m1'), { memberId: 'm1', country: 'DE', createdAtMs: 1 });
    assert.equal(await store.profile('nobody'), undefined);
    assert.equal(await store.countMembers(), 1);
  });

  withStore('replacing views from a time keeps earlier views and clears the dirty mark', async (store) => {
    await store.appendEvents([sampleEvent()]);
    const early = sampleView({ viewId: 'v-early', startMs: 1000, day: '1970-01-01', days: [{ day: '1970-01-01', watchedS: 100 }] });
    const late = sampleView({ viewId: 'v-late' });
    await store.replaceViews([{ profileId: 'profile-a', fromMs: -Infinity, views: [early, late] }]);
    assert.deepEqual(await store.dirtyProfiles(), []);
    const replacement = sampleView({ viewId: 'v-late2', startMs: late.startMs + 1 });
    await store.replaceViews([{ profileId: 'profile-a', fromMs: late.startMs, views: [replacement] }]);
    assert.deepEqual((await store.allViews('profile-a')).map((v) => v.viewId), ['v-early', 'v-late2']);
    assert.deepEqual(await store.allViews('profile-a').then((v) => v[1]), replacement);
  });

  withStore('the earliest event of playbacks still going on after a time is found', async (store) => {
    await store.appendEvents([
      sampleEvent({ eventId: 'a1', playbackId: 'long', atMs: 1000 }),
      sampleEvent({ eventId: 'a2', playbackId: 'long', atMs: 9000 }),
      sampleEvent({ eventId: 'b1', playbackId: 'short', atMs: 2000 }),
    ]);
    await store.appendEvents([sampleEvent({ eventId: 'c1', profileId: 'profile-b', playbackId: 'other', atMs: 7000 })]);
    const found = await store.earliestEventOfPlaybacksSince([
      { profileId: 'profile-a', fromMs: 5000 },
      { profileId: 'profile-b', fromMs: 0 },
    ]);
    assert.deepEqual([...found.entries()].sort(), [['profile-a', 1000], ['profile-b', 7000]]);
    assert.deepEqual([...(await store.earliestEventOfPlaybacksSince([{ profileId: 'profile-a', fromMs: 10_000 }])).keys()], []);
  });

  withStore('history pages newest first and filters by day range and kind', async (store) => {
    const views = [1, 2, 3, 4].map((d) =>
      sampleView({ viewId: `v${d}`, startMs: Date.parse(`2026-03-0${d}T12:00:00Z`), day: `2026-03-0${d}`, days: [{ day: `2026-03-0${d}`, watchedS: 600 }], kind: d === 4 ? 'movie' : 'episode' }),
    );
    await store.replaceViews([{ profileId: 'profile-a', fromMs: -Infinity, views }]);
    const page = await store.views('profile-a', { limit: 2, offset: 0 });
    assert.deepEqual(page.map((v) => v.viewId), ['v4', 'v3']);
    const next = await store.views('profile-a', { limit: 2, offset: 2 });
    assert.deepEqual(next.map((v) => v.viewId), ['v2', 'v1']);
    const ranged = await store.views('profile-a', { limit: 10, offset: 0, fromDay: '2026-03-02', toDay: '2026-03-03' });
    assert.deepEqual(ranged.map((v) => v.viewId), ['v3', 'v2']);
    const movies = await store.views('profile-a', { limit: 10, offset: 0, kind: 'movie' });
    assert.deepEqual(movies.map((v) => v.viewId), ['v4']);
  });

  withStore('a hidden view leaves history, survives recomputation, and only its own profile can hide it', async (store) => {
    await store.replaceViews([{ profileId: 'profile-a', fromMs: -Infinity, views: [sampleView()] }]);
    assert.equal(await store.hideView('profile-b', 'view-1'), false);
    assert.equal(await store.hideView('profile-a', 'view-1'), true);
    assert.deepEqual(await store.views('profile-a', { limit: 10, offset: 0 }), []);
    await store.replaceViews([{ profileId: 'profile-a', fromMs: -Infinity, views: [sampleView()] }]);
    assert.deepEqual(await store.views('profile-a', { limit: 10, offset: 0 }), []);
    const all = await store.allViews('profile-a');
    assert.equal(all[0].hidden, true);
  });

  withStore('keys are found by hash only', async (store) => {
    await store.putKey({ keyId: 'k1', kind: 'ingest', label: 'demo', createdAtMs: 5, hash: 'abc' });
    assert.deepEqual(await store.keyByHash('abc'), { keyId: 'k1', kind: 'ingest', label: 'demo', createdAtMs: 5 });
    assert.equal(await store.keyByHash('ab'), undefined);
  });

  withStore('meta values are upserted', async (store) => {
    assert.equal(await store.meta('demo'), undefined);
    await store.setMeta('demo', '1');
    await store.setMeta('demo', '2');
    assert.equal(await store.meta('demo'), '2');
  });
}
