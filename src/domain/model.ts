// The vocabulary of DEFINITIONS.md as plain data. Times are epoch milliseconds (UTC) plus the
// UTC offset the player reported, in minutes; `null` means "not reported: use the country's
// main time zone".

export type Millis = number;

export interface Member {
  memberId: string;
  country: string; // ISO 3166-1 alpha-2
  createdAtMs: Millis;
}

/** A member has up to MAX_PROFILES profiles. */
export const MAX_PROFILES = 5;

export interface Profile {
  profileId: string;
  memberId: string;
  name: string;
}

export interface Device {
  deviceId: string;
  memberId: string;
  kind: string; // tv, phone, tablet, browser, console, ...
}

export const TITLE_KINDS = ['movie', 'episode', 'supplemental'] as const;
export type TitleKind = (typeof TITLE_KINDS)[number];

export const SUPPLEMENTAL_TYPES = ['trailer', 'teaser', 'hook', 'recap', 'promotional'] as const;
/** Known supplemental types; an unknown one from an export is kept as its own lower-case word. */
export type SupplementalType = (typeof SUPPLEMENTAL_TYPES)[number] | (string & {});

export interface Title {
  titleId: string;
  kind: TitleKind;
  name: string;
  runtimeS: number | null;
  /** Episodes only. */
  seriesId?: string;
  seriesName?: string;
  season?: number | string; // a number, or a named part such as "Limited Series"
  episode?: number;
  /** Supplemental videos only. */
  supplementalType?: SupplementalType;
  /** Seconds into the title where the credits start, when the catalogue knows. */
  creditsAtS?: number;
  releasedAtMs?: Millis;
  genres?: string[];
}

export const PLAYBACK_EVENT_TYPES = [
  'start',
  'heartbeat',
  'pause',
  'resume',
  'seek',
  'stop',
  'still_watching_prompt',
  'still_watching_answer',
] as const;
export type PlaybackEventType = (typeof PLAYBACK_EVENT_TYPES)[number];

export const USER_ACTIONS = ['none', 'interaction', 'visibility_timeout'] as const;
export type UserAction = (typeof USER_ACTIONS)[number];

export interface PlaybackEvent {
  eventId: string;
  playbackId: string;
  profileId: string;
  titleId: string;
  type: PlaybackEventType;
  positionS: number;
  atMs: Millis;
  offsetMin: number | null;
  deviceId: string;
  country: string;
  autoplayed: boolean;
  userAction: UserAction;
}

export interface Search {
  eventId: string;
  profileId: string;
  query: string;
  atMs: Millis;
}

export const THUMBS = ['down', 'up', 'two_up'] as const;
export type ThumbRating = (typeof THUMBS)[number];

export interface Thumb {
  eventId: string;
  profileId: string;
  titleId: string;
  rating: ThumbRating;
  atMs: Millis;
}

export interface OnboardingPick {
  profileId: string;
  titleId: string;
  atMs: Millis;
}

/** Minutes of a view on one local calendar day ("YYYY-MM-DD"). */
export interface DayShare {
  day: string;
  watchedS: number;
}

/** One playbackId after sessionizing (DEFINITIONS.md, "From events to views"). */
export interface Session {
  playbackId: string;
  profileId: string;
  titleId: string;
  startMs: Millis;
  endMs: Millis;
  watchedS: number;
  furthestS: number;
  lastPositionS: number;
  autoplayed: boolean;
  /** True when the session ended because the member did not answer "are you still watching?". */
  endedByTimeout: boolean;
  /** True when the member touched the player during the session. */
  interacted: boolean;
  deviceId: string;
  country: string;
  /** UTC offset in minutes at the start (reported, else the country's zone then). */
  startOffsetMin: number;
  days: DayShare[];
}

/** Sessions of one profile and title merged by the resume rule. */
export interface View {
  viewId: string;
  profileId: string;
  titleId: string;
  kind: TitleKind;
  startMs: Millis;
  endMs: Millis;
  watchedS: number;
  furthestS: number;
  bookmarkS: number;
  completed: boolean;
  /** A completed view of a title this profile had completed before. */
  rewatch: boolean;
  autoplayed: boolean;
  endedByTimeout: boolean;
  interacted: boolean;
  sessions: number;
  deviceId: string;
  country: string;
  /** UTC offset in minutes at the view's start (reported, else the country's zone then). */
  offsetMin: number;
  /** Local day of the view's start. */
  day: string;
  days: DayShare[];
  hidden: boolean;
}
