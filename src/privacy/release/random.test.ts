import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomFillSync } from 'node:crypto';
import { ByteStreamRandom, cryptoRandom, defaultRandom, questionRandom, seededRandom } from './random.js';

test('the production random source is node:crypto, and it is the default', () => {
  assert.equal(defaultRandom, cryptoRandom);
  assert.ok(cryptoRandom instanceof ByteStreamRandom);
  assert.equal(cryptoRandom.fill, randomFillSync);
});

test('uniformInt stays in [0, bound) and is uniform over a small bound', () => {
  const rng = seededRandom('uniform');
  const bound = 7n;
  const counts = new Array<number>(7).fill(0);
  const n = 70_000;
  for (let i = 0; i < n; i++) {
    const x = rng.uniformInt(bound);
    assert.ok(x >= 0n && x < bound);
    counts[Number(x)]++;
  }
  const expected = n / 7;
  const chi2 = counts.reduce((sum, o) => sum + ((o - expected) * (o - expected)) / expected, 0);
  assert.ok(chi2 < 22.458, `chi² ${chi2}`); // chi-square critical value, 6 df, p = 0.001 (tables)
});

test('uniformInt handles bounds beyond 32 and 53 bits by rejection over whole bits', () => {
  for (const [rng, bound] of [
    [seededRandom('big'), 2n ** 40n + 3n],
    [seededRandom('big'), 2n ** 64n + 13n],
    [cryptoRandom, 2n ** 64n + 13n],
  ] as const) {
    let topHalf = 0;
    for (let i = 0; i < 2000; i++) {
      const x = rng.uniformInt(bound);
      assert.ok(x >= 0n && x < bound);
      if (x >= bound / 2n) topHalf++;
    }
    assert.ok(topHalf > 850 && topHalf < 1150, `top half ${topHalf} of 2000`);
  }
  assert.equal(seededRandom('one').uniformInt(1n), 0n);
  assert.throws(() => cryptoRandom.uniformInt(0n), RangeError);
});

test('randomBits gives n bits', () => {
  const rng = seededRandom('bits');
  assert.equal(rng.randomBits(0), 0n);
  let orAll = 0n;
  for (let i = 0; i < 200; i++) {
    const x = rng.randomBits(70);
    assert.ok(x < 2n ** 70n);
    orAll |= x;
  }
  assert.equal(orAll, 2n ** 70n - 1n);
});

test('a seeded source repeats itself for the same seed and differs for another', () => {
  const draw = (seed: string) => Array.from({ length: 20 }, () => seededRandom(seed).uniformInt(1000n) + seededRandom(seed).randomBits(40));
  assert.deepEqual(draw('a'), draw('a'));
  const a = seededRandom('a');
  const b = seededRandom('b');
  assert.notDeepEqual(Array.from({ length: 8 }, () => a.randomBits(32)), Array.from({ length: 8 }, () => b.randomBits(32)));
});

test('question noise is a function of the secret and the question only', () => {
  const draw = (secret: string, question: string) => {
    const rng = questionRandom(secret, question);
    return Array.from({ length: 8 }, () => rng.randomBits(32));
  };
  assert.deepEqual(draw('s', 'q'), draw('s', 'q'));
  assert.notDeepEqual(draw('s', 'q'), draw('s', 'q2'));
  assert.notDeepEqual(draw('s', 'q'), draw('s2', 'q'));
  assert.notDeepEqual(draw('s', 'q'), Array.from({ length: 8 }, ((rng) => () => rng.randomBits(32))(seededRandom('q'))));
});
