import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashSeed, randomFor, seedTag } from './random.js';

const draws = (seed: string, n: number): number[] => {
  const rng = randomFor(seed, 'x', 1);
  return Array.from({ length: n }, () => rng.uint32());
};

test('the same seed gives the same sequence', () => {
  assert.deepEqual(draws('binge', 100), draws('binge', 100));
});

test('a different seed or stream gives a different sequence', () => {
  assert.notDeepEqual(draws('binge', 20), draws('binge2', 20));
  assert.notDeepEqual(hashSeed('s', 'member', 1), hashSeed('s', 'member', 11));
  assert.notDeepEqual(hashSeed('s', 'member', 1), hashSeed('s', 'member1'));
});

test('int stays within its inclusive bounds and reaches both ends', () => {
  const rng = randomFor('bounds');
  const seen = new Set<number>();
  for (let i = 0; i < 2000; i++) {
    const v = rng.int(3, 7);
    assert.ok(Number.isInteger(v) && v >= 3 && v <= 7);
    seen.add(v);
  }
  assert.deepEqual([...seen].sort(), [3, 4, 5, 6, 7]);
});

test('next is uniform in [0, 1) (mean close to one half)', () => {
  const rng = randomFor('mean');
  let sum = 0;
  for (let i = 0; i < 20_000; i++) {
    const v = rng.next();
    assert.ok(v >= 0 && v < 1);
    sum += v;
  }
  assert.ok(Math.abs(sum / 20_000 - 0.5) < 0.01);
});

test('weighted never picks a zero weight and follows the weights', () => {
  const rng = randomFor('weights');
  const counts = [0, 0, 0];
  for (let i = 0; i < 10_000; i++) counts[rng.weighted([1, 0, 3])]++;
  assert.equal(counts[1], 0);
  assert.ok(counts[2] / counts[0] > 2.5 && counts[2] / counts[0] < 3.5);
});

test('seed tags are short, stable and differ between seeds', () => {
  assert.equal(seedTag('binge'), seedTag('binge'));
  assert.notEqual(seedTag('binge'), seedTag('binge!'));
  assert.equal(seedTag('binge').length, 7);
});
