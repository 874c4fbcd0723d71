// Still watching (DEFINITIONS.md, "Binge insights"): the moments the player should have asked
// "are you still watching?": when the `stillWatchingEpisodes`-th episode in a row starts by
// autoplay without interaction, or after `stillWatchingMin` minutes without interaction.
//
// Replayed per profile and device (the player asks, so it is the player's timeline). A View
// says only whether the member touched the player during it, not when, so:
//  - pressing play (a view not autoplayed) is an interaction at the view's start;
//  - a view with `interacted` is taken as interaction through its end (the latest it could be),
//    so the minutes rule never fires on a timeline where the member may have been present;
//  - each ask counts as answered (the views continued), so the count and the clock restart there.
// A view that runs longer than the limit gets one ask per limit. Hidden views count here: hiding
// a view afterwards does not change what the player saw. Supplemental videos are skipped.

import type { Definitions } from '../domain/definitions.js';
import type { View } from '../domain/model.js';
import { isProgramme, type TitleLookup } from './viewing.js';

export type StillWatchingReason = 'episodes' | 'minutes';

export interface StillWatchingMoment {
  profileId: string;
  deviceId: string;
  viewId: string;
  atMs: number;
  reason: StillWatchingReason;
}

function replay(views: View[], defs: Definitions, out: StillWatchingMoment[]): void {
  views.sort((a, b) => a.startMs - b.startMs);
  const limitMs = defs.stillWatchingMin * 60_000;
  let autoRun = 0;
  let clockFrom = -Infinity;
  for (const view of views) {
    const ask = (atMs: number, reason: StillWatchingReason) => {
      out.push({ profileId: view.profileId, deviceId: view.deviceId, viewId: view.viewId, atMs, reason });
      autoRun = 0;
      clockFrom = atMs;
    };
    if (view.interacted) {
      autoRun = 0;
      clockFrom = view.endMs;
      continue;
    }
    if (!view.autoplayed) {
      autoRun = 0;
      clockFrom = view.startMs;
    } else {
      if (clockFrom === -Infinity) clockFrom = view.startMs;
      autoRun = view.kind === 'episode' ? autoRun + 1 : 0;
      if (autoRun >= defs.stillWatchingEpisodes) ask(view.startMs, 'episodes');
    }
    // Minutes rule: a deadline that passed while nothing played is asked when playback resumes.
    for (let due = Math.max(clockFrom + limitMs, view.startMs); limitMs > 0 && due <= view.endMs; due = clockFrom + limitMs) {
      ask(due, 'minutes');
    }
  }
}

/** Every moment the player should have asked, per profile and device in time order. */
export function stillWatchingMoments(views: readonly View[], titleOf: TitleLookup, defs: Definitions): StillWatchingMoment[] {
  const byPlayer = new Map<string, View[]>();
  for (const view of views) {
    if (!isProgramme(view, titleOf)) continue;
    const key = `${view.profileId}\u0000${view.deviceId}`;
    const list = byPlayer.get(key);
    if (list) list.push(view);
    else byPlayer.set(key, [view]);
  }
  const out: StillWatchingMoment[] = [];
  for (const list of byPlayer.values()) replay(list, defs, out);
  return out;
}
