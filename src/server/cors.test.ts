// Cross-origin calls (server/cors.ts) over real HTTP: only the configured origins get the
// Access-Control-* headers; a preflight is answered without data and without asking the privacy
// policy; CORS never stands in for signing in; and the rows fast path hands a request with an
// Origin to Fastify so that its answer carries the headers. Without a configured origin nothing
// changes. The browser side (a player page on another origin) is in sdk/browser.test.ts.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../config.js';
import { BingeError } from '../errors.js';
import { addMember, startPrivacyServer, type PrivacyTestServer, type TestMember } from '../privacy/test-support.js';
import { DAY, loadWorld, view } from '../recommend/test-support.js';
import { fastRowsOf } from './app.js';
import { CORS_MAX_AGE_S } from './cors.js';
import { recommendOf } from './routes/recommend.js';

const PLAYER = 'https://player.example.com';
const LOCAL_DEV = 'http://localhost:5173';
const ELSEWHERE = 'https://elsewhere.example.org';

/** A header's comma-separated values. */
const list = (header: string | undefined): string[] => (header ?? '').split(',').map((value) => value.trim());

async function send(server: PrivacyTestServer, method: string, path: string, headers: Record<string, string>, body?: string) {
  const response = await fetch(`${server.url}${path}`, { method, headers, body });
  return { status: response.status, headers: Object.fromEntries(response.headers), text: await response.text() };
}

describe('CORS with configured origins', () => {
  let server: PrivacyTestServer;
  let ana: TestMember;

  before(async () => {
    server = await startPrivacyServer({ config: { corsOrigins: [PLAYER, LOCAL_DEV] } });
    await loadWorld(server, { perGroup: 6 });
    assert.ok(await recommendOf.get(server.app)!.schedule.runOnce(), 'a model to serve');
    ana = await addMember(server, 'MX');
    const now = server.clock.nowMs;
    await server.store.replaceViews([{ profileId: ana.profileId, fromMs: -Infinity, views: [view(ana.profileId, 'f01', now - 2 * DAY), view(ana.profileId, 'f02', now - DAY)] }]);
  });
  after(async () => server.dispose());

  test('a preflight from a configured origin is answered with what may be sent, and no data', async () => {
    const answer = await send(server, 'OPTIONS', '/v1/events', {
      origin: PLAYER,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type',
    });
    assert.equal(answer.status, 204);
    assert.equal(answer.text, '');
    assert.equal(answer.headers['access-control-allow-origin'], PLAYER);
    assert.deepEqual(list(answer.headers['access-control-allow-methods']), ['GET', 'HEAD', 'POST', 'PUT', 'DELETE']);
    assert.deepEqual(list(answer.headers['access-control-allow-headers']), ['authorization', 'content-type']);
    assert.equal(answer.headers['access-control-max-age'], String(CORS_MAX_AGE_S));
    assert.equal(answer.headers['access-control-allow-credentials'], undefined, 'tokens travel in a header, never in cookies');
    assert.match(answer.headers.vary, /origin/i);
  });

  test('a preflight from any other origin gets no permission (the browser then refuses the call)', async () => {
    for (const origin of [ELSEWHERE, `${PLAYER}.evil.example`, 'null', PLAYER.replace('https', 'http')]) {
      const answer = await send(server, 'OPTIONS', '/v1/events', { origin, 'access-control-request-method': 'POST' });
      assert.equal(answer.headers['access-control-allow-origin'], undefined, origin);
      assert.equal(answer.headers['access-control-allow-methods'], undefined, origin);
    }
  });

  test('an answer to a configured origin can be read by its page, Retry-After and the request id included', async () => {
    const answer = await send(server, 'GET', '/v1/health', { origin: LOCAL_DEV });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['access-control-allow-origin'], LOCAL_DEV);
    assert.deepEqual(list(answer.headers['access-control-expose-headers']), ['retry-after', 'x-request-id']);
    assert.equal(answer.headers['content-security-policy'], "default-src 'self'", 'the headers of every answer stay');
  });

  test('CORS does not sign anyone in: a cross-origin call without a token is refused as any other', async () => {
    const unsigned = await send(server, 'GET', `/v1/profiles/${ana.profileId}/history`, { origin: PLAYER });
    assert.equal(unsigned.status, 401);
    assert.equal(unsigned.headers['access-control-allow-origin'], PLAYER, 'the page may read the refusal');
    const events = await send(server, 'POST', '/v1/events', { origin: PLAYER, 'content-type': 'application/json' }, '[]');
    assert.equal(events.status, 401);
  });

  test('rows: with an Origin the request goes to Fastify and the answer carries the headers; without one the fast path answers, the same body', async () => {
    const fast = fastRowsOf.get(server.app)!;
    const headers = { authorization: `Bearer ${ana.token}` };
    await send(server, 'GET', `/v1/profiles/${ana.profileId}/rows`, headers); // warm
    const before = { ...fast.stats };
    const plain = await send(server, 'GET', `/v1/profiles/${ana.profileId}/rows`, headers);
    assert.equal(fast.stats.answered, before.answered + 1, 'same-origin (no Origin): the fast path');
    assert.equal(plain.headers['access-control-allow-origin'], undefined);
    const cross = await send(server, 'GET', `/v1/profiles/${ana.profileId}/rows`, { ...headers, origin: PLAYER });
    assert.equal(fast.stats.answered, before.answered + 1, 'with an Origin: not the fast path');
    assert.equal(cross.status, 200);
    assert.equal(cross.headers['access-control-allow-origin'], PLAYER);
    assert.deepEqual(JSON.parse(cross.text), JSON.parse(plain.text));
    const other = await send(server, 'GET', `/v1/profiles/${ana.profileId}/rows`, { ...headers, origin: ELSEWHERE });
    assert.equal(other.status, 200, 'the token decides what is answered...');
    assert.equal(other.headers['access-control-allow-origin'], undefined, '...and the browser keeps the answer from a page on another origin');
  });
});

describe('CORS off (the default)', () => {
  let server: PrivacyTestServer;
  before(async () => {
    server = await startPrivacyServer();
  });
  after(async () => server.dispose());

  test('no preflight route and no Access-Control-* header for any origin', async () => {
    const preflight = await send(server, 'OPTIONS', '/v1/events', { origin: PLAYER, 'access-control-request-method': 'POST' });
    assert.equal(preflight.status, 404);
    assert.equal(preflight.headers['access-control-allow-origin'], undefined);
    const health = await send(server, 'GET', '/v1/health', { origin: PLAYER });
    assert.equal(health.status, 200);
    assert.equal(Object.keys(health.headers).filter((h) => h.startsWith('access-control-')).length, 0);
  });
});

describe('the configured origins', () => {
  test('BINGE_CORS_ORIGINS takes exact origins, comma-separated', () => {
    assert.deepEqual(loadConfig({ BINGE_CORS_ORIGINS: ` ${PLAYER} , ${LOCAL_DEV},` }).corsOrigins, [PLAYER, LOCAL_DEV]);
    assert.deepEqual(loadConfig({}).corsOrigins, []);
  });

  test('anything that is not an origin is refused at start, saying what an origin is', () => {
    for (const wrong of ['*', 'player.example.com', `${PLAYER}/`, `${PLAYER}/player`, 'ftp://files.example.com', `${PLAYER}?x=1`]) {
      assert.throws(
        () => loadConfig({ BINGE_CORS_ORIGINS: wrong }),
        (error: unknown) => error instanceof BingeError && error.code === 'BINGE_CONFIG_INVALID' && error.message.includes(`${JSON.stringify(wrong)} is not a web origin`) &&
          /such as https:\/\/player\.example\.com .*BINGE_CORS_ORIGINS or --cors-origins/.test(error.message),
        wrong,
      );
    }
  });
});
