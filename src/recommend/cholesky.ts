// Pure TypeScript inverse of a symmetric positive definite matrix: the fallback when the
// native LAPACK addon is not built. Row-major Float64Array, n*n, worked in place.
//
// Three sweeps of about n³/6 multiply-adds each, every inner loop a dot product or an axpy
// over contiguous row prefixes (the row-major analogue of LAPACK's dpotrf, dtrtri, dlauum):
//   1. A = L Lᵀ             (Cholesky–Banachiewicz, row by row)
//   2. L ← L⁻¹              (row i of L⁻¹ is a combination of the rows of L⁻¹ above it)
//   3. A⁻¹ = L⁻ᵀ L⁻¹        (row i needs only rows k ≥ i of L⁻¹, so it can overwrite row i)
import { RecommendError } from './errors.js';

// Each sweep works on blocks of four rows, so a row streamed from memory feeds four
// accumulators: a quarter of the memory traffic of the textbook loops, which on matrices larger
// than the cache is what sets the speed.
const BLOCK = 4;

/** Overwrites the lower triangle of `a` with L such that A = L Lᵀ; the upper triangle is left alone. */
export function choleskyInPlace(a: Float64Array, n: number): void {
  checkShape(a, n);
  const sums = new Float64Array(BLOCK);
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const rows = Math.min(BLOCK, n - i0);
    // Columns left of the block: rows j < i0 of L are final.
    for (let j = 0; j < i0; j++) {
      const rj = j * n;
      dotRows(a, i0 * n, n, rows, rj, j, sums);
      const d = a[rj + j];
      for (let r = 0; r < rows; r++) {
        const at = (i0 + r) * n + j;
        a[at] = (a[at] - sums[r]) / d;
      }
    }
    // The triangle inside the block, row by row.
    for (let r = 0; r < rows; r++) {
      const i = i0 + r;
      const ri = i * n;
      for (let j = i0; j < i; j++) {
        const rj = j * n;
        a[ri + j] = (a[ri + j] - dot(a, ri, rj, j)) / a[rj + j];
      }
      const d = a[ri + i] - dot(a, ri, ri, i);
      if (!(d > 0)) {
        throw new RecommendError(
          'BINGE_RECOMMEND_NOT_POSITIVE_DEFINITE',
          `matrix is not positive definite: leading minor ${i + 1} is not positive (increase the ridge lambda)`,
        );
      }
      a[ri + i] = Math.sqrt(d);
    }
  }
}

/** Replaces the Cholesky factor L (lower triangle of `a`) by L⁻¹, in place. */
export function invertLowerInPlace(a: Float64Array, n: number): void {
  const out = [0, 1, 2, 3].map(() => new Float64Array(n));
  const coef = new Float64Array(BLOCK);
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const rows = Math.min(BLOCK, n - i0);
    for (let r = 0; r < rows; r++) out[r].fill(0, 0, i0 + r + 1);
    // Rows k < i0 of L⁻¹ are final: each feeds the four rows of the block at once.
    for (let k = 0; k < i0; k++) {
      for (let r = 0; r < rows; r++) coef[r] = a[(i0 + r) * n + k];
      axpyRows(out, coef, rows, a, k * n, k + 1);
    }
    // Inside the block: row i0 + r also needs rows i0 .. i0 + r - 1, finished just before it.
    for (let r = 0; r < rows; r++) {
      const i = i0 + r;
      const ri = i * n;
      const row = out[r];
      for (let k = i0; k < i; k++) {
        const c = a[ri + k];
        if (c !== 0) axpy(row, c, a, k * n, k + 1);
      }
      const inv = 1 / a[ri + i];
      for (let j = 0; j < i; j++) a[ri + j] = -row[j] * inv;
      a[ri + i] = inv;
    }
  }
}

/** From L⁻¹ in the lower triangle, writes the full symmetric A⁻¹ = L⁻ᵀ L⁻¹ into `a`. */
export function inverseFromInverseFactorInPlace(a: Float64Array, n: number): void {
  const out = [0, 1, 2, 3].map(() => new Float64Array(n));
  const coef = new Float64Array(BLOCK);
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const rows = Math.min(BLOCK, n - i0);
    const last = i0 + rows - 1;
    for (let r = 0; r < rows; r++) out[r].fill(0, 0, i0 + r + 1);
    // Row i of A⁻¹ sums rows k ≥ i of L⁻¹; rows k ≥ last serve all four at once over their
    // common prefix 0..i0, and each row's few extra columns are added one by one.
    for (let k = last; k < n; k++) {
      const rk = k * n;
      for (let r = 0; r < rows; r++) coef[r] = a[rk + i0 + r];
      axpyRows(out, coef, rows, a, rk, i0 + 1);
      for (let r = 1; r < rows; r++) {
        const c = coef[r];
        for (let j = i0 + 1; j <= i0 + r; j++) out[r][j] += c * a[rk + j];
      }
    }
    for (let k = i0; k < last; k++) {
      const rk = k * n;
      for (let r = 0; r < rows && i0 + r <= k; r++) axpy(out[r], a[rk + i0 + r], a, rk, i0 + r + 1);
    }
    // Rows i0..last of L⁻¹ are not needed by later rows (they sum rows k > last), so overwrite.
    for (let r = 0; r < rows; r++) a.set(out[r].subarray(0, i0 + r + 1), (i0 + r) * n);
  }
  mirrorLowerToUpper(a, n);
}

/** Inverts a symmetric positive definite matrix in place (reads the lower triangle only). */
export function invertSpdInPlace(a: Float64Array, n: number): void {
  choleskyInPlace(a, n);
  invertLowerInPlace(a, n);
  inverseFromInverseFactorInPlace(a, n);
}

function checkShape(a: Float64Array, n: number): void {
  if (!Number.isInteger(n) || n <= 0 || a.length !== n * n) {
    throw new RecommendError('BINGE_RECOMMEND_BAD_INPUT', `expected an n×n matrix with n=${n}, got ${a.length} values`);
  }
}

// sums[r] = Σ_k a[from + r·stride + k] · a[y + k] for k < len and r < rows: one pass over row y.
function dotRows(a: Float64Array, from: number, stride: number, rows: number, y: number, len: number, sums: Float64Array): void {
  if (rows < BLOCK) {
    for (let r = 0; r < rows; r++) sums[r] = dot(a, from + r * stride, y, len);
    return;
  }
  const x0 = from;
  const x1 = from + stride;
  const x2 = from + 2 * stride;
  const x3 = from + 3 * stride;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let k = 0; k < len; k++) {
    const v = a[y + k];
    s0 += a[x0 + k] * v;
    s1 += a[x1 + k] * v;
    s2 += a[x2 + k] * v;
    s3 += a[x3 + k] * v;
  }
  sums[0] = s0;
  sums[1] = s1;
  sums[2] = s2;
  sums[3] = s3;
}

// out[r][k] += coef[r] · a[from + k] for k < len and r < rows: one pass over the source row.
function axpyRows(out: Float64Array[], coef: Float64Array, rows: number, a: Float64Array, from: number, len: number): void {
  if (rows < BLOCK) {
    for (let r = 0; r < rows; r++) if (coef[r] !== 0) axpy(out[r], coef[r], a, from, len);
    return;
  }
  const [o0, o1, o2, o3] = out;
  const c0 = coef[0];
  const c1 = coef[1];
  const c2 = coef[2];
  const c3 = coef[3];
  for (let k = 0; k < len; k++) {
    const v = a[from + k];
    o0[k] += c0 * v;
    o1[k] += c1 * v;
    o2[k] += c2 * v;
    o3[k] += c3 * v;
  }
}

// Σ a[x + k] · a[y + k] for k < len, unrolled by four to keep several adds in flight.
function dot(a: Float64Array, x: number, y: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < len; k += 4) {
    s0 += a[x + k] * a[y + k];
    s1 += a[x + k + 1] * a[y + k + 1];
    s2 += a[x + k + 2] * a[y + k + 2];
    s3 += a[x + k + 3] * a[y + k + 3];
  }
  for (; k < len; k++) s0 += a[x + k] * a[y + k];
  return s0 + s1 + (s2 + s3);
}

// out[k] += c · a[from + k] for k < len.
function axpy(out: Float64Array, c: number, a: Float64Array, from: number, len: number): void {
  let k = 0;
  for (; k + 3 < len; k += 4) {
    out[k] += c * a[from + k];
    out[k + 1] += c * a[from + k + 1];
    out[k + 2] += c * a[from + k + 2];
    out[k + 3] += c * a[from + k + 3];
  }
  for (; k < len; k++) out[k] += c * a[from + k];
}

/** Copies the lower triangle onto the upper one, in tiles so reads and writes stay in cache. */
export function mirrorLowerToUpper(a: Float64Array, n: number): void {
  const tile = 64;
  for (let r0 = 0; r0 < n; r0 += tile) {
    for (let c0 = 0; c0 <= r0; c0 += tile) {
      const r1 = Math.min(r0 + tile, n);
      const c1 = Math.min(c0 + tile, n);
      for (let r = r0; r < r1; r++) {
        for (let c = c0; c < Math.min(c1, r); c++) a[c * n + r] = a[r * n + c];
      }
    }
  }
}
