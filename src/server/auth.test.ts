// `authorizeNow` is `authorize` without waiting: whenever it answers, it is the answer
// `authorize` gives for the same request at the same moment, and it leaves to `authorize`
// everything that needs a wait (a token not verified before, grants to read, an audit entry to
// write, a member looked up by id) or fails sign-in.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ROLES } from '../privacy/policy.js';
import { ROUTE_POLICY } from '../privacy/routes.js';
import { TOKEN_TTL_S } from '../privacy/tokens.js';
import { addMember, addStaff, startPrivacyServer, type PrivacyTestServer, type TestMember } from '../privacy/test-support.js';
import { authorize, authorizeNow, type Authorization, type RequestToAuthorize } from './auth.js';

describe('authorizeNow decides as authorize does, or leaves the request to it', () => {
  let server: PrivacyTestServer;
  let ana: TestMember;
  let bo: TestMember;
  const tokens: Record<string, string> = {};
  const deps = () => ({ store: server.store, keys: server.context.keys, privacy: server.privacy });

  before(async () => {
    server = await startPrivacyServer();
    ana = await addMember(server);
    bo = await addMember(server);
    tokens.ana = ana.token;
    tokens.bo = bo.token;
    for (const role of ROLES) if (role !== 'member') tokens[role] = (await addStaff(server, role)).token;
    tokens.forged = `${ana.token.slice(0, -4)}AAAA`;
    tokens.garbage = 'not-a-token';
  });
  after(async () => server.dispose());

  const outcome = async (p: Promise<Authorization>) => p.then((a) => a, (e: Error) => ({ threw: e.message }));

  test('on every route of the policy, for every caller and subject, its answer is the one authorize gives', async () => {
    const subjects = () => ({ own: ana.profileId, other: bo.profileId, unknown: 'no-such-profile', empty: '', member: ana.memberId });
    let answered = 0;
    let deferred = 0;
    // Twice: the first pass verifies each token with jose (so authorizeNow defers), the second finds it remembered.
    for (let pass = 0; pass < 2; pass++) {
      for (const [what, policy] of Object.entries(ROUTE_POLICY)) {
        for (const [caller, token] of [...Object.entries(tokens), ['nobody', undefined] as const]) {
          for (const id of Object.values(subjects())) {
            const request: RequestToAuthorize = {
              headers: token ? { authorization: `Bearer ${token}` } : {},
              params: { id, memberId: id },
              body: { memberId: id },
            };
            const now = authorizeNow(policy, what, request, deps());
            const expected = await outcome(authorize(policy, what, request, deps()));
            if (now === undefined) {
              deferred++;
              continue;
            }
            answered++;
            assert.deepEqual(now, expected, `${what} asked by ${caller} about ${id}`);
          }
        }
      }
    }
    assert.ok(answered > 100, `authorizeNow answered ${answered} questions`);
    assert.ok(deferred > 100, `and left ${deferred} to authorize`);
  });

  test('it never answers for a token it has not seen verified, a token past its expiry, or an erased account', async () => {
    const what = 'GET /v1/profiles/:id/rows';
    const policy = ROUTE_POLICY[what];
    const asking = (token: string, id: string): RequestToAuthorize => ({ headers: { authorization: `Bearer ${token}` }, params: { id }, body: undefined });
    const cy = await addMember(server);
    assert.equal(authorizeNow(policy, what, asking(cy.token, cy.profileId), deps()), undefined, 'first sight: jose verifies it');
    await authorize(policy, what, asking(cy.token, cy.profileId), deps());
    const warm = authorizeNow(policy, what, asking(cy.token, cy.profileId), deps());
    assert.equal(warm?.decision.allow, true, 'remembered: decided at once');

    server.clock.nowMs += (TOKEN_TTL_S + 1) * 1000;
    assert.equal(authorizeNow(policy, what, asking(cy.token, cy.profileId), deps()), undefined, 'expired: sign-in fails on the slow path');
    await assert.rejects(authorize(policy, what, asking(cy.token, cy.profileId), deps()), /sign in first/);
    server.clock.nowMs -= (TOKEN_TTL_S + 1) * 1000;

    const audit = { atMs: server.clock.nowMs, asker: 'operator', role: 'operator', subject: null, purpose: 'erasure', ticket: null, data: 'erasure', what: 'test', outcome: 'allowed' } as const;
    await server.privacy.store.eraseMember(cy.memberId, audit, server.clock.nowMs);
    assert.equal(await server.privacy.store.account(cy.memberId), undefined);
    assert.equal(authorizeNow(policy, what, asking(cy.token, cy.profileId), deps()), undefined, 'erased: no account, no answer');
  });
});
