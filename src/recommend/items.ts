// What a recommendation is about: an *item*. Films are items; a series is ONE item (all its
// episodes), because episodes of a series co-occur by construction and would otherwise fill every
// row with "episode 5 because you watched episode 4" (continue watching already does that).
// Supplemental videos (trailers, recaps) are never items. An item plays from its first title:
// the film, or the series' first episode.

import type { Catalogue } from '../domain/catalogue.js';
import type { Title } from '../domain/model.js';

export interface Item {
  /** `title:<titleId>` for films, `series:<seriesId>` for series. */
  itemId: string;
  kind: 'movie' | 'series';
  name: string;
  /** What to play: the film, or the series' first episode. */
  playTitleId: string;
  genres: readonly string[];
}

/** The item a title belongs to, or undefined for supplemental videos. */
export function itemIdOf(title: Title): string | undefined {
  if (title.kind === 'supplemental') return undefined;
  if (title.kind === 'episode' && title.seriesId !== undefined) return `series:${title.seriesId}`;
  return `title:${title.titleId}`;
}

/** Items of the catalogue, and the item of each title id. */
export class ItemCatalogue {
  private readonly items = new Map<string, Item>();

  constructor(private readonly catalogue: Catalogue) {
    for (const title of catalogue.all()) this.addTitle(title);
  }

  private addTitle(title: Title): void {
    const itemId = itemIdOf(title);
    if (!itemId || this.items.has(itemId)) return;
    if (title.kind === 'episode' && title.seriesId !== undefined) {
      const episodes = this.catalogue.episodesOfSeries(title.seriesId);
      const first = episodes[0] ?? title;
      const genres = [...new Set(episodes.flatMap((e) => e.genres ?? []))];
      this.items.set(itemId, { itemId, kind: 'series', name: title.seriesName ?? title.name, playTitleId: first.titleId, genres });
    } else {
      this.items.set(itemId, { itemId, kind: 'movie', name: title.name, playTitleId: title.titleId, genres: title.genres ?? [] });
    }
  }

  /** The item of a title id (undefined: unknown title or a supplemental video). */
  itemOfTitle(titleId: string): Item | undefined {
    const title = this.catalogue.titleOf(titleId);
    if (!title) return undefined;
    const itemId = itemIdOf(title);
    if (!itemId) return undefined;
    if (!this.items.has(itemId)) this.addTitle(title);
    return this.items.get(itemId);
  }

  item(itemId: string): Item | undefined {
    return this.items.get(itemId);
  }

  all(): Item[] {
    return [...this.items.values()];
  }
}
