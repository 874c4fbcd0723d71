// Plays, completions and rewatches per profile and title (DEFINITIONS.md: "plays, completions
// and rewatches are separate counts"). Each is its own number, so a rewatch never inflates the
// count of people who finished a title once, and a resume is never a second play.

import type { View } from '../domain/model.js';

export interface TitleCounts {
  profileId: string;
  titleId: string;
  /** Views of the title. */
  plays: number;
  /** Completed views, rewatches included. */
  completions: number;
  /** Completed views after the first completed one. */
  rewatches: number;
}

/**
 * Counts per profile and title, sorted by profileId then titleId. Hidden views are left out:
 * the member asked for them to be forgotten. Supplemental views are counted (they are history);
 * insights filter on the view kind.
 */
export function countsByProfileTitle(views: readonly View[]): TitleCounts[] {
  const counts = new Map<string, TitleCounts>();
  for (const view of views) {
    if (view.hidden) continue;
    const key = `${view.profileId}\u0000${view.titleId}`;
    let entry = counts.get(key);
    if (!entry) {
      entry = { profileId: view.profileId, titleId: view.titleId, plays: 0, completions: 0, rewatches: 0 };
      counts.set(key, entry);
    }
    entry.plays += 1;
    if (view.completed) entry.completions += 1;
    if (view.rewatch) entry.rewatches += 1;
  }
  return [...counts.values()].sort((a, b) =>
    a.profileId !== b.profileId ? (a.profileId < b.profileId ? -1 : 1) : a.titleId < b.titleId ? -1 : a.titleId > b.titleId ? 1 : 0,
  );
}
