// Sessions -> views (DEFINITIONS.md, "From events to views"): the resume rule, completion,
// bookmark and rewatch. Pure: the catalogue comes in as `titleOf`.

import { createHash } from 'node:crypto';
import type { Definitions } from '../domain/definitions.js';
import type { Session, Title, TitleKind, View } from '../domain/model.js';
import { effectiveOffsetMin, localDay } from '../domain/time.js';

/** A session long enough to be viewing; shorter ones stay raw history only. */
export function isViewing(session: Session, defs: Definitions): boolean {
  return session.watchedS >= defs.minWatchS;
}

/** Splits sessions into those that make views and those kept only as raw history. */
export function rawHistory(sessions: readonly Session[], defs: Definitions): { viewing: Session[]; rawOnly: Session[] } {
  const viewing: Session[] = [];
  const rawOnly: Session[] = [];
  for (const session of sessions) (isViewing(session, defs) ? viewing : rawOnly).push(session);
  return { viewing, rawOnly };
}

/** Deterministic id: first 16 hex of sha256("profileId|titleId|first playbackId"). */
export function viewIdOf(profileId: string, titleId: string, firstPlaybackId: string): string {
  return createHash('sha256').update(`${profileId}|${titleId}|${firstPlaybackId}`).digest('hex').slice(0, 16);
}

/** Furthest position past completeAt of the runtime, or past the credits marker. */
export function isComplete(furthestS: number, title: Title | undefined, defs: Definitions): boolean {
  if (!title) return false;
  if (title.creditsAtS !== undefined && furthestS >= title.creditsAtS) return true;
  return title.runtimeS !== null && title.runtimeS > 0 && furthestS >= defs.completeAt * title.runtimeS;
}

function bySessionOrder(a: Session, b: Session): number {
  return a.startMs - b.startMs || (a.playbackId < b.playbackId ? -1 : a.playbackId > b.playbackId ? 1 : 0);
}

/**
 * The local day a view started. Session carries no offset, so we use the first day it credited
 * (the start day for any session that begins by playing), else the country's zone.
 */
function startDayOf(first: Session): string {
  return localDay(first.startMs, first.startOffsetMin);
}

function mergeDays(sessions: readonly Session[]): View['days'] {
  const ms = new Map<string, number>();
  for (const s of sessions) for (const d of s.days) ms.set(d.day, (ms.get(d.day) ?? 0) + Math.round(d.watchedS * 1000));
  return [...ms.keys()].sort().map((day) => ({ day, watchedS: (ms.get(day) ?? 0) / 1000 }));
}

function viewOf(sessions: readonly Session[], title: Title | undefined, defs: Definitions): View {
  const first = sessions[0];
  let endMs = first.endMs;
  let last = first; // the session that ended last holds the bookmark
  let watchedMs = 0;
  let furthestS = first.furthestS;
  let interacted = false;
  for (const s of sessions) {
    if (s.endMs >= endMs) {
      endMs = s.endMs;
      last = s;
    }
    watchedMs += Math.round(s.watchedS * 1000);
    if (s.furthestS > furthestS) furthestS = s.furthestS;
    if (s.interacted) interacted = true;
  }
  // An unknown title is kept as a movie of unknown runtime: never completed, never a rewatch.
  const kind: TitleKind = title?.kind ?? 'movie';
  return {
    viewId: viewIdOf(first.profileId, first.titleId, first.playbackId),
    profileId: first.profileId,
    titleId: first.titleId,
    kind,
    startMs: first.startMs,
    endMs,
    watchedS: watchedMs / 1000,
    furthestS,
    bookmarkS: last.lastPositionS,
    completed: isComplete(furthestS, title, defs),
    rewatch: false,
    autoplayed: first.autoplayed,
    endedByTimeout: last.endedByTimeout,
    interacted,
    sessions: sessions.length,
    deviceId: first.deviceId,
    country: first.country,
    offsetMin: first.startOffsetMin,
    day: startDayOf(first),
    days: mergeDays(sessions),
    hidden: false,
  };
}

/**
 * Views of one profile and title, oldest first: a session joins the current view when it starts
 * less than resumeMergeH after the view's end; a completed view after an earlier completed one
 * is a rewatch.
 */
function viewsOfTitle(sessions: Session[], title: Title | undefined, defs: Definitions, out: View[]): void {
  sessions.sort(bySessionOrder);
  const mergeMs = defs.resumeMergeH * 3_600_000;
  let completedBefore = false;
  let from = 0;
  let endMs = sessions[0].endMs;
  for (let i = 1; i <= sessions.length; i++) {
    if (i < sessions.length && sessions[i].startMs - endMs < mergeMs) {
      endMs = Math.max(endMs, sessions[i].endMs);
      continue;
    }
    const view = viewOf(sessions.slice(from, i), title, defs);
    view.rewatch = view.completed && completedBefore;
    completedBefore ||= view.completed;
    out.push(view);
    if (i < sessions.length) {
      from = i;
      endMs = sessions[i].endMs;
    }
  }
}

/**
 * Views from sessions of any profiles. Sessions under minWatchS neither start nor extend a view
 * (a ten-second peek does not move the bookmark or bridge two views). Supplemental titles give
 * views of kind 'supplemental': history, which insights leave out. Sorted by start, then viewId.
 */
export function viewsFromSessions(
  sessions: readonly Session[],
  titleOf: (titleId: string) => Title | undefined,
  defs: Definitions,
): View[] {
  const groups = new Map<string, Session[]>();
  for (const session of sessions) {
    if (!isViewing(session, defs)) continue;
    const key = `${session.profileId}\u0000${session.titleId}`;
    const group = groups.get(key);
    if (group) group.push(session);
    else groups.set(key, [session]);
  }
  const views: View[] = [];
  for (const group of groups.values()) viewsOfTitle(group, titleOf(group[0].titleId), defs, views);
  return views.sort((a, b) => a.startMs - b.startMs || (a.viewId < b.viewId ? -1 : a.viewId > b.viewId ? 1 : 0));
}
