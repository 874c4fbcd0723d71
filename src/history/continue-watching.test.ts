import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DEFINITIONS } from '../domain/definitions.js';
import type { PlaybackEvent, Title } from '../domain/model.js';
import { continueWatching } from './continue-watching.js';
import { historyOf } from './index.js';
import { catalogue, playback, title } from './test-support.js';

const episode = (n: number, releasedAtMs?: number): Title =>
  title({ titleId: `office-${n}`, kind: 'episode', name: `Episode ${n}`, seriesId: 'office', seriesName: 'The Office', season: 2, episode: n, runtimeS: 2700, releasedAtMs });
const episodes = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => episode(n));
const movie = title({ titleId: 'movie', runtimeS: 6000 });
const trailer = title({ titleId: 'trailer', kind: 'supplemental', runtimeS: 120 });
const titles = catalogue(...episodes, movie, trailer);
const episodesOf = (seriesId: string) => (seriesId === 'office' ? episodes : []);
const now = Date.parse('2026-03-10T00:00:00Z');
const viewsOf = (events: PlaybackEvent[]) => historyOf(events, titles, DEFAULT_DEFINITIONS).views;

test('continue watching lists uncompleted views by recency with their bookmark (minute 34 of episode 8)', () => {
  const views = viewsOf([
    ...playback({ playbackId: 'm', titleId: 'movie', at: '2026-03-01T20:00:00Z', watchS: 1200 }),
    ...playback({ playbackId: 'e8', titleId: 'office-8', at: '2026-03-02T20:00:00Z', watchS: 34 * 60 }),
  ]);
  const items = continueWatching(views, titles, episodesOf, now, 10);
  assert.deepEqual(
    items.map((i) => [i.reason, i.titleId, i.positionS, i.seriesName, i.season, i.episode]),
    [
      ['resume', 'office-8', 34 * 60, 'The Office', 2, 8],
      ['resume', 'movie', 1200, undefined, undefined, undefined],
    ],
  );
  assert.equal(items[0].title.name, 'Episode 8');
});

test('continue watching offers the next episode after a completed one', () => {
  const views = viewsOf(playback({ playbackId: 'e3', titleId: 'office-3', at: '2026-03-02T20:00:00Z', watchS: 2700 }));
  const [item] = continueWatching(views, titles, episodesOf, now, 10);
  assert.deepEqual([item.reason, item.titleId, item.positionS, item.episode], ['next_episode', 'office-4', 0, 4]);
});

test('the next episode is not offered when the profile has watched it already', () => {
  const views = viewsOf([
    ...playback({ playbackId: 'e4', titleId: 'office-4', at: '2026-03-01T20:00:00Z', watchS: 2700 }),
    ...playback({ playbackId: 'e3', titleId: 'office-3', at: '2026-03-02T20:00:00Z', watchS: 2700 }),
  ]);
  assert.deepEqual(continueWatching(views, titles, episodesOf, now, 10), []);
});

test('a series is one row: its most recent episode', () => {
  const views = viewsOf([
    ...playback({ playbackId: 'e1', titleId: 'office-1', at: '2026-03-01T20:00:00Z', watchS: 600 }),
    ...playback({ playbackId: 'e2', titleId: 'office-2', at: '2026-03-02T20:00:00Z', watchS: 600 }),
  ]);
  assert.deepEqual(continueWatching(views, titles, episodesOf, now, 10).map((i) => i.titleId), ['office-2']);
});

test('completed movies, hidden views and supplemental videos are not in continue watching; the limit applies', () => {
  const views = viewsOf([
    ...playback({ playbackId: 'm', titleId: 'movie', at: '2026-03-01T20:00:00Z', watchS: 5400 }),
    ...playback({ playbackId: 't', titleId: 'trailer', at: '2026-03-02T20:00:00Z', watchS: 100 }),
    ...playback({ playbackId: 'e1', titleId: 'office-1', at: '2026-03-03T20:00:00Z', watchS: 600 }),
    ...playback({ playbackId: 'e5', titleId: 'office-5', profileId: 'p2', at: '2026-03-04T20:00:00Z', watchS: 600 }),
  ]);
  assert.deepEqual(continueWatching(views, titles, episodesOf, now, 10).map((i) => [i.profileId, i.titleId]), [
    ['p2', 'office-5'],
    ['p1', 'office-1'],
  ]);
  const hidden = views.map((v) => (v.titleId === 'office-1' ? { ...v, hidden: true } : v));
  assert.deepEqual(continueWatching(hidden, titles, episodesOf, now, 1).map((i) => i.titleId), ['office-5']);
});

test('an episode not yet released at now is not offered next', () => {
  const unreleased = [...episodes.slice(0, 3), episode(4, now + 86_400_000)];
  const views = viewsOf(playback({ playbackId: 'e3', titleId: 'office-3', at: '2026-03-02T20:00:00Z', watchS: 2700 }));
  assert.deepEqual(continueWatching(views, titles, () => unreleased, now, 10), []);
});
