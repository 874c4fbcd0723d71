// What one profile watches, day by day: ordinary sittings drawn from its habits (series in order
// with autoplay chains, films, trailers, short sessions, resumes hours later) around the fixed
// sittings of planted cases and binge racers. Events are written through the member's Player,
// in time order for the profile.

import { DEFAULT_DEFINITIONS } from '../domain/definitions.js';
import type { Title, UserAction } from '../domain/model.js';
import type { DemoCatalogue, DemoSeries } from './catalogue.js';
import type { MemberPlan, ProfilePlan } from './household.js';
import type { DemoPeriod } from './options.js';
import type { FixedSitting } from './planted.js';
import type { Player, PromptOutcome } from './player.js';
import type { Random } from './random.js';
import { HOUR_MS, MINUTE_MS, isWeekend, localDayStartMs, sittingStartOffsetMs, watchProbability } from './rhythm.js';

const STILL_WATCHING_EPISODES = DEFAULT_DEFINITIONS.stillWatchingEpisodes;
const STILL_WATCHING_MS = DEFAULT_DEFINITIONS.stillWatchingMin * MINUTE_MS;
/** No ordinary day plans more than this; one title may run over it. Keeps people under 20 h a day. */
const MAX_ORDINARY_DAY_S = 6 * 3600;
/** Episodes in an ordinary chain: 1 (most often) up to 8. */
const CHAIN_LENGTHS = [1, 2, 3, 4, 5, 6, 8];
const CHAIN_WEIGHTS = [45, 20, 15, 8, 6, 4, 2];

interface Follow {
  series: DemoSeries;
  next: number;
}

interface SittingEnd {
  endMs: number;
  playedS: number;
}

export class ProfileViewer {
  private busyUntil = Number.NEGATIVE_INFINITY;
  private fixedIndex = 0;
  private readonly follows: Follow[];
  private readonly seenFilms = new Set<string>();
  private readonly avoidTitles = new Set<string>();
  private readonly avoidSeries = new Set<string>();
  private readonly periodEndMs: number;

  constructor(
    private readonly plan: ProfilePlan,
    private readonly member: MemberPlan,
    private readonly player: Player,
    private readonly rng: Random,
    private readonly catalogue: DemoCatalogue,
    period: DemoPeriod,
    private readonly fixed: readonly FixedSitting[],
  ) {
    const { landmarks } = catalogue;
    this.periodEndMs = localDayStartMs(member.zone, period.lastDayNumber + 1);
    this.avoidTitles.add(landmarks.shopLoop.titleId);
    // Planted profiles watch their planted title only in the planted sittings, so the case is exact.
    if (plan.plant === 'christmas') this.avoidTitles.add(landmarks.christmasFilm.titleId);
    if (plan.plant === 'pirate') this.avoidTitles.add(landmarks.pirateFilms[0].titleId);
    if (plan.plant === 'office') this.avoidSeries.add(landmarks.officeSeries.seriesId);
    if (plan.racer) this.avoidSeries.add(landmarks.racerSeries.seriesId);
    this.follows = plan.follows
      .map((f) => ({ series: catalogue.series[f.seriesIndex], next: f.next }))
      .filter((f) => !this.avoidSeries.has(f.series.seriesId));
  }

  runDay(dayNumber: number): void {
    if (dayNumber < this.member.firstDayNumber) return;
    const dayStart = localDayStartMs(this.member.zone, dayNumber);
    const dayEnd = localDayStartMs(this.member.zone, dayNumber + 1);
    let exclusive = false;
    while (this.fixedIndex < this.fixed.length && this.fixed[this.fixedIndex].startMs < dayEnd) {
      const sitting = this.fixed[this.fixedIndex++];
      exclusive ||= sitting.exclusive;
      this.busyUntil = this.runFixed(sitting, Math.max(sitting.startMs, this.busyUntil + 5_000));
    }
    const rng = this.rng;
    if (exclusive || this.plan.appetite === 0 || !rng.chance(watchProbability(this.plan.appetite, dayNumber))) return;

    const starts = [sittingStartOffsetMs(rng, dayNumber, this.plan.rhythmShiftH)];
    if (rng.chance(isWeekend(dayNumber) ? 0.45 : 0.3)) starts.push(sittingStartOffsetMs(rng, dayNumber, this.plan.rhythmShiftH));
    starts.sort((a, b) => a - b);
    const budgetS = Math.min(MAX_ORDINARY_DAY_S, this.plan.minutesPerDay * 60 * rng.between(0.5, 1.6));
    let watchedS = 0;
    for (const offset of starts) {
      const start = Math.max(dayStart + offset, this.busyUntil + rng.int(60, 1_800) * 1000);
      const nextFixed = this.fixedIndex < this.fixed.length ? this.fixed[this.fixedIndex].startMs - 10 * MINUTE_MS : Infinity;
      const deadline = Math.min(nextFixed, this.periodEndMs);
      if (start + 20 * MINUTE_MS > deadline || watchedS >= budgetS) break;
      const end = this.ordinarySitting(start, deadline, budgetS - watchedS);
      watchedS += end.playedS;
      this.busyUntil = end.endMs;
    }
  }

  private useDevice(primary: boolean): void {
    const indexes = this.plan.deviceIndexes;
    const index = primary || indexes.length === 1 || this.rng.chance(0.75) ? indexes[0] : this.rng.pick(indexes);
    const device = this.member.devices[index];
    this.player.profileId = this.plan.profile.profileId;
    this.player.deviceId = device.device.deviceId;
    this.player.reportsOffset = device.reportsOffset;
  }

  private runFixed(sitting: FixedSitting, startMs: number): number {
    this.useDevice(true);
    const hardEndMs = this.periodEndMs;
    if (sitting.kind === 'film') {
      const r = this.player.play({
        title: sitting.title,
        fromS: sitting.fromS,
        toS: sitting.toS,
        atMs: startMs,
        autoplayed: false,
        fidgetMin: this.plan.fidgetMin,
        prompt: null,
        endAction: sitting.toS >= (sitting.title.runtimeS ?? 0) ? 'none' : 'interaction',
        hardEndMs,
      });
      return r.endMs;
    }
    if (sitting.kind === 'loop') {
      let t = startMs;
      for (let first = true; t < sitting.untilMs; first = false) {
        const r = this.player.play({
          title: sitting.title,
          fromS: 0,
          toS: sitting.title.runtimeS ?? 0,
          atMs: t,
          autoplayed: !first,
          fidgetMin: Infinity,
          prompt: null,
          endAction: 'none',
          hardEndMs: Math.min(sitting.untilMs, hardEndMs),
        });
        t = r.endMs + 2_000;
        if (r.cut) break;
      }
      return t;
    }
    // A chain the member means to finish: prompts are answered, no random pauses (the office week
    // must stay about 9.9 h a day), episodes autoplay one after the other.
    return this.chain(sitting.episodes, startMs, hardEndMs, {
      toRuntime: sitting.toRuntime,
      fidgetMin: sitting.toRuntime ? Infinity : this.plan.fidgetMin,
      answer: () => 'interaction',
      stopMidwayLast: false,
    }).endMs;
  }

  /** Episodes back to back; the still-watching prompt follows the DEFINITIONS.md rule. */
  private chain(
    episodes: readonly Title[],
    startMs: number,
    deadline: number,
    how: { toRuntime: boolean; fidgetMin: number; answer: () => PromptOutcome; stopMidwayLast: boolean; budgetS?: number },
  ): SittingEnd & { episodesDone: number; endedEarly: boolean; lastEndS: number } {
    let t = startMs;
    let playedS = 0;
    let autoplaysWithoutInteraction = 0;
    let lastInteractionMs = t;
    let episodesDone = 0;
    let lastEndS = 0;
    for (let k = 0; k < episodes.length; k++) {
      const ep = episodes[k];
      const runtimeS = ep.runtimeS ?? 0;
      const last = k === episodes.length - 1;
      const midway = last && how.stopMidwayLast;
      const toS = midway ? Math.round(runtimeS * this.rng.between(0.2, 0.8)) : how.toRuntime ? runtimeS : (ep.creditsAtS ?? runtimeS);
      if (k > 0 && t + toS * 1000 > deadline) break;
      const autoplayed = k > 0;
      const due = autoplayed && (autoplaysWithoutInteraction >= STILL_WATCHING_EPISODES || t - lastInteractionMs >= STILL_WATCHING_MS);
      const r = this.player.play({
        title: ep,
        fromS: 0,
        toS,
        atMs: t,
        autoplayed,
        fidgetMin: how.fidgetMin,
        prompt: due ? how.answer() : null,
        endAction: midway ? 'interaction' : 'none',
        hardEndMs: deadline,
      });
      playedS += r.playedS;
      t = r.endMs;
      lastEndS = r.endS;
      if (r.timedOut || r.cut) return { endMs: t, playedS, episodesDone, endedEarly: true, lastEndS };
      if (!midway) episodesDone++;
      if (r.interacted) {
        autoplaysWithoutInteraction = 0;
        lastInteractionMs = r.lastInteractionMs;
      } else if (autoplayed) {
        autoplaysWithoutInteraction++;
      }
      if (how.budgetS !== undefined && playedS >= how.budgetS) break;
      if (!last) t += this.rng.int(5, 15) * 1000; // the autoplay countdown
    }
    return { endMs: t, playedS, episodesDone, endedEarly: false, lastEndS };
  }

  private ordinarySitting(startMs: number, deadline: number, budgetS: number): SittingEnd {
    const rng = this.rng;
    this.useDevice(false);
    let t = startMs;
    let playedS = 0;
    if (rng.chance(0.04)) {
      // Changed their mind: a few seconds of something, then the real choice.
      const film = this.pickFilm(t);
      if (film) t = this.playOnce(film, 0, rng.int(3, 50), t, false, 'interaction', deadline).endMs + rng.int(5, 40) * 1000;
    }
    const candidates = this.follows.filter((f) => f.next < f.series.episodes.length && (f.series.episodes[f.next].releasedAtMs ?? 0) <= t);
    const choice = rng.next();
    if (candidates.length > 0 && choice < 0.7) {
      const follow = rng.pick(candidates);
      t = this.maybeSupplemental(follow.series.seriesId, t, deadline, 0.12);
      const want = CHAIN_LENGTHS[rng.weighted(CHAIN_WEIGHTS)];
      const episodes: Title[] = [];
      for (let i = follow.next; i < follow.series.episodes.length && episodes.length < want; i++) {
        const ep = follow.series.episodes[i];
        if ((ep.releasedAtMs ?? 0) > t) break;
        episodes.push(ep);
      }
      const midway = rng.chance(0.1);
      const r = this.chain(episodes, t, deadline, {
        toRuntime: false,
        fidgetMin: this.plan.fidgetMin,
        answer: () => (rng.chance(0.65) ? 'interaction' : 'visibility_timeout'),
        stopMidwayLast: midway,
        budgetS,
      });
      playedS += r.playedS;
      t = r.endMs;
      this.advance(follow, r.episodesDone);
      if (midway && !r.endedEarly && r.episodesDone === episodes.length - 1) {
        // Stopped mid-episode; some come back to it hours later (a new playback, same view).
        const ep = episodes[episodes.length - 1];
        const bookmark = r.lastEndS;
        if (rng.chance(0.5)) {
          const later = this.resumeLater(ep, bookmark, ep.creditsAtS ?? ep.runtimeS ?? 0, t, deadline);
          if (later) {
            playedS += later.playedS;
            t = later.endMs;
            this.advance(follow, 1);
          }
        }
      }
      return { endMs: t, playedS };
    }
    if (choice < 0.95) {
      const film = this.pickFilm(t);
      if (!film) return { endMs: t, playedS };
      this.seenFilms.add(film.titleId);
      t = this.maybeSupplemental(film.titleId, t, deadline, 0.2);
      const runtimeS = film.runtimeS ?? 0;
      const split = rng.chance(0.15);
      const abandon = !split && rng.chance(0.08);
      const toS = split || abandon ? Math.round(runtimeS * rng.between(0.15, 0.7)) : rng.chance(0.5) ? runtimeS : (film.creditsAtS ?? runtimeS);
      const r = this.playOnce(film, 0, toS, t, false, toS < runtimeS ? 'interaction' : 'none', deadline);
      playedS += r.playedS;
      t = r.endMs;
      if (split && !r.cut) {
        const later = this.resumeLater(film, r.endS, film.creditsAtS ?? runtimeS, t, deadline);
        if (later) {
          playedS += later.playedS;
          t = later.endMs;
        }
      }
      return { endMs: t, playedS };
    }
    // Only browsing: a trailer or two autoplay, nothing else.
    for (let n = rng.int(1, 2); n > 0; n--) t = this.maybeSupplemental(rng.pick(this.catalogue.films).titleId, t, deadline, 1);
    return { endMs: t, playedS };
  }

  /** A new playback 1-6 h later from the bookmark: within resumeMergeH, so still the same view. */
  private resumeLater(title: Title, fromS: number, toS: number, endMs: number, deadline: number): SittingEnd | null {
    const at = endMs + Math.round(this.rng.between(1, 6) * HOUR_MS);
    if (toS <= fromS || at + (toS - fromS) * 1000 * 1.5 > deadline) return null;
    const r = this.playOnce(title, fromS, toS, at, false, 'none', deadline);
    return { endMs: r.endMs, playedS: r.playedS };
  }

  private playOnce(title: Title, fromS: number, toS: number, atMs: number, autoplayed: boolean, endAction: UserAction, deadline: number) {
    return this.player.play({ title, fromS, toS, atMs, autoplayed, fidgetMin: this.plan.fidgetMin, prompt: null, endAction, hardEndMs: deadline });
  }

  /** A trailer, teaser, hook, recap or promotional video of the parent, before the title. */
  private maybeSupplemental(parentId: string, t: number, deadline: number, probability: number): number {
    if (!this.rng.chance(probability)) return t;
    const videos = this.catalogue.supplementsOf.get(parentId);
    if (!videos || videos.length === 0) return t;
    const video = this.rng.pick(videos);
    if ((video.releasedAtMs ?? 0) > t) return t;
    const r = this.player.play({
      title: video,
      fromS: 0,
      toS: video.runtimeS ?? 0,
      atMs: t,
      autoplayed: video.supplementalType !== 'recap',
      fidgetMin: Infinity,
      prompt: null,
      endAction: 'none',
      hardEndMs: deadline,
    });
    return r.endMs + this.rng.int(2, 20) * 1000;
  }

  private pickFilm(t: number): Title | null {
    const { films, landmarks } = this.catalogue;
    const rng = this.rng;
    const december = new Date(t).getUTCMonth() === 11;
    const xmas = landmarks.christmasFilm;
    if (december && rng.chance(0.1) && !this.avoidTitles.has(xmas.titleId) && !this.seenFilms.has(xmas.titleId)) return xmas;
    for (let attempt = 0; attempt < 12; attempt++) {
      const film = rng.pick(films);
      if (this.avoidTitles.has(film.titleId) || (film.releasedAtMs ?? 0) > t) continue;
      if (this.seenFilms.has(film.titleId) && !rng.chance(0.05)) continue;
      if (attempt < 6 && !film.genres?.some((g) => this.plan.tasteGenres.includes(g))) continue;
      return film;
    }
    return null;
  }

  private advance(follow: Follow, episodes: number): void {
    follow.next += episodes;
    if (follow.next < follow.series.episodes.length) return;
    // Finished: start another series from its first episode (not one finished before: no rewatches).
    this.avoidSeries.add(follow.series.seriesId);
    const index = this.follows.indexOf(follow);
    const taken = new Set(this.follows.map((f) => f.series.seriesId));
    for (let attempt = 0; attempt < 8; attempt++) {
      const series = this.rng.pick(this.catalogue.series);
      if (taken.has(series.seriesId) || this.avoidSeries.has(series.seriesId)) continue;
      this.follows[index] = { series, next: 0 };
      return;
    }
  }
}
