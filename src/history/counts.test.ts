import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DEFINITIONS } from '../domain/definitions.js';
import { countsByProfileTitle } from './counts.js';
import { historyOf } from './index.js';
import { catalogue, playback, title } from './test-support.js';

const titles = catalogue(title({ titleId: 't1', runtimeS: 3600 }));

test('a rewatch is counted apart from plays and completions', () => {
  const { views } = historyOf(
    [
      ...playback({ playbackId: 'first', at: '2026-03-01T20:00:00Z', watchS: 3600 }),
      ...playback({ playbackId: 'half', at: '2026-03-05T20:00:00Z', watchS: 1800 }),
      ...playback({ playbackId: 'again', at: '2026-03-10T20:00:00Z', watchS: 3600 }),
    ],
    titles,
    DEFAULT_DEFINITIONS,
  );
  assert.deepEqual(views.map((v) => [v.completed, v.rewatch]), [[true, false], [false, false], [true, true]]);
  assert.deepEqual(countsByProfileTitle(views), [{ profileId: 'p1', titleId: 't1', plays: 3, completions: 2, rewatches: 1 }]);
});

test('a title completed by another profile is not a rewatch', () => {
  const { views } = historyOf(
    [
      ...playback({ playbackId: 'a', profileId: 'p1', at: '2026-03-01T20:00:00Z', watchS: 3600 }),
      ...playback({ playbackId: 'b', profileId: 'p2', at: '2026-03-02T20:00:00Z', watchS: 3600 }),
    ],
    titles,
    DEFAULT_DEFINITIONS,
  );
  assert.deepEqual(countsByProfileTitle(views).map((c) => [c.profileId, c.plays, c.completions, c.rewatches]), [
    ['p1', 1, 1, 0],
    ['p2', 1, 1, 0],
  ]);
});

test('a resume is not a second play', () => {
  const { views } = historyOf(
    [
      ...playback({ playbackId: 'a', at: '2026-03-01T20:00:00Z', watchS: 1800 }),
      ...playback({ playbackId: 'b', at: '2026-03-01T22:00:00Z', fromS: 1800, watchS: 1800 }),
    ],
    titles,
    DEFAULT_DEFINITIONS,
  );
  assert.deepEqual(countsByProfileTitle(views), [{ profileId: 'p1', titleId: 't1', plays: 1, completions: 1, rewatches: 0 }]);
});

test('hidden views are not counted', () => {
  const { views } = historyOf(playback({ playbackId: 'a', at: '2026-03-01T20:00:00Z', watchS: 3600 }), titles, DEFAULT_DEFINITIONS);
  assert.deepEqual(countsByProfileTitle(views.map((v) => ({ ...v, hidden: true }))), []);
});
