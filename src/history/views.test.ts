import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DEFINITIONS, definitionsWith } from '../domain/definitions.js';
import type { PlaybackEvent } from '../domain/model.js';
import { historyOf } from './index.js';
import { rawHistory, viewIdOf } from './views.js';
import { catalogue, playback, title } from './test-support.js';

const defs = DEFAULT_DEFINITIONS;
const movie = title({ titleId: 't1', runtimeS: 6000 });
const titles = catalogue(
  movie,
  title({ titleId: 'ep1', kind: 'episode', seriesId: 's1', season: 1, episode: 1, runtimeS: 1800 }),
  title({ titleId: 'ep2', kind: 'episode', seriesId: 's1', season: 1, episode: 2, runtimeS: 1800 }),
  title({ titleId: 'credits', runtimeS: 6000, creditsAtS: 5000 }),
  title({ titleId: 'trailer', kind: 'supplemental', supplementalType: 'trailer', runtimeS: 120 }),
);
const viewsOf = (events: PlaybackEvent[], d = defs) => historyOf(events, titles, d).views;

test('a resume within 8 h is the same view', () => {
  const views = viewsOf([
    ...playback({ playbackId: 'before-dinner', at: '2026-03-01T18:00:00Z', watchS: 1800 }),
    ...playback({ playbackId: 'after-dinner', at: '2026-03-02T01:59:00Z', fromS: 1800, watchS: 1200 }), // 7 h 59 min after the end
  ]);
  assert.equal(views.length, 1);
  assert.equal(views[0].sessions, 2);
  assert.equal(views[0].watchedS, 3000);
  assert.equal(views[0].bookmarkS, 3000);
  assert.equal(views[0].viewId, viewIdOf('p1', 't1', 'before-dinner'));
});

test('a resume after 8 h is a new view', () => {
  const views = viewsOf([
    ...playback({ playbackId: 'evening', at: '2026-03-01T18:00:00Z', watchS: 1800 }),
    ...playback({ playbackId: 'next-morning', at: '2026-03-02T02:30:00Z', fromS: 1800, watchS: 1200 }), // 8 h after the end
  ]);
  assert.deepEqual(views.map((v) => [v.watchedS, v.bookmarkS]), [[1800, 1800], [1200, 3000]]);
});

test('an autoplayed episode counts as a view of its own', () => {
  const views = viewsOf([
    ...playback({ playbackId: 'a', titleId: 'ep1', at: '2026-03-01T20:00:00Z', watchS: 1800 }),
    ...playback({ playbackId: 'b', titleId: 'ep2', at: '2026-03-01T20:30:05Z', watchS: 1800, autoplayed: true }),
  ]);
  assert.deepEqual(views.map((v) => [v.titleId, v.kind, v.autoplayed, v.completed]), [
    ['ep1', 'episode', false, true],
    ['ep2', 'episode', true, true],
  ]);
});

test('less than 60 s is not a view, but stays raw history', () => {
  const { sessions, views } = historyOf(
    [
      ...playback({ playbackId: 'peek', at: '2026-03-01T20:00:00Z', watchS: 59 }),
      ...playback({ playbackId: 'watch', titleId: 'ep1', at: '2026-03-01T21:00:00Z', watchS: 60 }),
    ],
    titles,
    defs,
  );
  assert.deepEqual(views.map((v) => v.titleId), ['ep1']);
  assert.deepEqual(rawHistory(sessions, defs).rawOnly.map((s) => s.playbackId), ['peek']);
});

test('a short session neither extends a view nor moves its bookmark', () => {
  const views = viewsOf([
    ...playback({ playbackId: 'a', at: '2026-03-01T18:00:00Z', watchS: 1800 }),
    ...playback({ playbackId: 'peek', at: '2026-03-01T19:00:00Z', fromS: 4000, watchS: 10 }),
  ]);
  assert.equal(views.length, 1);
  assert.equal(views[0].bookmarkS, 1800);
  assert.equal(views[0].sessions, 1);
});

test('90 % is complete (89 % is not)', () => {
  const at = (watchS: number) => viewsOf(playback({ playbackId: 'x', at: '2026-03-01T20:00:00Z', watchS }))[0];
  assert.equal(at(5400).completed, true); // 90 % of 6000 s
  assert.equal(at(5340).completed, false); // 89 %
});

test('the credits marker completes a view before 90 %', () => {
  const views = viewsOf(playback({ playbackId: 'x', titleId: 'credits', at: '2026-03-01T20:00:00Z', watchS: 5000 }));
  assert.equal(views[0].completed, true);
});

test('completeAt is configurable', () => {
  const views = viewsOf(playback({ playbackId: 'x', at: '2026-03-01T20:00:00Z', watchS: 4800 }), definitionsWith({ completeAt: 0.8 }));
  assert.equal(views[0].completed, true);
});

test('supplemental videos are history but not viewing (kind supplemental)', () => {
  const views = viewsOf(playback({ playbackId: 'x', titleId: 'trailer', at: '2026-03-01T20:00:00Z', watchS: 120 }));
  assert.equal(views.length, 1);
  assert.equal(views[0].kind, 'supplemental');
});

test('an unknown title is a movie of unknown runtime, never completed', () => {
  const views = viewsOf(playback({ playbackId: 'x', titleId: 'not-in-catalogue', at: '2026-03-01T20:00:00Z', watchS: 99_000, heartbeatS: 600 }));
  assert.equal(views[0].kind, 'movie');
  assert.equal(views[0].completed, false);
});

test('a view across midnight splits its minutes by the member local day (-06:00)', () => {
  const views = viewsOf([
    ...playback({ playbackId: 'a', at: '2026-03-01T23:00:00-06:00', watchS: 1800 }),
    ...playback({ playbackId: 'b', at: '2026-03-01T23:45:00-06:00', fromS: 1800, watchS: 1800 }),
  ]);
  assert.equal(views.length, 1);
  assert.equal(views[0].day, '2026-03-01');
  assert.deepEqual(views[0].days, [
    { day: '2026-03-01', watchedS: 1800 + 900 },
    { day: '2026-03-02', watchedS: 900 },
  ]);
});

test('a view across midnight without a reported offset uses the country zone (DE)', () => {
  const views = viewsOf(playback({ playbackId: 'a', at: '2026-07-15T21:40:00Z', watchS: 3600, offsetMin: null, country: 'DE' }));
  // 23:40 in Berlin summer time (+02:00).
  assert.equal(views[0].day, '2026-07-15');
  assert.deepEqual(views[0].days, [
    { day: '2026-07-15', watchedS: 1200 },
    { day: '2026-07-16', watchedS: 2400 },
  ]);
});

test('a visibility_timeout ends the view: the bookmark is where nobody answered', () => {
  const events = playback({ playbackId: 'a', at: '2026-03-01T20:00:00Z', watchS: 600 });
  const last = events[events.length - 1];
  events[events.length - 1] = { ...last, type: 'still_watching_answer', userAction: 'visibility_timeout' };
  events.push({ ...last, eventId: 'after', atMs: last.atMs + 600_000, positionS: 1200 });
  const [view] = viewsOf(events);
  assert.equal(view.endedByTimeout, true);
  assert.equal(view.bookmarkS, 600);
  assert.equal(view.watchedS, 600);
});

test('views are hidden=false and their ids are a short sha256 hex of profile|title|first playback', () => {
  const [view] = viewsOf(playback({ playbackId: 'x', at: '2026-03-01T20:00:00Z', watchS: 600 }));
  assert.equal(view.hidden, false);
  assert.match(view.viewId, /^[0-9a-f]{16}$/);
  assert.equal(view.viewId, viewIdOf('p1', 't1', 'x'));
});
