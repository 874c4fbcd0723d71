// One profile's whole history (Store.allViews) in one prepared statement: the profile's views,
// their view_days and its hidden marks as three parts of one UNION ALL, read column by column
// from DuckDB's chunks into View objects. A year in review is mostly this read (decision 22):
// two statements read as row objects (a join with hidden_views, days as VARCHAR) cost about
// three times as much, most of it in planning and in building a JS object per row before the
// View. The multi-profile read (viewsOfProfiles) is unchanged; a property test holds the two equal.
// The refresh check each request makes first (one profile's dirty marks) is prepared here too.

import type { DuckDBConnection, DuckDBDataChunk, DuckDBPreparedStatement } from '@duckdb/node-api';
import type { TitleKind, View } from '../../domain/model.js';

// Times as DOUBLE and days as day numbers: plain JS numbers, no BigInt or date value per item
// (epoch milliseconds are exact in a double). Unused columns of the day and hidden parts are NULL.
const PROFILE_VIEWS_SQL = `
  SELECT 0 AS part, view_id, title_id, kind, CAST(start_ms AS DOUBLE) AS start_ms, CAST(end_ms AS DOUBLE) AS end_ms, watched_s, furthest_s,
         bookmark_s, completed, rewatch, autoplayed, ended_by_timeout, interacted, sessions, device_id, country, offset_min,
         CAST(day - DATE '1970-01-01' AS INTEGER) AS dn
  FROM views WHERE profile_id = $1
  UNION ALL
  SELECT 1, view_id, NULL, NULL, NULL, NULL, watched_s, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         CAST(day - DATE '1970-01-01' AS INTEGER)
  FROM view_days WHERE profile_id = $1
  UNION ALL
  SELECT 2, view_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  FROM hidden_views WHERE profile_id = $1`;

const VIEW = 0;
const DAY = 1;

/** A profile's dirty marks folded as Store.dirtyProfiles does; no row when the profile is clean. */
const DIRTY_MARK_SQL = 'SELECT min(from_ms) AS from_ms, max(seq) AS seq FROM dirty_marks WHERE profile_id = $1 GROUP BY profile_id';

/** Prepared once per connection and statement (DuckDB rebinds them by itself if the schema changes). */
const prepared = new WeakMap<DuckDBConnection, Map<string, Promise<DuckDBPreparedStatement>>>();

function statementOf(c: DuckDBConnection, sql: string): Promise<DuckDBPreparedStatement> {
  let ofConnection = prepared.get(c);
  if (!ofConnection) prepared.set(c, (ofConnection = new Map()));
  let statement = ofConnection.get(sql);
  if (!statement) {
    const made = c.prepare(sql);
    ofConnection.set(sql, (statement = made));
    made.catch(() => ofConnection.get(sql) === made && ofConnection.delete(sql));
  }
  return statement;
}

/**
 * One profile's pending refresh (Store.dirtyProfiles for one id), or undefined when it is clean:
 * every year-in-review request asks this before it reads, so it is prepared too.
 */
export async function readDirtyMark(c: DuckDBConnection, profileId: string): Promise<{ fromMs: number; upToSeq: number } | undefined> {
  const statement = await statementOf(c, DIRTY_MARK_SQL);
  statement.bind([profileId]);
  const [row] = (await statement.runAndReadAll()).getRows();
  return row ? { fromMs: Number(row[0]), upToSeq: Number(row[1]) } : undefined;
}

/** ISO day of a day number, as CAST(day AS VARCHAR) writes it (years 0-9999); one string per day, shared. */
const isoDays = new Map<number, string>();
function isoDay(dayNumber: number): string {
  let iso = isoDays.get(dayNumber);
  if (iso === undefined) {
    iso = new Date(dayNumber * 86_400_000).toISOString().slice(0, 10);
    if (isoDays.size < 100_000) isoDays.set(dayNumber, iso);
  }
  return iso;
}

/** Text order as DuckDB's ORDER BY on ASCII ids. */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Every view of the profile, oldest first (start, then id), each with its days in day order and
 * its hidden mark: the same answer as Store.allViews. Call it inside the store's turn on `c`.
 */
export async function readProfileViews(c: DuckDBConnection, profileId: string): Promise<View[]> {
  const statement = await statementOf(c, PROFILE_VIEWS_SQL);
  statement.bind([profileId]);
  const result = await statement.run();
  const views: View[] = [];
  const byId = new Map<string, View>();
  const dayViews: string[] = [];
  const dayNumbers: number[] = [];
  const daySeconds: number[] = [];
  const hidden: string[] = [];
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    readChunk(chunk, profileId, views, byId, dayViews, dayNumbers, daySeconds, hidden);
  }
  for (let i = 0; i < dayViews.length; i++) byId.get(dayViews[i])?.days.push({ day: isoDay(dayNumbers[i]), watchedS: daySeconds[i] });
  for (const viewId of hidden) {
    const view = byId.get(viewId);
    if (view) view.hidden = true;
  }
  for (const view of views) if (view.days.length > 1) view.days.sort((a, b) => byText(a.day, b.day));
  return views.sort((a, b) => a.startMs - b.startMs || byText(a.viewId, b.viewId));
}

function readChunk(
  chunk: DuckDBDataChunk,
  profileId: string,
  views: View[],
  byId: Map<string, View>,
  dayViews: string[],
  dayNumbers: number[],
  daySeconds: number[],
  hidden: string[],
): void {
  const col = (i: number) => chunk.getColumnVector(i);
  const [part, viewId, titleId, kind, startMs, endMs, watchedS, furthestS, bookmarkS, completed, rewatch, autoplayed, endedByTimeout, interacted, sessions, deviceId, country, offsetMin, dayNumber] =
    Array.from({ length: 19 }, (_, i) => col(i));
  for (let r = 0; r < chunk.rowCount; r++) {
    const what = part.getItem(r) as number;
    const id = viewId.getItem(r) as string;
    if (what === VIEW) {
      const view: View = {
        viewId: id,
        profileId,
        titleId: titleId.getItem(r) as string,
        kind: kind.getItem(r) as TitleKind,
        startMs: startMs.getItem(r) as number,
        endMs: endMs.getItem(r) as number,
        watchedS: watchedS.getItem(r) as number,
        furthestS: furthestS.getItem(r) as number,
        bookmarkS: bookmarkS.getItem(r) as number,
        completed: completed.getItem(r) as boolean,
        rewatch: rewatch.getItem(r) as boolean,
        autoplayed: autoplayed.getItem(r) as boolean,
        endedByTimeout: endedByTimeout.getItem(r) as boolean,
        interacted: interacted.getItem(r) as boolean,
        sessions: sessions.getItem(r) as number,
        deviceId: deviceId.getItem(r) as string,
        country: country.getItem(r) as string,
        offsetMin: offsetMin.getItem(r) as number,
        day: isoDay(dayNumber.getItem(r) as number),
        days: [],
        hidden: false,
      };
      views.push(view);
      byId.set(id, view);
    } else if (what === DAY) {
      dayViews.push(id);
      dayNumbers.push(dayNumber.getItem(r) as number);
      daySeconds.push(watchedS.getItem(r) as number);
    } else {
      hidden.push(id);
    }
  }
}
