import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Catalogue } from '../domain/catalogue.js';
import { DEFAULT_DEFINITIONS } from '../domain/definitions.js';
import { generatePopulation } from '../demo/population.js';
import { refreshViews } from '../history/refresh-views.js';
import { bulkLoad } from '../ingest/bulk-load.js';
import { openDuckDbStore } from '../store/duckdb/adapter.js';
import { duckDbInsights } from '../store/duckdb/insights.js';
import { DuckDbPrivacyStore } from '../store/duckdb/privacy.js';
import { publicFactContributions, type InsightsDeps } from './from-store.js';

test('a member who withdraws consent to public facts leaves the next release, and only that member', { timeout: 120_000 }, async () => {
  const store = await openDuckDbStore({ dataDir: ':memory:' });
  try {
    const population = generatePopulation({ members: 8, seed: 'consent', fromDay: '2025-12-01', toDay: '2025-12-31', plantCases: false });
    await store.putTitles(population.catalogue);
    await store.putMembers(population.members);
    await store.putProfiles(population.profiles);
    await bulkLoad(store, population.eventBatches(), { dedup: 'unique-by-construction' });
    const catalogue = new Catalogue(population.catalogue);
    await refreshViews(store, catalogue, DEFAULT_DEFINITIONS);
    const privacy = new DuckDbPrivacyStore(store);
    let nowMs = Date.parse('2026-01-15T00:00:00Z');
    const deps: InsightsDeps = {
      store,
      insights: duckDbInsights(store),
      catalogue,
      defs: DEFAULT_DEFINITIONS,
      now: () => nowMs,
      publicFactsProfiles: (at) => privacy.profilesConsenting('public_facts', at),
    };
    const before = await publicFactContributions(deps, 2025);
    const leaving = population.members.find((m) => population.profiles.some((p) => p.memberId === m.memberId && before.some((c) => c.profileId === p.profileId)))!;
    const leavingProfiles = new Set(population.profiles.filter((p) => p.memberId === leaving.memberId).map((p) => p.profileId));
    await privacy.recordConsents(leaving.memberId, [{ purpose: 'public_facts', granted: false }], nowMs);
    nowMs += 1000;
    const after = await publicFactContributions(deps, 2025);
    assert.ok(before.some((c) => leavingProfiles.has(c.profileId)), 'the member contributed before');
    assert.ok(!after.some((c) => leavingProfiles.has(c.profileId)), 'and does not after withdrawing');
    assert.deepEqual(
      after,
      before.filter((c) => !leavingProfiles.has(c.profileId)),
      'everyone else contributes exactly as before',
    );
  } finally {
    await store.close();
  }
});
