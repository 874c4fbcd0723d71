import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trainEase } from './ease.js';
import { interactionsFromPairs } from './interactions.js';

// users: {0,1}, {0,1,2}, {1,2}, {0}  →  G = [[3,2,1],[2,3,2],[1,2,2]]
const x = interactionsFromPairs(4, 3, [
  [0, 0], [0, 1],
  [1, 0], [1, 1], [1, 2],
  [2, 1], [2, 2],
  [3, 0],
].map(([user, item]) => ({ user, item })));
const G = [
  [3, 2, 1],
  [2, 3, 2],
  [1, 2, 2],
];

for (const prefer of ['typescript', 'auto'] as const) {
  test(`EASE column j is the ridge regression of item j on the other items (${prefer} inverse)`, async () => {
    const lambda = 1;
    const model = await trainEase(x, { lambda, inverse: { prefer } });
    const b = model.weights;
    for (let j = 0; j < 3; j++) {
      assert.equal(b[j * 3 + j], 0, 'zero diagonal');
      // Closed form with B[j][j] = 0: B[others][j] = (G[others][others] + λI)⁻¹ G[others][j], a 2×2 solve.
      const [p, q] = [0, 1, 2].filter((i) => i !== j);
      const a11 = G[p][p] + lambda;
      const a12 = G[p][q];
      const a22 = G[q][q] + lambda;
      const det = a11 * a22 - a12 * a12;
      const bp = (a22 * G[p][j] - a12 * G[q][j]) / det;
      const bq = (a11 * G[q][j] - a12 * G[p][j]) / det;
      assert.ok(Math.abs(b[p * 3 + j] - bp) < 1e-12, `B[${p}][${j}]`);
      assert.ok(Math.abs(b[q * 3 + j] - bq) < 1e-12, `B[${q}][${j}]`);
    }
  });
}

test('EASE with two items: the weight of item 0 for item 1 is co-occurrence over (popularity of 0 + λ)', async () => {
  const two = interactionsFromPairs(3, 2, [
    { user: 0, item: 0 },
    { user: 0, item: 1 },
    { user: 1, item: 0 },
    { user: 2, item: 1 },
  ]);
  const lambda = 2;
  const model = await trainEase(two, { lambda, inverse: { prefer: 'typescript' } });
  assert.ok(Math.abs(model.weights[1] - 1 / (2 + lambda)) < 1e-15);
  assert.ok(Math.abs(model.weights[2] - 1 / (2 + lambda)) < 1e-15);
});

test('EASE recommends unseen items by summed weights and never re-recommends what the user has', async () => {
  const model = await trainEase(x, { lambda: 1, inverse: { prefer: 'typescript' } });
  assert.equal(model.inversePath, 'typescript-worker');
  const scores = model.scoreUser([0]);
  assert.deepEqual(Array.from(scores), [0, model.weights[1], model.weights[2]]);
  assert.deepEqual(model.recommend([0], 5), scores[1] >= scores[2] ? [1, 2] : [2, 1]);
  assert.deepEqual(model.recommend([0, 1], 5), [2]);
});

test('EASE rejects a non-positive lambda with a coded error', async () => {
  await assert.rejects(trainEase(x, { lambda: 0 }), { code: 'BINGE_RECOMMEND_BAD_INPUT' });
});
