// Words for a release, as pure functions of the API's answers (no DOM, tested in Node by
// src/web/release-words.test.ts): what a fact counts, how its noise is described, and what asking would cost.

// The shapes of GET /v1/facts that these words need (api.ts re-exports them); here so that Node
// can check this file without the DOM the API client needs.
export const DP_METHODS = ['discrete-laplace', 'discrete-gaussian'] as const;
export type DpMethod = (typeof DP_METHODS)[number];

export type FactGroup =
  | { fact: 'streak'; scope: string; id: string; days: number }
  | { fact: 'every-day'; scope: string; id: string }
  | { fact: 'racers'; series: string; season: string }
  | { fact: 'country-active' | 'country-daily'; country: string };

export interface Budget {
  epsilon: number;
  spent: number;
  remaining: number;
}

/** An epsilon or delta as written by people: no float noise (the ledger is exact to 9 places). */
export function formatNumber(value: number): string {
  return String(Number(value.toPrecision(9)));
}

export const FACT_KINDS: Record<FactGroup['fact'], string> = {
  'country-active': 'Profiles that watched, by country',
  'country-daily': 'Profiles that watched nearly every day, by country',
  streak: 'Profiles with a streak',
  'every-day': 'Profiles that watched a title or series every day',
  racers: 'Profiles that raced through a season',
};

/** What one released count is of, in words: the catalogue's name when the API gives one, else the id. */
export function describeGroup(group: FactGroup, name?: string): string {
  switch (group.fact) {
    case 'country-active':
    case 'country-daily':
      return group.country;
    case 'streak':
      return `${group.days}-day streak on ${name ? `${group.scope} "${name}"` : `${group.scope} ${group.id}`}`;
    case 'every-day':
      return `every day: ${name ? `${group.scope} "${name}"` : `${group.scope} ${group.id}`}`;
    case 'racers':
      return `${name ? `series "${name}"` : `series ${group.series}`}, season ${group.season}`;
  }
}

export function describeNoise(method: DpMethod, noiseParameter: number): string {
  return method === 'discrete-laplace'
    ? `discrete Laplace noise, scale ${formatNumber(noiseParameter)}`
    : `discrete Gaussian noise, variance ${formatNumber(noiseParameter)}`;
}

export function groupRule(kMin: number, threshold: number): string {
  return (
    `A group outside the public catalogue is released only when at least ${kMin} profiles are in it and its noisy count reaches ${formatNumber(threshold)}; ` +
    'a group that does not is left out, not flagged. Groups of the public catalogue are always released.'
  );
}

/** What asking a new question of `epsilon` would do to the year's budget, said before asking. */
export function costNotice(year: number, budget: Budget, epsilon: number): { text: string; overBudget: boolean } {
  const e = formatNumber(epsilon);
  const left = formatNumber(budget.remaining);
  if (!(epsilon > 0)) return { text: 'Give an epsilon above 0: it is the privacy this release spends.', overBudget: false };
  if (epsilon > budget.remaining + 1e-9) {
    return {
      text: `A new question of epsilon ${e} is more than the ${left} left of the ${year} budget (${formatNumber(budget.epsilon)}): the API will refuse it, unless this exact question was asked before on the same data (then it is free).`,
      overBudget: true,
    };
  }
  return {
    text: `Asking spends epsilon ${e} of the ${left} left of the ${year} budget (${formatNumber(budget.epsilon)}), leaving ${formatNumber(Math.max(0, budget.remaining - epsilon))}. The same question asked again on the same data spends nothing.`,
    overBudget: false,
  };
}
