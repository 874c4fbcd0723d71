import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { boundContributions } from './bounding.js';
import type { BoundedCounts } from './bounding.js';
import { DpBudgetExceededError, MemoryLedgerStore, PrivacyLedger } from './ledger.js';
import { releaseFacts } from './release.js';
import type { FactsQuestion, ReleaseOptions } from './release.js';
import { laplaceTau, releaseThreshold } from './threshold.js';
import { rational } from './rational.js';

const QUESTION: FactsQuestion = { dataset: 'demo', year: 2024, dataVersion: 'v1' };

/** Distinct profiles per fact, each profile in one fact only. */
function counted(sizes: Record<string, number>, maxFacts = 10): BoundedCounts {
  const contributions = Object.entries(sizes).flatMap(([fact, size]) =>
    Array.from({ length: size }, (_, i) => [`${fact}#${i}`, [fact]] as const),
  );
  return boundContributions(contributions, { maxFacts, key: 'bounding' });
}

function options(over: Partial<ReleaseOptions> = {}): ReleaseOptions {
  return {
    epsilon: 1,
    delta: 1e-5,
    kMin: 50,
    maxFacts: 10,
    publicGroups: [],
    secret: 'server-secret',
    ledger: new PrivacyLedger(new MemoryLedgerStore(), { budget: 10 }),
    ...over,
  };
}

test('asking the same question twice gives the same answer and spends once', async () => {
  const store = new MemoryLedgerStore();
  const ledger = new PrivacyLedger(store, { budget: 10 });
  const counts = counted({ big: 5000, other: 900, 'catalogue-a': 40 });
  const first = await releaseFacts(QUESTION, counts, options({ ledger, publicGroups: ['catalogue-a'] }));
  const again = await releaseFacts(QUESTION, counts, options({ ledger, publicGroups: ['catalogue-a'] }));
  assert.equal(first.charged, true);
  assert.equal(again.charged, false);
  assert.deepEqual({ ...again, charged: true }, first);
  assert.equal((await store.get('demo', 2024)).length, 1);
  assert.notDeepEqual(first.facts.map((f) => f.value), [5000, 900, 40], 'noise was added');
});

test('new data is a new question, with new noise and new spending, even under the same data version', async () => {
  const store = new MemoryLedgerStore();
  const ledger = new PrivacyLedger(store, { budget: 10 });
  const before = await releaseFacts(QUESTION, counted({ big: 5000 }), options({ ledger }));
  const after = await releaseFacts(QUESTION, counted({ big: 5001 }), options({ ledger }));
  assert.notEqual(before.questionId, after.questionId);
  assert.equal(after.charged, true);
  assert.equal((await store.get('demo', 2024)).length, 2);
});

test('public groups are always listed, other groups only past floor and threshold, and withheld ones leave no trace', async () => {
  const release = await releaseFacts(
    QUESTION,
    counted({ big: 5000, 'just-above-floor': 60, tiny: 10, 'catalogue-x': 30 }),
    options({ publicGroups: ['catalogue-x', 'catalogue-empty'] }),
  );
  assert.deepEqual(release.facts.map((f) => f.key), ['big', 'catalogue-empty', 'catalogue-x']);
  const text = JSON.stringify(release);
  assert.ok(!text.includes('tiny') && !text.includes('just-above-floor'));
  assert.equal(release.threshold, releaseThreshold(laplaceTau(rational(1n, 10n), 1e-6), 50));
  assert.equal(release.noiseParameter, 10);
  for (const fact of release.facts) {
    assert.ok(Number.isInteger(fact.value) && fact.value >= 0);
    assert.equal(fact.method, 'discrete-laplace');
    assert.equal(fact.epsilon, 0.1, 'ε/maxFacts per fact');
    assert.equal(fact.delta, fact.key.startsWith('catalogue') ? 0 : 1e-5 / 10);
  }
  assert.deepEqual([release.epsilon, release.delta, release.method, release.maxFacts, release.kMin], [1, 1e-5, 'discrete-laplace', 10, 50]);
  const big = release.facts.find((f) => f.key === 'big');
  assert.ok(big && Math.abs(big.value - 5000) < 300); // scale 10: P[|noise| ≥ 300] < e^-29
});

test('a non-public group below the floor is never released (property)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 400 }), { maxKeys: 8 }),
      fc.integer({ min: 1, max: 300 }),
      fc.constantFrom('discrete-laplace' as const, 'discrete-gaussian' as const),
      fc.constantFrom(0.1, 1, 8, 50),
      fc.string(),
      async (sizes, kMin, method, epsilon, secret) => {
        const release = await releaseFacts(QUESTION, counted(sizes), options({ kMin, method, epsilon, secret: `s${secret}`, ledger: new PrivacyLedger(new MemoryLedgerStore(), { budget: 100 }) }));
        for (const fact of release.facts) assert.ok(sizes[fact.key] >= kMin, `${fact.key} (${sizes[fact.key]} < ${kMin}) released`);
      },
    ),
    { numRuns: 150 },
  );
});

test('one profile more or less moves each released fact within the e^(ε/maxFacts) the mechanism promises', async () => {
  const maxFacts = 2;
  const epsilon = 1;
  const trials = 8_000;
  const base = Array.from({ length: 120 }, (_, i) => [`p${i}`, ['x']] as const);
  const atFloor = Array.from({ length: 49 }, (_, i) => [`q${i}`, ['n']] as const);
  const withProfile = boundContributions([...base, ...atFloor, ['target', ['x', 'n']]], { maxFacts, key: 'k' });
  const withoutProfile = boundContributions([...base, ...atFloor], { maxFacts, key: 'k' });
  assert.deepEqual([withProfile.counts.get('n'), withoutProfile.counts.get('n')], [50, 49]);
  const histogram = async (counts: BoundedCounts) => {
    const h = new Map<number, number>();
    for (let t = 0; t < trials; t++) {
      const release = await releaseFacts(QUESTION, counts, options({ epsilon, maxFacts, publicGroups: ['x'], secret: `trial ${t}`, ledger: new PrivacyLedger(new MemoryLedgerStore(), { budget: 1 }) }));
      const x = release.facts.find((f) => f.key === 'x');
      assert.ok(x);
      // 'n' is at the floor (50) only with the profile: it may show with probability ≤ δ′ = δ/maxFacts = 5e-6.
      assert.ok(!release.facts.some((f) => f.key === 'n'), 'the group one profile lifted to the floor appeared');
      h.set(x.value, (h.get(x.value) ?? 0) + 1);
    }
    return h;
  };
  const a = await histogram(withProfile);
  const b = await histogram(withoutProfile);
  const bound = Math.exp(epsilon / maxFacts);
  let checked = 0;
  for (const [value, countA] of a) {
    const countB = b.get(value) ?? 0;
    if (countA < 300 || countB < 300) continue; // relative error of each ratio ≤ ~8 %
    const ratio = Math.max(countA / countB, countB / countA);
    assert.ok(ratio <= bound * 1.25, `released ${value}: ratio ${ratio} > e^(ε/maxFacts) = ${bound}`);
    checked++;
  }
  assert.ok(checked >= 5, `only ${checked} outputs had enough samples`);
});

test('the Gaussian method publishes per-fact guarantees within the release total and repeats itself', async () => {
  const ledger = new PrivacyLedger(new MemoryLedgerStore(), { budget: 10 });
  const counts = counted({ big: 5000, 'catalogue-a': 40 });
  const opts = options({ method: 'discrete-gaussian', ledger, publicGroups: ['catalogue-a'] });
  const first = await releaseFacts(QUESTION, counts, opts);
  const again = await releaseFacts(QUESTION, counts, opts);
  assert.deepEqual(again.facts, first.facts);
  assert.deepEqual(first.facts.map((f) => f.key), ['big', 'catalogue-a']);
  for (const fact of first.facts) {
    assert.equal(fact.method, 'discrete-gaussian');
    assert.ok(fact.epsilon > 0 && fact.epsilon < 1);
    assert.ok(fact.delta >= 0.5e-5 && fact.delta <= 1e-5);
  }
  assert.ok(first.threshold > 50);
});

test('counts bounded more loosely than the release assumes are refused, and so is an over-budget release', async () => {
  await assert.rejects(releaseFacts(QUESTION, counted({ a: 100 }, 20), options({ maxFacts: 10 })), RangeError);
  const ledger = new PrivacyLedger(new MemoryLedgerStore(), { budget: 1 });
  await releaseFacts(QUESTION, counted({ a: 100 }), options({ ledger, epsilon: 0.8 }));
  await assert.rejects(releaseFacts({ ...QUESTION, dataVersion: 'v2' }, counted({ a: 101 }), options({ ledger, epsilon: 0.8 })), DpBudgetExceededError);
});
