import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blendRecommenders } from './blend.js';
import { recommenderFrom } from './ranking.js';

test('a blend scales each part to its largest score for the user before weighting', () => {
  const big = recommenderFrom('big', 3, () => Float64Array.from([100, 50, 0]));
  const small = recommenderFrom('small', 3, () => Float64Array.from([0, 1, 2]));
  const blend = blendRecommenders('mix', [
    { model: big, weight: 0.5 },
    { model: small, weight: 0.5 },
  ]);
  assert.deepEqual(Array.from(blend.scoreUser([])), [0.5, 0.5, 0.5]);
  const leaning = blendRecommenders('mix', [
    { model: big, weight: 0.4 },
    { model: small, weight: 0.6 },
  ]);
  assert.deepEqual(leaning.recommend([], 3), [2, 1, 0]);
});
