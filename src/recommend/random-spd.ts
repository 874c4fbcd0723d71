// Deterministic random symmetric positive definite matrices, shaped like EASE's G + λI: the
// Gram matrix of a random sparse binary matrix plus a ridge. Used by tests and the benchmark.

/** A small linear congruential generator: the same seed gives the same matrix everywhere. */
export function seededRandom(seed: number): () => number {
  let state = (seed >>> 0) || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** XᵀX + ridge·I for a random users×n binary X with the given density. */
export function randomSpd(n: number, seed: number, options: { users?: number; density?: number; ridge?: number } = {}): Float64Array {
  const users = options.users ?? 4 * n + 8;
  const density = options.density ?? 0.2;
  const ridge = options.ridge ?? 1;
  const random = seededRandom(seed);
  const a = new Float64Array(n * n);
  const items: number[] = [];
  for (let u = 0; u < users; u++) {
    items.length = 0;
    for (let i = 0; i < n; i++) if (random() < density) items.push(i);
    for (const i of items) for (const j of items) a[i * n + j]++;
  }
  for (let i = 0; i < n; i++) a[i * n + i] += ridge;
  return a;
}
