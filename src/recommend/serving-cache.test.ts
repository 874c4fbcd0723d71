import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ServingCache, type ProfileInputs } from './serving-cache.js';

const inputs = (profileId: string, memberId: string, country: string): ProfileInputs => ({ profileId, memberId, consents: [], country, personal: undefined, catalogueSize: 1 });
const noRefresh = async () => undefined;

test('an entry is kept until a change names its profile or its member', async () => {
  const cache = new ServingCache();
  let reads = 0;
  const load = async () => inputs('p1', 'm1', `read ${++reads}`);
  assert.equal((await cache.inputs('p1', 'm1', noRefresh, load)).country, 'read 1');
  assert.equal((await cache.inputs('p1', 'm1', noRefresh, load)).country, 'read 1');
  cache.apply({ profileIds: ['other'] });
  assert.equal((await cache.inputs('p1', 'm1', noRefresh, load)).country, 'read 1');
  cache.apply({ profileIds: ['p1'] });
  assert.equal((await cache.inputs('p1', 'm1', noRefresh, load)).country, 'read 2');
  cache.apply({ memberIds: ['m1'] });
  assert.equal((await cache.inputs('p1', 'm1', noRefresh, load)).country, 'read 3');
  cache.apply({ catalogue: true });
  assert.equal((await cache.inputs('p1', 'm1', noRefresh, load)).country, 'read 4');
  assert.equal(cache.get('p1', 'another member'), undefined);
});

test('a load during which a change is reported is served but not kept, and later requests do not join it', async () => {
  const cache = new ServingCache();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let reads = 0;
  const slow = async () => {
    const n = ++reads;
    if (n === 1) await gate;
    return inputs('p1', 'm1', `read ${n}`);
  };
  const first = cache.inputs('p1', 'm1', noRefresh, slow);
  await new Promise((resolve) => setImmediate(resolve));
  cache.apply({ profileIds: ['p1'] }); // a write committed while the first load was reading
  const second = cache.inputs('p1', 'm1', noRefresh, slow); // arrives after the write: must not join the first load
  release();
  assert.equal((await first).country, 'read 1');
  assert.equal((await second).country, 'read 2');
  assert.equal(cache.stats.staleLoads, 1);
  assert.equal(cache.get('p1', 'm1')?.country, 'read 2');
});

test('a change reported during the refresh runs the refresh again before reading, so the kept entry follows a clean refresh', async () => {
  const cache = new ServingCache();
  const calls: string[] = [];
  let refreshes = 0;
  const refresh = async () => {
    calls.push('refresh');
    if (++refreshes === 1) cache.apply({ profileIds: ['p1'] }); // the refresh replaced the profile's views
  };
  const got = await cache.inputs('p1', 'm1', refresh, async () => {
    calls.push('read');
    return inputs('p1', 'm1', 'read');
  });
  assert.deepEqual(calls, ['refresh', 'refresh', 'read']);
  assert.equal(cache.get('p1', 'm1'), got);
});

test('the least recently used profile leaves first when the cache is full', async () => {
  const cache = new ServingCache(2);
  for (const p of ['a', 'b']) await cache.inputs(p, 'm', noRefresh, async () => inputs(p, 'm', p));
  cache.get('a', 'm');
  await cache.inputs('c', 'm', noRefresh, async () => inputs('c', 'm', 'c'));
  assert.equal(cache.size, 2);
  assert.equal(cache.get('b', 'm'), undefined);
  assert.ok(cache.get('a', 'm') && cache.get('c', 'm'));
});

test('over any sequence of hits, loads and changes, the cache holds exactly the most recently used profiles', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(fc.constantFrom('get', 'load', 'change'), fc.integer({ min: 0, max: 6 })), { maxLength: 60 }),
      async (steps) => {
        const cache = new ServingCache(3);
        let recency: string[] = []; // least recently used first
        for (const [step, n] of steps) {
          const p = `p${n}`;
          if (step === 'get') {
            if (cache.get(p, 'm') !== undefined) recency = [...recency.filter((q) => q !== p), p];
          } else if (step === 'load') {
            await cache.inputs(p, 'm', noRefresh, async () => inputs(p, 'm', p));
            recency = [...recency.filter((q) => q !== p), p].slice(-3);
          } else {
            cache.apply({ profileIds: [p] });
            recency = recency.filter((q) => q !== p);
          }
          assert.equal(cache.size, recency.length);
        }
        for (const p of recency) assert.equal(cache.get(p, 'm')?.country, p);
      },
    ),
  );
});
