// A simulated player: plays one title from a position to another and writes the events a real
// player would send (start, heartbeats, pauses and resumes, seeks, the "are you still watching?"
// prompt and its answer, stop). One Player serves one member; it owns the member's event and
// playback counters, so ids are unique and deterministic: `${seedTag}-${member36}-${counter36}`.

import type { PlaybackEvent, PlaybackEventType, Title, UserAction } from '../domain/model.js';
import type { Random } from './random.js';
import { type ZoneClock, zoneClock } from '../domain/zone-clock.js';

export type PromptOutcome = 'interaction' | 'visibility_timeout';

export interface PlayRequest {
  title: Title;
  fromS: number;
  /** Position where playback ends (at most the runtime). */
  toS: number;
  atMs: number;
  autoplayed: boolean;
  /** Mean minutes of playing between random pauses/seeks; Infinity for none. */
  fidgetMin: number;
  /** Ask "are you still watching?" right after the start, answered this way. */
  prompt: PromptOutcome | null;
  /** The stop at toS is the member's doing (interaction) or the end of the content (none). */
  endAction: UserAction;
  /** The player is switched off at this instant if still playing. */
  hardEndMs: number;
}

export interface PlayResult {
  endMs: number;
  endS: number;
  /** Seconds of content played (forward progress, seeks excluded). */
  playedS: number;
  interacted: boolean;
  lastInteractionMs: number;
  timedOut: boolean;
  /** Stopped before toS (switched off at hardEndMs). */
  cut: boolean;
}

/** Wall-clock wait before an unanswered prompt ends the playback. */
const PROMPT_TIMEOUT_MS = 60_000;

export class Player {
  batch: PlaybackEvent[] = [];
  profileId = '';
  deviceId = '';
  reportsOffset = true;

  private eventCounter = 0;
  private playbackCounter = 0;
  private playbackId = '';
  private titleId = '';
  private autoplayed = false;
  private offsetFromMs = 0;
  private offsetToMs = 0;
  private offsetCached = 0;
  private readonly clock: ZoneClock;

  constructor(
    private readonly idPrefix: string,
    zone: string,
    private readonly country: string,
    private readonly heartbeatS: number,
    private readonly rng: Random,
  ) {
    this.clock = zoneClock(zone);
  }

  play(req: PlayRequest): PlayResult {
    this.playbackId = `${this.idPrefix}p${(this.playbackCounter++).toString(36)}`;
    this.titleId = req.title.titleId;
    this.autoplayed = req.autoplayed;
    const rng = this.rng;
    const hb = this.heartbeatS;
    const end = req.toS;
    let t = req.atMs;
    let pos = req.fromS;
    let playedS = 0;
    let interacted = !req.autoplayed;
    let lastInteractionMs = req.autoplayed ? Number.NEGATIVE_INFINITY : t;

    this.emit('start', pos, t, req.autoplayed ? 'none' : 'interaction');
    if (req.prompt !== null) {
      t += rng.int(1_000, 3_000);
      this.emit('still_watching_prompt', pos, t, 'none');
      if (req.prompt === 'visibility_timeout') {
        t += PROMPT_TIMEOUT_MS;
        this.emit('still_watching_answer', pos, t, 'visibility_timeout');
        this.emit('stop', pos, t, 'visibility_timeout');
        return { endMs: t, endS: pos, playedS, interacted, lastInteractionMs, timedOut: true, cut: false };
      }
      t += rng.int(3_000, 30_000);
      this.emit('still_watching_answer', pos, t, 'interaction');
      interacted = true;
      lastInteractionMs = t;
    }

    const fidgetS = req.fidgetMin * 60;
    let untilInterruptS = fidgetS === Infinity ? Infinity : Math.max(1, Math.round(rng.exponential(fidgetS)));
    while (pos < end) {
      let step = end - pos < hb ? end - pos : hb;
      if (untilInterruptS < step) {
        // Play up to the interruption, then pause or seek.
        pos += untilInterruptS;
        playedS += untilInterruptS;
        t += untilInterruptS * 1000;
        if (t >= req.hardEndMs) return this.switchOff(req.hardEndMs, t, pos, playedS, lastInteractionMs);
        untilInterruptS = Math.max(1, Math.round(rng.exponential(fidgetS)));
        interacted = true;
        if (rng.chance(0.7)) {
          this.emit('pause', pos, t, 'interaction');
          const pauseMs = rng.chance(0.8) ? rng.int(20_000, 300_000) : rng.int(600_000, 2_700_000);
          if (t + pauseMs >= req.hardEndMs) {
            t += 1000;
            this.emit('stop', pos, t, 'interaction');
            return { endMs: t, endS: pos, playedS, interacted, lastInteractionMs, timedOut: false, cut: true };
          }
          t += pauseMs;
          this.emit('resume', pos, t, 'interaction');
        } else {
          const target = rng.chance(0.6) ? pos + rng.int(10, 90) : Math.max(0, pos - rng.int(10, 60));
          pos = Math.min(target, end);
          t += rng.int(500, 2_000);
          this.emit('seek', pos, t, 'interaction');
        }
        lastInteractionMs = t;
        continue;
      }
      untilInterruptS -= step;
      if (t + step * 1000 >= req.hardEndMs) {
        step = Math.max(0, Math.floor((req.hardEndMs - t) / 1000) - 1);
        pos += step;
        playedS += step;
        t += step * 1000;
        return this.switchOff(req.hardEndMs, t, pos, playedS, lastInteractionMs);
      }
      pos += step;
      playedS += step;
      t += step * 1000;
      if (pos < end) this.emit('heartbeat', pos, t, 'none');
    }
    this.emit('stop', pos, t, req.endAction);
    return { endMs: t, endS: pos, playedS, interacted, lastInteractionMs, timedOut: false, cut: false };
  }

  /** Switched off at hardEndMs: the member (or the shop) turned the player off. */
  private switchOff(hardEndMs: number, t: number, pos: number, playedS: number, lastInteractionMs: number): PlayResult {
    const at = Math.min(t, hardEndMs - 1);
    this.emit('stop', pos, at, 'interaction');
    return { endMs: at, endS: pos, playedS, interacted: true, lastInteractionMs: at, timedOut: false, cut: true };
  }

  private emit(type: PlaybackEventType, positionS: number, atMs: number, userAction: UserAction): void {
    this.batch.push({
      eventId: this.idPrefix + (this.eventCounter++).toString(36),
      playbackId: this.playbackId,
      profileId: this.profileId,
      titleId: this.titleId,
      type,
      positionS,
      atMs,
      offsetMin: this.reportsOffset ? this.offsetAt(atMs) : null,
      deviceId: this.deviceId,
      country: this.country,
      autoplayed: this.autoplayed,
      userAction,
    });
  }

  /** The offset is constant over long spans: look it up again only when leaving the span. */
  private offsetAt(atMs: number): number {
    if (atMs >= this.offsetFromMs && atMs < this.offsetToMs) return this.offsetCached;
    const span = this.clock.span(atMs);
    this.offsetFromMs = span.fromMs;
    this.offsetToMs = span.toMs;
    this.offsetCached = span.offsetMin;
    return this.offsetCached;
  }
}
