// The wrk runner of the serving benchmark, against a real node:http server (skipped where wrk is
// not installed: Debian `apt-get install wrk`).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findWrk, Wrk } from './wrk.js';

const wrkVersion = findWrk({});

test('BINGE_BENCH_CLIENT=node makes the bench use its Node client even where wrk is installed', () => {
  assert.equal(findWrk({ BINGE_BENCH_CLIENT: 'node' }), undefined);
});

test('wrk cycles through the listed requests with their headers, counts every answer and error status, and gives one latency per answer', { skip: wrkVersion ? false : 'wrk is not installed' }, async () => {
  const seen = new Map<string, number>();
  const server = createServer((req, res) => {
    const key = `${req.url} ${req.headers.authorization ?? '-'}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    const status = req.url === '/missing' ? 404 : 200;
    res.writeHead(status, { 'content-type': 'text/plain', 'content-length': 2 });
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dir = mkdtempSync(join(tmpdir(), 'binge-wrk-'));
  try {
    const port = (server.address() as AddressInfo).port;
    const wrk = new Wrk(dir);
    const list = wrk.list([
      { path: '/a', headers: { Authorization: 'Bearer one' } },
      { path: '/b', headers: { Authorization: 'Bearer two' } },
    ]);
    const run = await wrk.run(port, list, 4, 1);
    assert.ok(run.requests > 100, `only ${run.requests} answers in a second`);
    assert.deepEqual([...seen.keys()].sort(), ['/a Bearer one', '/b Bearer two']);
    // wrk may send a request or two more than it counts as answered when the time is up.
    const sent = [...seen.values()].reduce((a, b) => a + b, 0);
    assert.ok(sent >= run.requests && sent <= run.requests + 4, `${sent} sent, ${run.requests} answered`);
    assert.equal(run.badStatus, 0);
    assert.equal(run.socketErrors, 0);
    assert.equal(run.latencies.length, run.requests);
    assert.ok(run.latencies.every((ms, i) => ms >= 0 && (i === 0 || ms >= run.latencies[i - 1])), 'ascending');
    assert.ok(run.seconds >= 0.9 && run.seconds < 5);

    const missing = await wrk.run(port, wrk.list([{ path: '/missing' }]), 2, 1);
    assert.equal(missing.badStatus, missing.requests, 'every 404 counted');
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
