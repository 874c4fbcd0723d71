// The implicit-feedback interaction matrix every model trains on: users × items, binary,
// stored as CSR (compressed sparse rows). Row u lists the items user u interacted with, in
// ascending order without duplicates. Users and items are dense indices 0..n-1; the caller
// keeps the vocabulary (see `indexInteractions`).
import { RecommendError } from './errors.js';

export interface Interactions {
  readonly users: number;
  readonly items: number;
  /** Row pointers, length users + 1: the items of user u are indices[indptr[u] .. indptr[u + 1]). */
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  /** When each interaction happened (epoch ms; the latest when repeated), aligned with indices. */
  readonly atMs?: Float64Array;
}

export interface InteractionPair {
  user: number;
  item: number;
  atMs?: number;
}

/** Builds the binary matrix from (user, item) pairs; repeats collapse to one interaction. */
export function interactionsFromPairs(users: number, items: number, pairs: Iterable<InteractionPair>): Interactions {
  const list = Array.from(pairs);
  const timed = list.length > 0 && list.every((p) => p.atMs !== undefined);
  const counts = new Int32Array(users + 1);
  for (const { user, item } of list) {
    if (!Number.isInteger(user) || user < 0 || user >= users || !Number.isInteger(item) || item < 0 || item >= items) {
      throw new RecommendError(
        'BINGE_RECOMMEND_BAD_INPUT',
        `interaction (user ${user}, item ${item}) is outside the ${users} × ${items} matrix`,
      );
    }
    counts[user + 1]++;
  }
  for (let u = 0; u < users; u++) counts[u + 1] += counts[u];
  const order = new Int32Array(list.length);
  const next = counts.slice(0, users);
  list.forEach((p, n) => (order[next[p.user]++] = n));

  const indptr = new Int32Array(users + 1);
  const indices: number[] = [];
  const times: number[] = [];
  for (let u = 0; u < users; u++) {
    const row = Array.from(order.subarray(counts[u], counts[u + 1])).sort((a, b) => list[a].item - list[b].item);
    for (const n of row) {
      const { item, atMs } = list[n];
      if (indices.length > indptr[u] && indices[indices.length - 1] === item) {
        if (timed) times[times.length - 1] = Math.max(times[times.length - 1], atMs as number);
        continue;
      }
      indices.push(item);
      if (timed) times.push(atMs as number);
    }
    indptr[u + 1] = indices.length;
  }
  return {
    users,
    items,
    indptr,
    indices: Int32Array.from(indices),
    ...(timed ? { atMs: Float64Array.from(times) } : {}),
  };
}

/** The items of one user (a view into the matrix, ascending). */
export function itemsOfUser(x: Interactions, user: number): Int32Array {
  return x.indices.subarray(x.indptr[user], x.indptr[user + 1]);
}

/** The same interactions as items × users (row i lists the users of item i, ascending). */
export function transpose(x: Interactions): Interactions {
  const indptr = new Int32Array(x.items + 1);
  for (let n = 0; n < x.indices.length; n++) indptr[x.indices[n] + 1]++;
  for (let i = 0; i < x.items; i++) indptr[i + 1] += indptr[i];
  const next = indptr.slice(0, x.items);
  const indices = new Int32Array(x.indices.length);
  const atMs = x.atMs ? new Float64Array(x.indices.length) : undefined;
  for (let u = 0; u < x.users; u++) {
    for (let n = x.indptr[u]; n < x.indptr[u + 1]; n++) {
      const slot = next[x.indices[n]]++;
      indices[slot] = u;
      if (atMs && x.atMs) atMs[slot] = x.atMs[n];
    }
  }
  return { users: x.items, items: x.users, indptr, indices, ...(atMs ? { atMs } : {}) };
}

/** How many users interacted with each item. */
export function itemDegrees(x: Interactions): Float64Array {
  const degrees = new Float64Array(x.items);
  for (let n = 0; n < x.indices.length; n++) degrees[x.indices[n]]++;
  return degrees;
}

export interface IndexedInteractions {
  matrix: Interactions;
  userIds: string[];
  itemIds: string[];
}

/** Indexes records with string ids (profiles, titles) into a matrix plus its vocabularies. */
export function indexInteractions(
  records: Iterable<{ userId: string; itemId: string; atMs?: number }>,
): IndexedInteractions {
  const userIndex = new Map<string, number>();
  const itemIndex = new Map<string, number>();
  const pairs: InteractionPair[] = [];
  const indexOf = (map: Map<string, number>, id: string) => {
    let index = map.get(id);
    if (index === undefined) map.set(id, (index = map.size));
    return index;
  };
  for (const r of records) {
    const pair: InteractionPair = { user: indexOf(userIndex, r.userId), item: indexOf(itemIndex, r.itemId) };
    if (r.atMs !== undefined) pair.atMs = r.atMs;
    pairs.push(pair);
  }
  return {
    matrix: interactionsFromPairs(userIndex.size, itemIndex.size, pairs),
    userIds: [...userIndex.keys()],
    itemIds: [...itemIndex.keys()],
  };
}
