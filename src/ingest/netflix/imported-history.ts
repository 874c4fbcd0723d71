// Imported history as the definition: a Netflix row is stored as one ImportedSession (not as
// events), and what it means is the two events the reader makes of it (parse.ts: a start at
// Start Time at Bookmark - Duration, a stop at Start Time + Duration at Bookmark). The imported
// views of a profile are the pure functions of src/history over those events, with their ids
// marked as imported. The store may compute the same views itself (imported-views.test.ts
// holds the two equal). Pure: no I/O.

import type { Definitions } from '../../domain/definitions.js';
import type { PlaybackEvent, Title, View } from '../../domain/model.js';
import { historyOf } from '../../history/index.js';
import { viewIdOf } from '../../history/views.js';
import { IMPORTED_VIEW_ID_PREFIX, type ImportedSession } from '../../store/csv-import-port.js';
import { ID_HEX_LENGTH } from './ids.js';
import type { NetflixViewingRow } from './parse.js';

/** The row as stored: its ids and the fields its events carry. */
export function sessionOfRow(row: NetflixViewingRow): ImportedSession {
  const [start, stop] = row.events;
  return {
    rowId: start.playbackId,
    profileId: start.profileId,
    titleId: start.titleId,
    startMs: row.startMs,
    durationS: row.durationS,
    bookmarkS: row.bookmarkS,
    deviceId: start.deviceId,
    country: start.country,
    autoplayed: start.autoplayed,
    userAction: start.userAction as ImportedSession['userAction'],
  };
}

/** The two events the row stands for, exactly as parse.ts makes them. */
export function eventsOfSession(s: ImportedSession): [PlaybackEvent, PlaybackEvent] {
  const common = {
    playbackId: s.rowId.slice(0, ID_HEX_LENGTH),
    profileId: s.profileId,
    titleId: s.titleId,
    offsetMin: null,
    deviceId: s.deviceId,
    country: s.country,
    autoplayed: s.autoplayed,
    userAction: s.userAction,
  };
  return [
    // The two events differ in type, and nothing else of theirs is compared: any two distinct ids do.
    { ...common, eventId: `${common.playbackId}:start`, type: 'start', positionS: Math.max(0, s.bookmarkS - s.durationS), atMs: s.startMs },
    { ...common, eventId: `${common.playbackId}:stop`, type: 'stop', positionS: s.bookmarkS, atMs: s.startMs + s.durationS * 1000 },
  ];
}

/**
 * The imported views of one profile's imported sessions (all of them): the rule the store must
 * follow. An imported view's id is IMPORTED_VIEW_ID_PREFIX and its first row's id (a row's id is
 * already a digest that no other row has): the store keeps it as a number, with no digest to
 * compute per view. The pure functions name a view by the digest of its first playback
 * (views.ts viewIdOf); the first row is the one of the view's start whose playback gives that digest.
 */
export function importedViewsOf(sessions: readonly ImportedSession[], titleOf: (titleId: string) => Title | undefined, defs: Definitions): View[] {
  const { views } = historyOf(sessions.flatMap(eventsOfSession), titleOf, defs);
  const startingAt = new Map<string, string[]>();
  for (const s of sessions) {
    const key = `${s.titleId}\u0000${s.startMs}`;
    startingAt.set(key, [...(startingAt.get(key) ?? []), s.rowId]);
  }
  for (const view of views) {
    const candidates = startingAt.get(`${view.titleId}\u0000${view.startMs}`) ?? [];
    const first = candidates.find((rowId) => viewIdOf(view.profileId, view.titleId, rowId.slice(0, ID_HEX_LENGTH)) === view.viewId);
    if (first === undefined) throw new Error(`imported view ${view.viewId} of profile ${view.profileId}: no row starts it`);
    view.viewId = IMPORTED_VIEW_ID_PREFIX + first.slice(0, ID_HEX_LENGTH);
  }
  return views;
}
