// The insights verbs over a generated population in a real store: every planted case of
// src/demo/README.md is found by `binge insights population --json` and nothing else is flagged
// not-a-person; `binge facts` answers the same question identically and refuses over budget;
// `binge insights year-in-review` compares with the release.
//
// Period: December 2025 only, 60 members, heartbeats every 60 s. Measured here (2 shared
// cores): the full year takes ~60 s to load and derive at 60 members even with 10-minute
// heartbeats, too slow for `npm test`; sparser heartbeats make the derived watched time of
// short sittings fall under streakMinS (1-12 of the 53 Christmas profiles lose a day at
// 300-3600 s), so the test keeps the real heartbeat and shortens the period instead. December
// keeps every case: Christmas (Dec 8-25), the office week (~30 % in), the racer season (55 %
// in), the pirate's run (the whole period, as there is no full calendar year) and the shop.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_DEFINITIONS } from '../domain/definitions.js';
import type { PopulationFacts } from '../insights/population.js';
import type { PublicFactsRelease, YearInReviewAnswer } from '../insights/from-store.js';
import { loadPopulation } from '../bench/insights-data.js';
import type { PlantedCases } from '../demo/population.js';
import { openDuckDbStore } from '../store/duckdb/adapter.js';
import { main } from './main.js';
import type { Output } from './output.js';

const PERIOD = { fromDay: '2025-12-01', toDay: '2025-12-31' };
let dir: string;
let planted: PlantedCases;
let profileCount: number;

function capture(json: boolean): Output & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { json, lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}

async function binge(...args: string[]): Promise<{ code: number; json: unknown; errors: string[] }> {
  const output = capture(args.includes('--json'));
  const code = await main(['--data', dir, ...args], output);
  return { code, json: output.lines.length > 0 ? JSON.parse(output.lines.join('\n')) : undefined, errors: output.errors };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'binge-insights-'));
  const store = await openDuckDbStore({ dataDir: dir });
  try {
    const loaded = await loadPopulation(store, DEFAULT_DEFINITIONS, { members: 60, seed: 'binge', ...PERIOD });
    planted = loaded.population.planted;
    profileCount = loaded.population.profiles.length;
  } finally {
    await store.close();
  }
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('binge insights population --json finds every planted case and flags nothing else as not a person', async () => {
  const { code, json } = await binge('insights', 'population', '--json');
  assert.equal(code, 0);
  const facts = json as PopulationFacts;
  assert.equal(facts.year, 2025, 'the year defaults to the latest with viewing');

  // Shop screen: the only profile that is not a person, and its device the only device.
  assert.deepEqual(facts.notAPerson.filter((f) => f.scope === 'profile').map((f) => f.id), planted.notAPersonProfileIds);
  assert.deepEqual(facts.notAPerson.filter((f) => f.scope === 'device').map((f) => f.id), [planted.shopScreen!.deviceId]);
  assert.equal(facts.profiles, profileCount - 1);

  // Christmas: 53 profiles with exactly 18 days of The Mistletoe Crown.
  const xmas = facts.streaks.filter((s) => s.title === planted.christmas!.titleId && s.scope === 'title');
  assert.equal(xmas.find((s) => s.days === 18)!.profiles, planted.christmas!.profileIds.length);
  assert.equal(xmas.find((s) => s.days === 30)!.profiles, 0);

  // Office week: the top of the weekly list.
  assert.deepEqual(
    { profile: facts.weeklyEpisodes[0].profile, series: facts.weeklyEpisodes[0].series, episodes: facts.weeklyEpisodes[0].episodes },
    { profile: planted.officeWeek!.profileId, series: planted.officeWeek!.seriesId, episodes: planted.officeWeek!.episodes },
  );
  assert.ok(Math.abs(facts.weeklyEpisodes[0].impliedHoursPerDay - planted.officeWeek!.hoursPerDay) < 0.2);

  // Pirate: no full calendar year in the period, so the longest run of anyone is the pirate's whole period.
  assert.deepEqual(facts.everyDay.longestRun, { title: planted.pirateYear!.titleId, scope: 'title', days: 31 });
  assert.deepEqual(facts.everyDay.titles, [], 'nobody can view every day of 2025 in a December-only population');

  // Racers: the planted profiles, no one else.
  const racers = planted.bingeRacers;
  assert.ok(racers.profileIds.length > 0, 'this seed plants at least one racer');
  assert.deepEqual(
    facts.racers.filter((r) => r.series === racers.seriesId),
    [{ series: racers.seriesId, season: racers.season, episodes: facts.racers.find((r) => r.series === racers.seriesId)!.episodes, profiles: racers.profileIds.length }],
  );

  // The documented shape (src/insights/README.md).
  for (const key of ['streaks', 'weeklyEpisodes', 'everyDay', 'countries', 'racers', 'hours', 'notAPerson']) assert.ok(key in facts, key);
  assert.deepEqual(Object.keys(facts.streaks[0]).sort(), ['days', 'profiles', 'scope', 'title']);
  assert.equal(facts.hours.perHourOfDay.length, 24);
  const people = facts.countries.reduce((n, c) => n + c.activeMembers, 0);
  assert.ok(people > 0 && people <= 60);
  assert.ok(facts.hours.perHourOfDay[21] > facts.hours.perHourOfDay[5], 'evenings are busier than 5 am');
});

test('binge facts: the same question gives the same answer for free; over the yearly budget exits 1 with BINGE_DP_BUDGET_EXCEEDED', async () => {
  const first = await binge('facts', '--year', '2025', '--epsilon', '0.6', '--json');
  assert.equal(first.code, 0, first.errors.join('\n'));
  const release = first.json as PublicFactsRelease;
  assert.equal(release.charged, true);
  assert.deepEqual(release.budget, { epsilon: 1, spent: 0.6, remaining: 0.4 });
  for (const f of release.facts) {
    assert.ok(Number.isInteger(f.value) && f.value >= 0);
    assert.equal(f.method, 'discrete-laplace');
    assert.ok(f.epsilon > 0 && f.delta >= 0);
  }
  // Counts of profiles only: no profile id anywhere in a release.
  assert.doesNotMatch(JSON.stringify(release), /m0000\d\d-p\d/);
  const racerFact = release.facts.find((f) => f.key === `racers|${planted.bingeRacers.seriesId}|${planted.bingeRacers.season}`);
  assert.ok(racerFact, 'a season released in the year is a public group: always released');

  const again = await binge('facts', '--year', '2025', '--epsilon', '0.6', '--json');
  assert.equal(again.code, 0);
  const second = again.json as PublicFactsRelease;
  assert.equal(second.charged, false);
  assert.deepEqual(second.facts, release.facts);
  assert.equal(second.budget.spent, 0.6);

  const refused = await binge('facts', '--year', '2025', '--epsilon', '0.5', '--json');
  assert.equal(refused.code, 1);
  assert.equal((refused.json as { error: { code: string } }).error.code, 'BINGE_DP_BUDGET_EXCEEDED');
  assert.match((refused.json as { error: { message: string } }).error.message, /asks epsilon 0\.5 but only 0\.4/);

  // The year in review of a racer compares with the release: "one of about N racers".
  const racer = planted.bingeRacers.profileIds[0];
  const review = await binge('insights', 'year-in-review', racer, '--year', '2025', '--json');
  assert.equal(review.code, 0);
  const answer = review.json as YearInReviewAnswer;
  assert.deepEqual(answer.racer, [{ seriesId: planted.bingeRacers.seriesId, season: planted.bingeRacers.season }]);
  assert.deepEqual(answer.comparisons.find((c) => c.kind === 'racer'), { kind: 'racer', seriesId: planted.bingeRacers.seriesId, season: planted.bingeRacers.season, about: racerFact.value });
  assert.equal(answer.comparedWith?.questionId, release.questionId);
});

test('binge insights: bad arguments are usage errors, an unknown profile is not found', async () => {
  assert.equal((await binge('insights', 'population', '--year', '25')).code, 2);
  assert.equal((await binge('facts', '--epsilon', 'lots')).code, 2);
  const missing = await binge('insights', 'year-in-review', 'nobody', '--year', '2025', '--json');
  assert.equal(missing.code, 1);
  assert.equal((missing.json as { error: { code: string } }).error.code, 'BINGE_NOT_FOUND');
});
