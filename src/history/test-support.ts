// Builders for literal timelines in history tests. Times are written as the player reports
// them, an ISO timestamp with its UTC offset ("2026-03-01T23:30:00-06:00").

import type { PlaybackEvent, Title } from '../domain/model.js';

/** UTC offset in minutes written at the end of an ISO timestamp. */
export function offsetOf(iso: string): number {
  if (iso.endsWith('Z')) return 0;
  const match = /([+-])(\d\d):(\d\d)$/.exec(iso);
  if (!match) throw new Error(`timestamp without offset: ${iso}`);
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

type EventFields = Partial<Omit<PlaybackEvent, 'atMs' | 'offsetMin'>> &
  Pick<PlaybackEvent, 'type' | 'positionS'> & {
    at: string;
    /** Set to null to say "the player did not report an offset". */
    offsetMin?: number | null;
  };

let sequence = 0;

/** One event; defaults: profile p1, title t1, playback pb1, device d1, country US. */
export function event(fields: EventFields): PlaybackEvent {
  const { at, offsetMin, ...rest } = fields;
  return {
    eventId: `e${++sequence}`,
    playbackId: 'pb1',
    profileId: 'p1',
    titleId: 't1',
    deviceId: 'd1',
    country: 'US',
    autoplayed: false,
    userAction: 'none',
    ...rest,
    atMs: Date.parse(at),
    offsetMin: offsetMin === undefined ? offsetOf(at) : offsetMin,
  };
}

export interface PlaybackSpec {
  playbackId: string;
  at: string;
  watchS: number;
  fromS?: number;
  heartbeatS?: number;
  profileId?: string;
  titleId?: string;
  deviceId?: string;
  country?: string;
  autoplayed?: boolean;
  offsetMin?: number | null;
}

/** A press of play watched straight through: start, a heartbeat every minute, stop. */
export function playback(spec: PlaybackSpec): PlaybackEvent[] {
  const { playbackId, at, watchS, fromS = 0, heartbeatS = 60, ...common } = spec;
  const offsetMin = spec.offsetMin === undefined ? offsetOf(at) : spec.offsetMin;
  const startMs = Date.parse(at);
  const events: PlaybackEvent[] = [];
  const push = (type: PlaybackEvent['type'], intoS: number): void => {
    events.push({
      eventId: `${playbackId}-${events.length}`,
      playbackId,
      profileId: common.profileId ?? 'p1',
      titleId: common.titleId ?? 't1',
      type,
      positionS: fromS + intoS,
      atMs: startMs + intoS * 1000,
      offsetMin,
      deviceId: common.deviceId ?? 'd1',
      country: common.country ?? 'US',
      autoplayed: events.length === 0 && (common.autoplayed ?? false),
      userAction: 'none',
    });
  };
  push('start', 0);
  for (let s = heartbeatS; s < watchS; s += heartbeatS) push('heartbeat', s);
  push('stop', watchS);
  return events;
}

/** A title of the test catalogue. */
export function title(fields: Partial<Title> & Pick<Title, 'titleId'>): Title {
  return { kind: 'movie', name: fields.titleId, runtimeS: 3600, ...fields };
}

/** A catalogue lookup over a few titles. */
export function catalogue(...titles: Title[]): (titleId: string) => Title | undefined {
  const byId = new Map(titles.map((t) => [t.titleId, t]));
  return (titleId) => byId.get(titleId);
}
