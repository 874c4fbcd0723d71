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
