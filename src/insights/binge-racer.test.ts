import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DEFINITIONS as defs } from '../domain/definitions.js';
import { bingeRacers } from './binge-racer.js';
import { at, episode, viewOf } from './test-support.js';

const release = at('2024-06-01T07:00');
const season = [1, 2, 3].map((n) => episode('show', 1, n, { releasedAtMs: release }));

/** The three episodes back to back, the last one ending at `lastEnd` (local UTC wall clock). */
function race(lastEnd: string, profileId = 'p1') {
  const end = at(lastEnd);
  return season.map((e, i) => {
    const start = new Date(end - (3 - i) * 22 * 60_000).toISOString().slice(0, 16);
    return viewOf(e, start, 22, { profileId });
  });
}

test('completing every episode within 24 hours of release makes a racer', () => {
  const [result] = bingeRacers(race('2024-06-02T07:00'), season, defs); // exactly 24 h
  assert.deepEqual(result.racers, [{ profileId: 'p1', finishedAtMs: at('2024-06-02T07:00') }]);
  assert.equal(result.episodes, 3);
});

test('a racer who finishes at 24 h + 1 min is not a racer', () => {
  assert.deepEqual(bingeRacers(race('2024-06-02T07:01'), season, defs), []);
});

test('missing one episode is not racing the season', () => {
  const views = race('2024-06-01T20:00').slice(1);
  assert.deepEqual(bingeRacers(views, season, defs), []);
});

test('an uncompleted episode does not count', () => {
  const views = race('2024-06-01T20:00');
  views[1] = { ...views[1], completed: false };
  assert.deepEqual(bingeRacers(views, season, defs), []);
});

test('a season with an episode of unknown release has no racers', () => {
  const titles = [season[0], season[1], { ...season[2], releasedAtMs: undefined }];
  assert.deepEqual(bingeRacers(race('2024-06-01T20:00'), titles, defs), []);
});

test('a season released week by week needs every episode within 24 h of its own release', () => {
  const weekly = [1, 2].map((n) => episode('weekly', 1, n, { releasedAtMs: at(`2024-06-0${n === 1 ? 1 : 8}T07:00`) }));
  const onTime = [viewOf(weekly[0], '2024-06-01T20:00', 22), viewOf(weekly[1], '2024-06-08T20:00', 22)];
  assert.equal(bingeRacers(onTime, weekly, defs)[0].racers.length, 1);
  const late = [viewOf(weekly[0], '2024-06-03T20:00', 22), viewOf(weekly[1], '2024-06-08T20:00', 22)];
  assert.deepEqual(bingeRacers(late, weekly, defs), []);
});

test('racers of a season are listed by finishing time', () => {
  const views = [...race('2024-06-01T23:00', 'b'), ...race('2024-06-01T20:00', 'a')];
  assert.deepEqual(bingeRacers(views, season, defs)[0].racers.map((r) => r.profileId), ['a', 'b']);
});
