import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gramMatrix } from './gram.js';
import { interactionsFromPairs } from './interactions.js';

test('the Gram matrix counts users sharing two items, popularity on the diagonal, symmetric', () => {
  // users: {0,1}, {0,1,2}, {1,2}, {0}
  const x = interactionsFromPairs(4, 3, [
    [0, 0], [0, 1], [1, 0], [1, 1], [1, 2], [2, 1], [2, 2], [3, 0],
  ].map(([user, item]) => ({ user, item })));
  assert.deepEqual(Array.from(gramMatrix(x)), [3, 2, 1, 2, 3, 2, 1, 2, 2]);
});
