// Which views count as viewing for insights, and the catalogue lookup every insight takes.
//
// Supplemental videos (trailers, recaps, ...) never count (DEFINITIONS.md, "Title"). Hidden views
// ("hide from history") are excluded from everything shown: personal insights, the year in
// review and public facts. Two exceptions describe the device rather than the member and are
// never shown as insights: not-a-person detection (hiding a view must not launder a looping shop
// screen into the facts about people) and still-watching moments (hiding a view afterwards does
// not change what the player played). They use `isProgramme`.

import type { Title, View } from '../domain/model.js';

/** The catalogue as a lookup; insights never need more than "the title of this id". */
export type TitleLookup = (titleId: string) => Title | undefined;

/** A lookup over a list of titles, built once (O(n)). */
export function titleLookup(titles: readonly Title[]): TitleLookup {
  const byId = new Map<string, Title>();
  for (const title of titles) byId.set(title.titleId, title);
  return (titleId) => byId.get(titleId);
}

/** The catalogue prepared once: a lookup, and the episodes of each series (for whole seasons). */
export interface Catalogue {
  titleOf: TitleLookup;
  episodesOf(seriesId: string): readonly Title[];
}

/** Builds a Catalogue in one pass; build it once per catalogue version, not per request. */
export function catalogue(titles: readonly Title[]): Catalogue {
  const titleOf = titleLookup(titles);
  const bySeries = new Map<string, Title[]>();
  for (const t of titles) {
    if (t.kind !== 'episode' || t.seriesId === undefined) continue;
    const list = bySeries.get(t.seriesId);
    if (list) list.push(t);
    else bySeries.set(t.seriesId, [t]);
  }
  return { titleOf, episodesOf: (seriesId) => bySeries.get(seriesId) ?? [] };
}

/** True when the view is viewing that insights may count. */
export function countsAsViewing(view: View, titleOf: TitleLookup): boolean {
  if (view.hidden) return false;
  return isProgramme(view, titleOf);
}

/** True when the view is of a movie or an episode (not supplemental), hidden or not. */
export function isProgramme(view: View, titleOf: TitleLookup): boolean {
  if (view.kind === 'supplemental') return false;
  const title = titleOf(view.titleId);
  return title === undefined || title.kind !== 'supplemental';
}

/** The series of an episode view, from the catalogue; undefined for movies and unknown titles. */
export function seriesOf(view: View, titleOf: TitleLookup): string | undefined {
  if (view.kind !== 'episode') return undefined;
  return titleOf(view.titleId)?.seriesId;
}
