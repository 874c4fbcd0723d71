import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { hoursViewed } from './hours.js';
import { movie, plusDays, viewOf } from './test-support.js';
import { titleLookup } from './viewing.js';

const film = movie('film');
const titleOf = titleLookup([film]);

function close(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} != ${expected}`);
}

test('a view across midnight counts its hours on both local days and in both hours', () => {
  const view = viewOf(film, '2024-03-01T23:30', 60, { offsetMin: 60 });
  const hours = hoursViewed([view], titleOf, () => 60);
  assert.deepEqual(hours.perDay, [{ day: '2024-03-01', hours: 0.5 }, { day: '2024-03-02', hours: 0.5 }]);
  close(hours.perHourOfDay[23], 0.5);
  close(hours.perHourOfDay[0], 0.5);
});

test('the hour of day is local: 20:00 in New York is hour 20, not 1', () => {
  const view = viewOf(film, '2024-01-10T20:00', 60, { offsetMin: -300, country: 'US' });
  const hours = hoursViewed([view], titleOf); // default: the country main zone
  close(hours.perHourOfDay[20], 1);
  close(hours.perHourOfDay[1], 0);
});

test('pauses are spread: watched seconds shorter than the span are spread over its hours', () => {
  const view = { ...viewOf(film, '2024-03-01T18:00', 120), watchedS: 3600, days: [{ day: '2024-03-01', watchedS: 3600 }] };
  const hours = hoursViewed([view], titleOf, () => 0);
  close(hours.perHourOfDay[18], 0.5);
  close(hours.perHourOfDay[19], 0.5);
});

test('hours per weekday follow the local day (2024-03-04 was a Monday)', () => {
  const hours = hoursViewed([viewOf(film, '2024-03-04T20:00', 90)], titleOf, () => 0);
  close(hours.perWeekday[0], 1.5);
});

test('hidden views are not counted', () => {
  assert.deepEqual(hoursViewed([viewOf(film, '2024-03-04T20:00', 90, { hidden: true })], titleOf, () => 0).perDay, []);
});

test('property: per-hour hours add up to per-day hours', () => {
  const entries = fc.array(fc.record({ day: fc.integer({ min: 0, max: 20 }), minute: fc.integer({ min: 0, max: 1439 }), length: fc.integer({ min: 1, max: 600 }), offset: fc.integer({ min: -12, max: 14 }) }), { maxLength: 30 });
  fc.assert(
    fc.property(entries, (list) => {
      const views = list.map((e) => {
        const hh = String(Math.floor(e.minute / 60)).padStart(2, '0');
        const mm = String(e.minute % 60).padStart(2, '0');
        return viewOf(film, `${plusDays('2024-01-01', e.day)}T${hh}:${mm}`, e.length, { offsetMin: e.offset * 60, country: String(e.offset) });
      });
      const hours = hoursViewed(views, titleOf, (v) => Number(v.country) * 60);
      const byHour = hours.perHourOfDay.reduce((a, b) => a + b, 0);
      const byDay = hours.perDay.reduce((a, b) => a + b.hours, 0);
      return Math.abs(byHour - byDay) < 1e-6;
    }),
    { numRuns: 100 },
  );
});
