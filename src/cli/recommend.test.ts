// `binge recommend` over a small literal store in a temporary folder (the world of
// recommend/test-support.ts, written through the real store): train stores a model with its
// window and consent state; eval --own splits by time; eval --ml100k skips cleanly without the
// data; send-digests --dry-run prints counts and titles, never addresses.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDuckDbStore } from '../store/duckdb/adapter.js';
import { DuckDbPrivacyStore } from '../store/duckdb/privacy.js';
import { recommendStoreOf } from '../store/duckdb/recommend.js';
import { consentDigest } from '../recommend/model-store.js';
import { DAY, GROUPS, view, worldTitles } from '../recommend/test-support.js';
import { main } from './main.js';
import type { Output } from './output.js';

let dir: string;
const members: string[] = [];

async function binge(...args: string[]): Promise<{ code: number; lines: string[]; errors: string[] }> {
  const lines: string[] = [];
  const errors: string[] = [];
  const output: Output = { json: args.includes('--json'), out: (l) => lines.push(l), err: (l) => errors.push(l) };
  const code = await main(['--data', dir, ...args], output);
  return { code, lines: lines.join('\n').split('\n'), errors };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'binge-recommend-cli-'));
  const store = await openDuckDbStore({ dataDir: dir });
  const privacy = new DuckDbPrivacyStore(store);
  await store.putTitles(worldTitles());
  const now = Date.now();
  const work = [];
  for (const [g, group] of GROUPS.entries()) {
    for (let n = 0; n < 5; n++) {
      const memberId = `m${g}${n}`;
      members.push(memberId);
      const profileId = `${memberId}-p1`;
      await privacy.createMemberAccount({
        member: { memberId, country: 'MX', createdAtMs: now },
        account: { accountId: memberId, email: `${memberId}@example.org`, passwordHash: 'x', role: 'member', createdAtMs: now },
        profile: { profileId, memberId, name: 'Main' },
      });
      // Each profile completes its group's films in order, a day apart: the last ones are the held-out 20 %.
      work.push({ profileId, fromMs: -Infinity, views: group.films.filter((_, i) => i !== n % 4).map((f, i) => view(profileId, f, now - (10 - i) * DAY)) });
    }
  }
  await store.replaceViews(work);
  await privacy.recordConsents('m00', [{ purpose: 'personalisation', granted: false }], now - 1000);
  await privacy.recordConsents('m01', [{ purpose: 'recommendation_emails', granted: true }], now - 1000);
  await store.close();
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('recommend train stores the model with its data window and the consent state it was trained on', async () => {
  const { code, lines } = await binge('recommend', 'train', '--model', 'itemKnn', '--json');
  assert.equal(code, 0);
  const summary = JSON.parse(lines[0]);
  const consenting = members.filter((m) => m !== 'm00');
  assert.equal(summary.kind, 'itemKnn');
  assert.deepEqual(summary.consent, { members: consenting.length, profiles: consenting.length, digest: consentDigest(consenting) });
  assert.equal(summary.interactions, consenting.length * 3, 'three completed films per consenting profile; m00 left out');
  const store = await openDuckDbStore({ dataDir: dir, readOnly: true });
  try {
    const [info] = await recommendStoreOf(store).models();
    assert.equal(info.modelId, summary.modelId);
    assert.equal(new Date(info.windowToMs).toISOString(), summary.window.to);
  } finally {
    await store.close();
  }
  const text = await binge('recommend', 'train', '--lambda', '50');
  assert.equal(text.code, 0);
  assert.match(text.lines[0], /^Trained ease model .* 16 items, 57 interactions\.$/);
  assert.equal((await binge('recommend', 'train', '--lambda', '-1')).code, 2);
});

test('recommend eval --own: the time split per profile holds out the last completed titles and scores every model', async () => {
  const { code, lines } = await binge('recommend', 'eval', '--own', '--json');
  assert.equal(code, 0);
  const report = JSON.parse(lines[0]);
  assert.equal(report.profiles, 19);
  assert.equal(report.heldOut, 19, 'round(20 % of 3) = 1 per profile');
  assert.ok(report.mean.itemKnn.recall > 0.5, `each held-out film is a neighbour of the profile's others: ${JSON.stringify(report.mean.itemKnn)}`);
  const text = await binge('recommend', 'eval', '--own');
  assert.match(text.lines[0], /^binge store, time split per profile .* 19 profiles, 19 held-out items/);
});

test('recommend eval --ml100k skips with a clear message and exit 0 when the folder holds no data set', async () => {
  const missing = join(dir, 'no-movielens-here');
  const { code, lines } = await binge('recommend', 'eval', '--ml100k', missing);
  assert.equal(code, 0);
  assert.match(lines[0], /^skipped: no MovieLens-100k folds .* licence forbids redistribution/);
  assert.equal((await binge('recommend', 'eval')).code, 2, 'one of --ml100k or --own is required');
});

test('recommend send-digests --dry-run prints the recipients count and titles, never an address', async () => {
  const { code, lines } = await binge('recommend', 'send-digests', '--dry-run');
  assert.equal(code, 0);
  assert.match(lines[0], /^Would send 1 digest\(s\) for \d{4}-W\d\d/);
  assert.match(lines[1], /^Titles: Film \d\d/);
  assert.ok(!lines.join('\n').includes('@'));
});
