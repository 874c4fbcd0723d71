// POST /v1/events with a member's token (a browser player, which must not hold an ingest key):
// only the member's own profiles' events are taken; any other profile's are rejected one by one,
// and nothing of them is stored.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { post, wireEvent } from '../../test-support/server.js';
import { addMember, addStaff, startPrivacyServer, type PrivacyTestServer, type TestMember } from '../../privacy/test-support.js';

describe('POST /v1/events with a member token', () => {
  let server: PrivacyTestServer;
  let alice: TestMember;
  let bob: TestMember;
  before(async () => {
    server = await startPrivacyServer();
    alice = await addMember(server);
    bob = await addMember(server);
  });
  after(async () => server.dispose());

  test("the member's own profiles' events are stored", async () => {
    const kids = `${alice.profileId}-kids`;
    await server.store.putProfiles([{ profileId: kids, memberId: alice.memberId, name: 'Kids' }]);
    const batch = [wireEvent({ profileId: alice.profileId, type: 'start', positionS: 0 }), wireEvent({ profileId: kids })];
    const answer = await post(server, '/v1/events', batch, alice.token);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { accepted: 2, duplicates: 0, duplicateIndexes: [], rejected: [] });
    assert.deepEqual([...(await server.store.storedEventIds(batch.map((e) => e.eventId)))].sort(), batch.map((e) => e.eventId).sort());
  });

  test("another member's profile, or a profile that does not exist, is rejected with BINGE_EVENT_NOT_YOUR_PROFILE and nothing of it is stored; the rest of the batch is kept", async () => {
    const own = wireEvent({ profileId: alice.profileId });
    const bobs = wireEvent({ profileId: bob.profileId });
    const nobodys = wireEvent({ profileId: 'no-such-profile' });
    const answer = await post(server, '/v1/events', [bobs, own, nobodys], alice.token);
    assert.equal(answer.status, 200);
    assert.equal(answer.body.accepted, 1);
    assert.deepEqual(answer.body.rejected.map((r: { index: number; code: string }) => [r.index, r.code]), [[0, 'BINGE_EVENT_NOT_YOUR_PROFILE'], [2, 'BINGE_EVENT_NOT_YOUR_PROFILE']]);
    // The same words for both: the answer does not tell whether Bob's profile exists.
    const [forBob, forNobody] = answer.body.rejected.map((r: { message: string }) => r.message.replace(/profileId \S+ /, 'profileId X '));
    assert.equal(forBob, forNobody);
    assert.deepEqual([...(await server.store.storedEventIds([own.eventId, bobs.eventId, nobodys.eventId]))], [own.eventId]);
    assert.deepEqual(await server.store.eventsOfProfile(bob.profileId), []);
  });

  test('a staff token may not send events (403), an unknown token or key gets 401, and the ingest key still sends for any profile', async () => {
    const support = await addStaff(server, 'support');
    const before = await server.store.countEvents();
    const staff = await post(server, '/v1/events', [wireEvent({ profileId: alice.profileId })], support.token);
    assert.equal(staff.status, 403);
    assert.equal(staff.body.error.code, 'BINGE_FORBIDDEN');
    const forged = await post(server, '/v1/events', [wireEvent({ profileId: alice.profileId })], `${alice.token}x`);
    assert.equal(forged.status, 401);
    assert.equal(forged.body.error.code, 'BINGE_UNAUTHORIZED');
    assert.equal(await server.store.countEvents(), before);
    const keyed = await post(server, '/v1/events', [wireEvent({ profileId: bob.profileId }), wireEvent({ profileId: 'any-profile' })], server.ingestKey);
    assert.equal(keyed.body.accepted, 2);
  });
});
