// The year-in-review and facts routes on the real server with a real database: the privacy hook
// in front (401 without a token, 404 for an unknown profile or someone else's), a repeated
// facts question answered identically for free, and 409 over the yearly budget.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { addMember, addStaff, call, startPrivacyServer, watch, type PrivacyTestServer, type TestMember } from '../../privacy/test-support.js';

let server: PrivacyTestServer;
let alice: TestMember;
let bob: TestMember;
let analyst: string;
let year: number;

before(async () => {
  server = await startPrivacyServer();
  alice = await addMember(server, 'FR');
  bob = await addMember(server, 'FR');
  analyst = (await addStaff(server, 'analyst')).token;
  // One series in the catalogue: its title and series are public groups of every release.
  const episode = { titleId: 'crown-s1e1', kind: 'episode' as const, name: 'Wolferton Splash', runtimeS: 3_420, seriesId: 'crown', seriesName: 'The Crown', season: 1, episode: 1 };
  await server.store.putTitles([episode]);
  server.context.catalogue.add([episode]);
  await watch(server, alice.profileId, { minutes: 12 });
  await watch(server, bob.profileId, { minutes: 7 });
  year = new Date(server.clock.nowMs - 30 * 60_000).getUTCFullYear();
});

after(() => server.dispose());

test('GET /v1/profiles/{id}/year-in-review: the member reads their own year; no token 401; unknown or not yours 404', async () => {
  const own = await call(server, 'GET', `/v1/profiles/${alice.profileId}/year-in-review?year=${year}`, alice.token);
  assert.equal(own.status, 200, own.text);
  assert.equal(own.body.profileId, alice.profileId);
  assert.ok(own.body.minutesWatched >= 11 && own.body.minutesWatched <= 12.5, String(own.body.minutesWatched));
  assert.deepEqual(own.body.comparisons, []);
  assert.equal(own.body.comparedWith, null, 'no release yet');

  assert.equal((await call(server, 'GET', `/v1/profiles/${alice.profileId}/year-in-review?year=${year}`)).status, 401);
  const unknown = await call(server, 'GET', `/v1/profiles/nobody/year-in-review?year=${year}`, alice.token);
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, 'BINGE_NOT_FOUND');
  assert.equal((await call(server, 'GET', `/v1/profiles/${bob.profileId}/year-in-review?year=${year}`, alice.token)).status, 404);
  assert.equal((await call(server, 'GET', `/v1/profiles/${alice.profileId}/year-in-review?year=20x5`, alice.token)).status, 400);
});

test('GET /v1/facts: same question, same answer, nothing spent again; over the budget 409 BINGE_DP_BUDGET_EXCEEDED', async () => {
  assert.equal((await call(server, 'GET', `/v1/facts?year=${year}&epsilon=0.7`)).status, 401);
  const member = await call(server, 'GET', `/v1/facts?year=${year}&epsilon=0.7`, alice.token);
  assert.equal(member.status, 403, 'a member may not spend the budget');

  const first = await call(server, 'GET', `/v1/facts?year=${year}&epsilon=0.7`, analyst);
  assert.equal(first.status, 200, first.text);
  assert.equal(first.body.charged, true);
  assert.ok(first.body.facts.length > 0, 'public groups (countries) are always released');
  for (const f of first.body.facts) {
    const fields = Object.keys(f).sort();
    // A count about a title or series carries its catalogue name too (public data); a country's does not.
    if (f.group.fact.startsWith('country')) assert.deepEqual(fields, ['delta', 'epsilon', 'group', 'key', 'method', 'value']);
    else assert.deepEqual(fields, ['delta', 'epsilon', 'group', 'key', 'method', 'name', 'value']);
  }
  const named = first.body.facts.filter((f: { name?: string }) => f.name !== undefined);
  assert.deepEqual([...new Set(named.map((f: { name: string }) => f.name))].sort(), ['The Crown', 'Wolferton Splash']);
  assert.doesNotMatch(first.text, new RegExp(alice.profileId));

  const again = await call(server, 'GET', `/v1/facts?year=${year}&epsilon=0.7`, analyst);
  assert.equal(again.status, 200);
  assert.equal(again.body.charged, false);
  assert.deepEqual(again.body.facts, first.body.facts);
  assert.equal(again.body.questionId, first.body.questionId);

  const over = await call(server, 'GET', `/v1/facts?year=${year}&epsilon=0.4`, analyst);
  assert.equal(over.status, 409);
  assert.equal(over.body.error.code, 'BINGE_DP_BUDGET_EXCEEDED');
  const ledger = await call(server, 'GET', `/v1/facts/ledger?year=${year}`, analyst);
  assert.equal(ledger.status, 200, ledger.text);
  assert.deepEqual(ledger.body.budget, again.body.budget, 'the refused question spent nothing');

  const review = await call(server, 'GET', `/v1/profiles/${alice.profileId}/year-in-review?year=${year}`, alice.token);
  assert.equal(review.body.comparedWith.questionId, first.body.questionId, 'the year in review now names the release it compares with');
});

test('GET /v1/facts/ledger: the yearly budget and every charged question, read without spending; any signed-in person, not the player key', async () => {
  const otherYear = year - 1; // no release asked for it yet
  assert.equal((await call(server, 'GET', `/v1/facts/ledger?year=${otherYear}`)).status, 401);
  assert.equal((await call(server, 'GET', `/v1/facts/ledger?year=${otherYear}`, server.ingestKey)).status, 401);
  const empty = await call(server, 'GET', `/v1/facts/ledger?year=${otherYear}`, analyst);
  assert.equal(empty.status, 200, empty.text);
  assert.deepEqual(empty.body, { dataset: 'binge.views', year: otherYear, budget: { epsilon: 1, spent: 0, remaining: 1 }, charges: [] });

  const before = (await call(server, 'GET', `/v1/facts/ledger?year=${year}`, analyst)).body;
  const release = (await call(server, 'GET', `/v1/facts?year=${year}&epsilon=0.7`, analyst)).body; // asked before: free
  assert.equal(release.charged, false);
  const after = await call(server, 'GET', `/v1/facts/ledger?year=${year}`, analyst);
  assert.deepEqual(after.body, before, 'reading the ledger and repeating a question spend nothing');
  assert.deepEqual(after.body.budget, release.budget, 'the same budget the release reports');
  assert.deepEqual(after.body.charges.map((c: { questionId: string; epsilon: number; method: string }) => [c.questionId, c.epsilon, c.method]), [[release.questionId, 0.7, 'discrete-laplace']]);
  for (const role of ['support', 'admin'] as const) {
    assert.equal((await call(server, 'GET', `/v1/facts/ledger?year=${year}`, (await addStaff(server, role)).token)).status, 200, role);
  }
  assert.equal((await call(server, 'GET', `/v1/facts/ledger?year=${year}`, alice.token)).status, 200, 'released facts and their budget are public to any signed-in person');
  assert.equal((await call(server, 'GET', `/v1/facts/ledger?year=20x5`, analyst)).status, 400);
  assert.equal((await call(server, 'GET', '/v1/facts/ledger', analyst)).body.year, year, 'without a year: the latest with viewing, as GET /v1/facts picks it');
});
