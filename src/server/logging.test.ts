import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { createKey } from '../privacy/keys.js';
import { startServer } from './start.js';
import { post, wireEvent } from '../test-support/server.js';

test('request logs hold method, path, status and request id, never event bodies, keys or query strings', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'binge-logs-'));
  const server = await startServer(loadConfig({}, { dataDir: dir, port: 0 }), createLogger('info', sink));
  try {
    const { key } = await createKey(server.store, 'ingest', 'test');
    const events = [wireEvent({ titleId: 'secret-title-4711', profileId: 'secret-profile-0815' }), { ...wireEvent(), bogus: 'secret-field-value' }];
    const answer = await post(server, '/v1/events', events, key);
    assert.equal(answer.status, 200);
    await post(server, '/v1/events', '{"broken": secret-json', key);
    await fetch(`${server.url}/v1/health?token=secret-query-value`);
    assert.ok(lines.length >= 3, 'requests were logged');
    const logged = lines.join('\n');
    for (const secret of ['secret-title-4711', 'secret-profile-0815', 'secret-field-value', 'secret-json', 'secret-query-value', key, events[0].eventId]) {
      assert.ok(!logged.includes(secret), `the logs do not contain ${secret.slice(0, 20)}`);
    }
    const completed = lines.map((l) => JSON.parse(l)).filter((l) => l.res);
    assert.ok(completed.some((l) => l.res.statusCode === 200 && l.reqId));
    const incoming = lines.map((l) => JSON.parse(l)).filter((l) => l.req);
    assert.ok(incoming.every((l) => l.req.method && l.req.path && !('headers' in l.req)));
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
