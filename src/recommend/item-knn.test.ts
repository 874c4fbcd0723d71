import assert from 'node:assert/strict';
import { test } from 'node:test';
import { interactionsFromPairs } from './interactions.js';
import { trainItemKnn } from './item-knn.js';
import { trainRp3beta } from './rp3beta.js';

// users: {0,1}, {0,1}, {0,2}, {3}
const x = interactionsFromPairs(4, 4, [
  [0, 0], [0, 1],
  [1, 0], [1, 1],
  [2, 0], [2, 2],
  [3, 3],
].map(([user, item]) => ({ user, item })));

function neighbourWeights(nb: { indptr: Int32Array; indices: Int32Array; weights: Float64Array }, i: number) {
  const out = new Map<number, number>();
  for (let p = nb.indptr[i]; p < nb.indptr[i + 1]; p++) out.set(nb.indices[p], nb.weights[p]);
  return out;
}

test('item-kNN similarity is the cosine of the items’ user sets', () => {
  const model = trainItemKnn(x);
  const of0 = neighbourWeights(model.similarities, 0);
  assert.ok(Math.abs((of0.get(1) ?? 0) - 2 / Math.sqrt(3 * 2)) < 1e-15);
  assert.ok(Math.abs((of0.get(2) ?? 0) - 1 / Math.sqrt(3 * 1)) < 1e-15);
  assert.equal(of0.has(3), false, 'items never seen together are not neighbours');
});

test('item-kNN scores an item by the summed similarity to the user’s items', () => {
  const model = trainItemKnn(x);
  // Items without any similarity score 0 and follow in id order: every unseen item is ranked.
  assert.deepEqual(model.recommend([1], 3), [0, 2, 3]);
  const scores = model.scoreUser([1, 2]);
  assert.ok(Math.abs(scores[0] - (2 / Math.sqrt(6) + 1 / Math.sqrt(3))) < 1e-15);
});

test('item-kNN keeps only the strongest neighbours, ties to the lower item', () => {
  const model = trainItemKnn(x, { neighbours: 1 });
  assert.deepEqual([...neighbourWeights(model.similarities, 0).keys()], [1]);
});

test('RP3beta weighs a walk item → user → item by degrees and damps popular arrivals by popularity^β', () => {
  const alpha = 1;
  const beta = 0.5;
  const model = trainRp3beta(x, { alpha, beta });
  // From item 1 (users 0 and 1, each with 2 items) to item 0 (popularity 3): (1/2)·(1/2 + 1/2)/3^0.5.
  const of1 = neighbourWeights(model.transitions, 1);
  assert.ok(Math.abs((of1.get(0) ?? 0) - 0.5 / Math.sqrt(3)) < 1e-15);
  assert.deepEqual(model.recommend([2], 2), [0, 1]);
});
