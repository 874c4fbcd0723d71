import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../cli/main.js';
import type { Output } from '../cli/output.js';
import type { Title } from '../domain/model.js';
import { RECOMPUTE_FLAGS } from '../privacy/member-data.js';
import { addMember, call, startPrivacyServer, type PrivacyTestServer, type TestMember } from '../privacy/test-support.js';
import { recommendOf } from '../server/routes/recommend.js';
import { recommendStoreOf } from '../store/duckdb/recommend.js';
import { consentDigest, decodeModel, type ItemModel } from './model-store.js';
import { DAY, loadWorld, view } from './test-support.js';

// A film only Eve (and later Finn) watched: its item is in a model exactly when their viewing fed it.
const RARE: Title = { titleId: 'f99', kind: 'movie', name: 'Film 99', runtimeS: 5400, genres: ['drama'] };
const RARE_ITEM = 'title:f99';

function silent(): Output {
  return { json: true, out: () => undefined, err: () => undefined };
}

async function latest(server: PrivacyTestServer): Promise<ItemModel> {
  const row = await recommendStoreOf(server.store).latestModel();
  assert.ok(row, 'a model is stored');
  return decodeModel(row);
}

/** Waits (at most 60 s) until a model other than `before` is stored and the erasure flag is cleared. */
async function retrained(server: PrivacyTestServer, before: string): Promise<ItemModel> {
  const recommend = recommendStoreOf(server.store);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if ((await recommend.latestModelId()) !== before && (await recommend.recomputeFlag()) === undefined) return latest(server);
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail('no new model was trained after the erasure within 60 s');
}

async function withRareViewer(server: PrivacyTestServer): Promise<TestMember> {
  const member = await addMember(server, 'MX');
  const now = server.clock.nowMs;
  await server.store.replaceViews([
    { profileId: member.profileId, fromMs: -Infinity, views: [view(member.profileId, 'f01', now - 3 * DAY), view(member.profileId, 'f05', now - 2 * DAY), view(member.profileId, 'f99', now - DAY)] },
  ]);
  return member;
}

describe('retraining after an erasure', () => {
  let server: PrivacyTestServer;
  let eve: TestMember;
  let first: ItemModel;
  const dataDir = mkdtempSync(join(tmpdir(), 'binge-retrain-'));

  before(async () => {
    server = await startPrivacyServer({ dataDir });
    await loadWorld(server, { perGroup: 6 });
    await server.store.putTitles([RARE]);
    server.context.catalogue.add([RARE]);
    eve = await withRareViewer(server);
    const trained = await recommendOf.get(server.app)!.schedule.runOnce();
    assert.ok(trained);
    first = trained;
  });
  after(async () => {
    await server.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the model before the erasure was trained on the member viewing', () => {
    assert.ok(first.itemIds.includes(RARE_ITEM));
  });

  test('an erasure retrains at once, without waiting for a period (none is set): the new model holds none of her interactions, and the flag is cleared', async () => {
    const { schedule } = recommendOf.get(server.app)!;
    const runsBefore = schedule.runs;
    server.clock.nowMs += 60_000; // models are ordered by training time
    const erased = await call(server, 'DELETE', '/v1/me', eve.token, { password: eve.password });
    assert.equal(erased.status, 200, erased.text);
    const next = await retrained(server, first.modelId);
    assert.equal(schedule.runs, runsBefore + 1, 'one training, started by the erasure');
    assert.equal(schedule.recomputes, 1);
    assert.ok(!next.itemIds.includes(RARE_ITEM), 'her film is not in the new model');
    assert.equal(next.interactions, first.interactions - 3, 'her three completed films are gone from the interactions');
    assert.equal(next.consent.members, first.consent.members - 1);
    const consenting = await server.privacy.store.membersConsenting('personalisation', server.clock.nowMs);
    assert.ok(!consenting.includes(eve.memberId));
    assert.equal(next.consent.digest, consentDigest(consenting));
    assert.equal(await server.store.meta(RECOMPUTE_FLAGS.models), undefined, 'recompute.models is cleared');
    assert.ok(await server.store.meta(RECOMPUTE_FLAGS.facts), 'the facts flag is not the models job to clear');
    const someone = await addMember(server, 'MX');
    const rows = await call(server, 'GET', `/v1/profiles/${someone.profileId}/rows`, someone.token);
    assert.equal(rows.body.modelId, next.modelId, 'the new model is the one served');
  });

  test('an erasure made while the server was down (binge erase) is retrained when the server starts', async () => {
    const finn = await withRareViewer(server);
    const { schedule } = recommendOf.get(server.app)!;
    server.clock.nowMs += 60_000;
    const withFinn = await schedule.runOnce();
    assert.ok(withFinn && withFinn.itemIds.includes(RARE_ITEM));
    await server.stop();
    assert.equal(await main(['--data', dataDir, 'erase', finn.memberId, '--json'], silent()), 0);
    server = await startPrivacyServer({ dataDir, startMs: server.clock.nowMs + 60_000 });
    const next = await retrained(server, withFinn.modelId);
    assert.ok(!next.itemIds.includes(RARE_ITEM));
    assert.equal(next.interactions, withFinn.interactions - 3);
    assert.equal(recommendOf.get(server.app)!.schedule.recomputes, 1);
  });

  test('with no model stored, an erasure trains nothing and the flag stays for the first training', async () => {
    const empty = await startPrivacyServer();
    try {
      await loadWorld(empty, { perGroup: 2 });
      const gone = await addMember(empty, 'MX');
      assert.equal((await call(empty, 'DELETE', '/v1/me', gone.token, { password: gone.password })).status, 200);
      const { schedule } = recommendOf.get(empty.app)!;
      await schedule.recompute();
      assert.equal(schedule.runs, 0);
      assert.ok(await empty.store.meta(RECOMPUTE_FLAGS.models), 'the flag stays');
      await schedule.runOnce();
      assert.equal(await empty.store.meta(RECOMPUTE_FLAGS.models), undefined, 'the first training clears it');
    } finally {
      await empty.dispose();
    }
  });
});
