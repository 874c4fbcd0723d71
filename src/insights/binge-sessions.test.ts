import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DEFINITIONS as defs } from '../domain/definitions.js';
import { bingeSessions, biggestBinge } from './binge-sessions.js';
import { episode, movie, viewOf } from './test-support.js';
import { titleLookup } from './viewing.js';

const [e1, e2, e3, e4] = [1, 2, 3, 4].map((n) => episode('dark', 1, n));
const other = episode('other', 1, 1);
const film = movie('film');
const titleOf = titleLookup([e1, e2, e3, e4, other, film]);

test('three episodes each starting within 30 minutes of the previous end are a binge', () => {
  const views = [viewOf(e1, '2024-03-01T20:00', 22), viewOf(e2, '2024-03-01T20:52', 22), viewOf(e3, '2024-03-01T21:44', 22)];
  const [binge] = bingeSessions(views, titleOf, defs);
  assert.equal(binge.episodes, 3);
  assert.equal(binge.seriesId, 'dark');
  assert.equal(binge.startMs, views[0].startMs);
  assert.equal(binge.endMs, views[2].endMs);
  assert.equal(binge.watchedS, 3 * 22 * 60);
});

test('a gap of 31 minutes breaks the chain', () => {
  const views = [viewOf(e1, '2024-03-01T20:00', 22), viewOf(e2, '2024-03-01T20:52', 22), viewOf(e3, '2024-03-01T21:45', 22)];
  assert.deepEqual(bingeSessions(views, titleOf, defs), []);
});

test('two episodes are not a binge', () => {
  assert.deepEqual(bingeSessions([viewOf(e1, '2024-03-01T20:00', 22), viewOf(e2, '2024-03-01T20:22', 22)], titleOf, defs), []);
});

test('replaying one episode is not a binge of distinct episodes', () => {
  const views = [viewOf(e1, '2024-03-01T20:00', 22), viewOf(e1, '2024-03-01T20:22', 22), viewOf(e2, '2024-03-01T20:44', 22)];
  assert.deepEqual(bingeSessions(views, titleOf, defs), []);
});

test('a film between episodes does not break the binge; another series is not part of it', () => {
  const views = [
    viewOf(e1, '2024-03-01T20:00', 22),
    viewOf(other, '2024-03-01T20:22', 5),
    viewOf(e2, '2024-03-01T20:30', 22),
    viewOf(e3, '2024-03-01T20:52', 22),
  ];
  const sessions = bingeSessions(views, titleOf, defs);
  assert.equal(sessions.length, 1);
  assert.equal(sessions[0].views, 3);
});

test('the biggest binge has the most episodes', () => {
  const views = [
    ...[e1, e2, e3].map((e, i) => viewOf(e, `2024-03-01T2${i}:00`, 50)), // 10-minute gaps
    ...[e1, e2, e3, e4].map((e, i) => viewOf(e, `2024-03-05T1${i}:00`, 40)),
  ];
  const sessions = bingeSessions(views, titleOf, defs);
  assert.equal(sessions.length, 2);
  assert.equal(biggestBinge(sessions)!.episodes, 4);
  assert.equal(biggestBinge(sessions)!.day, '2024-03-05');
});
