// The only door to storage. Domain words, no SQL: each engine implements this in its own
// folder (store/duckdb/ is the embedded default). One contract suite (store/contract.ts) runs
// against every adapter that can start here.

import type { Definitions } from '../domain/definitions.js';
import type {
  Device,
  Member,
  Millis,
  PlaybackEvent,
  Profile,
  Title,
  TitleKind,
  View,
} from '../domain/model.js';
import type { ImportedHistoryStore, StagedCsv } from './csv-import-port.js';
import type { Account } from './privacy-port.js';

export type KeyKind = 'ingest' | 'admin';

export interface StoredKey {
  keyId: string;
  kind: KeyKind;
  label: string;
  createdAtMs: Millis;
}

export interface HistoryQuery {
  fromDay?: string; // inclusive, local "YYYY-MM-DD"
  toDay?: string; // inclusive
  kind?: TitleKind;
  limit: number;
  offset: number;
  includeHidden?: boolean;
}

/** A profile whose derived views must be recomputed from `fromMs` on. */
export interface DirtyProfile {
  profileId: string;
  fromMs: Millis;
  /** The latest mark read: a refresh clears marks up to it, never marks written after it. */
  upToSeq: number;
}

/** A profile and a time from which something is read or recomputed. */
export interface ProfileCut {
  profileId: string;
  fromMs: Millis;
}

export interface ViewReplacement {
  profileId: string;
  fromMs: Millis;
  views: readonly View[];
  /** Clear the profile's dirty marks up to this sequence (from dirtyProfiles); all of them when absent. */
  upToSeq?: number;
}

/** A JSON file of events for Store.appendEventsJson, and the form its events are in. */
export interface EventJsonFile {
  path: string;
  form: 'events' | 'wire-array' | 'wire-ndjson';
}

/** A synchronous, read-only view of profiles and accounts (`Store.directoryNow`). */
export interface DirectoryView {
  profile(profileId: string): Readonly<Profile> | undefined;
  account(accountId: string): Readonly<Account> | undefined;
  /** Changes with every write of profiles or accounts: an answer made from this view is current while it is the same. */
  readonly version: number;
}

export interface Store {
  /** The engine's name, for messages and benchmarks. */
  readonly engine: string;

  // Raw events (append-only).
  /** Appends a batch in one transaction: all of it is durable when this resolves, or none. */
  appendEvents(events: readonly PlaybackEvent[]): Promise<void>;
  /**
   * Appends the events of JSON files in one transaction, with their dirty marks, like appendEvents.
   * A file is one array of PlaybackEvents (field names as in PlaybackEvent; a plain path means
   * this form), or events in the wire form of POST /v1/events (event-schema.ts), already valid, as
   * one array or as NDJSON: the engine converts `at`, `device` and the defaults. With
   * `logPosition`, also records it as the ingest log's loaded position in the same transaction: a
   * restart resumes the log exactly after what is stored. `background` asks the engine to use
   * little of the machine (the ingest log's loader runs behind live requests). Resolves with the
   * number of events appended.
   */
  appendEventsJson(files: string | readonly EventJsonFile[], options?: { logPosition?: string; background?: boolean }): Promise<number>;
  /** The ingest log position recorded by the last appendEventsJson, if any. */
  loadedLogPosition(): Promise<string | undefined>;
  countEvents(): Promise<number>;
  /** Pages through the eventIds of events at or after `sinceMs` (to rebuild the dedup index). */
  eventIdsSince(sinceMs: Millis, pageSize: number): AsyncIterable<{ eventIds: string[]; atMs: Float64Array }>;
  /** Which of these eventIds are stored (exact check; with `within`, among events stored at times in [fromMs, toMs] only). */
  storedEventIds(eventIds: readonly string[], within?: { fromMs: Millis; toMs: Millis }): Promise<Set<string>>;
  eventsOfProfile(profileId: string, fromMs?: Millis): Promise<PlaybackEvent[]>;
  /** Events of many profiles, each from its own time on, in one pass (refreshes read through this). */
  eventsOfProfiles(cuts: readonly ProfileCut[]): Promise<Map<string, PlaybackEvent[]>>;

  // Catalogue, members, profiles, devices (upserts by id).
  putTitles(titles: readonly Title[]): Promise<void>;
  titles(): Promise<Title[]>;
  putMembers(members: readonly Member[]): Promise<void>;
  putProfiles(profiles: readonly Profile[]): Promise<void>;
  putDevices(devices: readonly Device[]): Promise<void>;
  profile(profileId: string): Promise<Profile | undefined>;
  /**
   * Profiles and accounts as the store holds them in memory at this moment, when it does (the
   * embedded adapter, once loaded); undefined when a lookup would have to wait. Read-only, the
   * same records `profile` and the privacy store's `account` answer from: for deciding a request
   * without waiting (server/auth.ts `authorizeNow`).
   */
  directoryNow?(): DirectoryView | undefined;
  member(memberId: string): Promise<Member | undefined>;
  countMembers(): Promise<number>;

  // Derived views.
  /** Profiles with events newer than their derived views. */
  /** Dirty profiles: all, or only those named (a read of one profile asks only about it). */
  dirtyProfiles(profileIds?: readonly string[]): Promise<DirtyProfile[]>;
  /** For each profile, replaces its views that start at or after `fromMs` and clears its dirty mark; one transaction. */
  replaceViews(work: readonly ViewReplacement[]): Promise<void>;
  /**
   * Optional: an engine that derives views itself, exactly as src/history's pure functions do,
   * recomputes these dirty profiles in place (views, per-day minutes, dirty marks cleared; one
   * transaction) and returns the profiles it left dirty for the pure path (those whose local day
   * holds more than 24 h, where the cap applies). It reads titles from the store's catalogue.
   */
  refreshViewsInStore?(dirty: readonly DirtyProfile[], defs: Definitions): Promise<{ profiles: number; views: number; leftDirty: DirtyProfile[]; events?: number }>;
  /** Per profile: the earliest event of any of its playbacks that has an event at or after its `fromMs`. */
  earliestEventOfPlaybacksSince(cuts: readonly ProfileCut[]): Promise<Map<string, Millis>>;
  views(profileId: string, query: HistoryQuery): Promise<View[]>;
  /** Every view of a profile, oldest first (hidden included). */
  allViews(profileId: string): Promise<View[]>;
  /** Every view of each profile, oldest first (hidden included), in one pass. */
  viewsOfProfiles(profileIds: readonly string[]): Promise<Map<string, View[]>>;
  /** Marks a view hidden; false when the profile has no such view. Hidden survives recomputation. */
  hideView(profileId: string, viewId: string): Promise<boolean>;
  /** Number of views of these profiles (hidden included). */
  countViews(profileIds: readonly string[]): Promise<number>;

  /**
   * Reads a CSV file into a staging area (csv-import-port.ts); null when the engine cannot read it
   * exactly. `keep`: the fields kept (all when absent); the others are read and checked, not kept,
   * and read back as ''. Optional.
   */
  stageCsv?(file: string, fieldCount: number, keep?: readonly number[]): Promise<StagedCsv | null>;
  /** Imported viewing history (rows of a service's export, and the views derived from them); optional. */
  importedHistory?: ImportedHistoryStore;

  // Keys (stored hashed).
  putKey(key: StoredKey & { hash: string }): Promise<void>;
  keyByHash(hash: string): Promise<StoredKey | undefined>;

  // Signed-out tokens (privacy/tokens.ts): their ids until they would have expired.
  revokeToken(jti: string, expiresAtMs: number): Promise<void>;
  /** The ids of signed-out tokens not yet expired at `nowMs` (the expired ones are forgotten). */
  revokedTokens(nowMs: number): Promise<string[]>;
  /** Signs an account out everywhere: its tokens issued at or before `beforeS` are refused; kept until `expiresAtMs`, when all of them have expired. */
  signOutEverywhere(accountId: string, beforeS: number, expiresAtMs: number): Promise<void>;
  /** The accounts signed out everywhere whose cut still matters at `nowMs` (the others are forgotten), with their cut. */
  signOutsEverywhere(nowMs: number): Promise<{ accountId: string; beforeS: number }[]>;

  // Metadata.
  meta(name: string): Promise<string | undefined>;
  setMeta(name: string, value: string): Promise<void>;

  close(): Promise<void>;
}
