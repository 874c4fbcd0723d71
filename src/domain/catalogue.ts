// The catalogue in memory: titles by id and the episodes of each series in order.

import type { Title } from './model.js';

function seasonOrder(season: Title['season']): number {
  return typeof season === 'number' ? season : Number.MAX_SAFE_INTEGER;
}

export class Catalogue {
  private readonly byId = new Map<string, Title>();
  private readonly bySeries = new Map<string, Title[]>();

  constructor(titles: readonly Title[] = []) {
    this.add(titles);
  }

  add(titles: readonly Title[]): void {
    const touched = new Set<string>();
    for (const title of titles) {
      const previous = this.byId.get(title.titleId);
      if (previous?.seriesId !== undefined) {
        const list = this.bySeries.get(previous.seriesId)!;
        list.splice(list.indexOf(previous), 1);
        touched.add(previous.seriesId);
      }
      this.byId.set(title.titleId, title);
      if (title.kind === 'episode' && title.seriesId !== undefined) {
        const list = this.bySeries.get(title.seriesId) ?? [];
        list.push(title);
        this.bySeries.set(title.seriesId, list);
        touched.add(title.seriesId);
      }
    }
    for (const seriesId of touched) {
      this.bySeries.get(seriesId)!.sort(
        (a, b) =>
          seasonOrder(a.season) - seasonOrder(b.season) ||
          String(a.season ?? '').localeCompare(String(b.season ?? '')) ||
          (a.episode ?? 0) - (b.episode ?? 0) ||
          a.name.localeCompare(b.name),
      );
    }
  }

  get size(): number {
    return this.byId.size;
  }

  readonly titleOf = (titleId: string): Title | undefined => this.byId.get(titleId);

  /** Episodes of a series sorted by season, then episode number. */
  readonly episodesOfSeries = (seriesId: string): Title[] => this.bySeries.get(seriesId) ?? [];

  all(): Title[] {
    return [...this.byId.values()];
  }
}
