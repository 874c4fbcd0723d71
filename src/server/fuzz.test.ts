// 10,000 random bodies against the ingest route: never a 500, always one of the two answer
// shapes, the server still answers afterwards, and only accepted events are ever stored.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startTestServer, wireEvent } from '../test-support/server.js';

const eventFields = ['eventId', 'playbackId', 'profileId', 'titleId', 'type', 'positionS', 'at', 'device', 'country', 'autoplayed', 'userAction'];

/** A valid event with some fields replaced, removed or added. */
const mutatedEvent = fc
  .record({
    replace: fc.dictionary(fc.constantFrom(...eventFields), fc.jsonValue(), { maxKeys: 3 }),
    drop: fc.subarray(eventFields, { maxLength: 2 }),
    extra: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { maxKeys: 1 }),
  })
  .map(({ replace, drop, extra }) => {
    const event: Record<string, unknown> = { ...wireEvent(), ...replace, ...extra };
    for (const field of drop) delete event[field];
    return event;
  });

const body = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.array(mutatedEvent, { maxLength: 5 }).map((v) => JSON.stringify(v)),
  fc.array(fc.oneof(mutatedEvent, fc.jsonValue()), { maxLength: 5 }).map((v) => v.map((e) => JSON.stringify(e)).join('\n')),
  fc.uint8Array({ maxLength: 100 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);

const contentType = fc.constantFrom('application/json', 'application/x-ndjson', 'text/plain', 'application/json; charset=utf-8', '');
const auth = fc.constantFrom('good', 'good', 'good', 'none', 'wrong');

test('10,000 random bodies never crash the server, never give a 500, and never store a rejected event', { timeout: 300_000 }, async () => {
  const server = await startTestServer();
  let acceptedTotal = 0;
  let runs = 0;
  try {
    await fc.assert(
      fc.asyncProperty(body, contentType, auth, async (payload, type, who) => {
        runs++;
        const headers: Record<string, string> = {};
        if (type) headers['content-type'] = type;
        if (who === 'good') headers.authorization = `Bearer ${server.ingestKey}`;
        if (who === 'wrong') headers.authorization = 'Bearer nope';
        const response = await server.app.inject({ method: 'POST', url: '/v1/events', headers, payload });
        assert.ok([200, 400, 401, 413, 415].includes(response.statusCode), `status ${response.statusCode}: ${response.body}`);
        const answer = response.json();
        if (response.statusCode === 200) {
          assert.equal(typeof answer.accepted, 'number');
          assert.ok(Array.isArray(answer.rejected));
          acceptedTotal += answer.accepted;
        } else {
          assert.match(answer.error.code, /^BINGE_[A-Z_]+$/);
          assert.equal(typeof answer.error.message, 'string');
        }
      }),
      { numRuns: 10_000, seed: 20261125 },
    );
    assert.equal(runs, 10_000);
    assert.ok(acceptedTotal > 0, 'some generated events were valid and accepted');
    await server.writer.settled(); // the ingest log is loaded into the store behind the answers
    assert.equal(await server.store.countEvents(), acceptedTotal, 'only accepted events are stored');
    const health = await fetch(`${server.url}/v1/health`);
    assert.equal(health.status, 200, 'the server still answers over HTTP');
  } finally {
    await server.dispose();
  }
});
