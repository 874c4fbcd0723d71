import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DEFINITIONS as defs } from '../domain/definitions.js';
import { everyDayOfYear } from './every-day.js';
import { episode, movie, plusDays, viewOf } from './test-support.js';
import { titleLookup } from './viewing.js';

const comfort = movie('comfort');
const e1 = episode('friends', 1, 1);
const titleOf = titleLookup([comfort, e1]);

function daily(title = comfort, from = '2024-01-01', days = 366, minutes = 10) {
  return Array.from({ length: days }, (_, i) => viewOf(title, `${plusDays(from, i)}T21:00`, minutes));
}

test('a title viewed on every local day of a leap year is an every-day title', () => {
  const [result] = everyDayOfYear(daily(), titleOf, defs, 2024);
  assert.equal(result.daysInYear, 366);
  assert.deepEqual(result.everyDay, [{ scope: 'title', id: 'comfort' }]);
  assert.equal(result.longest.days, 366);
});

test('one missed day leaves the longest run instead', () => {
  const views = daily().filter((v) => v.day !== '2024-07-01');
  const [result] = everyDayOfYear(views, titleOf, defs, 2024);
  assert.deepEqual(result.everyDay, []);
  assert.deepEqual(result.longest, { scope: 'title', id: 'comfort', days: 183, fromDay: '2024-07-02', toDay: '2024-12-31' });
});

test('runs are cut at the edges of the year', () => {
  const views = daily(comfort, '2023-12-01', 40);
  const [result] = everyDayOfYear(views, titleOf, defs, 2024);
  assert.equal(result.longest.fromDay, '2024-01-01');
  assert.equal(result.longest.days, 9);
});

test('a series counts when different episodes fill the days', () => {
  const views = daily(e1, '2023-01-01', 365);
  const [result] = everyDayOfYear(views, titleOf, defs, 2023);
  assert.deepEqual(result.everyDay.map((s) => s.scope).sort(), ['series', 'title']);
  assert.equal(result.longest.scope, 'title');
});

test('a profile without viewing in the year has no every-day insight', () => {
  assert.deepEqual(everyDayOfYear(daily(comfort, '2023-01-01', 10), titleOf, defs, 2024), []);
});
