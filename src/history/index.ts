// The history stage: playback events -> sessions -> views, and what is read off views.

import type { Definitions } from '../domain/definitions.js';
import type { PlaybackEvent, Session, Title, View } from '../domain/model.js';
import { sessionize } from './sessions.js';
import { viewsFromSessions } from './views.js';

export { compareEvents, sessionize } from './sessions.js';
export { isComplete, isViewing, rawHistory, viewIdOf, viewsFromSessions } from './views.js';
export { countsByProfileTitle, type TitleCounts } from './counts.js';
export { continueWatching, type ContinueItem } from './continue-watching.js';

export interface History {
  sessions: Session[];
  views: View[];
}

/** Sessions (all, raw history included) and views of a batch of events of any profiles. */
export function historyOf(
  events: readonly PlaybackEvent[],
  titleOf: (titleId: string) => Title | undefined,
  defs: Definitions,
): History {
  const sessions = sessionize(events, defs);
  return { sessions, views: viewsFromSessions(sessions, titleOf, defs) };
}
