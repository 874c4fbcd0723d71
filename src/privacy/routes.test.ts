import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import type { ConfigInput } from '../config.js';
import { declaredRoutes } from '../server/app.js';
import { installPrivacyHook } from '../server/auth.js';
import { sendError } from '../server/errors.js';
import type { AccessQuestion } from './access.js';
import { isPersonal, type Decision } from './policy.js';
import { ROUTE_POLICY, routeKey } from './routes.js';
import { addMember, addStaff, call, startPrivacyServer, watch, type PrivacyTestServer, type TestMember } from './test-support.js';

/** A valid body for each route that takes one (the ids are filled in per call). */
function sampleBody(key: string, ids: { memberId: string }): unknown {
  switch (key) {
    case 'POST /v1/events':
      return [];
    case 'POST /v1/members':
      return { email: 'not-an-email', password: 'x', country: 'MX' };
    case 'POST /v1/sessions':
      return { email: 'nobody@example.org', password: 'wrong password' };
    case 'POST /v1/me/profiles':
      return { name: 'Kids' };
    case 'PUT /v1/me/consents':
      return { public_facts: true };
    case 'DELETE /v1/me':
      return { password: 'not my password' };
    case 'PUT /v1/me/wellbeing':
      return { bedtime: '23:00' };
    case 'POST /v1/support/grants':
      return { memberId: ids.memberId, ticket: 'SUP-1', reason: 'member asked why a view is missing', data: ['history'] };
    default:
      return undefined;
  }
}

function urlFor(url: string, ids: { profileId: string; memberId: string; viewId: string; grantId: string }): string {
  return url.replace(':id', ids.profileId).replace(':memberId', ids.memberId).replace(':viewId', ids.viewId).replace(':grantId', ids.grantId);
}

async function setUp(config: ConfigInput = {}): Promise<{ server: PrivacyTestServer; a: TestMember; b: TestMember; viewId: string }> {
  const server = await startPrivacyServer({ config });
  const a = await addMember(server);
  const b = await addMember(server);
  await watch(server, a.profileId, { titleId: 'title-of-a', minutes: 5 });
  const history = await call(server, 'GET', `/v1/profiles/${a.profileId}/history`, a.token);
  assert.equal(history.status, 200, history.text);
  const viewId = history.body.views[0].viewId as string;
  return { server, a, b, viewId };
}

test('every registered route declares its data class, and personal data never has a route without sign-in', async () => {
  // With CORS on, so that its preflight route (OPTIONS *) is registered too.
  const { server } = await setUp({ corsOrigins: ['https://player.example.com'] });
  try {
    const routes = declaredRoutes.get(server.app)!;
    assert.ok(routes.length >= 20, `found ${routes.length} routes`);
    const undeclared = routes.filter((r) => !r.policy).map((r) => routeKey(r.method, r.url));
    assert.deepEqual(undeclared, [], 'declare these in ROUTE_POLICY (src/privacy/routes.ts) or as config.privacy');
    for (const route of routes) {
      if (isPersonal(route.policy!.data)) assert.notEqual(route.policy!.auth, 'none', `${route.method} ${route.url} reaches personal data without sign-in`);
    }
    const registered = new Set(routes.map((r) => routeKey(r.method, r.url)));
    for (const key of Object.keys(ROUTE_POLICY)) assert.ok(registered.has(key), `ROUTE_POLICY lists ${key}, which no route registers`);
  } finally {
    await server.dispose();
  }
});

test('every route asks the policy exactly once per request', async () => {
  const { server, a, viewId } = await setUp();
  const support = await addStaff(server, 'support');
  const admin = await addStaff(server, 'admin');
  const grant = await call(server, 'POST', '/v1/support/grants', support.token, sampleBody('POST /v1/support/grants', a));
  assert.equal(grant.status, 201, grant.text);
  const ids = { profileId: a.profileId, memberId: a.memberId, viewId, grantId: grant.body.grantId };
  const asked: AccessQuestion[] = [];
  const stop = server.privacy.gate.observe((q) => asked.push(q));
  try {
    const routes = declaredRoutes.get(server.app)!.filter((r) => r.method !== 'HEAD');
    for (const route of routes) {
      const key = routeKey(route.method, route.url);
      const policy = route.policy!;
      const token =
        policy.auth === 'ingest_key' ? server.ingestKey
        : policy.auth === 'none' ? undefined
        : policy.purpose === 'support_ticket' ? support.token
        : policy.data === 'audit_chain' ? admin.token
        // Signing out ends the token it is sent with: a token of its own, so the routes after it keep theirs.
        : key === 'DELETE /v1/sessions' ? (await server.privacy.tokens.issue(a.memberId)).token
        : a.token;
      asked.length = 0;
      const answer = await call(server, route.method as 'GET', urlFor(route.url, ids), token, sampleBody(key, a));
      assert.ok(answer.status < 500, `${key}: ${answer.status} ${answer.text}`);
      assert.equal(asked.length, 1, `${key} asked the policy ${asked.length} times (status ${answer.status})`);
      assert.equal(asked[0].data, policy.data);
    }
  } finally {
    stop();
    await server.dispose();
  }
});

test("BOLA: another member's ids on every personal-data route answer 404, like ids that do not exist, and leak nothing", async () => {
  const { server, a, b, viewId } = await setUp();
  try {
    const named = declaredRoutes
      .get(server.app)!
      .filter((r) => r.method !== 'HEAD' && r.policy && typeof r.policy.subject === 'object');
    assert.ok(named.length >= 8, `routes naming a subject: ${named.length}`);
    const missing = { profileId: 'b0b0b0b0-0000-4000-8000-000000000000', memberId: 'b0b0b0b0-0000-4000-8000-000000000001', viewId: 'no-such-view', grantId: 'x' };
    const theirs = { profileId: a.profileId, memberId: a.memberId, viewId, grantId: 'x' };
    for (const route of named) {
      const key = routeKey(route.method, route.url);
      for (const asker of [b.token, (await addStaff(server, 'admin')).token, (await addStaff(server, 'analyst')).token, (await addStaff(server, 'support')).token]) {
        const other = await call(server, route.method as 'GET', urlFor(route.url, theirs), asker, sampleBody(key, theirs));
        const none = await call(server, route.method as 'GET', urlFor(route.url, missing), asker, sampleBody(key, missing));
        if (key === 'POST /v1/support/grants' && asker !== b.token) continue; // staff roles other than support are checked below
        assert.equal(other.status, 404, `${key} with another member's ids: ${other.status} ${other.text}`);
        assert.equal(none.status, 404, `${key} with unknown ids: ${none.status}`);
        assert.deepEqual(Object.keys(other.body.error).sort(), Object.keys(none.body.error).sort());
        assert.equal(other.body.error.code, none.body.error.code);
        const scrub = (message: string, ids: typeof theirs) => message.replace(ids.profileId, '<id>').replace(ids.memberId, '<id>');
        assert.equal(scrub(other.body.error.message, theirs), scrub(none.body.error.message, missing), key);
        for (const secret of [a.email, 'title-of-a', viewId]) assert.ok(!other.text.includes(secret), `${key} leaked ${secret}`);
      }
    }
    // Keys: the admin key and the ingest key cannot read viewing data at all.
    for (const key of [server.adminKey, server.ingestKey]) {
      assert.equal((await call(server, 'GET', `/v1/profiles/${a.profileId}/history`, key)).status, 401);
    }
    // Staff other than support cannot open grants.
    for (const role of ['admin', 'analyst'] as const) {
      const staff = await addStaff(server, role);
      const answer = await call(server, 'POST', '/v1/support/grants', staff.token, sampleBody('POST /v1/support/grants', a));
      assert.equal(answer.status, 404, `${role} opening a grant`);
    }
    // The member still reads their own history.
    assert.equal((await call(server, 'GET', `/v1/profiles/${a.profileId}/history`, a.token)).status, 200);
  } finally {
    await server.dispose();
  }
});

test("BOLA timing: another member's profile and a missing one take about the same time", async () => {
  const { server, a, b } = await setUp();
  try {
    const time = async (url: string) => {
      const started = process.hrtime.bigint();
      const answer = await call(server, 'GET', url, b.token);
      assert.equal(answer.status, 404);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const theirs: number[] = [];
    const missing: number[] = [];
    for (let i = 0; i < 5; i++) await time(`/v1/profiles/${a.profileId}/history`); // warm up
    for (let i = 0; i < 40; i++) {
      theirs.push(await time(`/v1/profiles/${a.profileId}/history`));
      missing.push(await time(`/v1/profiles/b0b0b0b0-0000-4000-8000-00000000000${i % 10}/history`));
    }
    const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    const ratio = median(theirs) / median(missing);
    assert.ok(ratio > 0.5 && ratio < 2, `median ${median(theirs).toFixed(2)} ms vs ${median(missing).toFixed(2)} ms`);
  } finally {
    await server.dispose();
  }
});

test('a route with no privacy declaration is refused before its handler runs (fail closed)', async () => {
  const { server } = await setUp();
  const app = Fastify();
  try {
    let ran = false;
    app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
    const declared = installPrivacyHook(app, { store: server.store, keys: server.context.keys, privacy: server.privacy });
    app.get('/v1/undeclared', async () => {
      ran = true;
      return { secret: 'viewing data' };
    });
    await app.ready();
    assert.deepEqual(declared.map((r) => [r.method, r.url, r.policy]), [['GET', '/v1/undeclared', undefined], ['HEAD', '/v1/undeclared', undefined]]);
    const answer = await app.inject({ method: 'GET', url: '/v1/undeclared' });
    assert.equal(answer.statusCode, 500);
    assert.match(answer.json().error.message, /declares no privacy policy/);
    assert.equal(ran, false);
  } finally {
    await app.close();
    await server.dispose();
  }
});

test('the decision a denial is built from is the policy\'s: a member asking about another member is "not_own_data"', async () => {
  const { server, a, b } = await setUp();
  const decisions: Decision[] = [];
  const stop = server.privacy.gate.observe((_q, d) => decisions.push(d));
  try {
    await call(server, 'GET', `/v1/profiles/${a.profileId}/continue-watching`, b.token);
    assert.deepEqual(decisions, [{ allow: false, reason: 'not_own_data' }]);
  } finally {
    stop();
    await server.dispose();
  }
});
