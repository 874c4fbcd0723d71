// The serving cache never serves stale data: a profile whose rows were just served from the
// cache sees a hide, a new thumbs-down, a withdrawn consent, newly ingested events, new picks and
// a newly trained model on its very next request.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addMember, call, startPrivacyServer, watch, type PrivacyTestServer, type TestMember } from '../../privacy/test-support.js';
import { DAY, loadWorld, view } from '../../recommend/test-support.js';
import { recommendStoreOf } from '../../store/duckdb/recommend.js';
import { recommendOf } from './recommend.js';

describe('recommendation rows served from the cache stay exact', () => {
  let server: PrivacyTestServer;

  before(async () => {
    server = await startPrivacyServer();
    await loadWorld(server, { perGroup: 6 });
    assert.ok(await recommendOf.get(server.app)!.schedule.runOnce(), 'a model to serve');
  });
  after(async () => server.dispose());

  const cache = () => recommendOf.get(server.app)!.service.cache!;
  const rowsOf = async (member: TestMember) => {
    const answer = await call(server, 'GET', `/v1/profiles/${member.profileId}/rows`, member.token);
    assert.equal(answer.status, 200, answer.text);
    return answer.body as { personal: boolean; modelId: string | null; rows: { id: string; because?: { itemId: string }; items: { itemId: string; titleId: string }[] }[] };
  };
  const itemsOf = (body: Awaited<ReturnType<typeof rowsOf>>, rowId?: string) => body.rows.filter((r) => !rowId || r.id === rowId).flatMap((r) => r.items.map((i) => i.itemId));

  /** A member with drama views (f01, f02 completed, f05 comedy earlier) and an unfinished Moon Bakery episode; rows served twice so the second came from the cache. */
  async function cachedMember(): Promise<{ member: TestMember; first: Awaited<ReturnType<typeof rowsOf>> }> {
    const member = await addMember(server, 'MX');
    const now = server.clock.nowMs;
    await server.store.replaceViews([
      {
        profileId: member.profileId,
        fromMs: -Infinity,
        views: [
          view(member.profileId, 'f05', now - 5 * DAY),
          view(member.profileId, 'f01', now - 3 * DAY),
          view(member.profileId, 'f02', now - 2 * DAY),
          view(member.profileId, 'sB-e1', now - 4 * DAY, { completed: false, bookmarkS: 600 }),
        ],
      },
    ]);
    const first = await rowsOf(member);
    const hits = cache().stats.hits;
    assert.deepEqual(await rowsOf(member), first, 'the same rows again');
    assert.equal(cache().stats.hits, hits + 1, 'the second request was served from the cache');
    return { member, first };
  }

  test('a hide through the history route leaves continue watching on the next request', async () => {
    const { member, first } = await cachedMember();
    assert.deepEqual(itemsOf(first, 'continue_watching'), ['series:sB']);
    const history = await call(server, 'GET', `/v1/profiles/${member.profileId}/history`, member.token);
    const unfinished = history.body.views.find((v: { titleId: string }) => v.titleId === 'sB-e1');
    assert.equal((await call(server, 'POST', `/v1/profiles/${member.profileId}/history/${unfinished.viewId}/hide`, member.token)).status, 200);
    const next = await rowsOf(member);
    assert.equal(next.rows.find((r) => r.id === 'continue_watching'), undefined, JSON.stringify(next.rows));
  });

  test('a new thumbs-down removes the title from every row on the next request', async () => {
    const { member, first } = await cachedMember();
    const shown = 'title:f03';
    assert.ok(itemsOf(first).includes(shown), `the drama neighbour f03 is shown: ${JSON.stringify(first.rows)}`);
    await recommendStoreOf(server.store).putThumbs([{ eventId: `thumb-${member.profileId}`, profileId: member.profileId, titleId: 'f03', rating: 'down', atMs: server.clock.nowMs }]);
    const next = await rowsOf(member);
    assert.ok(!itemsOf(next).includes(shown), `${shown} still shown: ${JSON.stringify(next.rows)}`);
  });

  test('withdrawing personalisation (PUT /v1/me/consents) leaves only the popular row on the next request, and giving it back restores them', async () => {
    const { member, first } = await cachedMember();
    assert.equal(first.personal, true);
    const put = await call(server, 'PUT', '/v1/me/consents', member.token, { personalisation: false });
    assert.equal(put.status, 200, put.text);
    const next = await rowsOf(member);
    assert.equal(next.personal, false);
    assert.deepEqual(next.rows.map((r) => r.id), ['popular_in_country']);
    assert.equal((await call(server, 'PUT', '/v1/me/consents', member.token, { personalisation: true })).status, 200);
    const again = await rowsOf(member);
    assert.equal(again.personal, true);
    assert.deepEqual(again, first);
  });

  test('events ingested through POST /v1/events show in continue watching on the next request', async () => {
    const { member, first } = await cachedMember();
    assert.deepEqual(itemsOf(first, 'continue_watching'), ['series:sB']);
    await watch(server, member.profileId, { titleId: 'f13', minutes: 12, endsAgoMin: 30 });
    const next = await rowsOf(member);
    assert.deepEqual(itemsOf(next, 'continue_watching'), ['title:f13', 'series:sB'], JSON.stringify(next.rows));
    assert.ok(!itemsOf(next).some((id, i, all) => all.indexOf(id) !== i), 'an item appears once');
  });

  test('onboarding picks change the top picks of the next rows request', async () => {
    const { member, first } = await cachedMember();
    const picks = await call(server, 'POST', `/v1/profiles/${member.profileId}/picks`, member.token, { titleIds: ['f09', 'f10', 'f11'] });
    assert.equal(picks.status, 200, picks.text);
    const next = await rowsOf(member);
    assert.notDeepEqual(next, first);
    assert.ok(!itemsOf(next).some((id) => ['title:f09', 'title:f10', 'title:f11'].includes(id)), 'picked titles are not recommended back');
    assert.ok(itemsOf(next, 'top_picks').includes('title:f12'), `the horror neighbour of the picks: ${JSON.stringify(next.rows)}`);
  });

  test('a model trained in the server is served on the next request', async () => {
    const { member, first } = await cachedMember();
    const trained = await recommendOf.get(server.app)!.schedule.runOnce();
    assert.ok(trained && trained.modelId !== first.modelId);
    assert.equal((await rowsOf(member)).modelId, trained.modelId);
  });

  test('a kept answer is rendered again once the clock reaches what it depends on: a consent change recorded for later, a view that starts later', async () => {
    const member = await addMember(server, 'MX');
    const now = server.clock.nowMs;
    await server.store.replaceViews([
      {
        profileId: member.profileId,
        fromMs: -Infinity,
        views: [view(member.profileId, 'f01', now - 3 * DAY), view(member.profileId, 'f13', now + 2 * 3_600_000, { completed: false, bookmarkS: 900 })],
      },
    ]);
    // A withdrawal recorded for one hour from now (reported, as the consent route does).
    await server.privacy.store.recordConsents(member.memberId, [{ purpose: 'personalisation', granted: false }], now + 3_600_000);
    server.store.changed({ memberIds: [member.memberId] });
    const first = await rowsOf(member);
    assert.equal(first.personal, true);
    assert.ok(!itemsOf(first, 'continue_watching').includes('title:f13'), 'the view starts in two hours');
    assert.deepEqual(await rowsOf(member), first, 'kept');
    server.clock.nowMs = now + 3_600_000;
    const expired = await call(server, 'GET', `/v1/profiles/${member.profileId}/rows`, member.token);
    assert.equal(expired.status, 401, 'the 15-minute token expired meanwhile (a remembered verification still asks the clock)');
    member.token = (await server.privacy.tokens.issue(member.memberId)).token;
    const withdrawn = await rowsOf(member);
    assert.equal(withdrawn.personal, false, 'the withdrawal holds from its moment on');
    assert.deepEqual(withdrawn.rows.map((r) => r.id), ['popular_in_country']);
    await server.privacy.store.recordConsents(member.memberId, [{ purpose: 'personalisation', granted: true }], now + 3_600_001);
    server.store.changed({ memberIds: [member.memberId] });
    server.clock.nowMs = now + 3 * 3_600_000;
    member.token = (await server.privacy.tokens.issue(member.memberId)).token;
    assert.ok(itemsOf(await rowsOf(member), 'continue_watching').includes('title:f13'), 'the view has started');
    server.clock.nowMs = now;
  });

  test('erasure drops the cached profile: the next request answers 404', async () => {
    const { member } = await cachedMember();
    const erased = await call(server, 'DELETE', '/v1/me', member.token, { password: member.password });
    assert.equal(erased.status, 200, erased.text);
    assert.equal(cache().get(member.profileId, member.memberId), undefined);
    const answer = await call(server, 'GET', `/v1/profiles/${member.profileId}/rows`, member.token);
    assert.notEqual(answer.status, 200);
  });
});
