import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DEFINITIONS as defs } from '../domain/definitions.js';
import type { View } from '../domain/model.js';
import { notAPerson } from './not-a-person.js';
import { episode, movie, plusDays, trailer, viewOf } from './test-support.js';
import { titleLookup } from './viewing.js';

const demo = movie('demo-reel', { runtimeS: 30 * 60 });
const eps = Array.from({ length: 40 }, (_, i) => episode('office', 1, i + 1));
const promo = trailer('promo');
// Live channels of unknown runtime: hours of them are not plays of one title.
const live = [movie('live-a', { runtimeS: null }), movie('live-b', { runtimeS: null })];
const titleOf = titleLookup([demo, ...eps, promo, ...live]);

test('the shop screen looping one title all day is flagged, with the reason', () => {
  // 22 h a day on 3 days, one long merged view per day (each loop resumes within 8 h).
  const views = [0, 1, 2].map((d) => viewOf(demo, `${plusDays('2024-03-01', d)}T01:00`, 22 * 60, { profileId: 'shop', deviceId: 'shop-tv', sessions: 44, interacted: false }));
  const flags = notAPerson(views, titleOf, defs);
  assert.deepEqual(flags.find((f) => f.scope === 'profile'), { scope: 'profile', id: 'shop', reason: 'hours', days: 3 });
  assert.equal(flags.find((f) => f.scope === 'device')?.id, 'shop-tv');
});

test('a heavy human binger at 10 hours a day is not flagged', () => {
  const views: View[] = [];
  for (let d = 0; d < 30; d++) {
    for (let i = 0; i < 27; i++) {
      const minutes = 9 * 60 + i * 22;
      const t = `${plusDays('2024-03-01', d)}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
      views.push(viewOf(eps[(d * 27 + i) % 40], t, 22, { profileId: 'fan' }));
    }
  }
  assert.deepEqual(notAPerson(views, titleOf, defs), []);
});

test('more than 20 hours on only two days is not enough', () => {
  const views = [0, 1].map((d) => viewOf(demo, `${plusDays('2024-03-01', d)}T01:00`, 21 * 60));
  assert.deepEqual(notAPerson(views, titleOf, defs), []);
});

test('exactly 20 hours a day is not more than 20', () => {
  const views = [0, 1, 2].map((d) => viewOf(live[0], `${plusDays('2024-03-01', d)}T02:00`, 20 * 60));
  assert.deepEqual(notAPerson(views, titleOf, defs), []);
});

test('8 plays of one title a day on 3 days is a loop even at few hours', () => {
  // 8 sessions merged into one 4-hour view per day.
  const views = [0, 1, 2].map((d) => viewOf(demo, `${plusDays('2024-03-01', d)}T10:00`, 4 * 60, { sessions: 8 }));
  assert.deepEqual(notAPerson(views, titleOf, defs).find((f) => f.scope === 'profile'), { scope: 'profile', id: 'p1', reason: 'loop', days: 3, titleId: 'demo-reel' });
});

test('a loop by seeking back (one session, many runtimes) is a loop too', () => {
  const views = [0, 1, 2].map((d) => viewOf(demo, `${plusDays('2024-03-01', d)}T10:00`, 8 * 30));
  assert.equal(notAPerson(views, titleOf, defs)[0]?.reason, 'loop');
});

test('supplemental videos do not count towards either rule', () => {
  const views = [0, 1, 2].map((d) => viewOf(promo, `${plusDays('2024-03-01', d)}T01:00`, 22 * 60, { sessions: 600 }));
  assert.deepEqual(notAPerson(views, titleOf, defs), []);
});

test('a device is flagged on the sum of its profiles', () => {
  const views = [0, 1, 2].flatMap((d) => [
    viewOf(live[0], `${plusDays('2024-03-01', d)}T00:30`, 11 * 60, { profileId: 'a', deviceId: 'lobby' }),
    viewOf(live[1], `${plusDays('2024-03-01', d)}T12:00`, 11 * 60, { profileId: 'b', deviceId: 'lobby' }),
  ]);
  assert.deepEqual(notAPerson(views, titleOf, defs), [{ scope: 'device', id: 'lobby', reason: 'hours', days: 3 }]);
});
