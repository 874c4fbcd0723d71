import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addMember, addStaff, call, startPrivacyServer, watch } from '../../privacy/test-support.js';

const H = 3_600_000;

test('support sees nothing without a grant; a grant (ticket, reason) covers the data it names, for 8 h, and every read is logged for the member to see', async () => {
  const server = await startPrivacyServer({ startMs: Date.now() });
  try {
    const ana = await addMember(server);
    await watch(server, ana.profileId, { minutes: 5, device: 'tv-ana' });
    await server.store.withConnection((c) => c.run('INSERT INTO searches VALUES ($1, $2, $3, $4)', ['s1', ana.profileId, 'slow cinema', 1n]));
    const sam = await addStaff(server, 'support');
    const url = (what: string) => `/v1/support/members/${ana.memberId}/${what}`;

    for (const what of ['history', 'devices', 'searches', 'profiles']) {
      const answer = await call(server, 'GET', url(what), sam.token);
      assert.equal(answer.status, 404, `${what} without a grant`);
      assert.equal(answer.body.error.code, 'BINGE_NOT_FOUND');
    }

    const noReason = await call(server, 'POST', '/v1/support/grants', sam.token, { memberId: ana.memberId, ticket: 'SUP-42', reason: '', data: ['history'] });
    assert.equal(noReason.status, 400, 'a reason is required');
    const tooLong = await call(server, 'POST', '/v1/support/grants', sam.token, { memberId: ana.memberId, ticket: 'SUP-42', reason: 'member cannot find a view', data: ['history'], hours: 9 });
    assert.equal(tooLong.status, 400, 'at most 8 hours');
    const grant = await call(server, 'POST', '/v1/support/grants', sam.token, { memberId: ana.memberId, ticket: 'SUP-42', reason: 'member cannot find a view', data: ['history', 'devices'] });
    assert.equal(grant.status, 201, grant.text);
    assert.equal(Date.parse(grant.body.expiresAt), server.clock.nowMs + 8 * H, 'default 8 h');

    const history = await call(server, 'GET', url('history'), sam.token);
    assert.equal(history.status, 200, history.text);
    assert.equal(history.body.ticket, 'SUP-42');
    assert.equal(history.body.items.length, 1);
    const devices = await call(server, 'GET', url('devices'), sam.token);
    assert.deepEqual(devices.body.items.map((d: { deviceId: string }) => d.deviceId), ['tv-ana']);
    assert.equal((await call(server, 'GET', url('searches'), sam.token)).status, 404, 'searches were not granted');

    const other = await addStaff(server, 'support');
    assert.equal((await call(server, 'GET', url('history'), other.token)).status, 404, "another agent cannot use Sam's grant");

    server.clock.nowMs += 8 * H - 1;
    sam.token = (await server.privacy.tokens.issue(sam.accountId)).token; // sign-in tokens last 15 minutes
    assert.equal((await call(server, 'GET', url('history'), sam.token)).status, 200, 'still open just before 8 h');
    server.clock.nowMs += 1;
    assert.equal((await call(server, 'GET', url('history'), sam.token)).status, 404, 'expired at 8 h');

    const short = await call(server, 'POST', '/v1/support/grants', sam.token, { memberId: ana.memberId, ticket: 'SUP-43', reason: 'follow-up on the same view', data: ['searches'], hours: 1 });
    assert.equal((await call(server, 'GET', url('searches'), sam.token)).status, 200);
    assert.equal((await call(server, 'DELETE', `/v1/support/grants/${short.body.grantId}`, sam.token)).status, 200);
    assert.equal((await call(server, 'GET', url('searches'), sam.token)).status, 404, 'closed');

    const token = (await server.privacy.tokens.issue(ana.memberId)).token;
    const log = await call(server, 'GET', '/v1/me/access-log', token);
    const reads = log.body.entries.filter((e: { role: string; what: string; outcome: string }) => e.role === 'support' && e.what.startsWith('GET') && e.outcome === 'allowed');
    assert.deepEqual(
      reads.map((e: { data: string; ticket: string }) => `${e.data}:${e.ticket}`),
      ['history:SUP-42', 'devices:SUP-42', 'history:SUP-42', 'searches:SUP-43'],
      'every read under a grant, with its ticket',
    );
    assert.ok(log.body.entries.some((e: { data: string; role: string; outcome: string }) => e.role === 'support' && e.outcome === 'denied'), 'denied attempts too');
    assert.ok(log.body.entries.every((e: { who: string }) => e.who === 'you' || e.who === sam.accountId || e.who === other.accountId));
  } finally {
    await server.dispose();
  }
});

test('support cannot open a grant on a member who does not exist, nor reach wellbeing, export or erasure with any grant', async () => {
  const server = await startPrivacyServer();
  try {
    const ana = await addMember(server);
    const sam = await addStaff(server, 'support');
    const missing = await call(server, 'POST', '/v1/support/grants', sam.token, { memberId: 'nobody', ticket: 'SUP-1', reason: 'no such member here', data: ['history'] });
    assert.equal(missing.status, 404);
    await call(server, 'POST', '/v1/support/grants', sam.token, { memberId: ana.memberId, ticket: 'SUP-2', reason: 'all the grantable data', data: ['history', 'devices', 'searches', 'profiles'] });
    for (const [method, url] of [['GET', '/v1/me/wellbeing'], ['GET', '/v1/me/export'], ['DELETE', '/v1/me'], ['GET', '/v1/me/consents']] as const) {
      const answer = await call(server, method, url, sam.token, method === 'DELETE' ? { password: 'x' } : undefined);
      assert.equal(answer.status, 403, `${method} ${url}`);
    }
  } finally {
    await server.dispose();
  }
});

test('GET /v1/support/grants lists only the asking agent’s open grants (closed and expired ones leave the list); other roles are refused', async () => {
  const server = await startPrivacyServer({ startMs: Date.now() });
  try {
    const ana = await addMember(server);
    const bo = await addMember(server);
    const sam = await addStaff(server, 'support');
    const other = await addStaff(server, 'support');
    const open = (token: string, memberId: string, ticket: string, hours?: number) =>
      call(server, 'POST', '/v1/support/grants', token, { memberId, ticket, reason: 'the member asked for help', data: ['history'], hours });
    assert.deepEqual((await call(server, 'GET', '/v1/support/grants', sam.token)).body, { grants: [] });
    const first = (await open(sam.token, ana.memberId, 'SUP-1')).body;
    server.clock.nowMs += 1000;
    const second = (await open(sam.token, bo.memberId, 'SUP-2', 1)).body;
    server.clock.nowMs += 1000;
    const third = (await open(sam.token, ana.memberId, 'SUP-3')).body;
    await open(other.token, ana.memberId, 'SUP-9');

    const listed = await call(server, 'GET', '/v1/support/grants', sam.token);
    assert.equal(listed.status, 200, listed.text);
    assert.deepEqual(listed.body.grants.map((g: { ticket: string }) => g.ticket), ['SUP-1', 'SUP-2', 'SUP-3'], 'oldest first; not the other agent’s');
    assert.deepEqual(listed.body.grants[0], {
      grantId: first.grantId,
      memberId: ana.memberId,
      ticket: 'SUP-1',
      reason: 'the member asked for help',
      data: ['history'],
      openedAt: new Date(server.clock.nowMs - 2000).toISOString(),
      expiresAt: first.expiresAt,
    });

    await call(server, 'DELETE', `/v1/support/grants/${third.grantId}`, sam.token);
    server.clock.nowMs += 3_600_000 - 1000; // SUP-2 was opened for 1 h, 1 s ago
    sam.token = (await server.privacy.tokens.issue(sam.accountId)).token;
    assert.deepEqual((await call(server, 'GET', '/v1/support/grants', sam.token)).body.grants.map((g: { grantId: string }) => g.grantId), [first.grantId], `closed ${third.grantId} and expired ${second.grantId} are gone`);

    assert.equal((await call(server, 'GET', '/v1/support/grants')).status, 401);
    for (const role of ['analyst', 'admin'] as const) {
      const staff = await addStaff(server, role);
      assert.equal((await call(server, 'GET', '/v1/support/grants', staff.token)).status, 403, role);
    }
    const member = (await server.privacy.tokens.issue(ana.memberId)).token;
    assert.equal((await call(server, 'GET', '/v1/support/grants', member)).status, 403, 'member');
  } finally {
    await server.dispose();
  }
});
