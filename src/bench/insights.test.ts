import { test } from 'node:test';
import assert from 'node:assert/strict';
import { benchInsights, benchYearInReview } from './insights.js';

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
  assert.ok(lines.some((l) => /ratio/.test(l)));
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
