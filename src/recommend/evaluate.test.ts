import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { evaluateMovieLens, formatEvaluation, evaluateRecommender } from './evaluate.js';
import { interactionsFromPairs } from './interactions.js';
import { trainPopularity } from './popularity.js';
import { nativeStatus } from './spd-inverse.js';

// MovieLens' licence forbids copying it into the project: it is read from the shared folder.
const ML100K = fileURLToPath(new URL('../../../shared/data/movielens-100k', import.meta.url));
const absent = existsSync(ML100K) ? false : `MovieLens-100k not found at ${ML100K}: evaluation skipped`;

test('evaluation averages over users with held-out items and counts coverage over the catalogue', () => {
  // Popularity ranks item 0, then 1, 2, 3. User 2 has nothing held out and is not averaged.
  const train = interactionsFromPairs(3, 4, [
    { user: 0, item: 0 }, { user: 1, item: 0 }, { user: 2, item: 0 },
    { user: 1, item: 1 }, { user: 2, item: 1 },
    { user: 2, item: 2 },
  ]);
  const test = new Map([[0, new Set([1])], [1, new Set([3])], [2, new Set<number>()]]);
  const m = evaluateRecommender(trainPopularity(train), { name: 'tiny', train, test, catalogue: 4 }, 1);
  // User 0 gets [1] (hit), user 1 gets [2] (miss).
  assert.deepEqual(m, { precision: 0.5, recall: 0.5, ndcg: 0.5, coverage: 2 / 4 });
});

test('a missing MovieLens folder is the coded error BINGE_ML100K_MISSING naming where it looked', async () => {
  await assert.rejects(evaluateMovieLens('/nonexistent/ml-100k'), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'BINGE_ML100K_MISSING');
    assert.match(error.message, /\/nonexistent\/ml-100k/);
    assert.match(error.message, /pass the folder/);
    return true;
  });
});

test('on MovieLens-100k u1..u5, EASE reaches mean nDCG@10 ≥ 0.47 and beats popularity and item-kNN', { skip: absent }, async () => {
  const report = await evaluateMovieLens(ML100K);
  assert.deepEqual(report.folds.map((f) => f.name), ['u1', 'u2', 'u3', 'u4', 'u5']);
  const { ease, popularity, itemKnn } = report.mean;
  assert.ok(ease.ndcg >= 0.47, `EASE mean nDCG@10 = ${ease.ndcg}`);
  assert.ok(ease.ndcg > popularity.ndcg && ease.ndcg > itemKnn.ndcg);
  const expectedPath = nativeStatus().available ? 'native' : 'typescript-worker';
  for (const fold of report.folds) {
    assert.ok(fold.users > 0 && fold.users <= 943, `${fold.name}: ${fold.users} users`);
    assert.equal(fold.inversePath, expectedPath);
  }
  const table = formatEvaluation(report);
  assert.match(table, /mean {2}ease/);
  assert.match(table, new RegExp(`${report.defaultModel} \\(default\\)`));
});
