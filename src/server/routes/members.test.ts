import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, startPrivacyServer, TEST_PASSWORD } from '../../privacy/test-support.js';

test('a member signs up, signs in with argon2id-checked password, and reads their own account with the token', async () => {
  const server = await startPrivacyServer();
  try {
    const signUp = await call(server, 'POST', '/v1/members', undefined, { email: ' Ana@Example.org ', password: TEST_PASSWORD, country: 'MX' });
    assert.equal(signUp.status, 201, signUp.text);
    assert.deepEqual(signUp.body.consents, { personalisation: true, recommendation_emails: false, public_facts: true, wellbeing_nudges: false });
    const account = await server.privacy.store.accountByEmail('ana@example.org');
    assert.match(account!.passwordHash, /^\$argon2id\$/);
    assert.ok(!account!.passwordHash.includes(TEST_PASSWORD));

    const wrong = await call(server, 'POST', '/v1/sessions', undefined, { email: 'ana@example.org', password: 'not the password' });
    const unknown = await call(server, 'POST', '/v1/sessions', undefined, { email: 'nobody@example.org', password: TEST_PASSWORD });
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.equal(wrong.body.error.message, unknown.body.error.message, 'a wrong e-mail and a wrong password read the same');

    const signIn = await call(server, 'POST', '/v1/sessions', undefined, { email: 'ANA@example.org', password: TEST_PASSWORD });
    assert.equal(signIn.status, 200, signIn.text);
    assert.equal(signIn.body.role, 'member');
    const me = await call(server, 'GET', '/v1/me', signIn.body.token);
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.memberId, signUp.body.memberId);
    assert.deepEqual(me.body.profiles.map((p: { profileId: string }) => p.profileId), [signUp.body.profileId]);

    const again = await call(server, 'POST', '/v1/members', undefined, { email: 'ana@example.org', password: TEST_PASSWORD, country: 'MX' });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'BINGE_EMAIL_TAKEN');
    const weak = await call(server, 'POST', '/v1/members', undefined, { email: 'bo@example.org', password: 'short', country: 'MX' });
    assert.equal(weak.status, 400);
  } finally {
    await server.dispose();
  }
});

test('a member has at most 5 profiles', async () => {
  const server = await startPrivacyServer();
  try {
    const signUp = await call(server, 'POST', '/v1/members', undefined, { email: 'five@example.org', password: TEST_PASSWORD, country: 'ES' });
    const { token } = await server.privacy.tokens.issue(signUp.body.memberId);
    for (let i = 2; i <= 5; i++) assert.equal((await call(server, 'POST', '/v1/me/profiles', token, { name: `P${i}` })).status, 201);
    const sixth = await call(server, 'POST', '/v1/me/profiles', token, { name: 'P6' });
    assert.equal(sixth.status, 409);
    assert.equal(sixth.body.error.code, 'BINGE_TOO_MANY_PROFILES');
    assert.equal((await server.privacy.store.profilesOf(signUp.body.memberId)).length, 5);
  } finally {
    await server.dispose();
  }
});

test('sign-in is rate-limited per address: the 11th attempt within a minute gets 429 with Retry-After', async () => {
  const server = await startPrivacyServer();
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      statuses.push((await call(server, 'POST', '/v1/sessions', undefined, { email: 'x@example.org', password: `guess ${i}` })).status);
    }
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(401));
    const limited = await call(server, 'POST', '/v1/sessions', undefined, { email: 'x@example.org', password: 'guess' });
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, 'BINGE_RATE_LIMITED');
    assert.ok(Number(limited.headers['retry-after']) > 0);
  } finally {
    await server.dispose();
  }
});

test('tokens are signed and short-lived: a forged, a tampered and an expired token get 401', async () => {
  const server = await startPrivacyServer({ startMs: Date.UTC(2025, 5, 1) });
  try {
    const signUp = await call(server, 'POST', '/v1/members', undefined, { email: 'tok@example.org', password: TEST_PASSWORD, country: 'MX' });
    const { token } = await server.privacy.tokens.issue(signUp.body.memberId);
    assert.equal((await call(server, 'GET', '/v1/me', token)).status, 200);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const otherPayload = Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url');
    assert.equal((await call(server, 'GET', '/v1/me', `${header}.${otherPayload}.${signature}`)).status, 401, 'tampered claims');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    assert.equal((await call(server, 'GET', '/v1/me', none)).status, 401, 'alg none');
    assert.equal((await call(server, 'GET', '/v1/me', server.adminKey)).status, 401, 'an admin key is not a sign-in');
    server.clock.nowMs += 16 * 60_000;
    const expired = await call(server, 'GET', '/v1/me', token);
    assert.equal(expired.status, 401, 'expired after 15 minutes');
    assert.equal(expired.body.error.code, 'BINGE_UNAUTHORIZED');
  } finally {
    await server.dispose();
  }
});
