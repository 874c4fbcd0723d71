// Measures over generated events, for the demo's tests: wall-clock playing time per profile and
// local day, the way a checker would read the events without the sessionizer.

import type { PlaybackEvent } from '../domain/model.js';
import { effectiveOffsetMin, localDay } from '../domain/time.js';

/** After these event types the player is playing; after pause and the prompt it is not. */
const PLAYING_AFTER = new Set(['start', 'heartbeat', 'resume', 'seek', 'still_watching_answer']);

export function eventLocalDay(e: PlaybackEvent): string {
  return localDay(e.atMs, effectiveOffsetMin(e.atMs, e.offsetMin, e.country));
}

/** Seconds of wall-clock playing per profile and local day (gaps between events while playing). */
export function playingSecondsByProfileDay(events: Iterable<PlaybackEvent>): Map<string, Map<string, number>> {
  return playingSecondsByDay(events, (e) => e.profileId);
}

/** Seconds of wall-clock playing per key (e.g. profile and title) and local day. */
export function playingSecondsByDay(events: Iterable<PlaybackEvent>, keyOf: (e: PlaybackEvent) => string): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  const previous = new Map<string, PlaybackEvent>();
  for (const e of events) {
    const prev = previous.get(e.playbackId);
    if (prev && PLAYING_AFTER.has(prev.type) && !(prev.type === 'still_watching_answer' && prev.userAction !== 'interaction')) {
      const day = eventLocalDay(prev);
      const key = keyOf(e);
      let days = out.get(key);
      if (!days) out.set(key, (days = new Map()));
      days.set(day, (days.get(day) ?? 0) + (e.atMs - prev.atMs) / 1000);
    }
    if (e.type === 'stop') previous.delete(e.playbackId);
    else previous.set(e.playbackId, e);
  }
  return out;
}

/** Per playback: its events' profile, title, first and last instant, furthest position. */
export interface PlaybackSummary {
  playbackId: string;
  profileId: string;
  titleId: string;
  startMs: number;
  endMs: number;
  furthestS: number;
  startDay: string;
  autoplayed: boolean;
  types: string[];
}

export function summarizePlaybacks(events: Iterable<PlaybackEvent>): Map<string, PlaybackSummary> {
  const out = new Map<string, PlaybackSummary>();
  for (const e of events) {
    let s = out.get(e.playbackId);
    if (!s) {
      s = { playbackId: e.playbackId, profileId: e.profileId, titleId: e.titleId, startMs: e.atMs, endMs: e.atMs, furthestS: 0, startDay: eventLocalDay(e), autoplayed: e.autoplayed, types: [] };
      out.set(e.playbackId, s);
    }
    s.endMs = Math.max(s.endMs, e.atMs);
    s.furthestS = Math.max(s.furthestS, e.positionS);
    s.types.push(e.type);
  }
  return out;
}
