// The ingest log: what was acknowledged is read back whole, a torn or damaged tail is cut and
// never loaded, and the loader puts each logged event into the store exactly once across restarts.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlaybackEvent } from '../domain/model.js';
import { BingeError } from '../errors.js';
import { openDuckDbStore } from '../store/duckdb/adapter.js';
import { HEADER_BYTES, IngestLog, listSegments, parsePosition, scanRecords, segmentName } from './ingest-log.js';
import { GroupCommitWriter } from './writer.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'binge-log-test-'));
const payload = (text: string) => Buffer.from(text);

function event(id: string, overrides: Partial<PlaybackEvent> = {}): PlaybackEvent {
  return {
    eventId: id,
    playbackId: 'pb-1',
    profileId: 'profile-1',
    titleId: 'title-1',
    type: 'heartbeat',
    positionS: 60.5,
    atMs: Date.now() - 60_000,
    offsetMin: -360,
    deviceId: 'tv-1',
    country: 'MX',
    autoplayed: false,
    userAction: 'none',
    ...overrides,
  };
}

describe('ingest log records', () => {
  test('records are read back whole and in order after a reopen', async () => {
    const dir = scratch();
    try {
      const { log } = IngestLog.open(dir, undefined);
      await log.append(payload('one\n'));
      await log.append(payload('two\n'));
      log.close();
      const { recovery } = IngestLog.open(dir, undefined);
      assert.deepEqual(recovery.payloads.map(String), ['one\n', 'two\n']);
      assert.equal(recovery.cutBytes, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a torn tail (a record cut short by a crash) is detected, cut from the file, and the records before it are kept', async () => {
    const dir = scratch();
    try {
      const { log } = IngestLog.open(dir, undefined);
      await log.append(payload('kept\n'));
      await log.append(payload('torn record\n'));
      log.close();
      const file = join(dir, segmentName(1));
      const whole = statSync(file).size;
      truncateSync(file, whole - 3);
      const { recovery } = IngestLog.open(dir, undefined);
      assert.deepEqual(recovery.payloads.map(String), ['kept\n']);
      assert.equal(recovery.cutReason, 'torn');
      assert.equal(statSync(file).size, HEADER_BYTES + 'kept\n'.length, 'the torn record is cut from the file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a record whose checksum does not match is never read back, nor anything after it', async () => {
    const dir = scratch();
    try {
      const { log } = IngestLog.open(dir, undefined);
      await log.append(payload('good\n'));
      await log.append(payload('damaged\n'));
      log.close();
      const file = join(dir, segmentName(1));
      const bytes = readFileSync(file);
      bytes[bytes.length - 2] ^= 0xff; // one flipped byte in the last payload
      writeFileSync(file, bytes);
      assert.equal(scanRecords(bytes).stop, 'checksum');
      const { recovery } = IngestLog.open(dir, undefined);
      assert.deepEqual(recovery.payloads.map(String), ['good\n']);
      assert.equal(recovery.cutReason, 'checksum');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('damage before the tail of the last segment stops the open instead of skipping acknowledged records', async () => {
    const dir = scratch();
    try {
      const first = IngestLog.open(dir, undefined).log;
      await first.append(payload('in segment one\n'));
      first.close();
      const second = IngestLog.open(dir, undefined).log;
      await second.append(payload('in segment two\n'));
      second.close();
      assert.deepEqual(listSegments(dir), [1, 2]);
      truncateSync(join(dir, segmentName(1)), 5);
      assert.throws(() => IngestLog.open(dir, undefined), /damaged/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a full segment is followed by a new one, and segments wholly before the loaded position are dropped', async () => {
    const dir = scratch();
    try {
      const { log } = IngestLog.open(dir, undefined, { segmentBytes: 20 });
      await log.append(payload('0123456789abcdef\n'));
      const end = await log.append(payload('second\n'));
      log.close();
      assert.deepEqual(listSegments(dir), [1, 2]);
      const { recovery } = IngestLog.open(dir, end);
      assert.deepEqual(recovery.payloads, []);
      assert.deepEqual(listSegments(dir), [2]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('loading the log into the store', () => {
  test('after a crash, a restart loads exactly the logged events that were not loaded yet, and drops their retries as duplicates', async () => {
    const dataDir = scratch();
    const logDir = join(dataDir, 'ingest-log');
    const options = { maxQueuedEvents: 10_000, dedupWindowDays: 30, logDir };
    try {
      // A server acknowledges and loads three events...
      let store = await openDuckDbStore({ dataDir });
      const loaded = [event('a'), event('b'), event('c', { offsetMin: null })];
      const writer = await GroupCommitWriter.open(store, options);
      assert.deepEqual((await writer.write(loaded)).accepted, [0, 1, 2]);
      await writer.settled();
      const position = parsePosition((await store.loadedLogPosition())!);
      await store.close(); // ...and dies before closing its writer:
      // two more records were acknowledged (logged and synced) but not loaded.
      const notLoaded = [event('d', { profileId: 'profile-2' }), event('e'), event('f')];
      const { log } = IngestLog.open(logDir, position);
      await log.append(Buffer.from(JSON.stringify(notLoaded.slice(0, 2))));
      await log.append(Buffer.from(JSON.stringify([notLoaded[2]])));
      log.close();

      store = await openDuckDbStore({ dataDir });
      const restarted = await GroupCommitWriter.open(store, options);
      assert.equal(restarted.stats.replayedOnOpen, 3);
      // Retries of events in the store and of events only in the log are both duplicates.
      const retry = await restarted.write([event('a'), event('e'), event('g')]);
      assert.deepEqual(retry, { accepted: [2], duplicates: [0, 1] });
      await restarted.close();
      const ids = await store.withConnection(async (c) => (await c.runAndReadAll('SELECT event_id FROM events ORDER BY event_id')).getRowObjects());
      assert.deepEqual(ids.map((r) => r.event_id), ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
      assert.deepEqual(await store.eventsOfProfile('profile-2'), [notLoaded[0]], 'events come back field for field');
      assert.ok((await store.dirtyProfiles()).some((d) => d.profileId === 'profile-2'), 'loaded events mark their profile dirty');
      await store.close();

      // A second restart finds nothing left to load.
      store = await openDuckDbStore({ dataDir });
      const again = await GroupCommitWriter.open(store, options);
      assert.equal(again.stats.replayedOnOpen, 0);
      await again.close();
      assert.equal(await store.countEvents(), 7);
      await store.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('when the store falls too far behind the log, new work is refused with BINGE_OVERLOADED (503) and nothing acknowledged is lost', async () => {
    const dataDir = scratch();
    try {
      const store = await openDuckDbStore({ dataDir });
      const writer = await GroupCommitWriter.open(store, { maxQueuedEvents: 10_000, maxLogLagEvents: 2, dedupWindowDays: 30, logDir: join(dataDir, 'ingest-log') });
      await writer.write([event('x1'), event('x2'), event('x3')]);
      // The loader has not stored them yet (it runs behind the answer): the lag is 3 > 2.
      await assert.rejects(writer.write([event('x4')]), (error: unknown) => error instanceof BingeError && error.code === 'BINGE_OVERLOADED' && error.retryAfterS === 1);
      await writer.settled();
      assert.equal(writer.loadLag, 0);
      assert.deepEqual((await writer.write([event('x4')])).accepted, [0], 'accepted again once the loader caught up');
      await writer.close();
      assert.equal(await store.countEvents(), 4);
      await store.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('the loader yields to a burst: it waits while batches keep coming, and loads after an idle pause, at the event bound, or after the longest delay', async () => {
    const dataDir = scratch();
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    /** Waits (up to 10 s) until nothing logged is left to load. */
    const loaded = async (writer: GroupCommitWriter) => {
      for (let waited = 0; writer.loadLag > 0 && waited < 10_000; waited += 20) await pause(20);
      return writer.loadLag === 0;
    };
    try {
      const store = await openDuckDbStore({ dataDir });
      const logDir = join(dataDir, 'ingest-log');
      const writer = await GroupCommitWriter.open(store, { maxQueuedEvents: 10_000, dedupWindowDays: 30, logDir, loadDeferEvents: 5, loadIdleMs: 1500, loadMaxDelayMs: 60_000 });
      // Batches 20 ms apart: never idle for 1.5 s, below 5 events: nothing is loaded.
      for (let k = 0; k < 4; k++) {
        await writer.write([event(`b${k}`)]);
        await pause(20);
      }
      assert.equal(writer.loadLag, 4);
      // Then a pause: the loader starts.
      assert.ok(await loaded(writer));
      // Five events waiting: loaded at once, well before an idle pause.
      const started = performance.now();
      await writer.write([event('c1'), event('c2'), event('c3'), event('c4'), event('c5')]);
      assert.ok(await loaded(writer));
      assert.ok(performance.now() - started < 1000, 'loaded without waiting for an idle pause');
      await writer.close();
      assert.equal(await store.countEvents(), 9);

      // The longest delay bounds a burst that never pauses and stays below the bound.
      const bounded = await GroupCommitWriter.open(store, { maxQueuedEvents: 10_000, dedupWindowDays: 30, logDir, loadDeferEvents: 1000, loadIdleMs: 400, loadMaxDelayMs: 250 });
      for (let k = 0; k < 12; k++) {
        await bounded.write([event(`d${k}`)]);
        await pause(50);
      }
      assert.ok(bounded.loadLag < 12, `the loader started within the longest delay (lag ${bounded.loadLag})`);
      await bounded.close();
      assert.equal(await store.countEvents(), 21);
      await store.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
