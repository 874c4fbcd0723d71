// Hardening of the HTTP door: limits, security headers, request ids, no stack traces, logs that
// never hold titles, e-mail addresses, passwords, searches or tokens, and fuzzed input on every
// route with no 500.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { declaredRoutes } from '../server/app.js';
import { createLogger } from '../logger.js';
import { routeKey } from './routes.js';
import { addMember, addStaff, call, startPrivacyServer, TEST_PASSWORD, watch } from './test-support.js';

/** 100 per route keeps the whole privacy suite near a minute on two cores; BINGE_FUZZ_RUNS=500 for a deeper run. */
const RUNS_PER_ROUTE = Number(process.env.BINGE_FUZZ_RUNS ?? 100);
const SECURITY_HEADERS = ['x-content-type-options', 'x-frame-options', 'referrer-policy', 'cache-control', 'content-security-policy', 'x-request-id'];

test('limits, security headers and request ids on every answer; errors carry the request id and never a stack trace', async () => {
  const server = await startPrivacyServer();
  try {
    const big = await call(server, 'POST', '/v1/sessions', undefined, { email: 'a@example.org', password: 'x'.repeat(20_000) });
    assert.equal(big.status, 413, 'small routes take at most 16 KiB');
    assert.equal(big.body.error.code, 'BINGE_BODY_TOO_LARGE');

    const huge = await fetch(`${server.url}/v1/health`, { headers: { 'x-padding': 'x'.repeat(20_000) } }).catch((e: Error) => e);
    assert.ok(huge instanceof Error || huge.status === 431, 'headers over 16 KiB are refused by the HTTP server');

    for (const [method, url] of [['GET', '/v1/health'], ['GET', '/v1/me'], ['GET', '/v1/nope'], ['POST', '/v1/sessions']] as const) {
      const answer = await server.app.inject({ method, url, headers: { 'content-type': 'application/json' }, payload: method === 'POST' ? '{"email":' : undefined });
      for (const header of SECURITY_HEADERS) assert.ok(answer.headers[header], `${method} ${url} lacks ${header}`);
      if (answer.statusCode >= 400) {
        const body = answer.json();
        assert.equal(body.error.requestId, answer.headers['x-request-id']);
        assert.doesNotMatch(answer.body, /\bat .+\.(ts|js):\d+|node_modules|Error:/, 'no stack trace');
      }
    }
  } finally {
    await server.dispose();
  }
});

test('the log of a full flow holds no title, e-mail address, password, search or token', async () => {
  let logged = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logged += chunk.toString();
      done();
    },
  });
  const server = await startPrivacyServer({ logger: createLogger('trace', sink) });
  try {
    const title = { titleId: 'tt-secret', kind: 'movie' as const, name: 'A Very Private Film', runtimeS: 5400 };
    await server.store.putTitles([title]);
    server.context.catalogue.add([title]);
    const email = 'private.person@example.org';
    const signUp = await call(server, 'POST', '/v1/members', undefined, { email, password: TEST_PASSWORD, country: 'MX' });
    const signIn = await call(server, 'POST', '/v1/sessions', undefined, { email, password: TEST_PASSWORD });
    await call(server, 'POST', '/v1/sessions', undefined, { email, password: 'a wrong password' });
    const token = signIn.body.token as string;
    await watch(server, signUp.body.profileId, { titleId: title.titleId, minutes: 5 });
    await server.store.withConnection((c) => c.run('INSERT INTO searches VALUES ($1, $2, $3, $4)', ['s1', signUp.body.profileId, 'embarrassing query', 1n]));
    const history = await call(server, 'GET', `/v1/profiles/${signUp.body.profileId}/history?from=2000-01-01`, token);
    assert.equal(history.body.views[0].title, title.name, 'the member sees the title');
    const support = await addStaff(server, 'support');
    await call(server, 'POST', '/v1/support/grants', support.token, { memberId: signUp.body.memberId, ticket: 'SUP-5', reason: 'looking at searches for a bug', data: ['searches', 'history'] });
    await call(server, 'GET', `/v1/support/members/${signUp.body.memberId}/searches`, support.token);
    await call(server, 'GET', `/v1/support/members/${signUp.body.memberId}/history`, support.token);
    await call(server, 'PUT', '/v1/me/consents', token, { wellbeing_nudges: true });
    await call(server, 'GET', '/v1/me/wellbeing', token);
    await call(server, 'GET', '/v1/me/export?format=csv', token);
    await call(server, 'GET', '/v1/me', 'not-a-token');
    await call(server, 'DELETE', '/v1/me', token, { password: TEST_PASSWORD });
    assert.ok(logged.includes('"statusCode":200'), 'requests were logged');
    for (const secret of [title.name, title.titleId, email, TEST_PASSWORD, 'a wrong password', 'embarrassing query', token, support.token, server.ingestKey, 'not-a-token']) {
      assert.ok(!logged.includes(secret), `the log holds ${secret.slice(0, 20)}`);
    }
  } finally {
    await server.dispose();
  }
});

test('fuzzed ids, queries, bodies and credentials on every route never give a 500', { timeout: 120_000 }, async () => {
  const server = await startPrivacyServer();
  try {
    const ana = await addMember(server);
    await watch(server, ana.profileId, { minutes: 3 });
    const staff = { support: await addStaff(server, 'support'), admin: await addStaff(server, 'admin'), analyst: await addStaff(server, 'analyst') };
    const credential = fc.constantFrom(ana.token, staff.support.token, staff.admin.token, staff.analyst.token, server.ingestKey, 'garbage', '');
    const id = fc.oneof(fc.constantFrom(ana.profileId, ana.memberId, 'x'), fc.string({ maxLength: 140 }), fc.string({ unit: 'binary', maxLength: 20 }));
    const query = fc.dictionary(fc.constantFrom('from', 'to', 'kind', 'limit', 'offset', 'format', 'year', 'zz'), fc.string({ maxLength: 12 }), { maxKeys: 3 });
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.record({
        email: fc.oneof(fc.emailAddress(), fc.string()),
        password: fc.string({ maxLength: 40 }),
        memberId: fc.oneof(fc.constant(ana.memberId), fc.string()),
        ticket: fc.string({ maxLength: 10 }),
        reason: fc.string({ maxLength: 30 }),
        data: fc.array(fc.constantFrom('history', 'devices', 'searches', 'wellbeing', 'x')),
        bedtime: fc.oneof(fc.constant(null), fc.string({ maxLength: 6 })),
        name: fc.string({ maxLength: 50 }),
        public_facts: fc.boolean(),
      }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 60 }),
    );
    const routes = declaredRoutes.get(server.app)!.filter((r) => r.method !== 'HEAD' && routeKey(r.method, r.url) !== 'POST /v1/events');
    let requests = 0;
    const timings: string[] = [];
    for (const route of routes) {
      const started = Date.now();
      await fc.assert(
        fc.asyncProperty(id, id, query, body, credential, async (first, second, q, payload, who) => {
          const url = route.url
            .replace(/:(id|memberId|grantId)/, encodeURIComponent(first))
            .replace(':viewId', encodeURIComponent(second));
          const search = new URLSearchParams(q).toString();
          const answer = await server.app.inject({
            method: route.method as 'GET',
            url: search ? `${url}?${search}` : url,
            headers: { 'content-type': 'application/json', ...(who ? { authorization: `Bearer ${who}` } : {}) },
            payload: route.method === 'GET' ? undefined : payload,
          });
          requests++;
          assert.ok(answer.statusCode < 500, `${route.method} ${route.url}: ${answer.statusCode} ${answer.body}`);
          if (answer.statusCode >= 400) assert.match(answer.json().error.code, /^BINGE_[A-Z_]+$/);
        }),
        { numRuns: RUNS_PER_ROUTE, seed: 424242 },
      );
      timings.push(`${Date.now() - started} ms ${route.method} ${route.url}`);
    }
    if (process.env.BINGE_FUZZ_TIMINGS) console.log(timings.join('\n'));
    assert.ok(requests >= routes.length * RUNS_PER_ROUTE);
    assert.equal((await call(server, 'GET', '/v1/health')).status, 200);
  } finally {
    await server.dispose();
  }
});
