import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_DEFINITIONS as defs } from '../domain/definitions.js';
import { dailyStreaks, watchedEveryDayFor, type Streak } from './streaks.js';
import { episode, movie, plusDays, trailer, viewOf } from './test-support.js';
import { titleLookup } from './viewing.js';

const film = movie('film');
const e1 = episode('office', 1, 1);
const e2 = episode('office', 1, 2);
const titleOf = titleLookup([film, e1, e2, trailer('promo')]);

function find(streaks: Streak[], scope: 'title' | 'series', id: string): Streak | undefined {
  return streaks.find((s) => s.scope === scope && s.id === id);
}

test('a day with less than 5 minutes of the title breaks the streak', () => {
  const views = [
    viewOf(film, '2024-03-01T20:00', 30),
    viewOf(film, '2024-03-02T20:00', 30),
    viewOf(film, '2024-03-03T20:00', 4), // under streakMinS
    viewOf(film, '2024-03-04T20:00', 30),
  ];
  const s = find(dailyStreaks(views, titleOf, defs, '2024-03-04'), 'title', 'film')!;
  assert.deepEqual(s.longest, { fromDay: '2024-03-01', toDay: '2024-03-02', days: 2 });
  assert.equal(s.endingAsOf, 1);
});

test('a view across midnight counts on both days when each side has 5 minutes', () => {
  const views = [viewOf(film, '2024-03-01T23:50', 20)]; // 10 min on the 1st, 10 on the 2nd
  const s = find(dailyStreaks(views, titleOf, defs, '2024-03-02'), 'title', 'film')!;
  assert.deepEqual(s.longest, { fromDay: '2024-03-01', toDay: '2024-03-02', days: 2 });
  assert.equal(s.endingAsOf, 2);
});

test('the local day comes from the member offset, not UTC', () => {
  // 23:30 to 00:10 at UTC-6: 30 min on the 1st and 10 min on the 2nd, local time.
  const views = [viewOf(film, '2024-03-01T23:30', 40, { offsetMin: -360 })];
  const s = find(dailyStreaks(views, titleOf, defs, '2024-03-02'), 'title', 'film')!;
  assert.equal(s.longest.days, 2);
  assert.equal(s.longest.fromDay, '2024-03-01');
});

test('watched X every day for 18 days is a streak of at least 18 days ending on the as-of day', () => {
  const views = Array.from({ length: 18 }, (_, i) => viewOf(film, `${plusDays('2024-05-01', i)}T21:00`, 10));
  const streaks = dailyStreaks(views, titleOf, defs, '2024-05-18');
  const s = find(streaks, 'title', 'film')!;
  assert.equal(watchedEveryDayFor(s, 18), true);
  assert.equal(watchedEveryDayFor(s, 19), false);
  // One day later without viewing, the streak no longer ends on the as-of day.
  const later = find(dailyStreaks(views, titleOf, defs, '2024-05-19'), 'title', 'film')!;
  assert.equal(later.endingAsOf, 0);
  assert.equal(later.longest.days, 18);
});

test('viewing after the as-of day is ignored', () => {
  const views = [viewOf(film, '2024-03-01T20:00', 30), viewOf(film, '2024-03-02T20:00', 30)];
  const s = find(dailyStreaks(views, titleOf, defs, '2024-03-01'), 'title', 'film')!;
  assert.equal(s.longest.days, 1);
  assert.equal(s.endingAsOf, 1);
});

test('different episodes on consecutive days make a series streak but not a title streak', () => {
  const views = [viewOf(e1, '2024-03-01T20:00', 22), viewOf(e2, '2024-03-02T20:00', 22)];
  const streaks = dailyStreaks(views, titleOf, defs, '2024-03-02');
  assert.equal(find(streaks, 'series', 'office')!.longest.days, 2);
  assert.equal(find(streaks, 'title', e1.titleId)!.longest.days, 1);
});

test('two short episodes on one day add up to a viewing day of the series', () => {
  const views = [viewOf(e1, '2024-03-01T20:00', 3), viewOf(e2, '2024-03-01T21:00', 3)];
  const streaks = dailyStreaks(views, titleOf, defs, '2024-03-01');
  assert.equal(find(streaks, 'series', 'office')!.longest.days, 1);
  assert.equal(find(streaks, 'title', e1.titleId), undefined);
});

test('supplemental and hidden views are not viewing', () => {
  const views = [
    viewOf(trailer('promo'), '2024-03-01T20:00', 10),
    viewOf(film, '2024-03-01T20:00', 30, { hidden: true }),
  ];
  assert.deepEqual(dailyStreaks(views, titleOf, defs, '2024-03-01'), []);
});

test('profiles have their own streaks', () => {
  const views = [viewOf(film, '2024-03-01T20:00', 30, { profileId: 'a' }), viewOf(film, '2024-03-02T20:00', 30, { profileId: 'b' })];
  const streaks = dailyStreaks(views, titleOf, defs, '2024-03-02');
  assert.deepEqual(streaks.map((s) => [s.profileId, s.longest.days, s.endingAsOf]).sort(), [['a', 1, 0], ['b', 1, 1]]);
});

test('property: the longest streak is at least the streak ending on any as-of day', () => {
  const dayViews = fc.array(fc.record({ day: fc.integer({ min: 0, max: 40 }), minutes: fc.integer({ min: 1, max: 30 }) }), { maxLength: 60 });
  fc.assert(
    fc.property(dayViews, fc.integer({ min: 0, max: 45 }), (entries, asOfOffset) => {
      const views = entries.map((e) => viewOf(film, `${plusDays('2024-01-01', e.day)}T12:00`, e.minutes));
      const finalLongest = find(dailyStreaks(views, titleOf, defs, '2024-03-01'), 'title', 'film')?.longest.days ?? 0;
      const asOf = find(dailyStreaks(views, titleOf, defs, plusDays('2024-01-01', asOfOffset)), 'title', 'film');
      const ending = asOf?.endingAsOf ?? 0;
      return finalLongest >= ending && (asOf?.longest.days ?? 0) >= ending;
    }),
    { numRuns: 150 },
  );
});
