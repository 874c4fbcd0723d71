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
