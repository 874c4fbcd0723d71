// Binge sessions (DEFINITIONS.md, "Binge insights"): at least `bingeMinEpisodes` episodes of one
// series, each starting within `bingeGapMin` of the end of the previous one.
//
// Chains are per profile and series, so a film watched between two episodes does not break a
// binge, but an episode of another series is not part of it. "Previous one" is the latest end so
// far in the chain, so overlapping views (two devices) do not break it. Episodes are counted
// distinct: replaying one episode three times is not a binge. Completion is not required (the
// definition does not ask for it; a binge may end on a half-watched episode).

import type { Definitions } from '../domain/definitions.js';
import type { View } from '../domain/model.js';
import { groupByProfile } from './profiles.js';
import { countsAsViewing, seriesOf, type TitleLookup } from './viewing.js';

export interface BingeSession {
  profileId: string;
  seriesId: string;
  /** Distinct episodes in the chain. */
  episodes: number;
  /** Views in the chain (a replayed episode adds a view, not an episode). */
  views: number;
  startMs: number;
  endMs: number;
  watchedS: number;
  /** Local day of the first view. */
  day: string;
}

function chainsOf(profileId: string, seriesId: string, views: View[], defs: Definitions, out: BingeSession[]): void {
  views.sort((a, b) => a.startMs - b.startMs);
  const gapMs = defs.bingeGapMin * 60_000;
  let chain: View[] = [];
  let chainEnd = -Infinity;
  const close = () => {
    const episodes = new Set(chain.map((v) => v.titleId)).size;
    if (episodes >= defs.bingeMinEpisodes) {
      let watchedS = 0;
      for (const v of chain) watchedS += v.watchedS;
      out.push({ profileId, seriesId, episodes, views: chain.length, startMs: chain[0].startMs, endMs: chainEnd, watchedS, day: chain[0].day });
    }
  };
  for (const view of views) {
    if (chain.length > 0 && view.startMs - chainEnd > gapMs) {
      close();
      chain = [];
      chainEnd = -Infinity;
    }
    chain.push(view);
    chainEnd = Math.max(chainEnd, view.endMs);
  }
  if (chain.length > 0) close();
}

/** Every binge session, per profile in time order of series first seen. */
export function bingeSessions(views: readonly View[], titleOf: TitleLookup, defs: Definitions): BingeSession[] {
  const out: BingeSession[] = [];
  for (const [profileId, profileViews] of groupByProfile(views)) {
    const bySeries = new Map<string, View[]>();
    for (const view of profileViews) {
      if (!countsAsViewing(view, titleOf)) continue;
      const series = seriesOf(view, titleOf);
      if (series === undefined) continue;
      const list = bySeries.get(series);
      if (list) list.push(view);
      else bySeries.set(series, [view]);
    }
    for (const [seriesId, list] of bySeries) chainsOf(profileId, seriesId, list, defs, out);
  }
  return out;
}

/** The biggest binge: most episodes, then most watched time, then the earliest. */
export function biggestBinge(sessions: readonly BingeSession[]): BingeSession | undefined {
  let best: BingeSession | undefined;
  for (const s of sessions) {
    if (!best || s.episodes > best.episodes || (s.episodes === best.episodes && (s.watchedS > best.watchedS || (s.watchedS === best.watchedS && s.startMs < best.startMs)))) best = s;
  }
  return best;
}
