import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { createLogger, writeRequestCompleted } from '../logger.js';
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

test("the rows fast path's request line is byte for byte what pino writes for the same fields (time aside), and values that need escaping go through pino", () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger('info', sink);
  const sameTime = (line: string) => line.replace(/"time":\d+/, '"time":0');
  const cases: [string, string, string, number, number][] = [
    ['3f1c2a9e-4b7d-4c1e-9a2b-7d8e9f0a1b2c', 'GET', '/v1/profiles/p-1_A/rows', 200, 0.123456789],
    ['id', 'GET', '/v1/profiles/x/rows', 404, 12],
    ['id', 'GET', '/v1/profiles/"quoted\\back\u0001\u00e9/rows', 200, 1e-7],
  ];
  for (const [id, method, path, statusCode, responseTime] of cases) {
    lines.length = 0;
    writeRequestCompleted(logger, id, method, path, statusCode, responseTime);
    logger.info({ reqId: id, req: { id, method, url: path }, res: { statusCode }, responseTime }, 'request completed');
    assert.equal(lines.length, 2);
    assert.equal(sameTime(lines[0]), sameTime(lines[1]));
    assert.deepEqual(JSON.parse(lines[0]).req, { id, method, path });
  }
});
