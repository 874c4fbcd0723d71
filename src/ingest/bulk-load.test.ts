import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PlaybackEvent } from '../domain/model.js';
import { openDuckDbStore } from '../store/duckdb/adapter.js';
import { bulkLoad } from './bulk-load.js';

const DAY_MS = 86_400_000;
const event = (eventId: string, atMs: number): PlaybackEvent => ({
  eventId, playbackId: `pb-${eventId}`, profileId: 'p1', titleId: 't1', type: 'start', positionS: 0, atMs, offsetMin: 0,
  deviceId: 'tv', country: 'DE', autoplayed: false, userAction: 'none',
});

test('exact: an id already stored is dropped, whatever time the load gives it', async () => {
  const store = await openDuckDbStore({ dataDir: ':memory:' });
  try {
    await bulkLoad(store, [[event('a', 0), event('b', DAY_MS)]], { dedup: 'exact' });
    const again = await bulkLoad(store, [[event('a', 10 * DAY_MS), event('c', 10 * DAY_MS), event('c', 11 * DAY_MS)]], { dedup: 'exact' });
    assert.deepEqual(again, { accepted: 1, duplicates: 2 });
    assert.equal(await store.countEvents(), 3);
  } finally {
    await store.close();
  }
});

test('unique by construction: loading the same generated events again stores nothing twice; the next day is all new', async () => {
  const store = await openDuckDbStore({ dataDir: ':memory:' });
  try {
    const days = [0, 1, 2].map((d) => [event(`d${d}-1`, d * DAY_MS + 1000), event(`d${d}-2`, d * DAY_MS + 5000)]);
    await bulkLoad(store, days.slice(0, 2), { dedup: 'unique-by-construction' });
    assert.deepEqual(await bulkLoad(store, days.slice(0, 2), { dedup: 'unique-by-construction' }), { accepted: 0, duplicates: 4 });
    // a load that spans stored and new days: the stored ones are found in its time range
    assert.deepEqual(await bulkLoad(store, days.slice(1), { dedup: 'unique-by-construction' }), { accepted: 2, duplicates: 2 });
    assert.equal(await store.countEvents(), 6);
  } finally {
    await store.close();
  }
});

test('the store answers which ids are stored, in a time range when one is given', async () => {
  const store = await openDuckDbStore({ dataDir: ':memory:' });
  try {
    await store.appendEvents([event('a', 0), event('b', DAY_MS)]);
    assert.deepEqual([...(await store.storedEventIds(['a', 'b', 'x']))].sort(), ['a', 'b']);
    assert.deepEqual([...(await store.storedEventIds(['a', 'b', 'x'], { fromMs: DAY_MS, toMs: 2 * DAY_MS }))], ['b']);
  } finally {
    await store.close();
  }
});

test('unique by construction: a day sent again long after later days were stored is still all duplicates', async () => {
  const store = await openDuckDbStore({ dataDir: ':memory:' });
  try {
    const days = [0, 1, 2, 3, 4, 5].map((d) => [event(`d${d}-1`, d * DAY_MS + 1000), event(`d${d}-2`, d * DAY_MS + 5000)]);
    await bulkLoad(store, days, { dedup: 'unique-by-construction' });
    assert.deepEqual(await bulkLoad(store, [days[1]], { dedup: 'unique-by-construction' }), { accepted: 0, duplicates: 2 });
    // the edges of the stored range: the first and the last stored event, each sent alone
    assert.deepEqual(await bulkLoad(store, [[days[0][0]]], { dedup: 'unique-by-construction' }), { accepted: 0, duplicates: 1 });
    assert.deepEqual(await bulkLoad(store, [[days[5][1]]], { dedup: 'unique-by-construction' }), { accepted: 0, duplicates: 1 });
    assert.equal(await store.countEvents(), 12);
  } finally {
    await store.close();
  }
});

test('unique by construction: an old event arriving late is stored, and a re-sent one among new events is dropped', async () => {
  const store = await openDuckDbStore({ dataDir: ':memory:' });
  try {
    await bulkLoad(store, [[event('a', DAY_MS), event('b', 3 * DAY_MS)]], { dedup: 'unique-by-construction' });
    // nothing stored in the range of a new day: every event is new
    assert.deepEqual(await bulkLoad(store, [[event('c', 4 * DAY_MS), event('d', 4 * DAY_MS + 1)]], { dedup: 'unique-by-construction' }), { accepted: 2, duplicates: 0 });
    // a late event from before the stored ones, sent with a new day that also repeats a stored event
    const late = [event('old', 2 * DAY_MS), event('e', 5 * DAY_MS), event('b', 3 * DAY_MS)];
    assert.deepEqual(await bulkLoad(store, [late], { dedup: 'unique-by-construction' }), { accepted: 2, duplicates: 1 });
    assert.deepEqual(await bulkLoad(store, [late], { dedup: 'unique-by-construction' }), { accepted: 0, duplicates: 3 });
    assert.equal(await store.countEvents(), 6);
  } finally {
    await store.close();
  }
});

test('stored ids in a time range: found in any row group, and none when no stored event lies in the range', async () => {
  const store = await openDuckDbStore({ dataDir: ':memory:' });
  try {
    // more than two of DuckDB's row groups (122,880 rows), each spanning the whole period as a load in member order does
    const events: PlaybackEvent[] = [];
    for (let i = 0; i < 250_000; i++) events.push(event(`e${i}`, (i % 365) * DAY_MS + Math.floor(i / 365)));
    await store.appendEvents(events);
    const probe = [events[5], events[130_001], events[249_999]];
    for (const e of probe) {
      assert.deepEqual([...(await store.storedEventIds([e.eventId, 'new'], { fromMs: e.atMs, toMs: e.atMs }))], [e.eventId]);
    }
    assert.deepEqual([...(await store.storedEventIds(probe.map((e) => e.eventId), { fromMs: 365 * DAY_MS, toMs: 366 * DAY_MS }))], []);
    // an id stored at another time is not in the range (unique by construction: an id has one time)
    assert.deepEqual([...(await store.storedEventIds([events[5].eventId], { fromMs: events[6].atMs, toMs: events[6].atMs }))], []);
  } finally {
    await store.close();
  }
});
