import assert from 'node:assert/strict';
import { test } from 'node:test';
import { topK } from './ranking.js';

test('topK returns the k best items, best first, ties to the lower item', () => {
  assert.deepEqual(topK(Float64Array.from([0.5, 0.9, 0.5, 0.1, 0.9]), 3), [1, 4, 0]);
});

test('topK never returns excluded items and returns fewer when too few are left', () => {
  assert.deepEqual(topK(Float64Array.from([3, 2, 1]), 5, [0, 2]), [1]);
});
