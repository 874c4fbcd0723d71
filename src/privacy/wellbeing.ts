// Wellbeing nudges: shown to the member in their own view, only when they turned
// `wellbeing_nudges` on, computed when they ask from their own views. Never e-mailed, never
// stored, never shown to staff (the policy denies every staff role the `wellbeing` class).
// This module sends nothing and imports nothing that can (a test checks).

import type { Definitions } from '../domain/definitions.js';
import type { View } from '../domain/model.js';
import { stillWatchingMoments } from '../insights/still-watching.js';
import type { TitleLookup } from '../insights/viewing.js';

/** Nudges look back this far. */
export const WELLBEING_WINDOW_DAYS = 7;
/** After bedtime, viewing within this many hours counts as a late night. */
const LATE_WINDOW_H = 6;
const DAY_MS = 86_400_000;

export type Nudge =
  | { kind: 'still_watching'; lastAt: string; times: number; message: string }
  | { kind: 'past_bedtime'; bedtime: string; nights: number; lastNight: string; message: string };

export const BEDTIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Local nights (the day the evening started) on which a view ran past `bedtime`. */
export function lateNights(views: readonly View[], bedtime: string, fromMs: number): string[] {
  const match = BEDTIME.exec(bedtime);
  if (!match) throw new RangeError(`bedtime must be HH:MM, got ${bedtime}`);
  const bedMin = Number(match[1]) * 60 + Number(match[2]);
  const nights = new Set<string>();
  for (const view of views) {
    if (view.endMs < fromMs) continue;
    const shift = view.offsetMin * 60_000;
    const localStart = view.startMs + shift;
    const localEnd = view.endMs + shift;
    const startDay = Math.floor(localStart / DAY_MS) * DAY_MS;
    // The bedtime of the evening before the start day, of the start day, and of the day after.
    for (const dayMs of [startDay - DAY_MS, startDay, startDay + DAY_MS]) {
      const bed = dayMs + bedMin * 60_000;
      if (localEnd > bed && localStart < bed + LATE_WINDOW_H * 3_600_000) nights.add(new Date(dayMs).toISOString().slice(0, 10));
    }
  }
  return [...nights].sort();
}

export function wellbeingNudges(
  views: readonly View[],
  titleOf: TitleLookup,
  defs: Definitions,
  settings: { bedtime: string | null },
  nowMs: number,
): Nudge[] {
  const fromMs = nowMs - WELLBEING_WINDOW_DAYS * DAY_MS;
  const recent = views.filter((v) => v.endMs >= fromMs && v.startMs <= nowMs);
  const nudges: Nudge[] = [];
  const moments = stillWatchingMoments(recent, titleOf, defs).filter((m) => m.atMs >= fromMs);
  if (moments.length > 0) {
    const last = Math.max(...moments.map((m) => m.atMs));
    nudges.push({
      kind: 'still_watching',
      lastAt: new Date(last).toISOString(),
      times: moments.length,
      message: `In the last ${WELLBEING_WINDOW_DAYS} days, playback ran on ${moments.length} time(s) long after you last touched the player. A break is always one button away.`,
    });
  }
  if (settings.bedtime) {
    const nights = lateNights(recent, settings.bedtime, fromMs);
    if (nights.length > 0) {
      nudges.push({
        kind: 'past_bedtime',
        bedtime: settings.bedtime,
        nights: nights.length,
        lastNight: nights[nights.length - 1],
        message: `You watched past your bedtime (${settings.bedtime}) on ${nights.length} night(s) this week.`,
      });
    }
  }
  return nudges;
}
