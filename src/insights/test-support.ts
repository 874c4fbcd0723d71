// Tiny builders for literal timelines in insight tests. Times are written as local wall-clock
// ("2024-03-01T20:00") with an offset in minutes (default 0), so tests read like the definitions.

import type { DayShare, Title, View } from '../domain/model.js';
import { localDay } from '../domain/time.js';

const MIN_MS = 60_000;
const DAY_MS = 86_400_000;

export function movie(titleId: string, extra: Partial<Title> = {}): Title {
  return { titleId, kind: 'movie', name: titleId, runtimeS: 2 * 3600, ...extra };
}

export function episode(seriesId: string, season: number, episodeNo: number, extra: Partial<Title> = {}): Title {
  return {
    titleId: `${seriesId}-s${season}e${episodeNo}`,
    kind: 'episode',
    name: `${seriesId} ${season}x${episodeNo}`,
    runtimeS: 22 * 60,
    seriesId,
    seriesName: seriesId,
    season,
    episode: episodeNo,
    ...extra,
  };
}

export function trailer(titleId: string): Title {
  return { titleId, kind: 'supplemental', name: titleId, runtimeS: 120, supplementalType: 'trailer' };
}

/** Epoch ms of a local wall-clock time at an offset. */
export function at(local: string, offsetMin = 0): number {
  return Date.parse(`${local}Z`) - offsetMin * MIN_MS;
}

/** Split continuous watching [startMs, endMs) into local-day shares. */
export function dayShares(startMs: number, endMs: number, offsetMin: number): DayShare[] {
  const shares: DayShare[] = [];
  let from = startMs;
  while (from < endMs) {
    const local = from + offsetMin * MIN_MS;
    const nextMidnight = (Math.floor(local / DAY_MS) + 1) * DAY_MS - offsetMin * MIN_MS;
    const to = Math.min(endMs, nextMidnight);
    shares.push({ day: localDay(from, offsetMin), watchedS: Math.round((to - from) / 1000) });
    from = to;
  }
  return shares;
}

let counter = 0;

export interface ViewOptions extends Partial<View> {
  offsetMin?: number;
}

/** A view of `title` starting at local time `start`, watched continuously for `minutes`. */
export function viewOf(title: Title, start: string, minutes: number, options: ViewOptions = {}): View {
  const { offsetMin = 0, ...overrides } = options;
  const startMs = at(start, offsetMin);
  const endMs = startMs + Math.round(minutes * MIN_MS);
  return {
    viewId: `v${++counter}`,
    profileId: 'p1',
    titleId: title.titleId,
    kind: title.kind,
    startMs,
    endMs,
    watchedS: Math.round(minutes * 60),
    furthestS: Math.round(minutes * 60),
    bookmarkS: Math.round(minutes * 60),
    completed: true,
    rewatch: false,
    autoplayed: false,
    endedByTimeout: false,
    interacted: true,
    sessions: 1,
    deviceId: 'd1',
    country: 'US',
    offsetMin,
    day: localDay(startMs, offsetMin),
    days: dayShares(startMs, endMs, offsetMin),
    hidden: false,
    ...overrides,
  };
}

/** Local day "YYYY-MM-DD" `n` days after `isoDay`. */
export function plusDays(isoDay: string, n: number): string {
  return new Date(Date.parse(`${isoDay}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}
