import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { post, wireEvent } from '../../test-support/server.js';
import { addMember, startPrivacyServer, type PrivacyTestServer, type TestMember } from '../../privacy/test-support.js';
import { formatAt } from '../../ingest/event-schema.js';
import type { Title } from '../../domain/model.js';

const MIN = 60_000;
const series: Title[] = [1, 2, 3, 8, 9].map((n) => ({
  titleId: `ep${n}`,
  kind: 'episode',
  name: `Episode ${n}`,
  runtimeS: 45 * 60,
  seriesId: 'office',
  seriesName: 'The Office Park',
  season: 2,
  episode: n,
}));
const film: Title = { titleId: 'film', kind: 'movie', name: 'A Film', runtimeS: 100 * 60 };

/** A playback of `minutes` from `startMs`, heartbeats every minute, ending with stop. */
let p1 = 'p1';
function playback(playbackId: string, titleId: string, startMs: number, fromS: number, minutes: number, profileId = p1) {
  const events = [wireEvent({ playbackId, titleId, profileId, type: 'start', positionS: fromS, at: formatAt(startMs, -360) })];
  for (let m = 1; m <= minutes; m++) {
    events.push(wireEvent({ playbackId, titleId, profileId, type: m === minutes ? 'stop' : 'heartbeat', positionS: fromS + m * 60, at: formatAt(startMs + m * MIN, -360) }));
  }
  return events;
}

describe('history routes', () => {
  let server: PrivacyTestServer;
  let member: TestMember;
  let p2: string;
  const get = async (path: string, key = member.token) => {
    const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
    return { status: response.status, body: (await response.json()) as any };
  };

  before(async () => {
    server = await startPrivacyServer();
    member = await addMember(server);
    p1 = member.profileId;
    p2 = `${p1}-kids`;
    await server.store.putTitles([...series, film]);
    server.context.catalogue.add([...series, film]);
    await server.store.putProfiles([{ profileId: p2, memberId: member.memberId, name: 'Kids' }]);
    // 10:00 local (UTC-6) three days ago: a fixed hour of day, so that ep2's view never reaches
    // the film's local day whatever the hour the tests run.
    const localDay = Math.floor((Date.now() - 360 * MIN) / 86_400_000) - 3;
    const t0 = localDay * 86_400_000 + 360 * MIN + 10 * 60 * MIN;
    const events = [
      ...playback('a', 'ep1', t0, 0, 44), // completed (>= 90 % of 45 min)
      ...playback('b', 'ep2', t0 + 50 * MIN, 0, 20), // stopped at minute 20...
      ...playback('c', 'ep2', t0 + 3 * 60 * MIN, 20 * 60, 14), // ...resumed 3 h later: same view, minute 34
      ...playback('d', 'film', t0 + 86_400_000, 0, 30),
      ...playback('e', 'ep9', t0 + 2 * 86_400_000, 0, 1).slice(0, 1), // a lone start: not a view
    ];
    const answer = await post(server, '/v1/events', events, server.ingestKey);
    assert.equal(answer.body.rejected.length, 0);
  });
  after(async () => server.dispose());

  test('history lists views newest first; a resume within 8 h is the same view', async () => {
    const { status, body } = await get(`/v1/profiles/${p1}/history`);
    assert.equal(status, 200);
    assert.deepEqual(body.views.map((v: any) => v.titleId), ['film', 'ep2', 'ep1']);
    const ep2 = body.views[1];
    assert.equal(ep2.watchedS, 34 * 60);
    assert.equal(ep2.bookmarkS, 34 * 60);
    assert.equal(ep2.completed, false);
    assert.equal(body.views[2].completed, true);
    assert.equal(body.views[0].title, 'A Film');
    assert.equal(body.next, null);
  });

  test('history pages and filters by kind and local day range', async () => {
    const page = await get(`/v1/profiles/${p1}/history?limit=2`);
    assert.deepEqual(page.body.views.map((v: any) => v.titleId), ['film', 'ep2']);
    assert.equal(page.body.next, 2);
    const rest = await get(`/v1/profiles/${p1}/history?limit=2&offset=2`);
    assert.deepEqual(rest.body.views.map((v: any) => v.titleId), ['ep1']);
    const movies = await get(`/v1/profiles/${p1}/history?kind=movie`);
    assert.deepEqual(movies.body.views.map((v: any) => v.titleId), ['film']);
    const day = movies.body.views[0].day;
    const ranged = await get(`/v1/profiles/${p1}/history?from=${day}&to=${day}`);
    assert.deepEqual(ranged.body.views.map((v: any) => v.titleId), ['film']);
  });

  test('continue watching gives the bookmark ("minute 34 of episode 2") and the next episode after a completed one', async () => {
    const { status, body } = await get(`/v1/profiles/${p1}/continue-watching`);
    assert.equal(status, 200);
    const byTitle = Object.fromEntries(body.items.map((i: any) => [i.titleId, i]));
    assert.equal(byTitle.ep2.reason, 'resume');
    assert.equal(byTitle.ep2.label, 'minute 34 of episode 2 of season 2');
    assert.equal(byTitle.film.label, 'minute 30 of the film');
    const next = await get(`/v1/profiles/${p2}/continue-watching`);
    assert.deepEqual(next.body.items, []);
  });

  test('a hidden view leaves history and continue watching', async () => {
    const before = await get(`/v1/profiles/${p1}/history`);
    const film = before.body.views.find((v: any) => v.titleId === 'film');
    const hide = await post(server, `/v1/profiles/${p1}/history/${film.viewId}/hide`, {}, member.token);
    assert.equal(hide.status, 200);
    const afterHide = await get(`/v1/profiles/${p1}/history`);
    assert.ok(!afterHide.body.views.some((v: any) => v.titleId === 'film'));
    const cw = await get(`/v1/profiles/${p1}/continue-watching`);
    assert.ok(!cw.body.items.some((i: any) => i.titleId === 'film'));
  });

  test('late events are folded in on the next read, recomputing only that profile', async () => {
    const late = playback('f', 'ep3', Date.now() - 2 * 86_400_000, 0, 44);
    await post(server, '/v1/events', late, server.ingestKey);
    const { body } = await get(`/v1/profiles/${p1}/continue-watching`);
    assert.ok(body.items.some((i: any) => i.titleId === 'ep3' || i.reason === 'next_episode'));
    const history = await get(`/v1/profiles/${p1}/history`);
    assert.ok(history.body.views.some((v: any) => v.titleId === 'ep3' && v.completed));
  });

  test('unknown profiles and views are coded 404s; a wrong id in another profile cannot be hidden', async () => {
    const missing = await get('/v1/profiles/nobody/history');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'BINGE_NOT_FOUND');
    const mine = await get(`/v1/profiles/${p1}/history`);
    const someView = mine.body.views[0].viewId;
    const wrongProfile = await post(server, `/v1/profiles/${p2}/history/${someView}/hide`, {}, member.token);
    assert.equal(wrongProfile.status, 404);
    const stillThere = await get(`/v1/profiles/${p1}/history`);
    assert.ok(stillThere.body.views.some((v: any) => v.viewId === someView));
  });

  test('bad query parameters and a missing key are coded errors', async () => {
    const bad = await get(`/v1/profiles/${p1}/history?limit=0`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'BINGE_BAD_REQUEST');
    const unknown = await get(`/v1/profiles/${p1}/history?colour=red`);
    assert.equal(unknown.status, 400);
    const response = await fetch(`${server.url}/v1/profiles/${p1}/history`);
    assert.equal(response.status, 401);
  });
});

describe('background refresh', () => {
  test('views follow newly ingested events without anyone reading them', { timeout: 30_000 }, async () => {
    const { startTestServer } = await import('../../test-support/server.js');
    const server = await startTestServer({ viewRefreshS: 0.2 });
    try {
      await server.store.putProfiles([{ profileId: 'bg', memberId: 'm-bg', name: 'Bg' }]);
      const events = playback('bg-pb', 'film', Date.now() - 3_600_000, 0, 5, 'bg');
      assert.equal((await post(server, '/v1/events', events, server.ingestKey)).body.accepted, events.length);
      const deadline = Date.now() + 20_000;
      while ((await server.store.dirtyProfiles()).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(await server.store.dirtyProfiles(), []);
      const views = await server.store.allViews('bg');
      assert.equal(views.length, 1);
      assert.equal(views[0].watchedS, 300);
    } finally {
      await server.dispose();
    }
  });
});
