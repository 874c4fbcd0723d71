import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PlaybackEvent, Title } from '../domain/model.js';
import { Player, type PlayRequest } from './player.js';
import { randomFor } from './random.js';

const episode: Title = { titleId: 'ep1', kind: 'episode', name: 'Ep 1', runtimeS: 1320, creditsAtS: 1270 };
const AT = Date.parse('2025-03-01T20:00:00Z');

function player(): Player {
  const p = new Player('tag-0-', 'Europe/Berlin', 'DE', 60, randomFor('player-test'));
  p.profileId = 'm000000-p1';
  p.deviceId = 'm000000-d1';
  return p;
}

const request = (over: Partial<PlayRequest> = {}): PlayRequest => ({
  title: episode,
  fromS: 0,
  toS: 1270,
  atMs: AT,
  autoplayed: false,
  fidgetMin: Infinity,
  prompt: null,
  endAction: 'none',
  hardEndMs: Infinity,
  ...over,
});

test('an uninterrupted playback sends start, a heartbeat every heartbeatS, then stop at the end position', () => {
  const p = player();
  const r = p.play(request());
  const events = p.batch;
  assert.equal(events[0].type, 'start');
  assert.equal(events.at(-1)!.type, 'stop');
  assert.equal(events.at(-1)!.positionS, 1270);
  for (let i = 1; i < events.length - 1; i++) {
    assert.equal(events[i].type, 'heartbeat');
    assert.equal(events[i].atMs - events[i - 1].atMs, 60_000);
    assert.equal(events[i].positionS - events[i - 1].positionS, 60);
  }
  assert.equal(new Set(events.map((e) => e.playbackId)).size, 1);
  assert.equal(r.playedS, 1270);
  assert.equal(events[0].offsetMin, 60); // Berlin in winter
});

test('event ids are unique and carry the member prefix; each play gets a new playbackId', () => {
  const p = player();
  p.play(request());
  p.play(request({ atMs: AT + 3_600_000 }));
  const ids = p.batch.map((e) => e.eventId);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.every((id) => id.startsWith('tag-0-')));
  assert.equal(new Set(p.batch.map((e) => e.playbackId)).size, 2);
});

test('an unanswered still-watching prompt ends the playback with visibility_timeout', () => {
  const p = player();
  const r = p.play(request({ autoplayed: true, prompt: 'visibility_timeout' }));
  assert.deepEqual(
    p.batch.map((e) => [e.type, e.userAction]),
    [
      ['start', 'none'],
      ['still_watching_prompt', 'none'],
      ['still_watching_answer', 'visibility_timeout'],
      ['stop', 'visibility_timeout'],
    ],
  );
  assert.ok(r.timedOut);
  assert.ok(p.batch.every((e) => e.autoplayed));
});

test('an answered prompt counts as interaction and playback goes on', () => {
  const p = player();
  const r = p.play(request({ autoplayed: true, prompt: 'interaction' }));
  assert.equal(p.batch[2].type, 'still_watching_answer');
  assert.equal(p.batch[2].userAction, 'interaction');
  assert.equal(p.batch.at(-1)!.positionS, 1270);
  assert.ok(r.interacted && !r.timedOut);
});

test('pauses keep the position and the playbackId; positions stay within the title', () => {
  const p = player();
  p.play(request({ fidgetMin: 2 }));
  const events: PlaybackEvent[] = p.batch;
  const pauses = events.filter((e) => e.type === 'pause');
  assert.ok(pauses.length > 0 && events.some((e) => e.type === 'seek'));
  for (let i = 1; i < events.length; i++) {
    if (events[i].type === 'resume') {
      assert.equal(events[i - 1].type, 'pause');
      assert.equal(events[i].positionS, events[i - 1].positionS);
    }
    assert.ok(events[i].atMs >= events[i - 1].atMs);
  }
  for (const e of events) assert.ok(e.positionS >= 0 && e.positionS <= episode.runtimeS!);
});

test('a player switched off at hardEndMs stops before it', () => {
  const p = player();
  const hardEndMs = AT + 10 * 60_000 + 30_000;
  const r = p.play(request({ hardEndMs }));
  assert.ok(r.cut);
  assert.equal(p.batch.at(-1)!.type, 'stop');
  assert.ok(p.batch.every((e) => e.atMs < hardEndMs));
});

test('a device that does not report its offset sends offsetMin null', () => {
  const p = player();
  p.reportsOffset = false;
  p.play(request());
  assert.ok(p.batch.every((e) => e.offsetMin === null));
});
