// Playback events -> sessions (DEFINITIONS.md, "From events to views"). One session per
// playbackId. Everything is integer milliseconds inside; seconds appear only in the output.
// The result never depends on the arrival order of the events nor on repeated events.

import type { Definitions } from '../domain/definitions.js';
import type { DayShare, PlaybackEvent, PlaybackEventType, Session } from '../domain/model.js';
import { dayNumberToIso, effectiveOffsetMin } from '../domain/time.js';

const DAY_MS = 86_400_000;

/**
 * Tie-break for events of one playback at the same millisecond: the playback begins, plays,
 * then pauses or stops. A pause and a resume at the same instant therefore end paused, which
 * can only count less, never more.
 */
const TYPE_ORDER: Readonly<Record<PlaybackEventType, number>> = {
  start: 0,
  resume: 1,
  heartbeat: 2,
  seek: 3,
  still_watching_prompt: 4,
  still_watching_answer: 5,
  pause: 6,
  stop: 7,
};

/** A total order on events, so which copy of a duplicate survives does not depend on arrival. */
export function compareEvents(a: PlaybackEvent, b: PlaybackEvent): number {
  if (a.atMs !== b.atMs) return a.atMs - b.atMs;
  const byType = TYPE_ORDER[a.type] - TYPE_ORDER[b.type];
  if (byType !== 0) return byType;
  if (a.eventId !== b.eventId) return a.eventId < b.eventId ? -1 : 1;
  return compareRest(a, b);
}

// Only reached for two copies of one eventId with different bodies (a corrupt re-send).
function compareRest(a: PlaybackEvent, b: PlaybackEvent): number {
  const keys = [
    [a.positionS, b.positionS],
    [a.userAction, b.userAction],
    [String(a.autoplayed), String(b.autoplayed)],
    [String(a.offsetMin), String(b.offsetMin)],
    [a.profileId, b.profileId],
    [a.titleId, b.titleId],
    [a.deviceId, b.deviceId],
    [a.country, b.country],
  ] as const;
  for (const [x, y] of keys) if (x !== y) return x < y ? -1 : 1;
  return 0;
}

/** What the event says about the player after it: playing, paused, or unchanged (a seek lands in the state it left). */
function playingAfter(event: PlaybackEvent, playingBefore: boolean): boolean {
  switch (event.type) {
    case 'start':
    case 'resume':
    case 'heartbeat':
      return true;
    case 'pause':
    case 'stop':
      return false;
    case 'still_watching_answer':
      return event.userAction === 'interaction' ? true : playingBefore;
    case 'seek':
    case 'still_watching_prompt':
      return playingBefore;
  }
}

/**
 * A session before overlap clipping. `gaps` holds watched stretches as flat quadruples
 * (UTC start ms, UTC end ms, watched ms, local shift ms): the shift is the UTC offset of the
 * event that opened the stretch.
 */
interface Draft {
  session: Session;
  gaps: number[];
  dayNumbers: number[];
  dayMs: number[];
  watchedMs: number;
}

/** Events of one playback in canonical order, with later copies of an eventId dropped. */
function canonicalEvents(events: PlaybackEvent[], seen: Set<string>): PlaybackEvent[] {
  events.sort(compareEvents);
  if (events.length < 2) return events;
  seen.clear();
  let kept = 0;
  for (const event of events) {
    if (seen.has(event.eventId)) continue;
    seen.add(event.eventId);
    events[kept++] = event;
  }
  events.length = kept;
  return events;
}

function draftOf(events: readonly PlaybackEvent[]): Draft {
  const first = events[0];
  const gaps: number[] = [];
  let playing = playingAfter(first, false);
  let furthestS = first.positionS;
  let interacted = first.userAction === 'interaction';
  let last = first;
  let lastPosMs = Math.round(first.positionS * 1000);
  // Offsets from the country zone are looked up once per hour of the session, not per event.
  let zoneHour = Number.NaN;
  let zoneCountry = '';
  let zoneOffset = 0;
  if (first.userAction !== 'visibility_timeout') {
    for (let i = 1; i < events.length; i++) {
      const event = events[i];
      const posMs = Math.round(event.positionS * 1000);
      // A seek is a jump: the stretch that ends at its landing was not watched.
      if (playing && event.type !== 'seek') {
        const wallMs = event.atMs - last.atMs;
        const watchedMs = Math.min(posMs - lastPosMs, wallMs);
        if (watchedMs > 0) {
          let offsetMin = last.offsetMin;
          if (offsetMin === null) {
            const hour = Math.floor(last.atMs / 3_600_000);
            if (hour !== zoneHour || last.country !== zoneCountry) {
              zoneHour = hour;
              zoneCountry = last.country;
              zoneOffset = effectiveOffsetMin(last.atMs, null, last.country);
            }
            offsetMin = zoneOffset;
          }
          gaps.push(last.atMs, event.atMs, watchedMs, offsetMin * 60_000);
        }
      }
      playing = playingAfter(event, playing);
      if (event.positionS > furthestS) furthestS = event.positionS;
      if (event.userAction === 'interaction') interacted = true;
      last = event;
      lastPosMs = posMs;
      // The member did not answer "are you still watching?": nothing after this counts.
      if (event.userAction === 'visibility_timeout') break;
    }
  }
  return {
    session: {
      playbackId: first.playbackId,
      profileId: first.profileId,
      titleId: first.titleId,
      startMs: first.atMs,
      endMs: last.atMs,
      watchedS: 0,
      furthestS,
      lastPositionS: last.positionS,
      autoplayed: first.autoplayed,
      endedByTimeout: last.userAction === 'visibility_timeout',
      interacted,
      deviceId: first.deviceId,
      country: first.country,
      startOffsetMin: effectiveOffsetMin(first.atMs, first.offsetMin, first.country),
      days: [],
    },
    gaps,
    dayNumbers: [],
    dayMs: [],
    watchedMs: 0,
  };
}

/** Watched ms in [start, x) of a stretch of `lengthMs` holding `watchedMs`, spread evenly; integer and monotone in x. */
function watchedUpTo(watchedMs: number, lengthMs: number, intoMs: number): number {
  const product = watchedMs * intoMs;
  if (product <= Number.MAX_SAFE_INTEGER) return Math.floor(product / lengthMs);
  return Number((BigInt(watchedMs) * BigInt(intoMs)) / BigInt(lengthMs));
}

function addToDay(draft: Draft, dayNumber: number, ms: number): void {
  if (ms <= 0) return;
  draft.watchedMs += ms;
  const at = draft.dayNumbers.lastIndexOf(dayNumber);
  if (at >= 0) draft.dayMs[at] += ms;
  else {
    draft.dayNumbers.push(dayNumber);
    draft.dayMs.push(ms);
  }
}

/**
 * Credits the part of a stretch from `fromMs` to its end to the local days it covers, in
 * proportion to the wall-clock time each day holds (the integer differences telescope, so the
 * days add up exactly, and no day gets more than its share of the wall clock).
 */
function creditStretch(draft: Draft, startMs: number, endMs: number, watchedMs: number, shiftMs: number, fromMs: number): void {
  const lengthMs = endMs - startMs;
  let cursor = fromMs;
  let before = watchedUpTo(watchedMs, lengthMs, cursor - startMs);
  while (cursor < endMs) {
    const dayNumber = Math.floor((cursor + shiftMs) / DAY_MS);
    const until = Math.min(endMs, (dayNumber + 1) * DAY_MS - shiftMs);
    const upTo = until === endMs ? watchedMs : watchedUpTo(watchedMs, lengthMs, until - startMs);
    addToDay(draft, dayNumber, upTo - before);
    before = upTo;
    cursor = until;
  }
}

/**
 * One profile's watched stretches, earliest start first (ties: earlier session, earlier
 * stretch). A stretch over wall-clock time an earlier stretch already covered counts only its
 * uncovered part: two devices playing at once for one profile are counted once.
 */
function creditProfile(drafts: readonly Draft[]): void {
  let ordered = true;
  let previousStart = -Infinity;
  for (const draft of drafts) {
    const g = draft.gaps;
    for (let i = 0; i < g.length && ordered; i += 4) {
      if (g[i] < previousStart) ordered = false;
      previousStart = g[i];
    }
  }
  let coveredUntil = -Infinity;
  const credit = (draft: Draft, g: number[], i: number): void => {
    const from = Math.max(g[i], coveredUntil);
    if (from < g[i + 1]) creditStretch(draft, g[i], g[i + 1], g[i + 2], g[i + 3], from);
    if (g[i + 1] > coveredUntil) coveredUntil = g[i + 1];
  };
  if (ordered) {
    // The usual case (one device at a time): no sort, no allocation.
    for (const draft of drafts) for (let i = 0; i < draft.gaps.length; i += 4) credit(draft, draft.gaps, i);
    return;
  }
  const stretches: { draft: Draft; at: number }[] = [];
  for (const draft of drafts) for (let i = 0; i < draft.gaps.length; i += 4) stretches.push({ draft, at: i });
  stretches.sort((a, b) => a.draft.gaps[a.at] - b.draft.gaps[b.at]); // stable: ties keep session order
  for (const { draft, at } of stretches) credit(draft, draft.gaps, at);
}

/**
 * No local day may hold more than 24 h of one profile. Wall-clock time counted once cannot
 * exceed that unless the day itself is longer (clocks going back) or the offsets jump (travel,
 * a wrong player clock); then the excess is taken from that day's latest sessions.
 */
function capProfileDays(drafts: readonly Draft[]): void {
  let totalMs = 0;
  for (const draft of drafts) totalMs += draft.watchedMs;
  if (totalMs <= DAY_MS) return;
  const perDay = new Map<number, number>();
  for (const draft of drafts) {
    for (let i = 0; i < draft.dayNumbers.length; i++) {
      perDay.set(draft.dayNumbers[i], (perDay.get(draft.dayNumbers[i]) ?? 0) + draft.dayMs[i]);
    }
  }
  for (const [dayNumber, dayTotal] of perDay) {
    let excess = dayTotal - DAY_MS;
    for (let d = drafts.length - 1; d >= 0 && excess > 0; d--) {
      const draft = drafts[d];
      const at = draft.dayNumbers.indexOf(dayNumber);
      if (at < 0) continue;
      const cut = Math.min(excess, draft.dayMs[at]);
      draft.dayMs[at] -= cut;
      draft.watchedMs -= cut;
      excess -= cut;
    }
  }
}

function finish(draft: Draft): Session {
  const { dayNumbers, dayMs } = draft;
  const order = dayNumbers.map((_, i) => i).filter((i) => dayMs[i] > 0);
  if (order.length > 1) order.sort((a, b) => dayNumbers[a] - dayNumbers[b]);
  const days: DayShare[] = order.map((i) => ({ day: dayNumberToIso(dayNumbers[i]), watchedS: dayMs[i] / 1000 }));
  return { ...draft.session, watchedS: draft.watchedMs / 1000, days };
}

/**
 * Sessions of any profiles from events in any order, duplicates included. Sorted by start,
 * then playbackId. `defs` is taken like every history step takes it, though no session rule
 * has a configurable default today.
 */
export function sessionize(events: readonly PlaybackEvent[], _defs: Definitions): Session[] {
  const byPlayback = new Map<string, PlaybackEvent[]>();
  for (const event of events) {
    const group = byPlayback.get(event.playbackId);
    if (group) group.push(event);
    else byPlayback.set(event.playbackId, [event]);
  }
  const seen = new Set<string>();
  const drafts: Draft[] = [];
  for (const group of byPlayback.values()) drafts.push(draftOf(canonicalEvents(group, seen)));
  drafts.sort(
    (a, b) =>
      a.session.startMs - b.session.startMs ||
      (a.session.playbackId < b.session.playbackId ? -1 : a.session.playbackId > b.session.playbackId ? 1 : 0),
  );
  const byProfile = new Map<string, Draft[]>();
  for (const draft of drafts) {
    const list = byProfile.get(draft.session.profileId);
    if (list) list.push(draft);
    else byProfile.set(draft.session.profileId, [draft]);
  }
  for (const list of byProfile.values()) {
    creditProfile(list);
    capProfileDays(list);
  }
  return drafts.map(finish);
}
