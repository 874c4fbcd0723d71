import { test } from 'node:test';
import assert from 'node:assert/strict';
import { benchFactsOnly, benchInsights, benchOneMoreDayOnly, benchYearInReview } from './insights.js';

// A tiny run: the bench itself throws when the SQL and the TypeScript facts disagree, or when
// the incremental and the full recomputation disagree; here we check it ran every part.
test('insights bench: population facts equal the hand-written SQL, incremental equals full, reviews are timed', async () => {
  const lines: string[] = [];
  const result = await benchInsights({ events: 80_000, fromDay: '2025-12-01', toDay: '2025-12-31', reviews: 30, log: (l) => lines.push(l) });
  assert.ok(result.events > 5_000, String(result.events));
  assert.ok(result.compared.streakRows > 0);
  assert.ok(result.compared.countries > 0);

  assert.equal(result.review.requests, 30);
  assert.ok(result.review.profiles > 0 && result.review.profiles <= 30);
  assert.ok(result.review.p99Ms >= result.review.p50Ms);
  assert.equal(result.review.differ, undefined, 'the product path and the generic read give the same answers');
  assert.ok(result.review.baseline.p99Ms >= result.review.baseline.p50Ms);
  assert.ok(result.oneMoreDay.events > 0);
  const day = result.oneMoreDay;
  assert.ok(day.perProfileRatio > 0 && Number.isFinite(day.perProfileRatio));
  assert.equal(day.perProfileRatio, day.parts.refreshS / day.parts.fullRefreshS, 'the goal measure is the refresh over the full recompute');
  assert.equal(day.withFactsRatio, day.incrementalS / day.fullS);
  assert.ok(lines.some((l) => /ratio/.test(l)));
  assert.ok(lines.some((l) => /per-profile insights refreshed in .* with the population facts recomputed whole/.test(l)), lines.join('\n'));
});

test('insights bench --only facts and --only one-more-day run that part alone', async () => {
  const options = { events: 40_000, fromDay: '2025-12-01', toDay: '2025-12-31' };
  const factLines: string[] = [];
  const facts = await benchFactsOnly({ ...options, log: (l) => factLines.push(l) });
  assert.ok(facts.populationS > 0 && facts.sqlS > 0);
  assert.ok(facts.compared.countries > 0);
  assert.ok(!factLines.some((l) => /year in review|one more day/.test(l)), factLines.join('\n'));

  const dayLines: string[] = [];
  const day = await benchOneMoreDayOnly({ ...options, log: (l) => dayLines.push(l) });
  assert.ok(day.oneMoreDay.events > 0 && day.oneMoreDay.parts.fullRefreshS > 0);
  assert.ok(!dayLines.some((l) => /population facts \(binge|year in review/.test(l)), dayLines.join('\n'));
});

test('insights bench --only year-in-review: times the reviews against the generic read, and nothing else', async () => {
  const lines: string[] = [];
  const result = await benchYearInReview({ events: 40_000, fromDay: '2025-12-01', toDay: '2025-12-31', reviews: 20, log: (l) => lines.push(l) });
  assert.equal(result.review.requests, 20);
  assert.equal(result.review.differ, undefined);
  assert.ok(result.review.baseline.p50Ms > 0);
  assert.ok(lines.some((l) => /year in review, 20 requests/.test(l) && /same answers/.test(l)));
  assert.ok(!lines.some((l) => /population facts|one more day/.test(l)), lines.join('\n'));
});
