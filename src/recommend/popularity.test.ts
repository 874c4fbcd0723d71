import assert from 'node:assert/strict';
import { test } from 'node:test';
import { interactionsFromPairs } from './interactions.js';
import { trainPopularity } from './popularity.js';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2025, 0, 31);
// item 0: three users long ago; item 1: two users this week; item 2: one user this week.
const x = interactionsFromPairs(3, 3, [
  { user: 0, item: 0, atMs: NOW - 60 * DAY },
  { user: 1, item: 0, atMs: NOW - 60 * DAY },
  { user: 2, item: 0, atMs: NOW - 60 * DAY },
  { user: 0, item: 1, atMs: NOW - 2 * DAY },
  { user: 1, item: 1, atMs: NOW - 1 * DAY },
  { user: 2, item: 2, atMs: NOW - 1 * DAY },
]);

test('popularity ranks items by how many users interacted with them, excluding what the user has', () => {
  const model = trainPopularity(x);
  assert.deepEqual(Array.from(model.counts), [3, 2, 1]);
  assert.deepEqual(model.recommend([], 3), [0, 1, 2]);
  assert.deepEqual(model.recommend([0], 3), [1, 2]);
  assert.deepEqual(model.recommend([0], 3, []), [0, 1, 2]);
});

test('recent-window popularity counts only interactions inside the window ending now', () => {
  const model = trainPopularity(x, { recent: { nowMs: NOW, windowDays: 7 } });
  assert.deepEqual(Array.from(model.counts), [0, 2, 1]);
  assert.deepEqual(model.recommend([], 2), [1, 2]);
});

test('per-country popularity counts only the users of that country', () => {
  const model = trainPopularity(x, { country: { code: 'DE', userCountries: ['FR', 'DE', 'DE'] } });
  assert.deepEqual(Array.from(model.counts), [2, 1, 1]);
});

test('recent-window popularity without interaction times is a coded error', () => {
  const untimed = interactionsFromPairs(1, 1, [{ user: 0, item: 0 }]);
  assert.throws(() => trainPopularity(untimed, { recent: { nowMs: NOW, windowDays: 7 } }), {
    code: 'BINGE_RECOMMEND_NO_TIMESTAMPS',
  });
});
