import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_DEFINITIONS as defs } from '../domain/definitions.js';
import type { View } from '../domain/model.js';
import { populationFacts, type ProfileViews } from './population.js';
import { at, episode, movie, plusDays, viewOf } from './test-support.js';

const comfort = movie('comfort');
const demo = movie('demo', { runtimeS: 30 * 60 });
const season = [1, 2].map((n) => episode('show', 1, n, { releasedAtMs: at('2024-06-01T07:00') }));
const titles = [comfort, demo, ...season];

function daily(profileId: string, from: string, days: number, extra: Partial<View> = {}): View[] {
  return Array.from({ length: days }, (_, i) => viewOf(comfort, `${plusDays(from, i)}T21:00`, 10, { profileId, ...extra }));
}

const shop: ProfileViews = {
  profileId: 'shop',
  country: 'FR',
  views: [0, 1, 2, 3].map((d) => viewOf(demo, `${plusDays('2024-03-01', d)}T01:00`, 22 * 60, { profileId: 'shop', deviceId: 'shop-tv', sessions: 44 })),
};

test('people only: a flagged profile is listed with its reason and counted nowhere else', () => {
  const people: ProfileViews[] = [
    { profileId: 'a', memberId: 'm1', country: 'FR', views: daily('a', '2024-01-01', 20) },
    { profileId: 'b', memberId: 'm2', country: 'FR', views: daily('b', '2024-01-01', 8) },
    shop,
  ];
  const facts = populationFacts({ profiles: people, titles }, defs, 2024);
  assert.equal(facts.profiles, 2);
  assert.deepEqual(facts.notAPerson.filter((f) => f.scope === 'profile'), [{ scope: 'profile', id: 'shop', reason: 'hours', days: 4 }]);
  assert.equal(facts.streaks.some((s) => s.title === 'demo'), false);
  const comfortRows = facts.streaks.filter((s) => s.title === 'comfort').map((s) => [s.days, s.profiles]);
  assert.deepEqual(comfortRows, [[7, 2], [14, 1], [18, 1], [30, 0], [365, 0]]);
  assert.equal(facts.countries[0].activeMembers, 2);
  assert.deepEqual(facts.everyDay.longestRun, { title: 'comfort', scope: 'title', days: 20 });
});

test('every day of the year, racers of the year and hours are counted over people', () => {
  const racer = [viewOf(season[0], '2024-06-01T08:00', 22, { profileId: 'r' }), viewOf(season[1], '2024-06-01T08:22', 22, { profileId: 'r' })];
  const people: ProfileViews[] = [
    { profileId: 'daily', country: 'JP', views: daily('daily', '2024-01-01', 366) },
    { profileId: 'r', country: 'US', views: racer },
  ];
  const facts = populationFacts({ profiles: people, titles }, defs, 2024, { offsetOf: () => 0 });
  assert.deepEqual(facts.everyDay.titles, [{ title: 'comfort', scope: 'title', profiles: 1 }]);
  assert.deepEqual(facts.racers, [{ series: 'show', season: 1, episodes: 2, profiles: 1 }]);
  assert.equal(facts.weeklyEpisodes[0].profile, 'r');
  assert.equal(facts.weeklyEpisodes[0].episodes, 2);
  assert.ok(Math.abs(facts.hours.perHourOfDay[21] - (366 * 10) / 60) < 1e-9);
  assert.equal(facts.countries.find((c) => c.country === 'JP')!.dailyMembers, 1);
  assert.deepEqual(populationFacts({ profiles: people, titles }, defs, 2025).racers, []);
});

test('views on a flagged device are left out of the facts of its other profiles', () => {
  const lobby = (profileId: string, hour: string) =>
    [0, 1, 2].map((d) => viewOf(movie('live', { runtimeS: null }), `${plusDays('2024-03-01', d)}T${hour}`, 11 * 60, { profileId, deviceId: 'lobby' }));
  const facts = populationFacts({ profiles: [{ profileId: 'x', country: 'DE', views: lobby('x', '00:30') }, { profileId: 'y', country: 'DE', views: lobby('y', '12:00') }], titles }, defs, 2024);
  assert.deepEqual(facts.notAPerson, [{ scope: 'device', id: 'lobby', reason: 'hours', days: 3 }]);
  assert.equal(facts.profiles, 2);
  assert.deepEqual(facts.countries, []);
  assert.deepEqual(facts.hours.perDay, []);
});

test('the facts are plain JSON', () => {
  const facts = populationFacts({ profiles: [{ profileId: 'a', country: 'FR', views: daily('a', '2024-01-01', 10) }, shop], titles }, defs, 2024);
  assert.deepEqual(JSON.parse(JSON.stringify(facts)), facts);
});

test('the top weekly list keeps the N largest', () => {
  const eps = Array.from({ length: 6 }, (_, i) => episode('s', 1, i + 1));
  const profiles: ProfileViews[] = [1, 2, 3, 4, 5, 6].map((n) => ({
    profileId: `p${n}`,
    country: 'FR',
    views: eps.slice(0, n).map((e, i) => viewOf(e, `2024-02-0${i + 1}T20:00`, 22, { profileId: `p${n}` })),
  }));
  const facts = populationFacts({ profiles, titles: [...titles, ...eps] }, defs, 2024, { topWeekly: 3 });
  assert.deepEqual(facts.weeklyEpisodes.map((w) => [w.profile, w.episodes]), [['p6', 6], ['p5', 5], ['p4', 4]]);
});

test('property: population streak counts are monotone non-increasing in days', () => {
  const profile = fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 60 });
  fc.assert(
    fc.property(fc.array(profile, { minLength: 1, maxLength: 6 }), (days) => {
      const profiles = days.map((list, i) => ({
        profileId: `p${i}`,
        country: 'FR',
        views: list.map((d) => viewOf(comfort, `${plusDays('2024-01-01', d)}T12:00`, 10, { profileId: `p${i}` })),
      }));
      const facts = populationFacts({ profiles, titles }, defs, 2024, { streakThresholds: [1, 2, 3, 5, 8, 13] });
      const rows = facts.streaks.filter((s) => s.title === 'comfort');
      return rows.every((r, i) => i === 0 || (r.days > rows[i - 1].days && r.profiles <= rows[i - 1].profiles));
    }),
    { numRuns: 100 },
  );
});
