import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DEFINITIONS } from '../domain/definitions.js';
import type { PlaybackEvent } from '../domain/model.js';
import { sessionize } from './sessions.js';
import { event, playback } from './test-support.js';

const defs = DEFAULT_DEFINITIONS;
const only = (events: PlaybackEvent[]) => {
  const sessions = sessionize(events, defs);
  assert.equal(sessions.length, 1);
  return sessions[0];
};

test('watched time is the position played, one session per playbackId', () => {
  const sessions = sessionize([...playback({ playbackId: 'a', at: '2026-03-01T20:00:00Z', watchS: 600 }), ...playback({ playbackId: 'b', at: '2026-03-01T21:00:00Z', watchS: 300 })], defs);
  assert.deepEqual(sessions.map((s) => [s.playbackId, s.watchedS]), [['a', 600], ['b', 300]]);
});

test('a seek forward is not watching', () => {
  const s = only([
    event({ type: 'start', positionS: 0, at: '2026-03-01T20:00:00Z' }),
    event({ type: 'heartbeat', positionS: 60, at: '2026-03-01T20:01:00Z' }),
    event({ type: 'seek', positionS: 1800, at: '2026-03-01T20:01:01Z' }),
    event({ type: 'heartbeat', positionS: 1860, at: '2026-03-01T20:02:01Z' }),
    event({ type: 'stop', positionS: 1920, at: '2026-03-01T20:03:01Z' }),
  ]);
  assert.equal(s.watchedS, 180);
  assert.equal(s.furthestS, 1920);
});

test('a player that slept adds no time', () => {
  const s = only([
    event({ type: 'start', positionS: 0, at: '2026-03-01T20:00:00Z' }),
    event({ type: 'heartbeat', positionS: 60, at: '2026-03-01T20:01:00Z' }),
    event({ type: 'heartbeat', positionS: 90, at: '2026-03-02T01:01:00Z' }), // five hours later, 30 s further
    event({ type: 'stop', positionS: 150, at: '2026-03-02T01:02:00Z' }),
  ]);
  assert.equal(s.watchedS, 150);
});

test('positions racing ahead of the clock count only the clock time between events', () => {
  const s = only([
    event({ type: 'start', positionS: 0, at: '2026-03-01T20:00:00Z' }),
    event({ type: 'heartbeat', positionS: 60, at: '2026-03-01T20:01:00Z' }),
    event({ type: 'heartbeat', positionS: 7200, at: '2026-03-01T20:01:10Z' }), // woke up claiming two hours
    event({ type: 'stop', positionS: 7260, at: '2026-03-01T20:02:10Z' }),
  ]);
  assert.equal(s.watchedS, 60 + 10 + 60);
});

test('a pause is not watching, even when the position moved meanwhile', () => {
  const s = only([
    event({ type: 'start', positionS: 0, at: '2026-03-01T20:00:00Z' }),
    event({ type: 'pause', positionS: 120, at: '2026-03-01T20:02:00Z' }),
    event({ type: 'resume', positionS: 400, at: '2026-03-01T20:20:00Z' }),
    event({ type: 'stop', positionS: 460, at: '2026-03-01T20:21:00Z' }),
  ]);
  assert.equal(s.watchedS, 180);
});

test('watched time is never negative: going back in the title adds nothing', () => {
  const s = only([
    event({ type: 'start', positionS: 0, at: '2026-03-01T20:00:00Z' }),
    event({ type: 'heartbeat', positionS: 60, at: '2026-03-01T20:01:00Z' }),
    event({ type: 'heartbeat', positionS: 10, at: '2026-03-01T20:02:00Z' }),
    event({ type: 'heartbeat', positionS: 70, at: '2026-03-01T20:03:00Z' }),
  ]);
  assert.equal(s.watchedS, 120);
  assert.equal(s.furthestS, 70);
  assert.equal(s.lastPositionS, 70);
});

test('a visibility_timeout ends the session there: nothing after it counts', () => {
  const events = playback({ playbackId: 'pb1', at: '2026-03-01T22:00:00Z', watchS: 5400 }).slice(0, -1);
  events.push(
    event({ type: 'still_watching_prompt', positionS: 5400, at: '2026-03-01T23:30:00Z' }),
    event({ type: 'still_watching_answer', userAction: 'visibility_timeout', positionS: 5460, at: '2026-03-01T23:31:00Z' }),
    event({ type: 'heartbeat', positionS: 5520, at: '2026-03-01T23:32:00Z' }),
    event({ type: 'stop', positionS: 9000, at: '2026-03-02T00:30:00Z' }),
  );
  const s = only(events);
  assert.equal(s.watchedS, 5460);
  assert.equal(s.endedByTimeout, true);
  assert.equal(s.endMs, Date.parse('2026-03-01T23:31:00Z'));
  assert.equal(s.lastPositionS, 5460);
});

test('duplicates are dropped: a re-sent event counts once', () => {
  const events = playback({ playbackId: 'pb1', at: '2026-03-01T20:00:00Z', watchS: 600 });
  const s = only([...events, ...events.map((e) => ({ ...e })).reverse()]);
  assert.deepEqual(s, only(events));
  assert.equal(s.watchedS, 600);
});

test('a repeated eventId is dropped even when the copy differs: the earliest copy is kept', () => {
  const start = event({ type: 'start', positionS: 0, at: '2026-03-01T20:00:00Z' });
  const heartbeat = event({ type: 'heartbeat', positionS: 60, at: '2026-03-01T20:01:00Z' });
  const stop = event({ type: 'stop', positionS: 120, at: '2026-03-01T20:02:00Z' });
  const restamped = { ...heartbeat, atMs: Date.parse('2026-03-01T20:10:00Z'), positionS: 600 };
  for (const events of [[restamped, start, heartbeat, stop], [start, stop, heartbeat, restamped]]) {
    const s = only(events);
    assert.equal(s.watchedS, 120);
    assert.equal(s.endMs, stop.atMs);
    assert.equal(s.lastPositionS, 120);
  }
});

test('arrival order does not matter: events are ordered by time, then type, then eventId', () => {
  const events = [
    event({ type: 'start', positionS: 0, at: '2026-03-01T20:00:00Z' }),
    event({ type: 'heartbeat', positionS: 60, at: '2026-03-01T20:01:00Z' }),
    event({ type: 'resume', positionS: 120, at: '2026-03-01T20:02:00Z' }),
    event({ type: 'pause', positionS: 120, at: '2026-03-01T20:02:00Z' }),
    event({ type: 'stop', positionS: 180, at: '2026-03-01T20:03:00Z' }),
  ];
  const forward = only(events);
  assert.deepEqual(only([...events].reverse()), forward);
  // A pause and a resume at the same instant end paused: the last minute is not counted.
  assert.equal(forward.watchedS, 120);
});

test('a session across midnight splits its seconds by the local day of the reported offset', () => {
  // 23:30:30 to 00:30:30 in -06:00; the heartbeat gap 23:59:30-00:00:30 is split 30 s / 30 s.
  const s = only(playback({ playbackId: 'pb1', at: '2026-03-01T23:30:30-06:00', watchS: 3600 }));
  assert.deepEqual(s.days, [
    { day: '2026-03-01', watchedS: 1770 },
    { day: '2026-03-02', watchedS: 1830 },
  ]);
  assert.equal(s.watchedS, 3600);
});

test('without a reported offset the day is the country main zone (DE: Europe/Berlin)', () => {
  // 22:30Z is 23:30 in Berlin in January (+01:00): half an hour on each side of midnight.
  const s = only(playback({ playbackId: 'pb1', at: '2026-01-15T22:30:00Z', watchS: 3600, offsetMin: null, country: 'DE' }));
  assert.deepEqual(s.days, [
    { day: '2026-01-15', watchedS: 1800 },
    { day: '2026-01-16', watchedS: 1800 },
  ]);
});

test('two devices of one profile playing at once count the overlap once (the earlier session keeps it)', () => {
  const sessions = sessionize(
    [
      ...playback({ playbackId: 'tv', deviceId: 'tv', at: '2026-03-01T20:00:00Z', watchS: 3600 }),
      ...playback({ playbackId: 'phone', deviceId: 'phone', titleId: 't2', at: '2026-03-01T20:30:00Z', watchS: 3600 }),
    ],
    defs,
  );
  assert.deepEqual(sessions.map((s) => [s.playbackId, s.watchedS]), [['tv', 3600], ['phone', 1800]]);
});

test('different profiles playing at once are each counted in full', () => {
  const sessions = sessionize(
    [
      ...playback({ playbackId: 'a', profileId: 'p1', at: '2026-03-01T20:00:00Z', watchS: 3600 }),
      ...playback({ playbackId: 'b', profileId: 'p2', at: '2026-03-01T20:30:00Z', watchS: 3600 }),
    ],
    defs,
  );
  assert.deepEqual(sessions.map((s) => s.watchedS), [3600, 3600]);
});

test('no more than 24 h per profile per local day, even from two devices playing all day', () => {
  const sessions = sessionize(
    [
      ...playback({ playbackId: 'a', deviceId: 'tv', at: '2026-03-01T00:00:00Z', watchS: 86_400, heartbeatS: 600 }),
      ...playback({ playbackId: 'b', deviceId: 'phone', at: '2026-03-01T00:00:00Z', watchS: 86_400, heartbeatS: 600 }),
    ],
    defs,
  );
  const day = sessions.flatMap((s) => s.days).filter((d) => d.day === '2026-03-01');
  assert.equal(day.reduce((sum, d) => sum + d.watchedS, 0), 86_400);
});

test('the repeated hour when clocks go back is watching like any other hour', () => {
  // Berlin, 25 Oct 2026: 01:30 CEST to 02:30 CET is two hours of wall clock.
  const s = only(playback({ playbackId: 'pb1', at: '2026-10-24T23:30:00Z', watchS: 7200, offsetMin: null, country: 'DE' }));
  assert.equal(s.watchedS, 7200);
  assert.deepEqual(s.days, [{ day: '2026-10-25', watchedS: 7200 }]);
});

test('a local day never holds more than 24 h, even the 25-hour day when clocks go back', () => {
  const sessions = sessionize(
    [
      ...playback({ playbackId: 'a', at: '2026-10-24T22:00:00Z', watchS: 12 * 3600, heartbeatS: 600, offsetMin: null, country: 'DE' }),
      ...playback({ playbackId: 'b', at: '2026-10-25T10:00:00Z', watchS: 13 * 3600, heartbeatS: 600, offsetMin: null, country: 'DE' }),
    ],
    defs,
  );
  // The excess hour is taken from the later session.
  assert.deepEqual(sessions.map((s) => [s.playbackId, s.watchedS, s.days]), [
    ['a', 12 * 3600, [{ day: '2026-10-25', watchedS: 12 * 3600 }]],
    ['b', 12 * 3600, [{ day: '2026-10-25', watchedS: 12 * 3600 }]],
  ]);
});

test('session fields: first event decides autoplay and device, any interaction is recorded', () => {
  const s = only([
    event({ type: 'start', positionS: 0, at: '2026-03-01T20:00:00Z', autoplayed: true, deviceId: 'tv' }),
    event({ type: 'heartbeat', positionS: 600, at: '2026-03-01T20:10:00Z', deviceId: 'tv' }),
    event({ type: 'seek', positionS: 100, at: '2026-03-01T20:10:05Z', userAction: 'interaction', deviceId: 'tv' }),
    event({ type: 'stop', positionS: 160, at: '2026-03-01T20:11:05Z', deviceId: 'tv' }),
  ]);
  assert.equal(s.autoplayed, true);
  assert.equal(s.interacted, true);
  assert.equal(s.endedByTimeout, false);
  assert.equal(s.deviceId, 'tv');
  assert.equal(s.furthestS, 600);
  assert.equal(s.lastPositionS, 160);
  assert.equal(s.startMs, Date.parse('2026-03-01T20:00:00Z'));
  assert.equal(s.endMs, Date.parse('2026-03-01T20:11:05Z'));
  assert.equal(s.watchedS, 660);
});
