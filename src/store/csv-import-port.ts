// The bulk path for a big CSV export (Netflix's ViewingActivity.csv): the engine reads the file
// and does the per-row work; the importer (ingest/netflix/sql-import.ts) maps only the distinct
// profiles, titles, devices, attributes and countries with its pure functions, which stay the
// definition. The engine answers null whenever it cannot give exactly the importer's result, and
// the importer then reads the file itself.

import type { Millis } from '../domain/model.js';

/** One of the Start Time formats of ingest/netflix/timestamps.ts. */
export type CsvStartTimeFormat = 'YYYY-MM-DD H:MM:SS' | 'YYYY-MM-DD H:MM' | 'M/D/YYYY H:MM:SS' | 'M/D/YYYY H:MM';

/** A CSV file read by the engine into a staging area, every field as text ('' when empty). */
export interface StagedCsv {
  /** Data rows (the header excluded), in file order. */
  readonly rows: number;
  /** The fields of the first `n` data rows, in file order. */
  head(n: number): Promise<string[][]>;
  /** The distinct tuples of these columns ('' for a column index of -1). */
  distinct(columns: readonly number[]): Promise<string[][]>;
  /** Maps, validates and appends the rows as events; null (nothing written) when a row is not valid. */
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
  /** Events appended (new ones; ids already stored are dropped). */
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
