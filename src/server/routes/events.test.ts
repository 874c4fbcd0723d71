import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { post, startTestServer, wireEvent, type TestServer } from '../../test-support/server.js';
import { formatAt } from '../../ingest/event-schema.js';
import { ERROR_CODES } from '../../errors.js';

function assertErrorShape(body: unknown, code: string): void {
  const error = (body as { error: { code: string; message: string; requestId: string } }).error;
  assert.equal(error.code, code);
  assert.ok(error.code in ERROR_CODES);
  assert.ok(error.message.length > 10, 'the message says what is wrong');
  assert.ok(error.requestId.length > 0);
  assert.ok(!/at .*\.ts:\d+/.test(error.message), 'no stack trace reaches the client');
}

describe('POST /v1/events', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ maxBodyBytes: 64 * 1024, maxBatchEvents: 100 });
  });
  after(async () => server.dispose());

  test('a JSON array of valid events is stored and acknowledged', async () => {
    const before = await server.store.countEvents();
    const batch = [wireEvent({ type: 'start', positionS: 0 }), wireEvent()];
    const answer = await post(server, '/v1/events', batch, server.ingestKey);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { accepted: 2, duplicates: 0, duplicateIndexes: [], rejected: [] });
    assert.equal(await server.store.countEvents(), before + 2);
  });

  test('NDJSON bodies are accepted, one event per line', async () => {
    const ndjson = [wireEvent(), wireEvent()].map((e) => JSON.stringify(e)).join('\n');
    const answer = await post(server, '/v1/events', ndjson, server.ingestKey, 'application/x-ndjson');
    assert.equal(answer.status, 200);
    assert.equal(answer.body.accepted, 2);
  });

  test('a duplicate eventId is dropped within a batch and across batches', async () => {
    const event = wireEvent();
    const before = await server.store.countEvents();
    const first = await post(server, '/v1/events', [event, event], server.ingestKey);
    assert.deepEqual([first.body.accepted, first.body.duplicates, first.body.duplicateIndexes], [1, 1, [1]]);
    const again = await post(server, '/v1/events', [event], server.ingestKey);
    assert.deepEqual([again.body.accepted, again.body.duplicates], [0, 1]);
    assert.equal(await server.store.countEvents(), before + 1);
    assert.deepEqual([...(await server.store.storedEventIds([event.eventId]))], [event.eventId]);
  });

  test('valid events of a batch are kept when others are rejected, each rejection says where and how to fix', async () => {
    const good = wireEvent();
    const batch = [
      good,
      { ...wireEvent(), positionS: 'ten' },
      { ...wireEvent(), mood: 'happy' },
      wireEvent({ at: formatAt(Date.now() + 3_600_000, 0) }),
      wireEvent({ at: formatAt(Date.now() - 400 * 86_400_000, 60) }),
      'not an object',
      wireEvent({ country: 'mexico' }),
      wireEvent({ at: '2026-02-30T10:00:00+01:00' }),
    ];
    const answer = await post(server, '/v1/events', batch, server.ingestKey);
    assert.equal(answer.status, 200);
    assert.equal(answer.body.accepted, 1);
    const byIndex = Object.fromEntries(answer.body.rejected.map((r: { index: number; code: string; message: string }) => [r.index, r]));
    assert.equal(byIndex[1].code, 'BINGE_EVENT_INVALID');
    assert.match(byIndex[1].message, /^positionS: .*number/);
    assert.equal(byIndex[2].code, 'BINGE_EVENT_UNKNOWN_FIELD');
    assert.match(byIndex[2].message, /"mood".*remove it/);
    assert.equal(byIndex[3].code, 'BINGE_EVENT_IN_FUTURE');
    assert.equal(byIndex[4].code, 'BINGE_EVENT_TOO_OLD');
    assert.match(byIndex[4].message, /binge import/);
    assert.equal(byIndex[5].code, 'BINGE_EVENT_INVALID');
    assert.match(byIndex[5].message, /JSON object/);
    assert.match(byIndex[6].message, /^country: /);
    assert.match(byIndex[7].message, /not a real date/);
    assert.equal(answer.body.rejected.length, 7);
    assert.deepEqual([...(await server.store.storedEventIds([good.eventId]))], [good.eventId]);
  });

  test('malformed JSON is a coded 400 and stores nothing', async () => {
    const before = await server.store.countEvents();
    const answer = await post(server, '/v1/events', '[{"eventId": "x",', server.ingestKey);
    assert.equal(answer.status, 400);
    assertErrorShape(answer.body, 'BINGE_BAD_JSON');
    const ndjson = await post(server, '/v1/events', `${JSON.stringify(wireEvent())}\n{oops`, server.ingestKey, 'application/x-ndjson');
    assert.equal(ndjson.status, 400);
    assert.match(ndjson.body.error.message, /line 2/);
    assert.equal(await server.store.countEvents(), before);
  });

  test('an empty batch, a non-array body and a batch over the event limit are refused whole', async () => {
    const empty = await post(server, '/v1/events', [], server.ingestKey);
    assert.equal(empty.status, 400);
    assertErrorShape(empty.body, 'BINGE_EMPTY_BATCH');
    const object = await post(server, '/v1/events', { events: [] }, server.ingestKey);
    assert.equal(object.status, 400);
    assertErrorShape(object.body, 'BINGE_BAD_REQUEST');
    const many = await post(server, '/v1/events', Array.from({ length: 101 }, () => wireEvent()), server.ingestKey);
    assert.equal(many.status, 413);
    assertErrorShape(many.body, 'BINGE_BATCH_TOO_MANY_EVENTS');
  });

  test('a body over the byte limit is a 413', async () => {
    const huge = JSON.stringify(Array.from({ length: 90 }, () => wireEvent({ titleId: 'x'.repeat(120), playbackId: 'p'.repeat(120), device: 'd'.repeat(120), profileId: 'q'.repeat(120) })));
    const padded = huge + ' '.repeat(70 * 1024);
    const answer = await post(server, '/v1/events', padded, server.ingestKey);
    assert.equal(answer.status, 413);
    assertErrorShape(answer.body, 'BINGE_BODY_TOO_LARGE');
  });

  test('a missing or wrong key is a 401 that says how to get one; an admin key cannot ingest', async () => {
    const missing = await post(server, '/v1/events', [wireEvent()], undefined);
    assert.equal(missing.status, 401);
    assertErrorShape(missing.body, 'BINGE_UNAUTHORIZED');
    assert.match(missing.body.error.message, /binge keys create/);
    const wrong = await post(server, '/v1/events', [wireEvent()], 'binge_ingest_not-a-key');
    assert.equal(wrong.status, 401);
    const admin = await post(server, '/v1/events', [wireEvent()], server.adminKey);
    assert.equal(admin.status, 403);
  });

  test('an unsupported content type is a 415', async () => {
    const answer = await post(server, '/v1/events', 'eventId=1', server.ingestKey, 'application/x-www-form-urlencoded');
    assert.equal(answer.status, 415);
    assertErrorShape(answer.body, 'BINGE_UNSUPPORTED_MEDIA_TYPE');
  });

  test('an unknown route is a coded 404 and answers carry a request id and security headers', async () => {
    const response = await fetch(`${server.url}/v1/nothing-here`);
    assert.equal(response.status, 404);
    assertErrorShape(await response.json(), 'BINGE_NOT_FOUND');
    assert.ok(response.headers.get('x-request-id'));
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  });

  test('concurrent requests are group-committed and each answer comes after its commit', async () => {
    const commitsBefore = server.writer.stats.commits;
    const batches = Array.from({ length: 20 }, () => Array.from({ length: 50 }, () => wireEvent()));
    const answers = await Promise.all(batches.map((b) => post(server, '/v1/events', b, server.ingestKey)));
    assert.ok(answers.every((a) => a.status === 200 && a.body.accepted === 50));
    const commits = server.writer.stats.commits - commitsBefore;
    assert.ok(commits < 20, `20 concurrent requests took ${commits} commits`);
    const ids = batches.flat().map((e) => e.eventId);
    assert.equal((await server.store.storedEventIds(ids)).size, ids.length);
  });
});

describe('back-pressure', () => {
  test('when the writer falls behind the server answers 503 with Retry-After, and loses nothing it acknowledged', async () => {
    const server = await startTestServer({ maxQueuedEvents: 100 });
    try {
      // A disk that stalls: the first batch's log write waits until released, so the writer is
      // behind for certain (on a fast machine 30 concurrent batches could all be committed in time).
      const log = (server.writer as unknown as { log: { appendRecords(records: Buffer[][]): Promise<void> } }).log;
      const append = log.appendRecords.bind(log);
      let release!: () => void;
      const stalled = new Promise<void>((resolve) => (release = resolve));
      log.appendRecords = async (records) => {
        await stalled;
        return append(records);
      };
      // Sent without the helper `post`, which waits for the writer to settle after each answer.
      const send = async (batch: unknown[]) => {
        const response = await fetch(`${server.url}/v1/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${server.ingestKey}` },
          body: JSON.stringify(batch),
        });
        return { status: response.status, headers: response.headers, body: (await response.json()) as { error: { code: string } } };
      };
      const batches = Array.from({ length: 30 }, () => Array.from({ length: 60 }, () => wireEvent()));
      const first = send(batches[0]);
      while ((server.writer as unknown as { queuedEvents: number }).queuedEvents === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const rest = await Promise.all(batches.slice(1).map(send));
      release();
      const answers = [await first, ...rest];
      await server.writer.settled();
      assert.equal(answers[0].status, 200, 'the first batch is acknowledged once its write is done');
      const refused = answers.filter((a) => a.status === 503);
      assert.equal(refused.length, batches.length - 1, 'every batch that would overfill the queue is refused');
      for (const a of refused) {
        assert.equal(a.headers.get('retry-after'), '1');
        assert.equal(a.body.error.code, 'BINGE_OVERLOADED');
      }
      const acknowledged = batches.filter((_, i) => answers[i].status === 200).flat().map((e) => e.eventId);
      const stored = await server.store.storedEventIds(batches.flat().map((e) => e.eventId));
      assert.equal(stored.size, acknowledged.length);
      for (const id of acknowledged) assert.ok(stored.has(id));
    } finally {
      await server.dispose();
    }
  });

  test('a refused batch is refused before its body is read: with the writer refusing, even malformed JSON gets 503, while a missing key still gets 401', async () => {
    const server = await startTestServer();
    try {
      await server.writer.close();
      const refused = await post(server, '/v1/events', '[{"eventId": ', server.ingestKey);
      assert.equal(refused.status, 503);
      assert.equal(refused.headers.get('retry-after'), '1');
      assert.equal(refused.body.error.code, 'BINGE_STORE_UNAVAILABLE');
      const anonymous = await post(server, '/v1/events', [wireEvent()], undefined);
      assert.equal(anonymous.status, 401);
    } finally {
      await server.dispose();
    }
  });
});

describe('restarts', () => {
  test('duplicates are dropped across a restart', async () => {
    const first = await startTestServer();
    const event = wireEvent();
    await post(first, '/v1/events', [event], first.ingestKey);
    const { dataDir, ingestKey } = first;
    await first.stop();
    const second = await startTestServer({}, dataDir);
    try {
      const again = await post(second, '/v1/events', [event], ingestKey);
      assert.deepEqual([again.body.accepted, again.body.duplicates], [0, 1]);
      assert.equal(await second.store.countEvents(), 1);
    } finally {
      await second.dispose();
      const { rmSync } = await import('node:fs');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
