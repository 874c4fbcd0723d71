// The epsilon budget ledger: how much privacy each data set has spent in each year. Pure logic
// over a small storage port: the DuckDB adapter implements LedgerStore; MemoryLedgerStore is
// for tests. Spending is summed exactly (epsilons are stored as "num/den" rationals), so a
// budget cannot be overrun by rounding. A question already in the ledger costs nothing again:
// its answer comes from the same deterministic noise (random.ts), so it reveals nothing new.
// Delta is recorded with each entry for the published record; the budget limits epsilon.
import { BingeError } from '../../errors.js';
import type { DpMethod, EpsilonInput } from './mechanism.js';
import { epsilonOf } from './mechanism.js';
import type { Rational } from './rational.js';
import { add, compare, formatRational, parseRational, rational, subtract, toNumber } from './rational.js';

export interface LedgerEntry {
  dataset: string;
  year: number;
  /** Identity of the question (release.ts): the same id means the same answer. */
  questionId: string;
  /** Exact epsilon spent, "num/den". */
  epsilon: string;
  delta: number;
  method: DpMethod;
  atMs: number;
}

export interface LedgerStore {
  /** Every entry of one data set and year, in any order. */
  get(dataset: string, year: number): Promise<readonly LedgerEntry[]>;
  append(entry: LedgerEntry): Promise<void>;
}

export class MemoryLedgerStore implements LedgerStore {
  private readonly entries: LedgerEntry[] = [];

  async get(dataset: string, year: number): Promise<readonly LedgerEntry[]> {
    return this.entries.filter((entry) => entry.dataset === dataset && entry.year === year).map((entry) => ({ ...entry }));
  }

  async append(entry: LedgerEntry): Promise<void> {
    this.entries.push({ ...entry });
  }
}

export const DP_BUDGET_EXCEEDED = 'BINGE_DP_BUDGET_EXCEEDED';

// A type (not an interface) so it has the implicit index signature BingeError.details needs.
export type DpBudgetDetails = {
  dataset: string;
  year: number;
  askedEpsilon: number;
  remainingEpsilon: number;
  budgetEpsilon: number;
};

/**
 * A release refused because it would spend more epsilon than the data set has left this year.
 * A BingeError, so the HTTP layer answers 409 (the request conflicts with the state of the
 * ledger; asking for less may succeed) and the CLI exits 1, each in its one place.
 */
export class DpBudgetExceededError extends BingeError {
  declare readonly code: typeof DP_BUDGET_EXCEEDED;
  declare readonly details: DpBudgetDetails;

  constructor(details: DpBudgetDetails) {
    super(
      DP_BUDGET_EXCEEDED,
      `differential privacy budget exceeded for data set "${details.dataset}" in ${details.year}: ` +
        `this release asks epsilon ${details.askedEpsilon} but only ${details.remainingEpsilon} of the yearly ` +
        `budget ${details.budgetEpsilon} remains; ask with a smaller --epsilon, repeat an earlier question ` +
        `(free), or wait for the next year`,
      { details: { ...details } },
    );
    this.name = 'DpBudgetExceededError';
  }
}

export interface Charge {
  dataset: string;
  year: number;
  questionId: string;
  epsilon: Rational;
  delta: number;
  method: DpMethod;
}

export interface ChargeResult {
  /** False when the question was already paid for. */
  charged: boolean;
  spent: Rational;
  remaining: Rational;
}

export type BudgetRule = EpsilonInput | ((dataset: string, year: number) => EpsilonInput);

export class PrivacyLedger {
  /** Charges of one data set and year run one after another (the server is the one writer). */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: LedgerStore,
    private readonly options: { budget: BudgetRule; now?: () => number },
  ) {}

  budgetOf(dataset: string, year: number): Rational {
    const { budget } = this.options;
    return epsilonOf(typeof budget === 'function' ? budget(dataset, year) : budget);
  }

  async spent(dataset: string, year: number): Promise<Rational> {
    const entries = await this.store.get(dataset, year);
    return entries.reduce((sum, entry) => add(sum, parseRational(entry.epsilon)), rational(0n));
  }

  /** Records the spending of a question, or refuses it with DpBudgetExceededError. */
  charge(request: Charge): Promise<ChargeResult> {
    const queueKey = JSON.stringify([request.dataset, request.year]);
    const previous = this.queues.get(queueKey) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.chargeNow(request));
    this.queues.set(queueKey, next);
    return next;
  }

  private async chargeNow(request: Charge): Promise<ChargeResult> {
    const { dataset, year } = request;
    const budget = this.budgetOf(dataset, year);
    const entries = await this.store.get(dataset, year);
    const spent = entries.reduce((sum, entry) => add(sum, parseRational(entry.epsilon)), rational(0n));
    const remaining = compare(spent, budget) >= 0 ? rational(0n) : subtract(budget, spent);
    if (entries.some((entry) => entry.questionId === request.questionId)) return { charged: false, spent, remaining };
    if (compare(request.epsilon, remaining) > 0) {
      throw new DpBudgetExceededError({
        dataset,
        year,
        askedEpsilon: toNumber(request.epsilon),
        remainingEpsilon: toNumber(remaining),
        budgetEpsilon: toNumber(budget),
      });
    }
    await this.store.append({
      dataset,
      year,
      questionId: request.questionId,
      epsilon: formatRational(request.epsilon),
      delta: request.delta,
      method: request.method,
      atMs: (this.options.now ?? Date.now)(),
    });
    const newSpent = add(spent, request.epsilon);
    return { charged: true, spent: newSpent, remaining: subtract(budget, newSpent) };
  }
}
