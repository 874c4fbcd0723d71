// Renewing a sign-in (POST /v1/sessions/renew): a page that stays open keeps working past the
// token's 15 minutes, for at most SIGN_IN_MAX_S after the password was given; anything that is
// not a valid token of an existing account gets 401, as on every other route.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addMember, addStaff, call, startPrivacyServer, type PrivacyTestServer, type TestMember } from '../../privacy/test-support.js';
import { SIGN_IN_MAX_S, TOKEN_TTL_S } from '../../privacy/tokens.js';

const MINUTE = 60_000;

describe('POST /v1/sessions/renew', () => {
  let server: PrivacyTestServer;
  let ana: TestMember;

  before(async () => {
    server = await startPrivacyServer();
    ana = await addMember(server);
  });
  after(async () => server.dispose());

  const signIn = async (member: TestMember) => {
    const answer = await call(server, 'POST', '/v1/sessions', undefined, { email: member.email, password: member.password });
    assert.equal(answer.status, 200, answer.text);
    return answer.body as { token: string; expiresAt: string };
  };
  const renew = (token?: string) => call(server, 'POST', '/v1/sessions/renew', token);

  test('a valid token gets a new one for the same sign-in: 15 more minutes, the sign-in\'s end named', async () => {
    const signedInAt = server.clock.nowMs;
    const { token } = await signIn(ana);
    server.clock.nowMs += 10 * MINUTE;
    const renewed = await renew(token);
    assert.equal(renewed.status, 200, renewed.text);
    assert.notEqual(renewed.body.token, token);
    assert.equal(Date.parse(renewed.body.expiresAt), Math.floor(server.clock.nowMs / 1000) * 1000 + TOKEN_TTL_S * 1000);
    assert.equal(Date.parse(renewed.body.signInEndsAt), Math.floor(signedInAt / 1000) * 1000 + SIGN_IN_MAX_S * 1000);
    assert.deepEqual([renewed.body.accountId, renewed.body.role], [ana.memberId, 'member']);
    // The new token works after the old one has expired.
    server.clock.nowMs += 10 * MINUTE;
    assert.equal((await call(server, 'GET', '/v1/me', token)).status, 401, 'the first token is over');
    assert.equal((await call(server, 'GET', '/v1/me', renewed.body.token)).status, 200);
  });

  test('renewing every 14 minutes keeps a page signed in for 12 hours, and not a minute longer', async () => {
    const signedInAtS = Math.floor(server.clock.nowMs / 1000);
    let { token } = await signIn(ana);
    let renewals = 0;
    let last: Record<string, string> | undefined;
    for (;;) {
      server.clock.nowMs += 14 * MINUTE;
      const answer = await renew(token);
      if (answer.status !== 200) {
        // The last token ran out with the sign-in: refused as any expired token.
        assert.equal(answer.status, 401);
        assert.equal(answer.body.error.code, 'BINGE_UNAUTHORIZED');
        break;
      }
      ({ token } = answer.body);
      last = answer.body;
      renewals += 1;
      assert.ok(renewals < 100, 'renewal must end');
    }
    assert.ok(renewals >= 50, `${renewals} renewals`);
    assert.equal(Date.parse(last!.expiresAt) / 1000 <= signedInAtS + SIGN_IN_MAX_S, true, 'no token reaches past the sign-in');
    // The last token works until the sign-in's end, then stops; in its last minute it renews nothing.
    server.clock.nowMs = (signedInAtS + SIGN_IN_MAX_S) * 1000 - 30_000;
    const late = await renew(token);
    assert.equal(late.status, 401);
    assert.match(late.body.error.message, /this sign-in is 12 hours old .*sign in again with POST \/v1\/sessions/);
    server.clock.nowMs = (signedInAtS + SIGN_IN_MAX_S) * 1000 - 1000;
    assert.equal((await call(server, 'GET', '/v1/me', token)).status, 200);
    server.clock.nowMs += 1000;
    assert.equal((await call(server, 'GET', '/v1/me', token)).status, 401);
    // The password starts a new sign-in.
    assert.equal((await renew((await signIn(ana)).token)).status, 200);
  });

  test('no token, a forged one, an expired one: 401, and no token is given', async () => {
    const { token } = await signIn(ana);
    const forged = `${token.slice(0, -4)}AAAA`;
    server.clock.nowMs += TOKEN_TTL_S * 1000 + 1000;
    for (const [name, credential] of [['none', undefined], ['forged', forged], ['expired', token]] as const) {
      const answer = await renew(credential);
      assert.equal(answer.status, 401, name);
      assert.equal(answer.body.token, undefined, name);
    }
  });

  test('staff renew as members do, and keep their role', async () => {
    const support = await addStaff(server, 'support');
    const answer = await renew(support.token);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.role, 'support');
  });

  test('an erased member\'s token renews nothing', async () => {
    const bo = await addMember(server);
    const { token } = await signIn(bo);
    const erased = await call(server, 'DELETE', '/v1/me', token, { password: bo.password });
    assert.equal(erased.status, 200, erased.text);
    assert.equal((await renew(token)).status, 401);
  });
});
