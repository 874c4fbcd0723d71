import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_DEFINITIONS } from '../domain/definitions.js';
import { PLAYBACK_EVENT_TYPES, type PlaybackEvent } from '../domain/model.js';
import { historyOf } from './index.js';
import { sessionize } from './sessions.js';
import { catalogue, title } from './test-support.js';

const defs = DEFAULT_DEFINITIONS;
const RUNS = 250;
const titles = catalogue(title({ titleId: 't1', runtimeS: 3000 }), title({ titleId: 't2', kind: 'supplemental', runtimeS: 120 }));
const BASE_MS = Date.parse('2026-03-28T18:00:00Z'); // daylight saving starts in Europe the next night
const HOUR_MS = 3_600_000;

const step = fc.record({
  type: fc.constantFrom(...PLAYBACK_EVENT_TYPES),
  // Mostly heartbeat-sized steps, some at the same millisecond, sometimes a sleeping player or a long night.
  dtMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 120_000 }), fc.integer({ min: 0, max: 12 * HOUR_MS })),
  // Mostly in step with the clock, sometimes racing ahead or going back.
  pace: fc.oneof(fc.constant(1), fc.double({ min: -1, max: 40, noNaN: true })),
  offsetMin: fc.constantFrom<number | null>(null, null, -360, 0, 60, 330, 840, -720),
  userAction: fc.constantFrom('none', 'none', 'none', 'none', 'interaction', 'visibility_timeout' as const),
  autoplayed: fc.boolean(),
});

const playbackArb = fc.record({
  profile: fc.constantFrom('p1', 'p2', 'p3'),
  titleId: fc.constantFrom('t1', 't2', 'unknown'),
  country: fc.constantFrom('US', 'DE', 'XX'),
  device: fc.constantFrom('tv', 'phone'),
  startMs: fc.integer({ min: 0, max: 48 * HOUR_MS }),
  steps: fc.array(step, { minLength: 1, maxLength: 25 }),
});

/** A stream of events for a few profiles and playbacks, each playback's events in time order. */
const streamArb = fc.array(playbackArb, { minLength: 1, maxLength: 8 }).map((playbacks) => {
  const events: PlaybackEvent[] = [];
  playbacks.forEach((pb, p) => {
    let atMs = BASE_MS + pb.startMs;
    let positionMs = 0;
    pb.steps.forEach((s, i) => {
      atMs += s.dtMs;
      positionMs = Math.max(0, Math.round(positionMs + s.dtMs * s.pace));
      events.push({
        eventId: `pb${p}-${i}`,
        playbackId: `pb${p}`,
        profileId: pb.profile,
        titleId: pb.titleId,
        type: i === 0 ? 'start' : s.type,
        positionS: positionMs / 1000,
        atMs,
        offsetMin: s.offsetMin,
        deviceId: pb.device,
        country: pb.country,
        autoplayed: s.autoplayed,
        userAction: s.userAction,
      });
    });
  });
  return events;
});

/** One profile playing for days on end while its offsets jump across the date line. */
const crowdedArb = fc
  .array(
    fc.record({
      startMs: fc.integer({ min: 0, max: 24 * HOUR_MS }),
      steps: fc.array(fc.record({ dtMs: fc.integer({ min: 60_000, max: 8 * HOUR_MS }), offsetMin: fc.constantFrom<number | null>(840, -720, 0, null) }), {
        minLength: 2,
        maxLength: 8,
      }),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((playbacks) =>
    playbacks.flatMap((pb, p) => {
      let atMs = BASE_MS + pb.startMs;
      return pb.steps.map((s, i): PlaybackEvent => {
        atMs += s.dtMs;
        return {
          eventId: `pb${p}-${i}`,
          playbackId: `pb${p}`,
          profileId: 'p1',
          titleId: 't1',
          type: i === 0 ? 'start' : 'heartbeat',
          positionS: (atMs - BASE_MS) / 1000,
          atMs,
          offsetMin: s.offsetMin,
          deviceId: 'tv',
          country: 'DE',
          autoplayed: false,
          userAction: 'none',
        };
      });
    }),
  );

/** Deterministic shuffle with some events sent twice. */
function shuffledWithDuplicates(events: readonly PlaybackEvent[], seed: number): PlaybackEvent[] {
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const out = [...events, ...events.filter(() => random() < 0.3).map((e) => ({ ...e }))];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const ms = (seconds: number): number => Math.round(seconds * 1000);

test('watched time is never negative, nor more than the wall clock of the session', () => {
  fc.assert(
    fc.property(streamArb, (events) => {
      for (const s of sessionize(events, defs)) {
        assert.ok(s.watchedS >= 0);
        assert.ok(ms(s.watchedS) <= s.endMs - s.startMs);
        for (const d of s.days) assert.ok(d.watchedS > 0);
      }
    }),
    { numRuns: RUNS },
  );
});

function assertAtMostADayPerProfileDay(events: readonly PlaybackEvent[]): void {
  const perDay = new Map<string, number>();
  for (const s of sessionize(events, defs)) {
    for (const d of s.days) {
      const key = `${s.profileId}|${d.day}`;
      perDay.set(key, (perDay.get(key) ?? 0) + ms(d.watchedS));
    }
  }
  for (const total of perDay.values()) assert.ok(total <= 86_400_000, `${total} ms in a day`);
}

test('at most 86,400 s per profile per local day', () => {
  fc.assert(fc.property(streamArb, assertAtMostADayPerProfileDay), { numRuns: RUNS });
  fc.assert(fc.property(crowdedArb, assertAtMostADayPerProfileDay), { numRuns: RUNS });
});

test('per-day seconds add up exactly to the total, for sessions and views', () => {
  fc.assert(
    fc.property(streamArb, (events) => {
      const { sessions, views } = historyOf(events, titles, defs);
      for (const item of [...sessions, ...views]) {
        assert.equal(item.days.reduce((sum, d) => sum + ms(d.watchedS), 0), ms(item.watchedS));
      }
    }),
    { numRuns: RUNS },
  );
});

test('the result does not depend on arrival order or repeated events', () => {
  fc.assert(
    fc.property(streamArb, fc.integer(), (events, seed) => {
      assert.deepEqual(historyOf(shuffledWithDuplicates(events, seed), titles, defs), historyOf(events, titles, defs));
    }),
    { numRuns: RUNS },
  );
});
