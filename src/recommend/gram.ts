// G = XᵀX for a binary interaction matrix X: G[i][j] counts the users who interacted with both
// items i and j (G[i][i] is the popularity of i). Dense n×n row-major, as EASE needs it.
import { mirrorLowerToUpper } from './cholesky.js';
import type { Interactions } from './interactions.js';
import { transpose } from './interactions.js';

/**
 * Built row by row from the item → users lists, so each user's item list adds into one row of
 * G at a time: the row stays in cache instead of scattering increments over the whole matrix.
 */
export function gramMatrix(x: Interactions): Float64Array {
  const n = x.items;
  const g = new Float64Array(n * n);
  const byItem = transpose(x);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let p = byItem.indptr[i]; p < byItem.indptr[i + 1]; p++) {
      const u = byItem.indices[p];
      const end = x.indptr[u + 1];
      // Items are ascending: add only j ≤ i (the lower triangle), stop at i.
      for (let q = x.indptr[u]; q < end; q++) {
        const j = x.indices[q];
        if (j > i) break;
        g[row + j]++;
      }
    }
  }
  mirrorLowerToUpper(g, n);
  return g;
}
