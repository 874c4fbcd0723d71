// "Nothing acknowledged is lost", shown by killing the real server with SIGKILL while a client
// streams batches and retries each until it is acknowledged. The server acknowledges after its
// ingest log is synced and loads the log into DuckDB behind; each restart replays the rest.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { freePort, runBinge, spawnBinge, waitForHealth } from '../test-support/process.js';
import { wireEvent } from '../test-support/server.js';
import { openDuckDbStore } from '../store/duckdb/adapter.js';
import { ingestLogDir } from '../server/start.js';
import { GroupCommitWriter } from './writer.js';

const KILLS = 12;
const BATCH = 200;

test('every acknowledged event survives SIGKILL at random moments, exactly once, and no batch is half-stored', { timeout: 900_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'binge-crash-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const created = runBinge(['--data', dataDir, 'keys', 'create', '--kind', 'ingest', '--json']);
  assert.equal(created.status, 0, created.stderr);
  const { key } = JSON.parse(created.stdout);

  let server: ChildProcess | undefined;
  const start = async () => {
    server = spawnBinge(['--data', dataDir, 'serve', '--port', String(port)]);
    let stderr = '';
    server.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    // A start takes 10 to 30 s on a 2-core machine shared with other work (load average 25).
    await waitForHealth(url, 120_000).catch((error: unknown) => {
      throw new Error(`${String(error)}; exit code ${server!.exitCode}; stderr: ${stderr}`);
    });
  };
  await start();

  const acknowledged: string[] = [];
  const sentBatches: string[][] = [];
  let kills = 0;
  let halfStored = 0;
  let retriesAfterKill = 0;
  let stop = false;
  let abandoned = false; // the test failed: the client stops retrying

  // Kills the server at random moments and restarts it.
  const killer = (async () => {
    while (kills < KILLS) {
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 350));
      server!.kill('SIGKILL');
      await new Promise((r) => server!.once('exit', r));
      kills++;
      await start();
    }
    stop = true;
  })();

  const client = (async () => {
    for (let b = 0; !stop; b++) {
      const batch = Array.from({ length: BATCH }, (_, i) => wireEvent({ eventId: `crash-${b}-${i}`, playbackId: `pb-${b}` }));
      sentBatches.push(batch.map((e) => e.eventId));
      let failedBefore = false;
      for (;;) {
        try {
          const response = await fetch(`${url}/v1/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
            body: JSON.stringify(batch),
          });
          if (response.status === 200) {
            const answer = (await response.json()) as { accepted: number; duplicates: number };
            // A retried batch was either committed whole before the kill or not at all.
            if (answer.duplicates !== 0 && answer.duplicates !== BATCH) halfStored++;
            if (failedBefore) retriesAfterKill++;
            assert.equal(answer.accepted + answer.duplicates, BATCH);
            acknowledged.push(...batch.map((e) => e.eventId));
            break;
          }
          failedBefore = true;
        } catch {
          failedBefore = true; // connection refused or reset while the server was down
        }
        if (abandoned) return;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  })();

  try {
    await Promise.all([killer, client]);
  } finally {
    // Also on a failure: a server left running would keep the test process alive.
    stop = true;
    abandoned = true;
    // A server ended by a signal has no exit code but a signal code; its 'exit' has already fired.
    if (server!.exitCode === null && server!.signalCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server!.kill('SIGKILL');
      await exited;
    }
  }

  // Acknowledged events may still be only in the ingest log: opening the writer (what a restart
  // does) loads the rest of the log into the store, and closing it waits for that.
  const store = await openDuckDbStore({ dataDir });
  try {
    const writer = await GroupCommitWriter.open(store, { maxQueuedEvents: 1, dedupWindowDays: 30, logDir: ingestLogDir(dataDir) });
    await writer.close();
    const rows = await store.withConnection(async (c) =>
      (await c.runAndReadAll('SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM events')).getRowObjects(),
    );
    const stored = await store.storedEventIds(acknowledged);
    assert.ok(kills >= 10, `the server was killed ${kills} times`);
    assert.ok(retriesAfterKill > 0, 'some batches were in flight when the server died');
    assert.equal(halfStored, 0, 'no batch was half-stored');
    assert.equal(stored.size, acknowledged.length, `every acknowledged event is stored (${stored.size} of ${acknowledged.length})`);
    assert.equal(Number(rows[0].n), Number(rows[0].d), 'no event is stored twice');
    assert.equal(Number(rows[0].n), acknowledged.length, 'nothing unacknowledged is stored');
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
