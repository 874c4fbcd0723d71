// The served model follows the store: a model stored by this process is served from the next
// request on; one stored elsewhere (no change report reaches this process) within `modelCheckMs`
// plus one small query, which runs beside the answers instead of holding them up.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPrivacyServer, type PrivacyTestServer, type TestMember } from '../privacy/test-support.js';
import { recommendStoreOf } from '../store/duckdb/recommend.js';
import type { DataChange } from './serving-cache.js';
import { RecommendService } from './serving.js';
import { loadWorld } from './test-support.js';
import { trainAndStore } from './training.js';

describe('the model a rows answer comes from', () => {
  let server: PrivacyTestServer;
  let member: TestMember;
  let service: RecommendService;
  const CHECK_MS = 200;
  const modelIdOf = (body: Buffer | undefined) => (body ? (JSON.parse(body.toString()) as { modelId: string | null }).modelId : undefined);
  const train = (kind: 'ease' | 'itemKnn') =>
    trainAndStore({ store: recommendStoreOf(server.store), privacy: server.privacy.store, catalogue: server.context.catalogue, now: () => server.clock.nowMs }, { kind });

  before(async () => {
    server = await startPrivacyServer();
    const world = await loadWorld(server, { perGroup: 5 });
    member = world.crowd[0];
    // Profile changes are reported; model changes are not, as for a model another process stored.
    const changes = { onChange: (listener: (change: DataChange) => void) => server.store.onChange((change) => listener({ ...change, models: false })) };
    service = new RecommendService({ store: server.store, recommend: recommendStoreOf(server.store), privacy: server.privacy.store, catalogue: server.context.catalogue, now: () => server.clock.nowMs, changes, modelCheckMs: CHECK_MS });
  });
  after(async () => {
    service.close();
    await server.dispose();
  });

  test('a model stored elsewhere is served after the next check; meanwhile the loaded one answers at once', async () => {
    const first = await train('ease');
    const profile = { profileId: member.profileId, memberId: member.memberId };
    assert.equal(modelIdOf(await service.rowsBody(profile)), first.modelId);
    assert.equal(modelIdOf(service.renderedRows(profile)), first.modelId, 'rendered and current: answered without waiting');

    server.clock.nowMs += 60_000; // the later model is the latest
    const second = await train('itemKnn');
    await new Promise((resolve) => setTimeout(resolve, CHECK_MS));
    assert.equal(modelIdOf(service.renderedRows(profile)), first.modelId, 'the check is due: it starts, and the loaded model answers meanwhile');
    await service.model(); // the check that request started
    assert.equal(service.renderedRows(profile), undefined, 'the body of the old model is no longer current');
    assert.equal(modelIdOf(await service.rowsBody(profile)), second.modelId);
    assert.equal(modelIdOf(service.renderedRows(profile)), second.modelId);
  });
});

describe('profiles missed at the same moment', () => {
  let server: PrivacyTestServer;
  let crowd: TestMember[];
  const services: RecommendService[] = [];
  /** A service over the real stores that counts what it asks them (a count, not a stand-in: every call goes through). */
  const countingService = (calls: Map<string, number>) => {
    const counted = <T extends object>(target: T): T =>
      new Proxy(target, {
        get(object, name, receiver) {
          const value = Reflect.get(object, name, receiver) as unknown;
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            calls.set(String(name), (calls.get(String(name)) ?? 0) + 1);
            return (value as (...a: unknown[]) => unknown).apply(object, args);
          };
        },
      });
    const service = new RecommendService({
      store: counted(server.store),
      recommend: counted(recommendStoreOf(server.store)),
      privacy: counted(server.privacy.store),
      catalogue: server.context.catalogue,
      now: () => server.clock.nowMs,
      changes: server.store,
      refresh: async (profileIds) => void calls.set(`refresh of ${profileIds.length}`, (calls.get(`refresh of ${profileIds.length}`) ?? 0) + 1),
    });
    services.push(service);
    return service;
  };

  before(async () => {
    server = await startPrivacyServer();
    ({ crowd } = await loadWorld(server, { perGroup: 3 }));
    await trainAndStore({ store: recommendStoreOf(server.store), privacy: server.privacy.store, catalogue: server.context.catalogue, now: () => server.clock.nowMs });
    // One member withdrew consent to personalisation, one profile hid a view, one thumbed a title down.
    await server.privacy.store.recordConsents(crowd[1].memberId, [{ purpose: 'personalisation', granted: false }], server.clock.nowMs - 1000);
    const [firstView] = await server.store.allViews(crowd[2].profileId);
    assert.ok(await server.store.hideView(crowd[2].profileId, firstView.viewId));
    await recommendStoreOf(server.store).putThumbs([{ eventId: 'thumb-down-1', profileId: crowd[3].profileId, titleId: firstView.titleId, rating: 'down', atMs: server.clock.nowMs - 500 }]);
  });
  after(async () => {
    for (const s of services) s.close();
    await server.dispose();
  });

  test('are refreshed together and read with one query per kind, and each gets the rows it gets alone', async () => {
    const profiles = crowd.map((m) => ({ profileId: m.profileId, memberId: m.memberId }));
    const together = new Map<string, number>();
    const service = countingService(together);
    const bodies = await Promise.all(profiles.map((p) => service.rowsBody(p)));
    assert.equal(together.get(`refresh of ${profiles.length}`), 1, 'one refresh for every profile');
    for (const kind of ['consentHistories', 'countriesOf', 'viewsOfProfiles', 'latestThumbs', 'picksOf']) assert.equal(together.get(kind), 1, `${kind}: one read for the batch`);

    for (const [i, p] of profiles.entries()) {
      const alone = new Map<string, number>();
      const body = await countingService(alone).rowsBody(p);
      assert.equal(alone.get('refresh of 1'), 1);
      assert.equal(body.toString(), bodies[i].toString(), `profile ${i}: the same answer read alone`);
    }
    const answer = (i: number) => JSON.parse(bodies[i].toString()) as { personal: boolean };
    assert.equal(answer(1).personal, false, 'consent withdrawn: not personal in the batch either');
    assert.equal(answer(0).personal, true);
  });

  test("the privacy store's batched consent read gives each member's own history, also for a member asked twice or with none", async () => {
    const store = server.privacy.store;
    const asked = [crowd[1].memberId, crowd[0].memberId, crowd[1].memberId, 'no-such-member'];
    const histories = await store.consentHistories(asked);
    assert.deepEqual([...histories.keys()].sort(), [...new Set(asked)].sort());
    for (const id of asked) assert.deepEqual(histories.get(id), await store.consentHistory(id));
    assert.ok(histories.get(crowd[1].memberId)!.some((c) => c.purpose === 'personalisation' && !c.granted));
    assert.deepEqual(histories.get('no-such-member'), []);
  });
});
