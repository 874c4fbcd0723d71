import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DP_BUDGET_EXCEEDED, DpBudgetExceededError, MemoryLedgerStore, PrivacyLedger } from './ledger.js';
import type { Charge } from './ledger.js';
import { epsilonOf } from './mechanism.js';
import { formatRational, toNumber } from './rational.js';

function charge(questionId: string, epsilon: number, over: Partial<Charge> = {}): Charge {
  return { dataset: 'demo', year: 2024, questionId, epsilon: epsilonOf(epsilon), delta: 1e-6, method: 'discrete-laplace', ...over };
}

test('a release that would exceed the budget is refused with BINGE_DP_BUDGET_EXCEEDED, what was asked and what remains', async () => {
  const store = new MemoryLedgerStore();
  const ledger = new PrivacyLedger(store, { budget: 1, now: () => 42 });
  assert.equal((await ledger.charge(charge('q1', 0.6))).charged, true);
  await assert.rejects(ledger.charge(charge('q2', 0.5)), (error: unknown) => {
    assert.ok(error instanceof DpBudgetExceededError);
    assert.equal(error.code, DP_BUDGET_EXCEEDED);
    assert.equal(error.code, 'BINGE_DP_BUDGET_EXCEEDED');
    assert.equal(error.status, 409);
    assert.deepEqual(error.details, { dataset: 'demo', year: 2024, askedEpsilon: 0.5, remainingEpsilon: 0.4, budgetEpsilon: 1 });
    assert.match(error.message, /asks epsilon 0\.5 but only 0\.4 of the yearly budget 1 remains/);
    return true;
  });
  assert.equal((await store.get('demo', 2024)).length, 1, 'a refused release spends nothing');
  assert.deepEqual(await store.get('demo', 2024), [
    { dataset: 'demo', year: 2024, questionId: 'q1', epsilon: '3/5', delta: 1e-6, method: 'discrete-laplace', atMs: 42 },
  ]);
  assert.equal((await ledger.charge(charge('q3', 0.4))).charged, true, 'exactly the remainder still fits');
});

test('spending is summed exactly: ten releases of 0.1 fill a budget of 1 and the eleventh is refused', async () => {
  const ledger = new PrivacyLedger(new MemoryLedgerStore(), { budget: '1' });
  for (let i = 0; i < 10; i++) await ledger.charge(charge(`q${i}`, 0.1));
  assert.equal(formatRational(await ledger.spent('demo', 2024)), '1/1');
  await assert.rejects(ledger.charge(charge('q10', 1e-9)), DpBudgetExceededError);
});

test('asking the same question again spends nothing', async () => {
  const store = new MemoryLedgerStore();
  const ledger = new PrivacyLedger(store, { budget: 1 });
  const first = await ledger.charge(charge('same', 0.7));
  const again = await ledger.charge(charge('same', 0.7));
  assert.equal(first.charged, true);
  assert.equal(again.charged, false);
  assert.equal(toNumber(again.remaining), 0.3);
  assert.equal((await store.get('demo', 2024)).length, 1);
});

test('a repeated question is answered even when the budget is used up', async () => {
  const ledger = new PrivacyLedger(new MemoryLedgerStore(), { budget: 1 });
  await ledger.charge(charge('all', 1));
  assert.equal((await ledger.charge(charge('all', 1))).charged, false);
  await assert.rejects(ledger.charge(charge('new', 0.01)), DpBudgetExceededError);
});

test('concurrent releases cannot overspend together', async () => {
  const ledger = new PrivacyLedger(new MemoryLedgerStore(), { budget: 1 });
  const outcomes = await Promise.allSettled([ledger.charge(charge('a', 0.6)), ledger.charge(charge('b', 0.6)), ledger.charge(charge('c', 0.3))]);
  assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'rejected', 'fulfilled']);
  assert.ok(toNumber(await ledger.spent('demo', 2024)) <= 1);
});

test('budgets are per data set and per year', async () => {
  const ledger = new PrivacyLedger(new MemoryLedgerStore(), { budget: (dataset, year) => (dataset === 'big' && year === 2025 ? 2 : 1) });
  await ledger.charge(charge('q', 1));
  await ledger.charge(charge('q', 1, { year: 2023 }));
  await ledger.charge(charge('q', 1, { dataset: 'other' }));
  await ledger.charge(charge('q', 2, { dataset: 'big', year: 2025 }));
  await assert.rejects(ledger.charge(charge('q2', 0.5)), DpBudgetExceededError);
  await assert.rejects(ledger.charge(charge('q2', 0.5, { dataset: 'big', year: 2025 })), DpBudgetExceededError);
});
