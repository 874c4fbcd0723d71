import assert from 'node:assert/strict';
import { test } from 'node:test';
import { indexInteractions, interactionsFromPairs, itemDegrees, itemsOfUser, transpose } from './interactions.js';

test('interactions are binary: repeats collapse and rows list items ascending', () => {
  const x = interactionsFromPairs(2, 4, [
    { user: 0, item: 3 },
    { user: 0, item: 1 },
    { user: 0, item: 3 },
    { user: 1, item: 2 },
  ]);
  assert.deepEqual(Array.from(itemsOfUser(x, 0)), [1, 3]);
  assert.deepEqual(Array.from(itemsOfUser(x, 1)), [2]);
  assert.deepEqual(Array.from(itemDegrees(x)), [0, 1, 1, 1]);
  const t = transpose(x);
  assert.deepEqual(Array.from(itemsOfUser(t, 3)), [0]);
  assert.equal(t.users, 4);
});

test('a repeated interaction keeps its latest time', () => {
  const x = interactionsFromPairs(1, 2, [
    { user: 0, item: 1, atMs: 5 },
    { user: 0, item: 1, atMs: 9 },
    { user: 0, item: 0, atMs: 1 },
  ]);
  assert.deepEqual(Array.from(x.atMs ?? []), [1, 9]);
});

test('an interaction outside the matrix is a coded error', () => {
  assert.throws(() => interactionsFromPairs(1, 1, [{ user: 0, item: 1 }]), { code: 'BINGE_RECOMMEND_BAD_INPUT' });
});

test('string ids are indexed in order of first appearance', () => {
  const { matrix, userIds, itemIds } = indexInteractions([
    { userId: 'p2', itemId: 't9' },
    { userId: 'p1', itemId: 't9' },
    { userId: 'p2', itemId: 't3' },
  ]);
  assert.deepEqual(userIds, ['p2', 'p1']);
  assert.deepEqual(itemIds, ['t9', 't3']);
  assert.deepEqual(Array.from(itemsOfUser(matrix, 0)), [0, 1]);
});
