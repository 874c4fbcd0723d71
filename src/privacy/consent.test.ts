import { test } from 'node:test';
import assert from 'node:assert/strict';
import { consentAt, consentsAt, type ConsentChange } from './consent.js';
import { addMember, call, startPrivacyServer } from './test-support.js';

const T = Date.UTC(2025, 2, 1);

test('consent is the latest change at or before the moment, else the purpose default (wellbeing nudges and e-mails off)', () => {
  const history: ConsentChange[] = [
    { purpose: 'personalisation', granted: false, atMs: T, seq: 1 },
    { purpose: 'personalisation', granted: true, atMs: T + 1000, seq: 2 },
    { purpose: 'wellbeing_nudges', granted: true, atMs: T, seq: 3 },
    { purpose: 'wellbeing_nudges', granted: false, atMs: T, seq: 4 },
  ];
  assert.equal(consentAt(history, 'personalisation', T - 1), true, 'default before any change');
  assert.equal(consentAt(history, 'personalisation', T), false);
  assert.equal(consentAt(history, 'personalisation', T + 1000), true);
  assert.equal(consentAt(history, 'wellbeing_nudges', T), false, 'the later change of the same millisecond wins');
  assert.deepEqual(consentsAt([], T), { personalisation: true, recommendation_emails: false, public_facts: true, wellbeing_nudges: false });
});

test('a member leaving public facts and personalisation drops out of the next computation; the history keeps every change', async () => {
  const server = await startPrivacyServer({ startMs: T });
  try {
    const [ana, bo, cy] = [await addMember(server), await addMember(server), await addMember(server)];
    const everyone = [ana.memberId, bo.memberId, cy.memberId].sort();
    assert.deepEqual(await server.privacy.store.membersConsenting('public_facts', T), everyone);
    assert.deepEqual(await server.privacy.store.membersConsenting('recommendation_emails', T), [], 'e-mails are opt-in');

    server.clock.nowMs = T + 60_000;
    const put = await call(server, 'PUT', '/v1/me/consents', ana.token, { public_facts: false, personalisation: false });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.body.consents.public_facts, false);
    const after = T + 60_000;
    assert.deepEqual(await server.privacy.store.membersConsenting('public_facts', after), [bo.memberId, cy.memberId].sort());
    assert.deepEqual(await server.privacy.store.membersConsenting('personalisation', after), [bo.memberId, cy.memberId].sort());
    assert.ok(!(await server.privacy.store.profilesConsenting('personalisation', after)).includes(ana.profileId));
    assert.ok((await server.privacy.store.profilesConsenting('personalisation', after)).includes(bo.profileId));
    assert.equal(await server.privacy.store.consentedAt(ana.memberId, 'public_facts', after), false);
    assert.equal(await server.privacy.store.consentedAt(ana.memberId, 'public_facts', T), true, 'a computation as of before the withdrawal');

    server.clock.nowMs = T + 120_000;
    await call(server, 'PUT', '/v1/me/consents', ana.token, { public_facts: true, wellbeing_nudges: true });
    const got = await call(server, 'GET', '/v1/me/consents', ana.token);
    assert.deepEqual(got.body.consents, { personalisation: false, recommendation_emails: false, public_facts: true, wellbeing_nudges: true });
    assert.deepEqual(
      got.body.history.map((h: { purpose: string; granted: boolean }) => `${h.purpose}=${h.granted}`),
      ['personalisation=false', 'public_facts=false', 'public_facts=true', 'wellbeing_nudges=true'],
    );
    assert.deepEqual(await server.privacy.store.membersConsenting('wellbeing_nudges', server.clock.nowMs), [ana.memberId]);

    const unknown = await call(server, 'PUT', '/v1/me/consents', ana.token, { sell_my_data: true });
    assert.equal(unknown.status, 400, 'only the four purposes exist');
    const log = await call(server, 'GET', '/v1/me/access-log', ana.token);
    // Three PUTs were allowed by the policy (the last then failed validation): each decision is in the access log.
    assert.equal(log.body.entries.filter((e: { data: string; who: string }) => e.data === 'consents' && e.who === 'you').length, 3);
  } finally {
    await server.dispose();
  }
});
