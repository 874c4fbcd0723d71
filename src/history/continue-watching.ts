// "Continue watching" (DEFINITIONS.md, bookmark): uncompleted views by recency with their
// bookmark ("minute 34 of episode 8"), and the next episode after a completed one.

import type { Millis, Title, View } from '../domain/model.js';

export interface ContinueItem {
  /** 'resume': pick up a view at its bookmark; 'next_episode': start the episode after a completed one. */
  reason: 'resume' | 'next_episode';
  profileId: string;
  titleId: string;
  title: Title;
  /** Where to start playing: the bookmark, or 0 for a next episode. */
  positionS: number;
  /** End of the view that put the item here; the list is sorted by it, newest first. */
  lastWatchedMs: Millis;
  /** That view: the one to resume, or the completed episode before the suggested one. */
  viewId: string;
  seriesId?: string;
  seriesName?: string;
  season?: number | string;
  episode?: number;
}

/** Series are one row (their most recent episode); anything else is one row per title. */
function rowKey(title: Title): string {
  return title.kind === 'episode' && title.seriesId !== undefined ? `series\u0000${title.seriesId}` : `title\u0000${title.titleId}`;
}

function isMoreRecent(a: View, b: View): boolean {
  return a.endMs !== b.endMs ? a.endMs > b.endMs : a.startMs !== b.startMs ? a.startMs > b.startMs : a.viewId > b.viewId;
}

function itemOf(reason: ContinueItem['reason'], title: Title, view: View, positionS: number): ContinueItem {
  const item: ContinueItem = { reason, profileId: view.profileId, titleId: title.titleId, title, positionS, lastWatchedMs: view.endMs, viewId: view.viewId };
  if (title.seriesId !== undefined) item.seriesId = title.seriesId;
  if (title.seriesName !== undefined) item.seriesName = title.seriesName;
  if (title.season !== undefined) item.season = title.season;
  if (title.episode !== undefined) item.episode = title.episode;
  return item;
}

/** The episode after `title` in its series' order, when it is out by `nowMs` and the profile has never viewed it. */
function nextEpisode(
  title: Title,
  watched: ReadonlySet<string>,
  episodesOfSeries: (seriesId: string) => Title[],
  nowMs: Millis,
): Title | undefined {
  if (title.seriesId === undefined) return undefined;
  const episodes = episodesOfSeries(title.seriesId);
  const at = episodes.findIndex((e) => e.titleId === title.titleId);
  const next = at >= 0 ? episodes[at + 1] : undefined;
  if (!next || watched.has(next.titleId)) return undefined;
  if (next.releasedAtMs !== undefined && next.releasedAtMs > nowMs) return undefined;
  return next;
}

/**
 * Continue-watching rows, newest first, at most `limit`. Views of several profiles are handled
 * per profile (the limit applies to the whole list). Hidden and supplemental views are ignored,
 * as are views starting after `nowMs` and titles the catalogue does not know (nothing to play).
 * `episodesOfSeries` returns a series' episodes sorted by season and episode.
 */
export function continueWatching(
  views: readonly View[],
  titleOf: (titleId: string) => Title | undefined,
  episodesOfSeries: (seriesId: string) => Title[],
  nowMs: Millis,
  limit: number,
): ContinueItem[] {
  const watchedByProfile = new Map<string, Set<string>>();
  const latestByRow = new Map<string, { view: View; title: Title }>();
  for (const view of views) {
    if (view.hidden || view.startMs > nowMs) continue;
    let watched = watchedByProfile.get(view.profileId);
    if (!watched) watchedByProfile.set(view.profileId, (watched = new Set()));
    watched.add(view.titleId);
    const title = titleOf(view.titleId);
    if (!title || view.kind === 'supplemental' || title.kind === 'supplemental') continue;
    const key = `${view.profileId}\u0000${rowKey(title)}`;
    const current = latestByRow.get(key);
    if (!current || isMoreRecent(view, current.view)) latestByRow.set(key, { view, title });
  }
  const items: ContinueItem[] = [];
  for (const { view, title } of latestByRow.values()) {
    if (!view.completed) {
      items.push(itemOf('resume', title, view, view.bookmarkS));
      continue;
    }
    const next = nextEpisode(title, watchedByProfile.get(view.profileId) ?? new Set(), episodesOfSeries, nowMs);
    if (next) items.push(itemOf('next_episode', next, view, 0));
  }
  items.sort(
    (a, b) =>
      b.lastWatchedMs - a.lastWatchedMs ||
      (a.profileId !== b.profileId ? (a.profileId < b.profileId ? -1 : 1) : a.titleId < b.titleId ? -1 : a.titleId > b.titleId ? 1 : 0),
  );
  return items.slice(0, Math.max(0, limit));
}
