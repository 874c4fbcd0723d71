import assert from 'node:assert/strict';
import { test } from 'node:test';
import { choleskyInPlace, invertSpdInPlace } from './cholesky.js';
import { randomSpd } from './random-spd.js';

function maxAbsOffIdentity(a: Float64Array, inverse: Float64Array, n: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k] * inverse[k * n + j];
      worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
    }
  }
  return worst;
}

test('the Cholesky factor reproduces the matrix: L Lᵀ = A', () => {
  const n = 7;
  const a = randomSpd(n, 3);
  const l = a.slice();
  choleskyInPlace(l, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k <= j; k++) s += l[i * n + k] * l[j * n + k];
      assert.ok(Math.abs(s - a[i * n + j]) < 1e-9, `(${i}, ${j})`);
    }
  }
});

test('the inverse from the Cholesky factor times the matrix is the identity (sizes across block edges)', () => {
  for (const n of [1, 2, 3, 4, 5, 9, 30, 61]) {
    const a = randomSpd(n, n);
    const inverse = a.slice();
    invertSpdInPlace(inverse, n);
    assert.ok(maxAbsOffIdentity(a, inverse, n) < 1e-10, `n=${n}`);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) assert.equal(inverse[i * n + j], inverse[j * n + i]);
  }
});

test('a 2×2 inverse matches the closed form', () => {
  const inverse = new Float64Array([4, 2, 2, 3]);
  invertSpdInPlace(inverse, 2);
  const expected = [3 / 8, -2 / 8, -2 / 8, 4 / 8];
  inverse.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-15));
});

test('a matrix that is not positive definite is a coded error', () => {
  assert.throws(() => invertSpdInPlace(new Float64Array([1, 2, 2, 1]), 2), { code: 'BINGE_RECOMMEND_NOT_POSITIVE_DEFINITE' });
});
