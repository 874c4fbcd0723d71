// appendEvents writes events as columns through a table function (event-rows.ts). Whatever the
// events, the stored rows must be exactly what the Appender, one value at a time, stored before:
// every column, NULL offsets, unicode and long ids (inline, shared and DuckDB-assigned strings),
// -0, NaN, infinities, the ends of BIGINT and SMALLINT, and loads large enough to run in parallel.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { PLAYBACK_EVENT_TYPES, USER_ACTIONS, type PlaybackEvent } from '../../domain/model.js';
import { demoEvents } from '../../bench/events.js';
import { appendEventRow, openDuckDbStore, type DuckDbStore } from './adapter.js';

let store: DuckDbStore;
before(async () => {
  store = await openDuckDbStore({ dataDir: ':memory:' });
});
after(() => store.close());

/** The old path: the Appender, one value at a time, into a copy of the events table. */
async function appendOneByOne(c: DuckDBConnection, events: readonly PlaybackEvent[]): Promise<void> {
  await c.run('CREATE OR REPLACE TABLE events_by_value AS SELECT * FROM events LIMIT 0');
  const appender = await c.createAppender('events_by_value');
  try {
    for (const e of events) appendEventRow(appender, e);
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/** Both tables' rows, in storage order, with the double's sign and NaN kept (deepEqual tells -0 from 0). */
async function storedRows(order: 'rowid' | 'all'): Promise<{ now: DuckDBValue[][]; before: DuckDBValue[][] }> {
  return store.withConnection(async (c) => {
    const read = async (table: string) => (await c.runAndReadAll(`SELECT * FROM ${table} ORDER BY ${order === 'rowid' ? 'rowid' : 'ALL'}`)).getRows();
    return { now: await read('events'), before: await read('events_by_value') };
  });
}

async function clear(): Promise<void> {
  await store.withConnection(async (c) => {
    await c.run('DELETE FROM events');
    await c.run('DELETE FROM dirty_marks');
  });
}

const text = fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-z0-9-]{1,12}$/), weight: 4 },
  { arbitrary: fc.stringMatching(/^[a-z0-9-]{13,40}$/), weight: 4 },
  { arbitrary: fc.string({ maxLength: 20, unit: 'grapheme' }), weight: 1 },
  { arbitrary: fc.string({ maxLength: 20, unit: 'binary' }), weight: 1 },
  { arbitrary: fc.constantFrom('', 'x'.repeat(12), 'y'.repeat(13), 'ünïcödé-id', '😀'.repeat(3), 'a"b,c\nd'), weight: 1 },
);
const event: fc.Arbitrary<PlaybackEvent> = fc.record({
  eventId: text,
  playbackId: text,
  profileId: text,
  titleId: text,
  type: fc.oneof(fc.constantFrom(...PLAYBACK_EVENT_TYPES), text) as fc.Arbitrary<PlaybackEvent['type']>,
  positionS: fc.oneof(fc.integer({ min: 0, max: 604_800 }), fc.double(), fc.constantFrom(-0, Number.MAX_VALUE, Number.MIN_VALUE, Infinity, -Infinity, NaN)),
  atMs: fc.oneof(
    fc.integer({ min: 0, max: 4_102_444_800_000 }),
    fc.maxSafeInteger(),
    fc.constantFrom(-(2 ** 63), 2 ** 63 - 1024, -1, 2 ** 32, 2 ** 32 - 1, -(2 ** 32), Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER),
  ),
  offsetMin: fc.option(fc.oneof(fc.integer({ min: -720, max: 840 }), fc.constantFrom(-32_768, 32_767, 0))),
  deviceId: text,
  country: fc.oneof(fc.constantFrom('MX', 'US', 'DE'), text),
  autoplayed: fc.boolean(),
  userAction: fc.oneof(fc.constantFrom(...USER_ACTIONS), text) as fc.Arbitrary<PlaybackEvent['userAction']>,
});

test('the stored rows of any events are exactly those the Appender stored value by value', async () => {
  await fc.assert(
    fc.asyncProperty(
      // runs of the same event make strings repeat on consecutive rows, as a playback's do
      fc.array(fc.tuple(event, fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 60 }),
      fc.integer({ min: 0, max: 2 }),
      async (runs, scale) => {
        const events = runs.flatMap(([e, times]) => Array.from({ length: times * (scale === 2 ? 60 : 1) }, () => e));
        await clear();
        await store.appendEvents(events);
        await store.withConnection((c) => appendOneByOne(c, events));
        const { now, before } = await storedRows('rowid');
        assert.equal(now.length, events.length);
        assert.deepEqual(now, before);
      },
    ),
    { numRuns: 150 },
  );
});

test('a load large enough to fill the table on several threads stores the same rows', async () => {
  const { batches } = demoEvents(60_000, { fromDay: '2025-01-01', toDay: '2025-03-31', seed: 'event-rows' });
  const events = batches.flat();
  await clear();
  const settings = () => store.withConnection(async (c) => (await c.runAndReadAll("SELECT current_setting('threads') AS t, current_setting('preserve_insertion_order') AS o")).getRows());
  const settingsBefore = await settings();
  await store.appendEvents(events);
  assert.deepEqual(await settings(), settingsBefore, "the load gives DuckDB's settings back");
  await store.withConnection((c) => appendOneByOne(c, events));
  const { now, before } = await storedRows('all');
  assert.equal(now.length, 60_000);
  assert.deepEqual(now, before);
});

test('an event the table cannot hold fails the whole append and stores nothing', async () => {
  await clear();
  const good: PlaybackEvent = {
    eventId: 'e1', playbackId: 'p1', profileId: 'pr1', titleId: 't1', type: 'start', positionS: 0, atMs: 1000,
    offsetMin: 0, deviceId: 'd1', country: 'DE', autoplayed: false, userAction: 'none',
  };
  await assert.rejects(store.appendEvents([good, { ...good, eventId: 'e2', atMs: 1.5 }]), /atMs must be an integer/);
  await assert.rejects(store.appendEvents([good, { ...good, eventId: 'e3', offsetMin: 40_000 }]), /offsetMin must be an integer/);
  assert.equal(await store.countEvents(), 0);
  await store.appendEvents([good]);
  assert.equal(await store.countEvents(), 1);
});
