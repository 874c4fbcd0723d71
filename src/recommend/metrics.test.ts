import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogueCoverage, ndcgAtK, precisionAtK, recallAtK } from './metrics.js';

// Ranked [7, 3, 9, 1]; relevant {3, 1, 5}: hits at ranks 2 and 4.
const ranked = [7, 3, 9, 1];
const relevant = new Set([3, 1, 5]);

test('precision@k is hits in the top k over k', () => {
  assert.equal(precisionAtK(ranked, relevant, 4), 2 / 4);
  assert.equal(precisionAtK(ranked, relevant, 2), 1 / 2);
  assert.equal(precisionAtK(ranked, relevant, 10), 2 / 10);
});

test('recall@k is hits in the top k over the number of held-out items', () => {
  assert.equal(recallAtK(ranked, relevant, 4), 2 / 3);
  assert.equal(recallAtK(ranked, relevant, 1), 0);
});

test('nDCG@k discounts a hit at rank r by log2(r + 1) and divides by the ideal over min(k, |relevant|)', () => {
  const dcg = 1 / Math.log2(3) + 1 / Math.log2(5);
  const ideal = 1 + 1 / Math.log2(3) + 1 / Math.log2(4);
  assert.ok(Math.abs(ndcgAtK(ranked, relevant, 4) - dcg / ideal) < 1e-15);
  // k = 2: one hit at rank 2; ideal has two hits.
  assert.ok(Math.abs(ndcgAtK(ranked, relevant, 2) - 1 / Math.log2(3) / (1 + 1 / Math.log2(3))) < 1e-15);
  assert.equal(ndcgAtK([5, 3, 1], relevant, 10), 1);
  assert.equal(ndcgAtK([2, 4], relevant, 10), 0);
});

test('catalogue coverage is the share of catalogue items shown in any top-k list', () => {
  assert.equal(catalogueCoverage([[0, 1, 2], [1, 2, 3]], 10, 3), 4 / 10);
  assert.equal(catalogueCoverage([[0, 1, 2], [1, 2, 3]], 10, 1), 2 / 10);
});
