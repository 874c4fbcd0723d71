// Binge racers (DEFINITIONS.md, "Binge insights"): profiles that completed every episode of a
// season within `racerWindowH` of its release.
//
// A season has no release field: its release is its episodes' release (Title.releasedAtMs).
// Each episode must be completed (a completed view ending) no earlier than its own release and
// no later than `racerWindowH` after it. For a season dropped at once this is exactly "the whole
// season within 24 h of release"; for a season released week by week it means keeping up with
// every episode within 24 h. A season with an episode of unknown release has no racers, and the
// season is every episode the catalogue lists for it, so the catalogue must be complete.

import type { Definitions } from '../domain/definitions.js';
import type { Title, View } from '../domain/model.js';
import { countsAsViewing, titleLookup, type TitleLookup } from './viewing.js';

export interface Racer {
  profileId: string;
  /** When the last episode was completed (View.endMs). */
  finishedAtMs: number;
}

export interface SeasonRacers {
  seriesId: string;
  season: number | string;
  episodes: number;
  /** Earliest release of the season's episodes. */
  releasedAtMs: number;
  racers: Racer[];
}

interface Season {
  seriesId: string;
  season: number | string;
  episodes: number;
  releasedAtMs: number;
  known: boolean;
  /** Per profile: episodes completed in time, and the latest completion. */
  progress: Map<string, { done: Set<string>; lastMs: number }>;
}

/** Seasons key by series and season; String(season) so 1 and "1" are one season. */
export function seasonKey(seriesId: string, season: number | string | undefined): string {
  return `${seriesId}\u0000${String(season ?? '')}`;
}

function seasonsOf(titles: readonly Title[]): Map<string, Season> {
  const seasons = new Map<string, Season>();
  for (const t of titles) {
    if (t.kind !== 'episode' || t.seriesId === undefined) continue;
    const key = seasonKey(t.seriesId, t.season);
    let s = seasons.get(key);
    if (!s) seasons.set(key, (s = { seriesId: t.seriesId, season: t.season ?? '', episodes: 0, releasedAtMs: Infinity, known: true, progress: new Map() }));
    s.episodes++;
    if (t.releasedAtMs === undefined) s.known = false;
    else s.releasedAtMs = Math.min(s.releasedAtMs, t.releasedAtMs);
  }
  return seasons;
}

/** Accumulates views one at a time (population facts stream them), then lists the racers. */
export class RacerTally {
  private readonly titleOf: TitleLookup;
  private readonly seasons: Map<string, Season>;
  private readonly windowMs: number;

  constructor(titles: readonly Title[], defs: Definitions) {
    this.titleOf = titleLookup(titles);
    this.seasons = seasonsOf(titles);
    this.windowMs = defs.racerWindowH * 3_600_000;
  }

  add(view: View): void {
    if (!view.completed || view.kind !== 'episode' || !countsAsViewing(view, this.titleOf)) return;
    const title = this.titleOf(view.titleId);
    if (title?.releasedAtMs === undefined || title.seriesId === undefined) return;
    if (view.endMs < title.releasedAtMs || view.endMs > title.releasedAtMs + this.windowMs) return;
    const season = this.seasons.get(seasonKey(title.seriesId, title.season))!;
    if (!season.known) return;
    let p = season.progress.get(view.profileId);
    if (!p) season.progress.set(view.profileId, (p = { done: new Set(), lastMs: -Infinity }));
    p.done.add(view.titleId);
    p.lastMs = Math.max(p.lastMs, view.endMs);
  }

  /** Every season with at least one racer, with its racers by finishing time. */
  result(): SeasonRacers[] {
    const out: SeasonRacers[] = [];
    for (const s of this.seasons.values()) {
      const racers: Racer[] = [];
      for (const [profileId, p] of s.progress) if (p.done.size === s.episodes) racers.push({ profileId, finishedAtMs: p.lastMs });
      if (racers.length === 0) continue;
      racers.sort((a, b) => a.finishedAtMs - b.finishedAtMs);
      out.push({ seriesId: s.seriesId, season: s.season, episodes: s.episodes, releasedAtMs: s.releasedAtMs, racers });
    }
    return out;
  }
}

/** Every season with at least one racer, with its racers (by finishing time). */
export function bingeRacers(views: readonly View[], titles: readonly Title[], defs: Definitions): SeasonRacers[] {
  const tally = new RacerTally(titles, defs);
  for (const view of views) tally.add(view);
  return tally.result();
}
