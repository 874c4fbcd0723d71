import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DEFINITIONS as defs } from '../domain/definitions.js';
import { stillWatchingMoments } from './still-watching.js';
import { at, episode, movie, viewOf } from './test-support.js';
import { titleLookup } from './viewing.js';

const eps = [1, 2, 3, 4, 5].map((n) => episode('show', 1, n, { runtimeS: 20 * 60 }));
const film = movie('film');
const titleOf = titleLookup([...eps, film]);
const auto = { autoplayed: true, interacted: false };

test('the third episode autoplayed in a row without interaction is a moment to ask', () => {
  const views = [
    viewOf(eps[0], '2024-03-01T20:00', 20, { interacted: false }), // pressed play
    viewOf(eps[1], '2024-03-01T20:20', 20, auto),
    viewOf(eps[2], '2024-03-01T20:40', 20, auto),
    viewOf(eps[3], '2024-03-01T21:00', 20, auto),
  ];
  assert.deepEqual(stillWatchingMoments(views, titleOf, defs).map((m) => [m.viewId, m.atMs, m.reason]), [[views[3].viewId, at('2024-03-01T21:00'), 'episodes']]);
});

test('an interaction restarts the count', () => {
  const views = [
    viewOf(eps[0], '2024-03-01T20:00', 20, auto),
    viewOf(eps[1], '2024-03-01T20:20', 20, auto),
    viewOf(eps[2], '2024-03-01T20:40', 20, { autoplayed: true, interacted: true }),
    viewOf(eps[3], '2024-03-01T21:00', 20, auto),
  ];
  assert.deepEqual(stillWatchingMoments(views, titleOf, defs), []);
});

test('90 minutes without interaction is a moment to ask, inside the view playing then', () => {
  const views = [viewOf(film, '2024-03-01T20:00', 120, { interacted: false })];
  const moments = stillWatchingMoments(views, titleOf, defs);
  assert.deepEqual(moments.map((m) => [m.atMs, m.reason]), [[at('2024-03-01T21:30'), 'minutes']]);
});

test('89 minutes without interaction is not', () => {
  assert.deepEqual(stillWatchingMoments([viewOf(film, '2024-03-01T20:00', 89, { interacted: false })], titleOf, defs), []);
});

test('a view with interaction never triggers the minutes rule', () => {
  assert.deepEqual(stillWatchingMoments([viewOf(film, '2024-03-01T20:00', 150)], titleOf, defs), []);
});

test('a long unattended view gets one ask per 90 minutes', () => {
  const moments = stillWatchingMoments([viewOf(film, '2024-03-01T20:00', 200, { interacted: false })], titleOf, defs);
  assert.deepEqual(moments.map((m) => m.atMs), [at('2024-03-01T21:30'), at('2024-03-01T23:00')]);
});

test('autoplays on different devices are different players', () => {
  const views = [
    viewOf(eps[0], '2024-03-01T20:00', 20, { ...auto, deviceId: 'tv' }),
    viewOf(eps[1], '2024-03-01T20:20', 20, { ...auto, deviceId: 'phone' }),
    viewOf(eps[2], '2024-03-01T20:40', 20, { ...auto, deviceId: 'tv' }),
  ];
  assert.deepEqual(stillWatchingMoments(views, titleOf, defs), []);
});
