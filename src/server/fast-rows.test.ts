// The rows fast path answers exactly as Fastify's route does: the same status, headers, body and
// log line, from the same privacy decision asked once per request, and a change shows on the
// very next request. Each case sends the same request over real HTTP twice, through the fast
// path and with it switched off (Fastify's route), and compares the answers.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { Writable } from 'node:stream';
import { createLogger } from '../logger.js';
import { addMember, startPrivacyServer, type PrivacyTestServer, type TestMember } from '../privacy/test-support.js';
import { TOKEN_TTL_S } from '../privacy/tokens.js';
import { DAY, loadWorld, view } from '../recommend/test-support.js';
import { recommendStoreOf } from '../store/duckdb/recommend.js';
import { fastRowsOf } from './app.js';
import { recommendOf } from './routes/recommend.js';

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Present on every answer, also those Fastify makes before any hook runs (frameworkErrors in app.ts). */
  requestId: string | undefined;
}

describe('the rows fast path answers as Fastify does', () => {
  let server: PrivacyTestServer;
  let ana: TestMember;
  let bo: TestMember;
  const logLines: Record<string, unknown>[] = [];

  before(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n')) if (line) logLines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    server = await startPrivacyServer({ logger: createLogger('info', sink) });
    await loadWorld(server, { perGroup: 6 });
    assert.ok(await recommendOf.get(server.app)!.schedule.runOnce(), 'a model to serve');
    ana = await addMember(server, 'MX');
    bo = await addMember(server, 'MX');
    const now = server.clock.nowMs;
    await server.store.replaceViews([
      {
        profileId: ana.profileId,
        fromMs: -Infinity,
        views: [view(ana.profileId, 'f05', now - 5 * DAY), view(ana.profileId, 'f01', now - 3 * DAY), view(ana.profileId, 'f02', now - 2 * DAY)],
      },
    ]);
  });
  after(async () => server.dispose());

  const fast = () => fastRowsOf.get(server.app)!;

  function get(path: string, token?: string): Promise<Answer> {
    const { port } = new URL(server.url);
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const headers: Record<string, string> = {};
          // In the order sent, names as sent: the order is part of "the same headers".
          for (let i = 0; i < res.rawHeaders.length; i += 2) headers[res.rawHeaders[i]] = res.rawHeaders[i + 1];
          resolve({ status: res.statusCode!, headers, body: Buffer.concat(chunks).toString(), requestId: headers['x-request-id'] });
        });
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** The same request through Fastify's route (the fast path off), then through the fast path; says which path answered the second. */
  async function bothPaths(path: string, token?: string): Promise<{ fastify: Answer; fastPath: Answer; answeredByFastPath: boolean }> {
    fast().enabled = false;
    let fastify: Answer;
    try {
      fastify = await get(path, token);
    } finally {
      fast().enabled = true;
    }
    const answered = fast().stats.answered;
    const fastPath = await get(path, token);
    return { fastify, fastPath, answeredByFastPath: fast().stats.answered === answered + 1 };
  }

  /** Equal but for the request id (new per request, in the header and any error body) and the Date header's second. */
  function assertSameAnswer(a: Answer, b: Answer): void {
    const comparable = (x: Answer) => ({
      status: x.status,
      headerNames: Object.keys(x.headers),
      headers: { ...x.headers, ...(x.requestId ? { 'x-request-id': '(id)' } : {}), Date: '(date)' },
      body: x.requestId ? x.body.replaceAll(x.requestId, '(id)') : x.body,
    });
    if (a.requestId) assert.match(a.requestId, /^[0-9a-f-]{36}$/);
    if (b.requestId) assert.notEqual(b.requestId, a.requestId);
    assert.deepEqual(comparable(b), comparable(a));
  }

  /** Policy decisions made while `work` runs. */
  async function decisions<T>(work: () => Promise<T>): Promise<{ value: T; asked: number }> {
    let asked = 0;
    const stop = server.privacy.gate.observe(() => asked++);
    try {
      return { value: await work(), asked };
    } finally {
      stop();
    }
  }

  /** Erases the member's data and account, as the member does (DELETE /v1/me). */
  async function erase(member: TestMember): Promise<void> {
    const erased = await server.app.inject({
      method: 'DELETE',
      url: '/v1/me',
      headers: { authorization: `Bearer ${member.token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ password: member.password }),
    });
    assert.equal(erased.statusCode, 200, erased.body);
  }

  /** Gives or withdraws the member's consent to personalisation (PUT /v1/me/consents). */
  async function consentToPersonalisation(member: TestMember, personalisation: boolean): Promise<void> {
    const answer = await server.app.inject({
      method: 'PUT',
      url: '/v1/me/consents',
      headers: { authorization: `Bearer ${member.token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ personalisation }),
    });
    assert.equal(answer.statusCode, 200, answer.body);
  }

  test("a member's own rows: the fast path answers, with Fastify's status, headers, body and log line, and the policy asked once", async () => {
    const path = `/v1/profiles/${ana.profileId}/rows`;
    const warm = await get(path, ana.token); // renders the body
    assert.equal(warm.status, 200, warm.body);
    const { value, asked } = await decisions(() => bothPaths(path, ana.token));
    assert.equal(asked, 2, 'one decision per request on each path');
    assert.ok(value.answeredByFastPath);
    assertSameAnswer(value.fastify, value.fastPath);
    assert.equal(JSON.parse(value.fastPath.body).personal, true);

    const lineOf = (id: string | undefined) => logLines.find((l) => l.reqId === id);
    await new Promise((r) => setTimeout(r, 10));
    const [a, b] = [lineOf(value.fastify.requestId), lineOf(value.fastPath.requestId)];
    assert.ok(a && b, 'both requests logged');
    const shape = (l: Record<string, unknown>) => ({ ...l, time: 0, reqId: '(id)', responseTime: typeof l.responseTime, req: { ...(l.req as object), id: '(id)' } });
    assert.deepEqual(shape(b), shape(a));
    assert.equal(JSON.stringify(b).includes(ana.token), false, 'no token in the log line');
  });

  test("another member's profile: 404 with the body of a missing id, through Fastify, the policy asked once", async () => {
    const { value, asked } = await decisions(() => bothPaths(`/v1/profiles/${ana.profileId}/rows`, bo.token));
    assert.equal(asked, 2);
    assert.equal(value.fastPath.status, 404);
    assert.equal(value.answeredByFastPath, false);
    assertSameAnswer(value.fastify, value.fastPath);
    const missing = await bothPaths('/v1/profiles/no-such-profile/rows', bo.token);
    assert.equal(missing.fastPath.status, 404);
    assertSameAnswer(missing.fastify, missing.fastPath);
  });

  test('no token, a forged token and an expired token: 401 on both paths', async () => {
    const path = `/v1/profiles/${ana.profileId}/rows`;
    for (const token of [undefined, 'not-a-token', `${ana.token.slice(0, -4)}AAAA`]) {
      const { fastify, fastPath } = await bothPaths(path, token);
      assert.equal(fastPath.status, 401, String(token));
      assertSameAnswer(fastify, fastPath);
    }
    const carl = await addMember(server, 'MX');
    const carlPath = `/v1/profiles/${carl.profileId}/rows`;
    assert.equal((await get(carlPath, carl.token)).status, 200);
    assert.equal((await bothPaths(carlPath, carl.token)).answeredByFastPath, true, 'a remembered token, a rendered body');
    const saved = server.clock.nowMs;
    server.clock.nowMs += (TOKEN_TTL_S + 1) * 1000;
    try {
      const { fastify, fastPath } = await bothPaths(carlPath, carl.token);
      assert.equal(fastPath.status, 401);
      assertSameAnswer(fastify, fastPath);
    } finally {
      server.clock.nowMs = saved;
    }
  });

  test("an erased member's token is refused at once on both paths", async () => {
    const dora = await addMember(server, 'MX');
    const path = `/v1/profiles/${dora.profileId}/rows`;
    assert.equal((await get(path, dora.token)).status, 200);
    assert.equal((await bothPaths(path, dora.token)).answeredByFastPath, true);
    await erase(dora);
    const { fastify, fastPath } = await bothPaths(path, dora.token);
    assert.equal(fastPath.status, 401);
    assertSameAnswer(fastify, fastPath);
  });

  test('a withdrawn personalisation consent shows on the next request through the fast path, and its return too', async () => {
    const erin = await addMember(server, 'MX');
    await server.store.replaceViews([{ profileId: erin.profileId, fromMs: -Infinity, views: [view(erin.profileId, 'f01', server.clock.nowMs - DAY)] }]);
    const path = `/v1/profiles/${erin.profileId}/rows`;
    assert.equal(JSON.parse((await get(path, erin.token)).body).personal, true);
    const consent = (personalisation: boolean) => consentToPersonalisation(erin, personalisation);
    await consent(false);
    const withdrawn = await get(path, erin.token); // the first request after the change renders again (Fastify's route)
    assert.equal(JSON.parse(withdrawn.body).personal, false);
    const both = await bothPaths(path, erin.token);
    assert.ok(both.answeredByFastPath);
    assertSameAnswer(both.fastify, both.fastPath);
    assert.deepEqual(JSON.parse(both.fastPath.body).rows.map((r: { id: string }) => r.id), ['popular_in_country']);
    await consent(true);
    assert.equal(JSON.parse((await get(path, erin.token)).body).personal, true);
  });

  test('a thumbs-down and a new view take effect on the very next request', async () => {
    const path = `/v1/profiles/${ana.profileId}/rows`;
    const itemsOf = (a: Answer) => (JSON.parse(a.body) as { rows: { items: { itemId: string }[] }[] }).rows.flatMap((r) => r.items.map((i) => i.itemId));
    await get(path, ana.token);
    const before = await bothPaths(path, ana.token);
    assert.ok(before.answeredByFastPath);
    assert.ok(itemsOf(before.fastPath).includes('title:f03'), before.fastPath.body);

    await recommendStoreOf(server.store).putThumbs([{ eventId: `thumb-${ana.profileId}`, profileId: ana.profileId, titleId: 'f03', rating: 'down', atMs: server.clock.nowMs }]);
    const next = await get(path, ana.token);
    assert.equal(itemsOf(next).includes('title:f03'), false, next.body);
    const both = await bothPaths(path, ana.token);
    assertSameAnswer(both.fastify, both.fastPath);
    assert.equal(itemsOf(both.fastPath).includes('title:f03'), false);

    const now = server.clock.nowMs;
    await server.store.replaceViews([
      {
        profileId: ana.profileId,
        fromMs: -Infinity,
        views: [view(ana.profileId, 'f05', now - 5 * DAY), view(ana.profileId, 'f01', now - 3 * DAY), view(ana.profileId, 'f02', now - 2 * DAY), view(ana.profileId, 'sB-e1', now - DAY, { completed: false, bookmarkS: 600 })],
      },
    ]);
    const afterView = await get(path, ana.token);
    assert.deepEqual(
      (JSON.parse(afterView.body) as { rows: { id: string; items: { itemId: string }[] }[] }).rows.find((r) => r.id === 'continue_watching')?.items.map((i) => i.itemId),
      ['series:sB'],
    );
  });

  test('malformed and unusual ids and URLs are left to Fastify and answered the same', async () => {
    for (const path of [
      '/v1/profiles/a%20b/rows',
      `/v1/profiles/${'x'.repeat(129)}/rows`,
      `/v1/profiles/${'x'.repeat(200)}/rows`,
      `/v1/profiles/${'x'.repeat(400)}/rows`,
      '/v1/profiles/../rows',
      `/v1/profiles/${ana.profileId}/rows?limit=3`,
      `/v1/profiles/${ana.profileId}/rows?limit=0`,
      `/v1/profiles/${ana.profileId}/rows/`,
      '/v1/profiles//rows',
    ]) {
      const { fastify, fastPath, answeredByFastPath } = await bothPaths(path, ana.token);
      assert.equal(answeredByFastPath, false, path);
      assertSameAnswer(fastify, fastPath);
      assert.notEqual(fastPath.status, 500, path);
    }
  });

  test('an id past the router limit gets 414 with the error shape and headers of every answer; a long id within it is an unknown profile', async () => {
    const tooLong = await get(`/v1/profiles/${'x'.repeat(400)}/rows`, ana.token);
    assert.equal(tooLong.status, 414);
    assert.match(tooLong.requestId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(tooLong.headers['x-content-type-options'], 'nosniff');
    assert.equal(tooLong.headers['cache-control'], 'no-store');
    const body = JSON.parse(tooLong.body) as { error: { code: string; message: string; requestId: string } };
    assert.equal(body.error.code, 'BINGE_URI_TOO_LONG');
    assert.match(body.error.message, /longer than 384 characters/);
    assert.equal(body.error.requestId, tooLong.requestId);
    const long = await get(`/v1/profiles/${'x'.repeat(128)}/rows`, ana.token);
    assert.equal(long.status, 404);
    assert.equal((JSON.parse(long.body) as { error: { code: string } }).error.code, 'BINGE_NOT_FOUND');
  });

  // An answer the fast path sent is kept and given again to the same header while nothing it was
  // decided or rendered on has changed; every change below must be met by a fresh decision.
  const keptCount = () => fast().stats.kept;

  /** A fast-path answer for `token` on the profile, then the same request again: the second must come from the kept answer. */
  async function keptFor(path: string, token: string): Promise<Answer> {
    await get(path, token); // renders the body if needed
    await bothPaths(path, token); // decided without waiting: kept
    const before = keptCount();
    const again = await get(path, token);
    assert.equal(keptCount(), before + 1, 'the same request again is answered from the kept answer');
    return again;
  }

  test('the same request again gets the kept answer: what Fastify answers, with its log line, and no second decision', async () => {
    const path = `/v1/profiles/${ana.profileId}/rows`;
    await keptFor(path, ana.token);
    const { value, asked } = await decisions(async () => {
      const before = keptCount();
      const answer = await get(path, ana.token);
      return { answer, fromKept: keptCount() === before + 1 };
    });
    assert.ok(value.fromKept);
    assert.equal(asked, 0, 'decided on facts unchanged since');
    const { fastify } = await bothPaths(path, ana.token);
    assertSameAnswer(fastify, value.answer);
    await new Promise((r) => setTimeout(r, 10));
    assert.ok(logLines.some((l) => l.reqId === value.answer.requestId), 'logged like every answer');
  });

  test("another header is decided afresh: another member's token gets 404, a second token of the member its own decision", async () => {
    const path = `/v1/profiles/${ana.profileId}/rows`;
    await keptFor(path, ana.token);
    const second = (await server.privacy.tokens.issue(ana.memberId)).token;
    for (const [token, status] of [
      [bo.token, 404],
      ['not-a-token', 401],
      [second, 200],
    ] as const) {
      const before = keptCount();
      const { value, asked } = await decisions(() => get(path, token));
      assert.equal(value.status, status);
      assert.equal(keptCount(), before, 'not the kept answer');
      // Sign-in refuses a forged token before the policy is asked.
      assert.ok(status === 401 || asked >= 1, 'the policy was asked');
    }
    // Other headers left the kept answer alone: ana's first token still gets it, with no decision.
    assert.equal((await decisions(() => get(path, ana.token))).asked, 0);
    // The second token, now verified, is decided without waiting and its answer is kept instead:
    // the first token is then decided again, once.
    assert.equal((await get(path, second)).status, 200);
    const { value, asked } = await decisions(() => get(path, ana.token));
    assert.equal(value.status, 200);
    assert.equal(asked, 1);
  });

  test('a kept answer gives way to an expired token, a write of the directory, a model change and erasure', async () => {
    const fay = await addMember(server, 'MX');
    const path = `/v1/profiles/${fay.profileId}/rows`;
    const fresh = async (label: string): Promise<Answer> => {
      const before = keptCount();
      const { value, asked } = await decisions(() => get(path, fay.token));
      assert.equal(keptCount(), before, `${label}: not the kept answer`);
      // Sign-in refuses an expired or erased account's token before the policy is asked.
      assert.ok(value.status === 401 || asked >= 1, `${label}: the policy was asked`);
      return value;
    };

    await keptFor(path, fay.token);
    const saved = server.clock.nowMs;
    server.clock.nowMs += (TOKEN_TTL_S + 1) * 1000;
    try {
      assert.equal((await fresh('expired token')).status, 401);
    } finally {
      server.clock.nowMs = saved;
    }

    await keptFor(path, fay.token);
    await addMember(server, 'MX'); // writes profiles and accounts: the directory changed
    const afterDirectory = await fresh('directory written');
    const { fastify } = await bothPaths(path, fay.token);
    assertSameAnswer(fastify, afterDirectory);

    await keptFor(path, fay.token);
    assert.ok(await recommendOf.get(server.app)!.schedule.runOnce(), 'a new model');
    const afterModel = await fresh('new model');
    assert.equal(afterModel.status, 200);
    assert.equal((await bothPaths(path, fay.token)).answeredByFastPath, true);

    await keptFor(path, fay.token);
    await erase(fay);
    assert.equal((await fresh('erased')).status, 401);
  });

  test("a kept answer gives way to a change of the profile's data: a withdrawn consent, a thumbs-down", async () => {
    const gus = await addMember(server, 'MX');
    await server.store.replaceViews([{ profileId: gus.profileId, fromMs: -Infinity, views: [view(gus.profileId, 'f01', server.clock.nowMs - DAY)] }]);
    const path = `/v1/profiles/${gus.profileId}/rows`;
    assert.equal(JSON.parse((await keptFor(path, gus.token)).body).personal, true);
    await consentToPersonalisation(gus, false);
    const before = keptCount();
    const withdrawn = await get(path, gus.token);
    assert.equal(keptCount(), before);
    assert.equal(JSON.parse(withdrawn.body).personal, false);

    const kept = await keptFor(path, gus.token);
    assert.equal(JSON.parse(kept.body).personal, false);
    await recommendStoreOf(server.store).putThumbs([{ eventId: `thumb-${gus.profileId}`, profileId: gus.profileId, titleId: 'f02', rating: 'down', atMs: server.clock.nowMs }]);
    const afterThumb = keptCount();
    await get(path, gus.token);
    assert.equal(keptCount(), afterThumb, 'the thumb dropped the cached inputs, and the kept answer with them');
  });
});
