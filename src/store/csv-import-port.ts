// The bulk path for a big CSV export (Netflix's ViewingActivity.csv): the engine reads the file
// and does the per-row work; the importer (ingest/netflix/sql-import.ts) maps only the distinct
// profiles, titles, devices, attributes and countries with its pure functions, which stay the
// definition. The engine answers null whenever it cannot give exactly the importer's result, and
// the importer then reads the file itself.

import type { Definitions } from '../domain/definitions.js';
import type { Millis, View } from '../domain/model.js';

/** One of the Start Time formats of ingest/netflix/timestamps.ts. */
export type CsvStartTimeFormat = 'YYYY-MM-DD H:MM:SS' | 'YYYY-MM-DD H:MM' | 'M/D/YYYY H:MM:SS' | 'M/D/YYYY H:MM';

/** A CSV file read by the engine into a staging area, every field as text ('' when empty). */
export interface StagedCsv {
  /** Data rows (the header excluded), in file order. */
  readonly rows: number;
  /** The fields of the first `n` data rows, in file order. */
  head(n: number): Promise<string[][]>;
  /** For each set of columns, the distinct tuples of those columns ('' for a column index of -1), all in one pass over the rows. */
  distinct(columnSets: readonly (readonly number[])[]): Promise<string[][][]>;
  /** Maps, validates and stores the rows as imported sessions (views not computed); null (nothing written) when a row is not valid. */
  loadNetflix(mapping: NetflixCsvMapping): Promise<NetflixCsvLoad | null>;
  /** Drops the staging area. */
  close(): Promise<void>;
}

/** Field index per column the SQL reads; -1 when the file has no such column. */
export interface NetflixCsvColumns {
  profileName: number;
  startTime: number;
  duration: number;
  attributes: number;
  title: number;
  supplementalVideoType: number;
  deviceType: number;
  bookmark: number;
  country: number;
}

/** What the importer's pure functions say about each distinct value (parallel arrays). */
export interface NetflixCsvMapping {
  memberId: string;
  format: CsvStartTimeFormat;
  columns: NetflixCsvColumns;
  /** profileId null: a blank name (the row is not valid). */
  profiles: { raw: string[]; profileId: (string | null)[] };
  /** Per (Title, Supplemental Video Type) as written: the id, the trimmed type that enters the row id, and flags. */
  titles: { raw: string[]; typeRaw: string[]; titleId: string[]; type: string[]; supplemental: boolean[]; blank: boolean[] };
  devices: { raw: string[]; deviceId: string[] };
  attributes: { raw: string[]; autoplayed: boolean[]; userAction: string[]; hidden: boolean[] };
  countries: { raw: string[]; country: string[] };
}

export interface NetflixCsvProfileTotals {
  profileId: string;
  rows: number;
  durationS: number;
  viewingS: number;
  supplementalRows: number;
  hiddenRows: number;
}

export interface NetflixCsvLoad {
  /** Rows stored (new ones; row ids already stored are dropped). */
  accepted: number;
  duplicates: number;
  /** In order of first appearance in the file. */
  profiles: NetflixCsvProfileTotals[];
  titleIds: string[];
  deviceIds: string[];
  countries: { country: string; rows: number }[];
  /** Rows marked "View was hidden", in file order. */
  hidden: { profileId: string; titleId: string; atMs: Millis }[];
}

/**
 * One imported row of viewing history (a Netflix row): one playback from `startMs` for
 * `durationS` seconds, ending at `bookmarkS` seconds into the title. Stored as it is, not as
 * events: the imported views are derived from these rows (ingest/netflix/imported-history.ts
 * gives the rule, as the two events the row stands for, and the pure functions over them).
 */
export interface ImportedSession {
  /** The row's key: the playback id of its events, 16 lowercase hex digits (the first 64 bits of the row's SHA-256, ids.ts rowIds). */
  rowId: string;
  profileId: string;
  titleId: string;
  startMs: Millis;
  durationS: number;
  bookmarkS: number;
  deviceId: string;
  country: string;
  autoplayed: boolean;
  userAction: 'none' | 'interaction' | 'visibility_timeout';
}

/**
 * View ids of imported views start with this: they are derived from imported rows, not from
 * events, and a refresh of a profile's events replaces only the views of its events.
 */
export const IMPORTED_VIEW_ID_PREFIX = 'imported-';

/** Where imported history is kept (optional on a Store; the DuckDB store has it). */
export interface ImportedHistoryStore {
  /** Stores the sessions whose rowId is not stored yet; resolves with how many were new. One transaction. A rowId that is not 16 hex digits is refused. */
  putImportedSessions(sessions: readonly ImportedSession[]): Promise<number>;
  /** Every imported session of each profile, in start order. */
  importedSessionsOf(profileIds: readonly string[]): Promise<Map<string, ImportedSession[]>>;
  /**
   * Recomputes the imported views (and per-day minutes) of these profiles from all their imported
   * sessions, in the engine, exactly as ingest/netflix/imported-history.ts importedViewsOf does;
   * returns the profiles it left untouched because a local day holds more than 24 h (the cap
   * applies: the caller computes those with the pure functions and hands them to replaceImportedViews).
   */
  refreshImportedViews(profileIds: readonly string[], defs: Definitions): Promise<{ views: number; capped: string[] }>;
  /** Replaces every imported view of the profile (ids with IMPORTED_VIEW_ID_PREFIX) with these. */
  replaceImportedViews(profileId: string, views: readonly View[]): Promise<void>;
}
