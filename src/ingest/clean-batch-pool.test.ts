import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { createKey } from '../privacy/keys.js';
import { startServer, type RunningServer } from '../server/start.js';
import { body, longBody, MAX, mutatedBody, NOW } from '../test-support/wire-bodies.js';
import { formatAt } from './event-schema.js';

/** A server on a fixed clock (the generated bodies are around NOW), with `readWorkers` clean-batch threads. */
async function serverWith(readWorkers: number): Promise<RunningServer & { key: string; dispose(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'binge-pool-'));
  const config = loadConfig({}, { dataDir, port: 0, logLevel: 'silent', maxBatchEvents: MAX, ingestReadWorkers: readWorkers });
  const server = await startServer(config, createLogger('silent'), { now: () => NOW });
  const { key } = await createKey(server.store, 'ingest', 'test');
  return {
    ...server,
    key,
    async dispose() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const ingest = (server: RunningServer & { key: string }, payload: string) =>
  server.app.inject({ method: 'POST', url: '/v1/events', headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' }, payload });

test('a body read by the worker gets, byte for byte, the answer the event loop gives, and the same events are stored', async () => {
  const threaded = await serverWith(1);
  const inline = await serverWith(0);
  try {
    assert.ok(threaded.context.cleanBatches && !inline.context.cleanBatches);
    // Ids of a few characters from a small alphabet repeat across bodies: many batches hold duplicates.
    const bodies = fc.sample(fc.oneof({ arbitrary: body, weight: 2 }, { arbitrary: mutatedBody, weight: 1 }, { arbitrary: longBody, weight: 3 }), { numRuns: 300, seed: 35 });
    let clean = 0;
    let withDuplicates = 0;
    const profiles = new Set<string>();
    for (const text of [...bodies, ...bodies.slice(0, 50)]) {
      const a = await ingest(threaded, text);
      const b = await ingest(inline, text);
      assert.equal(a.statusCode, b.statusCode, text);
      // The same answer but for the request id each server draws.
      const withoutRequestId = (answer: string) => answer.replace(/"requestId":"[^"]*"/, '"requestId":""');
      assert.equal(withoutRequestId(a.body), withoutRequestId(b.body), text);
      if (a.statusCode === 200) {
        const answer = JSON.parse(a.body) as { accepted: number; duplicates: number; rejected: unknown[] };
        if (answer.rejected.length === 0) clean++;
        if (answer.rejected.length === 0 && answer.duplicates > 0 && answer.accepted > 0) withDuplicates++;
      }
      try {
        const parsed = JSON.parse(text) as unknown;
        if (Array.isArray(parsed)) for (const e of parsed) if (typeof e?.profileId === 'string') profiles.add(e.profileId);
      } catch {
        // not JSON: nothing stored
      }
    }
    assert.ok(clean > 40, `only ${clean} bodies were all valid`);
    assert.deepStrictEqual([threaded.context.cleanBatches!.workersUp, threaded.context.cleanBatches!.deaths], [1, 0]);
    assert.ok(withDuplicates > 5, `only ${withDuplicates} valid bodies mixed new and duplicate events`);
    await threaded.writer.settled();
    await inline.writer.settled();
    assert.equal(await threaded.store.countEvents(), await inline.store.countEvents());
    const byId = (events: { eventId: string }[]) => [...events].sort((x, y) => (x.eventId < y.eventId ? -1 : x.eventId > y.eventId ? 1 : 0));
    for (const profile of profiles) {
      assert.deepStrictEqual(byId(await threaded.store.eventsOfProfile(profile)), byId(await inline.store.eventsOfProfile(profile)), profile);
    }
  } finally {
    await threaded.dispose();
    await inline.dispose();
  }
});

test('a worker that dies loses nothing and stores nothing twice: what it held is read on the event loop, and a new one starts', async () => {
  const server = await serverWith(1);
  try {
    const batch = (k: number) =>
      JSON.stringify(
        Array.from({ length: MAX }, (_, n) => ({
          eventId: `crash-${k}-${n}`,
          playbackId: `pb-${k}`,
          profileId: 'profile-1',
          titleId: 'title-1',
          type: 'heartbeat',
          positionS: n * 30,
          at: formatAt(NOW - 60_000 + n, 60),
          device: 'tv-1',
          country: 'DE',
          autoplayed: false,
          userAction: 'none',
        })),
      );
    const pool = server.context.cleanBatches!;
    const sending = Array.from({ length: 40 }, (_, k) => ingest(server, batch(k)));
    await pool.crashForTest();
    const answers = await Promise.all(sending);
    for (const answer of answers) assert.deepStrictEqual([answer.statusCode, JSON.parse(answer.body)], [200, { accepted: MAX, duplicates: 0, duplicateIndexes: [], rejected: [] }]);
    assert.equal(pool.deaths, 1);
    // Sent again (a client that did not see the answers): all duplicates, on the event loop or a new worker.
    await new Promise((r) => setTimeout(r, 1100));
    const again = await Promise.all(Array.from({ length: 40 }, (_, k) => ingest(server, batch(k))));
    for (const answer of again) assert.equal(JSON.parse(answer.body).duplicates, MAX);
    assert.equal(pool.workersUp, 1, `a new worker was started (deaths: ${pool.deaths})`);
    await server.writer.settled();
    assert.equal(await server.store.countEvents(), 40 * MAX);
  } finally {
    await server.dispose();
  }
});
