// A personal year in review for one profile (DEFINITIONS.md, "Releases": personal, shown only to
// the member, exact). It reuses the insights of this folder over the profile's views, restricted
// to the local days of the calendar year; hidden and supplemental views are left out.
//
// Pass the profile's whole history: "first-time series" needs the years before. The comparison
// slot is filled only from public facts already released by privacy/ (noisy counts); nothing
// here computes or adds noise.
//
// Target: < 50 ms p99 per profile, so every part is one pass over the profile's views with Maps.

import type { Definitions } from '../domain/definitions.js';
import type { Title, View } from '../domain/model.js';
import { biggestBinge, bingeSessions } from './binge-sessions.js';
import { RacerTally } from './binge-racer.js';
import { hoursViewed, type OffsetOf } from './hours.js';
import { dayNumber, WEEKDAYS, yearDays, type Weekday } from './local-days.js';
import { countsAsViewing, seriesOf, type Catalogue, type TitleLookup } from './viewing.js';
import { everyDayOfYearForProfile } from './every-day.js';
import type { SubjectScope } from './viewing-days.js';

/** Public facts as released (noisy counts), e.g. a subset of a released PopulationFacts. */
export interface ReleasedFacts {
  racers?: { series: string; season: number | string; profiles: number }[];
  streaks?: { title: string; scope: SubjectScope; days: number; profiles: number }[];
}

export type Comparison =
  | { kind: 'racer'; seriesId: string; season: number | string; about: number }
  | { kind: 'streak'; scope: SubjectScope; id: string; days: number; about: number };

export interface YearInReview {
  profileId: string;
  year: number;
  minutesWatched: number;
  topSeries: { seriesId: string; name: string; minutes: number }[];
  topFilms: { titleId: string; name: string; minutes: number }[];
  longestStreak: { scope: SubjectScope; id: string; name: string; days: number; fromDay: string; toDay: string } | null;
  biggestBinge: { seriesId: string; name: string; episodes: number; day: string; startMs: number; endMs: number } | null;
  /** Local hour 0-23 with the most viewing; null when nothing was watched. */
  favouriteHour: number | null;
  favouriteWeekday: Weekday | null;
  firsts: {
    firstTitle: { titleId: string; name: string; day: string } | null;
    /** Series this profile watched for the first time ever this year, in order of discovery. */
    newSeries: { seriesId: string; name: string; firstDay: string }[];
  };
  rewatches: { count: number; top: { titleId: string; name: string; count: number }[] };
  /** Minutes per genre, when the catalogue has genres. */
  genres: { genre: string; minutes: number }[];
  racer: { seriesId: string; season: number | string }[];
  comparisons: Comparison[];
}

export interface YearInReviewOptions {
  offsetOf?: OffsetOf;
  released?: ReleasedFacts;
  /** Length of the top lists (default 5). */
  top?: number;
}

function topOf<K>(minutes: Map<K, number>, n: number): [K, number][] {
  return [...minutes].sort((a, b) => b[1] - a[1]).slice(0, n);
}

function argmax(values: readonly number[]): number | null {
  let best = -1;
  for (let i = 0; i < values.length; i++) if (values[i] > 0 && (best < 0 || values[i] > values[best])) best = i;
  return best < 0 ? null : best;
}

function bump<K>(map: Map<K, number>, key: K, by: number): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function nameOf(titleOf: TitleLookup, scope: SubjectScope, id: string, seriesNames: Map<string, string>): string {
  return scope === 'series' ? (seriesNames.get(id) ?? id) : (titleOf(id)?.name ?? id);
}

/** The year in review of one profile; `views` is the profile's whole history (see top). */
export function yearInReview(profileId: string, views: readonly View[], catalogue: Catalogue, defs: Definitions, year: number, options: YearInReviewOptions = {}): YearInReview {
  const { titleOf } = catalogue;
  const n = options.top ?? 5;
  const range = yearDays(year);
  const inYear = (isoDay: string) => {
    const d = dayNumber(isoDay);
    return d >= range.first && d <= range.last;
  };

  const seriesMinutes = new Map<string, number>();
  const filmMinutes = new Map<string, number>();
  const genreMinutes = new Map<string, number>();
  const seriesNames = new Map<string, string>();
  const rewatchCounts = new Map<string, number>();
  const seriesFirst = new Map<string, View>();
  const yearViews: View[] = [];
  let seconds = 0;
  let firstView: View | undefined;

  for (const view of views) {
    if (!countsAsViewing(view, titleOf)) continue;
    const title = titleOf(view.titleId);
    const series = seriesOf(view, titleOf);
    if (series !== undefined) {
      const first = seriesFirst.get(series);
      if (!first || view.startMs < first.startMs) seriesFirst.set(series, view);
      if (title?.seriesName) seriesNames.set(series, title.seriesName);
    }
    let viewSeconds = 0;
    for (const share of view.days) if (share.watchedS > 0 && inYear(share.day)) viewSeconds += share.watchedS;
    if (viewSeconds === 0 && !inYear(view.day)) continue;
    yearViews.push(view);
    seconds += viewSeconds;
    const minutes = viewSeconds / 60;
    if (series !== undefined) bump(seriesMinutes, series, minutes);
    else if (view.kind === 'movie') bump(filmMinutes, view.titleId, minutes);
    for (const genre of title?.genres ?? []) bump(genreMinutes, genre, minutes);
    if (view.rewatch && inYear(view.day)) bump(rewatchCounts, view.titleId, 1);
    if (inYear(view.day) && (!firstView || view.startMs < firstView.startMs)) firstView = view;
  }

  const everyDay = everyDayOfYearForProfile(profileId, yearViews, titleOf, defs, year);
  const binge = biggestBinge(bingeSessions(yearViews, titleOf, defs).filter((b) => inYear(b.day)));
  const hours = hoursViewed(yearViews, titleOf, options.offsetOf, range);
  const racer = racedSeasons(yearViews, catalogue, defs, year);
  const longestStreak = everyDay ? { ...everyDay.longest, name: nameOf(titleOf, everyDay.longest.scope, everyDay.longest.id, seriesNames) } : null;

  const newSeries = [...seriesFirst]
    .filter(([, v]) => inYear(v.day))
    .sort((a, b) => a[1].startMs - b[1].startMs)
    .map(([seriesId, v]) => ({ seriesId, name: seriesNames.get(seriesId) ?? seriesId, firstDay: v.day }));
  let rewatchTotal = 0;
  for (const c of rewatchCounts.values()) rewatchTotal += c;

  return {
    profileId,
    year,
    minutesWatched: seconds / 60,
    topSeries: topOf(seriesMinutes, n).map(([seriesId, minutes]) => ({ seriesId, name: seriesNames.get(seriesId) ?? seriesId, minutes })),
    topFilms: topOf(filmMinutes, n).map(([titleId, minutes]) => ({ titleId, name: titleOf(titleId)?.name ?? titleId, minutes })),
    longestStreak,
    biggestBinge: binge ? { seriesId: binge.seriesId, name: seriesNames.get(binge.seriesId) ?? binge.seriesId, episodes: binge.episodes, day: binge.day, startMs: binge.startMs, endMs: binge.endMs } : null,
    favouriteHour: argmax(hours.perHourOfDay),
    favouriteWeekday: ((i) => (i === null ? null : WEEKDAYS[i]))(argmax(hours.perWeekday)),
    firsts: { firstTitle: firstView ? { titleId: firstView.titleId, name: titleOf(firstView.titleId)?.name ?? firstView.titleId, day: firstView.day } : null, newSeries },
    rewatches: { count: rewatchTotal, top: topOf(rewatchCounts, n).map(([titleId, count]) => ({ titleId, name: titleOf(titleId)?.name ?? titleId, count })) },
    genres: topOf(genreMinutes, Infinity).map(([genre, minutes]) => ({ genre, minutes })),
    racer,
    comparisons: comparisons(racer, longestStreak, options.released),
  };
}

/** Seasons released this UTC year that the profile raced. Needs the catalogue's full seasons. */
function racedSeasons(views: readonly View[], catalogue: Catalogue, defs: Definitions, year: number): YearInReview['racer'] {
  const series = new Set<string>();
  for (const v of views) {
    const s = v.completed ? seriesOf(v, catalogue.titleOf) : undefined;
    if (s !== undefined) series.add(s);
  }
  const episodes: Title[] = [];
  for (const s of series) episodes.push(...catalogue.episodesOf(s));
  const tally = new RacerTally(episodes, defs);
  for (const v of views) tally.add(v);
  return tally
    .result()
    .filter((s) => new Date(s.releasedAtMs).getUTCFullYear() === year)
    .map((s) => ({ seriesId: s.seriesId, season: s.season }));
}

/** "You were one of about N ...": only facts present in the released set. */
function comparisons(racer: YearInReview['racer'], streak: YearInReview['longestStreak'], released: ReleasedFacts | undefined): Comparison[] {
  if (!released) return [];
  const out: Comparison[] = [];
  for (const r of racer) {
    const fact = released.racers?.find((f) => f.series === r.seriesId && String(f.season) === String(r.season));
    if (fact) out.push({ kind: 'racer', seriesId: r.seriesId, season: r.season, about: fact.profiles });
  }
  if (streak) {
    // The highest released threshold this streak reached: "one of about N who watched X 30+ days in a row".
    let best: NonNullable<ReleasedFacts['streaks']>[number] | undefined;
    for (const f of released.streaks ?? []) {
      if (f.title === streak.id && f.scope === streak.scope && f.days <= streak.days && (!best || f.days > best.days)) best = f;
    }
    if (best) out.push({ kind: 'streak', scope: streak.scope, id: streak.id, days: best.days, about: best.profiles });
  }
  return out;
}
