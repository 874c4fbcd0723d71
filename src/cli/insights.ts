// `binge insights population [--year Y] --json`: the exact population facts of a year (an
// operator's check; never published as is: public numbers go through `binge facts`).
// `binge insights year-in-review PROFILE --year Y [--json]`: one profile's year, exact, compared
// with the latest public release of that year when there is one.

import type { Command } from 'commander';
import { Catalogue } from '../domain/catalogue.js';
import { BingeError } from '../errors.js';
import { refreshViews } from '../history/refresh-views.js';
import { latestYearWithViews, populationFactsOfYear, yearInReviewOf, type InsightsDeps } from '../insights/from-store.js';
import { openDuckDbStore, type DuckDbStore } from '../store/duckdb/adapter.js';
import { duckDbInsights } from '../store/duckdb/insights.js';
import { DuckDbPrivacyStore } from '../store/duckdb/privacy.js';
import { privacyServices } from '../privacy/services.js';
import { operatorReadsHistory } from '../privacy/operator-read.js';
import type { Config } from '../config.js';
import { configFor, usage, type GlobalOptions } from './main.js';
import { print, type Output } from './output.js';

/** Parses --year: a calendar year between 1970 and 9999. */
export function parseYear(value: string | undefined, flag = '--year'): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}$/.test(value) || Number(value) < 1970) throw usage(`${flag} must be a calendar year like 2025, got ${value}`);
  return Number(value);
}

/** Opens the store, brings every dirty profile's views up to date, and hands the insights dependencies over. */
export async function withFreshInsights<T>(config: Config, work: (deps: InsightsDeps, store: DuckDbStore) => Promise<T>): Promise<T> {
  const store = await openDuckDbStore({ dataDir: config.dataDir });
  try {
    const catalogue = new Catalogue(await store.titles());
    await refreshViews(store, catalogue, config.definitions);
    const privacy = new DuckDbPrivacyStore(store);
    const publicFactsProfiles = (nowMs: number) => privacy.profilesConsenting('public_facts', nowMs);
    return await work({ store, insights: duckDbInsights(store), catalogue, defs: config.definitions, now: Date.now, publicFactsProfiles }, store);
  } finally {
    await store.close();
  }
}

export async function yearOrLatest(deps: InsightsDeps, year: number | undefined, dataDir: string): Promise<number> {
  if (year !== undefined) return year;
  const latest = await latestYearWithViews(deps.insights);
  if (latest === undefined) throw new BingeError('BINGE_NOT_FOUND', `no viewing in ${dataDir} yet; load some with \`binge demo\` or \`binge import\``);
  return latest;
}

export function insightsCommand(program: Command, globals: () => GlobalOptions, output: Output): void {
  const insights = program.command('insights').description('binge insights computed from the store (exact; for operators)');

  insights
    .command('population')
    .description('exact population facts of a year as one JSON object (see src/insights/README.md)')
    .option('--year <year>', 'calendar year (default: the latest with viewing)')
    .action(async (options: { year?: string }) => {
      const year = parseYear(options.year);
      const config = configFor(globals());
      await withFreshInsights(config, async (deps) => {
        const facts = await populationFactsOfYear(deps, await yearOrLatest(deps, year, config.dataDir));
        print(output, facts, () =>
          [
            `Population facts of ${facts.year}: ${facts.profiles} profiles counted as people.`,
            `Streak rows: ${facts.streaks.length}; every day of the year: ${facts.everyDay.titles.length} titles; racer seasons: ${facts.racers.length}.`,
            `Countries: ${facts.countries.map((c) => `${c.country} ${c.dailyMembers}/${c.activeMembers}`).join(', ') || 'none'}.`,
            `Not a person: ${facts.notAPerson.map((f) => `${f.scope} ${f.id} (${f.reason})`).join(', ') || 'none'}.`,
            'Use --json for the whole object.',
          ].join('\n'),
        );
      });
    });

  insights
    .command('year-in-review')
    .description("a profile's year in review (exact, personal)")
    .argument('<profile>', 'profile id')
    .requiredOption('--year <year>', 'calendar year')
    .action(async (profileId: string, options: { year: string }) => {
      const year = parseYear(options.year)!;
      const config = configFor(globals());
      await withFreshInsights(config, async (deps, store) => {
        await operatorReadsHistory(privacyServices(store, new DuckDbPrivacyStore(store), Date.now), store, profileId, `binge insights year-in-review ${year}`);
        const review = await yearInReviewOf(deps, profileId, year);
        print(output, review, () => {
          const lines = [`${profileId} in ${year}: ${Math.round(review.minutesWatched)} minutes watched.`];
          if (review.topSeries[0]) lines.push(`Top series: ${review.topSeries.map((s) => s.name).join(', ')}.`);
          if (review.longestStreak) lines.push(`Longest streak: ${review.longestStreak.name}, ${review.longestStreak.days} days (${review.longestStreak.fromDay} to ${review.longestStreak.toDay}).`);
          if (review.biggestBinge) lines.push(`Biggest binge: ${review.biggestBinge.episodes} episodes of ${review.biggestBinge.name} on ${review.biggestBinge.day}.`);
          for (const c of review.comparisons) {
            lines.push(
              c.kind === 'racer'
                ? `You were one of about ${c.about} binge racers of ${c.seriesId} season ${c.season}.`
                : `You were one of about ${c.about} who watched ${c.id} ${c.days}+ days in a row.`,
            );
          }
          return lines.join('\n');
        });
      });
    });
}
