// `binge facts --year Y --epsilon E [--delta D] [--method M] --json`: the public facts of a year,
// released with differential privacy (counts of profiles only, each with its epsilon, delta and
// method). The same question gives the same answer for free; a release over the yearly budget
// is refused with BINGE_DP_BUDGET_EXCEEDED (exit 1).

import type { Command } from 'commander';
import { releasePublicFacts } from '../insights/from-store.js';
import { DP_METHODS, type DpMethod } from '../privacy/release/mechanism.js';
import { configFor, usage, type GlobalOptions } from './main.js';
import { print, type Output } from './output.js';
import { parseYear, withFreshInsights, yearOrLatest } from './insights.js';

export const DEFAULT_FACTS_DELTA = 1e-6;

export function parseEpsilon(value: string): number {
  const epsilon = Number(value);
  if (!/^\d*\.?\d+(e-?\d+)?$/i.test(value) || !(epsilon >= 1e-9) || epsilon > 10) throw usage(`--epsilon must be a number between 1e-9 and 10, got ${value}`);
  return epsilon;
}

export function parseDelta(value: string): number {
  const delta = Number(value);
  if (!(delta > 0 && delta < 1)) throw usage(`--delta must be strictly between 0 and 1, got ${value}`);
  return delta;
}

export function factsCommand(program: Command, globals: () => GlobalOptions, output: Output): void {
  program
    .command('facts')
    .description('public facts of a year with differential privacy (spends epsilon from the yearly budget once per question)')
    .option('--year <year>', 'calendar year (default: the latest with viewing)')
    .requiredOption('--epsilon <e>', 'privacy loss of this release')
    .option('--delta <d>', 'failure probability of the release', String(DEFAULT_FACTS_DELTA))
    .option('--method <m>', `one of ${DP_METHODS.join(', ')}`, 'discrete-laplace')
    .action(async (options: { year?: string; epsilon: string; delta: string; method: string }) => {
      const year = parseYear(options.year);
      const epsilon = parseEpsilon(options.epsilon);
      const delta = parseDelta(options.delta);
      if (!DP_METHODS.includes(options.method as DpMethod)) throw usage(`--method must be one of ${DP_METHODS.join(', ')}, got ${options.method}`);
      const config = configFor(globals());
      await withFreshInsights(config, async (deps) => {
        const release = await releasePublicFacts(deps, { year: await yearOrLatest(deps, year, config.dataDir), epsilon, delta, method: options.method as DpMethod });
        print(output, release, () =>
          [
            `Public facts of ${release.year} (${release.method}, epsilon ${release.epsilon}, delta ${release.delta}; ${release.charged ? 'charged' : 'asked before, nothing spent'}; ` +
              `budget ${release.budget.spent}/${release.budget.epsilon} spent):`,
            ...release.facts.filter((f) => f.value > 0).map((f) => `  ${f.key}: ${f.value}`),
            `${release.facts.length} facts released (zeros included with --json).`,
          ].join('\n'),
        );
      });
    });
}
