import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_DEFINITIONS as defs } from '../domain/definitions.js';
import type { Title, View } from '../domain/model.js';
import { weeklyEpisodes } from './weekly-episodes.js';
import { episode, plusDays, viewOf } from './test-support.js';
import { titleLookup } from './viewing.js';

const office: Title[] = Array.from({ length: 201 }, (_, i) => episode('office', 1 + Math.floor(i / 25), 1 + (i % 25)));
const titleOf = titleLookup(office);

/** Episodes back to back from 08:00 on a day. */
function marathon(day: string, from: number, count: number): View[] {
  return Array.from({ length: count }, (_, i) => {
    const minutes = 8 * 60 + i * 22;
    const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
    const mm = String(minutes % 60).padStart(2, '0');
    return viewOf(office[from + i], `${day}T${hh}:${mm}`, 22);
  });
}

test('188 episodes in 7 days gives 188 and the hours per day their runtimes imply', () => {
  const views: View[] = [];
  let next = 0;
  for (let d = 0; d < 7; d++) {
    const count = d < 6 ? 27 : 26;
    views.push(...marathon(plusDays('2024-02-01', d), next, count));
    next += count;
  }
  const [week] = weeklyEpisodes(views, titleOf, defs);
  assert.equal(week.episodes, 188);
  assert.equal(week.fromDay, '2024-02-01');
  assert.equal(week.toDay, '2024-02-07');
  assert.ok(Math.abs(week.impliedHoursPerDay - (188 * 22) / 60 / 7) < 1e-9); // about 9.85 h/day
});

test('an episode completed twice in the window counts once', () => {
  const views = [viewOf(office[0], '2024-02-01T20:00', 22), viewOf(office[0], '2024-02-02T20:00', 22), viewOf(office[1], '2024-02-02T21:00', 22)];
  assert.equal(weeklyEpisodes(views, titleOf, defs)[0].episodes, 2);
});

test('episodes 7 days apart are not in the same 7-day window', () => {
  const views = [viewOf(office[0], '2024-02-01T20:00', 22), viewOf(office[1], '2024-02-08T20:00', 22)];
  assert.equal(weeklyEpisodes(views, titleOf, defs)[0].episodes, 1);
  const sixApart = [viewOf(office[0], '2024-02-01T20:00', 22), viewOf(office[1], '2024-02-07T20:00', 22)];
  assert.equal(weeklyEpisodes(sixApart, titleOf, defs)[0].episodes, 2);
});

test('uncompleted and hidden episodes do not count', () => {
  const views = [
    viewOf(office[0], '2024-02-01T20:00', 10, { completed: false }),
    viewOf(office[1], '2024-02-01T21:00', 22, { hidden: true }),
    viewOf(office[2], '2024-02-01T22:00', 22),
  ];
  assert.equal(weeklyEpisodes(views, titleOf, defs)[0].episodes, 1);
});

test('an episode finished after midnight completes on the next local day', () => {
  const views = [viewOf(office[0], '2024-02-01T23:50', 22), viewOf(office[1], '2024-02-08T20:00', 22)];
  const [week] = weeklyEpisodes(views, titleOf, defs);
  assert.equal(week.episodes, 2);
  assert.equal(week.toDay, '2024-02-08');
});

test('property: the weekly maximum is at least any single day distinct episodes', () => {
  const entries = fc.array(fc.record({ day: fc.integer({ min: 0, max: 30 }), ep: fc.integer({ min: 0, max: 20 }) }), { minLength: 1, maxLength: 80 });
  fc.assert(
    fc.property(entries, (list) => {
      const views = list.map((e) => viewOf(office[e.ep], `${plusDays('2024-01-01', e.day)}T12:00`, 22));
      const [week] = weeklyEpisodes(views, titleOf, defs);
      const perDay = new Map<number, Set<number>>();
      for (const e of list) perDay.set(e.day, (perDay.get(e.day) ?? new Set()).add(e.ep));
      return [...perDay.values()].every((s) => week.episodes >= s.size);
    }),
    { numRuns: 150 },
  );
});
