import assert from 'node:assert/strict';
import { test } from 'node:test';
import { benchEase, formatBench, syntheticInteractions } from './bench.js';
import { itemsOfUser } from './interactions.js';

test('the synthetic matrix is binary CSR with ascending items per user', () => {
  const x = syntheticInteractions(50, 200, 8, 3);
  assert.equal(x.indptr[x.users], x.indices.length);
  for (let u = 0; u < x.users; u++) {
    const items = itemsOfUser(x, u);
    assert.ok(items.length >= 1);
    for (let p = 1; p < items.length; p++) assert.ok(items[p] > items[p - 1]);
  }
});

test('every inverse the bench times (native, TypeScript, NumPy when present) agrees on the trace', async () => {
  const result = await benchEase({ items: 80, users: 600, perUser: 10, typescriptItems: 50 });
  const bySize = new Map<number, number[]>();
  for (const r of result.inverses) bySize.set(r.n, [...(bySize.get(r.n) ?? []), r.trace]);
  assert.ok(result.inverses.some((r) => r.path === 'typescript-worker' && r.n === 50));
  for (const [n, traces] of bySize) {
    for (const t of traces) assert.ok(Math.abs(t - traces[0]) < 1e-9 * Math.abs(traces[0]), `n=${n}: ${traces.join(', ')}`);
  }
  assert.match(formatBench(result), /EASE bench: 600 users × 80 items/);
});
