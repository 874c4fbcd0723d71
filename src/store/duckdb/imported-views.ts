// Imported history in DuckDB: rows of a service's export kept in `imported_rows` (one row per
// imported playback), and their views computed here in a few set-based statements, exactly as
// ingest/netflix/imported-history.ts importedViewsOf defines them (the pure functions of
// src/history over the two events each row stands for; imported-views.test.ts holds the two
// equal on random sessions). An imported row has one watched stretch, from its start to its
// stop, so the per-event steps of views-refresh.ts reduce to one row per session; overlap
// clipping, per-local-day credit, resume merge, completion and rewatch follow views-refresh.ts.
//
// The stored form is narrow (migration 11, DECISIONS 42): row and view keys as the numbers their
// 16 hex digits spell, titles and countries as codes (import_titles, import_countries), and
// per-day minutes (imported_view_days) only for views whose watched time does not all fall on
// their own local day (on_own_day). The SQL views `imported_sessions`, `views` and `view_days`
// decode them for every reader.
//
// A profile's imported views are always recomputed whole, from all its imported rows, and are
// named IMPORTED_VIEW_ID_PREFIX and their first row's id; refreshes of a profile's events
// replace only the live views, so live telemetry never wipes imported history (and imported rows
// never merge with live sessions: they are another service's history).
// Not done here: the 24 h per local day cap. A profile with a local day over 24 h is left
// untouched and handed back; the caller computes it with the pure functions.

import { LIST, VARCHAR, listValue, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import type { Definitions } from '../../domain/definitions.js';
import type { View } from '../../domain/model.js';
import { IMPORTED_VIEW_ID_PREFIX, type ImportedSession } from '../csv-import-port.js';
import { inTransaction } from './transaction.js';
import { appendView } from './view-rows.js';
import { writeZoneDayRanges } from './zone-days.js';

const DAY_MS = 86_400_000;
const num = (value: DuckDBValue): number => (typeof value === 'bigint' ? Number(value) : (value as number));
const quoted = (text: string): string => `'${text.replace(/'/g, "''")}'`;

function finiteNumber(name: string, value: number): string {
  if (!Number.isFinite(value)) throw new Error(`definitions.${name} must be a finite number, got ${value}`);
  return String(value);
}

/** floor(a / d) for BIGINT a and a positive constant d (DuckDB's // truncates toward zero). */
const floorDiv = (a: string, d: number): string => `((${a}) // ${d} - CASE WHEN (${a}) % ${d} < 0 THEN 1 ELSE 0 END)`;

/** The floor of the share of a stretch's watched ms in [gap_start, x): floor(W·(x − start)/L), exactly (HUGEINT). */
const upTo = (x: string): string => `CAST((CAST(watched AS HUGEINT) * ((${x}) - gap_start)) // (gap_end - gap_start) AS BIGINT)`;

/** A row id as the importers make it (ids.ts rowIds): stored as the 64-bit number it spells. */
const ROW_KEY = /^[0-9a-f]{16}$/;

/**
 * Gives every value of `source` (a query with a column named as `column`) a code in `table`
 * (import_titles or import_countries: public values, never member data), new values after the
 * largest code. Imports hold the store's connection alone, so codes are not given twice.
 */
export async function addCodes(c: DuckDBConnection, table: 'import_titles' | 'import_countries', source: string, params: DuckDBValue[] = []): Promise<void> {
  const [code, column] = table === 'import_titles' ? ['tc', 'title_id'] : ['cc', 'country'];
  await c.run(
    `INSERT INTO ${table}
     SELECT (SELECT coalesce(max(${code}), 0) FROM ${table}) + row_number() OVER (ORDER BY ${column}), ${column}
     FROM (SELECT DISTINCT ${column} FROM ${source}) n
     WHERE ${column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.${column} = n.${column})`,
    params,
  );
}

/** Inserts the rows of `source` (columns as imported_rows) whose row_key is not stored; returns how many. */
export async function insertNewSessions(c: DuckDBConnection, source: string): Promise<number> {
  const [stored] = (await c.runAndReadAll('SELECT count(*) AS n FROM (SELECT 1 FROM imported_rows LIMIT 1)')).getRowObjects();
  const fresh = num(stored.n) === 0 ? source : `(SELECT * FROM ${source} s WHERE NOT EXISTS (SELECT 1 FROM imported_rows i WHERE i.row_key = s.row_key))`;
  const result = await c.run(`INSERT INTO imported_rows SELECT * FROM ${fresh}`);
  return Number(result.rowsChanged);
}

export async function putImportedSessions(c: DuckDBConnection, sessions: readonly ImportedSession[]): Promise<number> {
  if (sessions.length === 0) return 0;
  const bad = sessions.find((s) => !ROW_KEY.test(s.rowId));
  if (bad) throw new Error(`imported row ${JSON.stringify(bad.rowId)} of profile ${bad.profileId}: a row id is 16 lowercase hex digits (ids.ts rowIds)`);
  await c.run('CREATE OR REPLACE TEMP TABLE iv_put AS SELECT * FROM imported_sessions LIMIT 0');
  const appender = await c.createAppender('iv_put', 'main', 'temp');
  try {
    // Within one batch a repeated row key keeps its first copy, as the anti-join does against the stored rows.
    const seen = new Set<string>();
    for (const s of sessions) {
      if (seen.has(s.rowId)) continue;
      seen.add(s.rowId);
      appender.appendVarchar(s.rowId);
      appender.appendVarchar(s.profileId);
      appender.appendVarchar(s.titleId);
      appender.appendBigInt(BigInt(s.startMs));
      appender.appendBigInt(BigInt(s.durationS));
      appender.appendBigInt(BigInt(s.bookmarkS));
      appender.appendVarchar(s.deviceId);
      appender.appendVarchar(s.country);
      appender.appendBoolean(s.autoplayed);
      appender.appendVarchar(s.userAction);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
  try {
    await addCodes(c, 'import_titles', 'iv_put');
    await addCodes(c, 'import_countries', 'iv_put');
    return await insertNewSessions(
      c,
      `(SELECT ('0x' || p.row_id)::UBIGINT AS row_key, p.profile_id, t.tc, p.start_ms, p.duration_s, p.bookmark_s, p.device_id, k.cc, p.autoplayed,
               p.user_action::imported_action AS user_action
        FROM iv_put p JOIN import_titles t USING (title_id) JOIN import_countries k USING (country))`,
    );
  } finally {
    await c.run('DROP TABLE IF EXISTS iv_put');
  }
}

export async function importedSessionsOf(c: DuckDBConnection, profileIds: readonly string[]): Promise<Map<string, ImportedSession[]>> {
  const out = new Map<string, ImportedSession[]>();
  if (profileIds.length === 0) return out;
  const rows = (
    await c.runAndReadAll(
      `SELECT * FROM imported_sessions WHERE profile_id IN (SELECT unnest($1::VARCHAR[])) ORDER BY profile_id, start_ms, row_id`,
      [listValue([...profileIds])],
    )
  ).getRowObjects();
  for (const r of rows) {
    const s: ImportedSession = {
      rowId: r.row_id as string,
      profileId: r.profile_id as string,
      titleId: r.title_id as string,
      startMs: num(r.start_ms),
      durationS: num(r.duration_s),
      bookmarkS: num(r.bookmark_s),
      deviceId: r.device_id as string,
      country: r.country as string,
      autoplayed: r.autoplayed as boolean,
      userAction: r.user_action as ImportedSession['userAction'],
    };
    const list = out.get(s.profileId);
    if (list) list.push(s);
    else out.set(s.profileId, [s]);
  }
  return out;
}

/** Deletes the imported views (and their per-day minutes) of the profiles in `profiles` (a table with profile_id). */
async function deleteImportedViews(c: DuckDBConnection, profiles: string): Promise<void> {
  await c.run(`DELETE FROM imported_view_days WHERE profile_id IN (SELECT profile_id FROM ${profiles})`);
  await c.run(`DELETE FROM imported_views WHERE profile_id IN (SELECT profile_id FROM ${profiles})`);
}

export async function replaceImportedViews(c: DuckDBConnection, profileId: string, views: readonly View[]): Promise<void> {
  await c.run('CREATE OR REPLACE TEMP TABLE iv_one AS SELECT $1::VARCHAR AS profile_id', [profileId]);
  await deleteImportedViews(c, 'iv_one');
  await c.run('DROP TABLE iv_one');
  if (views.length === 0) return;
  // Written as live views are, into temp tables, then coded into the narrow form (every view with its per-day rows).
  await c.run('CREATE OR REPLACE TEMP TABLE iv_put_views AS SELECT * FROM live_views LIMIT 0');
  await c.run('CREATE OR REPLACE TEMP TABLE iv_put_days AS SELECT * FROM live_view_days LIMIT 0');
  const appender = await c.createAppender('iv_put_views', 'main', 'temp');
  const days = await c.createAppender('iv_put_days', 'main', 'temp');
  try {
    for (const v of views) appendView(appender, days, v);
    appender.flushSync();
    days.flushSync();
  } finally {
    appender.closeSync();
    days.closeSync();
  }
  const key = (column: string) => `('0x' || ${column}[${IMPORTED_VIEW_ID_PREFIX.length + 1}:])::UBIGINT`;
  await addCodes(c, 'import_titles', 'iv_put_views');
  await addCodes(c, 'import_countries', 'iv_put_views');
  await c.run(`
INSERT INTO imported_views
SELECT ${key('v.view_id')}, v.profile_id, t.tc, v.kind::title_kind, v.start_ms, v.end_ms, v.watched_s, v.furthest_s, v.bookmark_s, v.completed, v.rewatch,
  v.autoplayed, v.ended_by_timeout, v.interacted, v.sessions, v.device_id, k.cc, v.offset_min, v.day, false
FROM iv_put_views v JOIN import_titles t USING (title_id) JOIN import_countries k USING (country)`);
  await c.run(`INSERT INTO imported_view_days SELECT ${key('view_id')}, profile_id, day, watched_s FROM iv_put_days`);
  await c.run('DROP TABLE iv_put_views');
  await c.run('DROP TABLE iv_put_days');
}

/** Recomputes the imported views of the profiles (inside the caller's transaction); returns the views written and the capped profiles. */
export async function refreshImportedViews(
  c: DuckDBConnection,
  profileIds: readonly string[],
  defs: Definitions,
): Promise<{ views: number; capped: string[] }> {
  if (profileIds.length === 0) return { views: 0, capped: [] };
  const mergeMs = finiteNumber('resumeMergeH', defs.resumeMergeH * 3_600_000);
  const minWatchS = finiteNumber('minWatchS', defs.minWatchS);
  const completeAt = finiteNumber('completeAt', defs.completeAt);
  await c.run('CREATE OR REPLACE TEMP TABLE iv_profiles AS SELECT DISTINCT unnest($1::VARCHAR[]) AS profile_id', [listValue([...profileIds])], [LIST(VARCHAR)]);
  // Every step below works on narrow rows of numbers: the profile and device as small integer
  // codes (titles and countries are codes already), the row by its 64-bit key. Windows and sorts over text ids
  // cost ten times as much; the text comes back only for the view keys' digest.
  await c.run(`CREATE OR REPLACE TEMP TABLE iv_codes AS SELECT profile_id, CAST(row_number() OVER (ORDER BY profile_id) AS INTEGER) AS pc FROM iv_profiles`);
  await c.run(`
CREATE OR REPLACE TEMP TABLE iv_devices AS
SELECT device_id, CAST(row_number() OVER (ORDER BY device_id) AS INTEGER) AS dv
FROM (SELECT DISTINCT device_id FROM imported_rows WHERE profile_id IN (SELECT profile_id FROM iv_profiles))`);

  // Zone offsets of the start of each session (imported rows carry no offset): one per (country,
  // UTC day) over each country's days, from the same zone clock as the pure functions.
  const ranges = (
    await c.runAndReadAll(
      `SELECT k.country, min(day) AS from_day, max(day) AS to_day
       FROM (SELECT cc, ${floorDiv('start_ms', DAY_MS)} AS day FROM imported_rows WHERE profile_id IN (SELECT profile_id FROM iv_profiles)) JOIN import_countries k USING (cc)
       GROUP BY k.country`,
    )
  )
    .getRowObjects()
    .map((r) => ({ country: r.country as string, fromDay: num(r.from_day), toDay: num(r.to_day) }));
  await writeZoneDayRanges(c, 'iv_zone_text', ranges);
  await c.run(`CREATE OR REPLACE TEMP TABLE iv_zone_days AS SELECT k.cc, z.* EXCLUDE (country) FROM iv_zone_text z JOIN import_countries k USING (country)`);

  // Sessions: the start event (at Bookmark - Duration) and the stop event (at Bookmark). A
  // visibility_timeout on the start ends the session there: the stop is not kept, nothing is watched.
  // The one stretch, start to stop, watches min(position gap, wall-clock gap) = min(Bookmark, Duration).
  // Overlap clipping (as views-refresh.ts, one stretch per session): taken earliest first (ties:
  // playbackId, whose 16 hex digits are row_key's, in the same order), a stretch counts only what
  // no earlier one of the profile covered, from from_ms. Its watched ms after clipping is
  // W - upTo(from_ms): the per-day shares below are differences of upTo at the day boundaries, so
  // they add up to exactly that.
  await c.run(`
CREATE OR REPLACE TEMP TABLE iv_sessions AS
WITH
base AS (
  SELECT s.row_key AS pk, p.pc, s.tc, d.dv, s.cc,
    s.autoplayed,
    s.start_ms,
    CASE WHEN timed_out THEN s.start_ms ELSE s.start_ms + s.duration_s * 1000 END AS end_ms,
    CAST(CASE WHEN timed_out THEN greatest(0, s.bookmark_s - s.duration_s) ELSE s.bookmark_s END AS DOUBLE) AS last_position_s,
    timed_out AS ended_by_timeout,
    s.user_action = 'interaction' AS interacted,
    CASE WHEN timed_out THEN 0 ELSE least(s.bookmark_s, s.duration_s) * 1000 END AS watched,
    s.start_ms AS gap_start,
    s.start_ms + s.duration_s * 1000 AS gap_end,
    CASE WHEN s.start_ms < z.switch_ms THEN z.start_off ELSE z.end_off END AS start_off
  FROM (SELECT *, user_action = 'visibility_timeout' AS timed_out FROM imported_rows) s
  JOIN iv_codes p ON p.profile_id = s.profile_id -- the profiles refreshed
  JOIN iv_devices d ON d.device_id = s.device_id
  LEFT JOIN iv_zone_days z ON z.cc = s.cc AND z.day = ${floorDiv('s.start_ms', DAY_MS)}
),
clipped AS (
  SELECT *, CAST(start_off AS BIGINT) * 60000 AS shift_ms,
    greatest(gap_start, coalesce(max(CASE WHEN watched > 0 THEN gap_end END) OVER (PARTITION BY pc ORDER BY gap_start, pk
                                                                              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), gap_start)) AS from_ms
  FROM base
)
SELECT *,
  CASE WHEN watched <= 0 OR from_ms >= gap_end THEN 0 WHEN from_ms = gap_start THEN watched ELSE watched - ${upTo('from_ms')} END AS watched_ms,
  ${floorDiv('from_ms + shift_ms', DAY_MS)} AS d0, ${floorDiv('gap_end - 1 + shift_ms', DAY_MS)} AS d1
FROM clipped`);

  // A stretch within one local day credits that day with its watched ms; the few over midnight
  // give each local day the difference of the split at its ends (kept apart, per day).
  await c.run(`
CREATE OR REPLACE TEMP TABLE iv_multi_day AS
SELECT pk, pc, day, ms FROM (
  SELECT pk, pc, day,
    ${upTo(`least(gap_end, (day + 1) * ${DAY_MS} - shift_ms)`)} - ${upTo(`greatest(from_ms, day * ${DAY_MS} - shift_ms)`)} AS ms
  FROM (SELECT *, unnest(range(d0, d1 + 1)) AS day FROM iv_sessions WHERE watched_ms > 0 AND d0 < d1))
WHERE ms > 0`);
  const credits = `(SELECT pc, d0 AS day, watched_ms AS ms FROM iv_sessions WHERE watched_ms > 0 AND d0 = d1
                    UNION ALL SELECT pc, day, ms FROM iv_multi_day)`;

  const capped = (
    await c.runAndReadAll(
      `SELECT profile_id FROM iv_codes WHERE pc IN (SELECT pc FROM ${credits} GROUP BY pc, day HAVING sum(ms) > ${DAY_MS}) ORDER BY profile_id`,
    )
  )
    .getRowObjects()
    .map((r) => r.profile_id as string);
  await c.run(
    `CREATE OR REPLACE TEMP TABLE iv_done AS SELECT profile_id, pc FROM iv_codes WHERE profile_id NOT IN (SELECT unnest($1::VARCHAR[]))`,
    [listValue(capped)],
    [LIST(VARCHAR)],
  );

  // Views: min watch, resume merge (gaps and islands, as view-grouping-sql.ts numberViewsSql; a
  // session is alone in its view when it starts one and the next starts another).
  await c.run(`
CREATE OR REPLACE TEMP TABLE iv_numbered AS
WITH
viewing AS (
  SELECT pk, pc, tc, dv, cc, start_ms, end_ms, watched_ms, last_position_s, ended_by_timeout, interacted, autoplayed, start_off, d0, d1 FROM iv_sessions
  WHERE CAST(watched_ms AS DOUBLE) / 1000 >= CAST(${minWatchS} AS DOUBLE)
    AND pc IN (SELECT pc FROM iv_done)
),
islands AS (
  SELECT *, row_number() OVER t AS rn, max(end_ms) OVER (t ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS end_before
  FROM viewing
  WINDOW t AS (PARTITION BY pc, tc ORDER BY start_ms, pk)
),
flagged AS (SELECT *, end_before IS NULL OR start_ms - end_before >= ${mergeMs} AS is_new FROM islands)
SELECT * EXCLUDE (end_before),
  sum(CASE WHEN is_new THEN 1 ELSE 0 END) OVER (PARTITION BY pc, tc ORDER BY rn ROWS UNBOUNDED PRECEDING) AS view_no,
  is_new AND coalesce(lead(is_new) OVER (PARTITION BY pc, tc ORDER BY rn), true) AS single
FROM flagged`);

  // One row per view (as view-grouping-sql.ts groupedViewsSql: a view of one session is that
  // session's row, only the others are aggregated); then completion, the bookmark of the session
  // that ended last, rewatch. An imported view's key is its first row's key (imported-history.ts
  // importedViewsOf). A view whose sessions each fall within one local day, all the view's own
  // day, has no per-day rows (on_own_day): its watched time is that day's.
  const dayOf = (ms: string, offsetMin: string) => floorDiv(`${ms} + CAST(${offsetMin} AS BIGINT) * 60000`, DAY_MS);
  await c.run(`
CREATE OR REPLACE TEMP TABLE iv_views AS
WITH
grouped AS (
  SELECT pc, tc, view_no, pk AS first_pk, dv, cc, start_ms, end_ms, CAST(watched_ms AS HUGEINT) AS watched_ms,
    last_position_s AS furthest_s, last_position_s AS bookmark_s, ended_by_timeout, autoplayed, interacted, CAST(1 AS BIGINT) AS sessions, start_off AS offset_min,
    watched_ms > 0 AND d0 = d1 AND d0 = ${dayOf('start_ms', 'start_off')} AS on_own_day
  FROM iv_numbered WHERE single
  UNION ALL BY NAME
  SELECT pc, tc, view_no,
    arg_min(pk, rn) AS first_pk,
    arg_min(dv, rn) AS dv,
    arg_min(cc, rn) AS cc,
    min(start_ms) AS start_ms,
    max(end_ms) AS end_ms,
    sum(watched_ms) AS watched_ms,
    max(last_position_s) AS furthest_s,
    arg_max(last_position_s, CAST(end_ms AS HUGEINT) * 4294967296 + rn) AS bookmark_s,
    arg_max(ended_by_timeout, CAST(end_ms AS HUGEINT) * 4294967296 + rn) AS ended_by_timeout,
    arg_min(autoplayed, rn) AS autoplayed,
    bool_or(interacted) AS interacted,
    count(*) AS sessions,
    arg_min(start_off, rn) AS offset_min,
    sum(watched_ms) > 0 AND bool_and(d0 = d1) AND min(d0) = max(d0) AND min(d0) = ${dayOf('arg_min(start_ms, rn)', 'arg_min(start_off, rn)')} AS on_own_day
  FROM iv_numbered WHERE NOT single GROUP BY pc, tc, view_no
),
-- The catalogue by title code (a join of two small tables): the views join it on the integer.
title_facts AS (SELECT c.tc, c.title_id, t.kind, t.credits_at_s, t.runtime_s FROM import_titles c LEFT JOIN titles t USING (title_id)),
completed AS (
  SELECT g.*, t.title_id, coalesce(t.kind, 'movie') AS kind,
    coalesce(t.credits_at_s IS NOT NULL AND g.furthest_s >= t.credits_at_s, false)
      OR coalesce(t.runtime_s IS NOT NULL AND t.runtime_s > 0 AND g.furthest_s >= CAST(${completeAt} AS DOUBLE) * t.runtime_s, false) AS completed
  FROM grouped g JOIN title_facts t USING (tc)
),
-- A rewatch is a completed view after the title's first completed view (an aggregate, not a window: imports rarely complete anything).
first_completed AS (SELECT pc, tc, min(view_no) AS first_no FROM completed WHERE completed GROUP BY ALL)
SELECT
  g.first_pk AS view_key, p.profile_id, g.pc, g.tc, g.view_no, g.kind, g.start_ms, g.end_ms, g.watched_ms, g.furthest_s, g.bookmark_s, g.completed,
  g.completed AND coalesce(g.view_no > f.first_no, false) AS rewatch,
  g.autoplayed, g.ended_by_timeout, g.interacted, g.sessions, d.device_id, g.cc, g.offset_min,
  DATE '1970-01-01' + CAST(${dayOf('g.start_ms', 'g.offset_min')} AS INTEGER) AS day, g.on_own_day
FROM completed g
JOIN iv_codes p USING (pc)
JOIN iv_devices d USING (dv)
LEFT JOIN first_completed f ON f.pc = g.pc AND f.tc = g.tc`);

  // The writes in one transaction; the temp tables above are built outside it, as a scan of
  // temp tables made in the same transaction runs on one thread (twice the time of the inserts).
  await inTransaction(c, async () => {
    await deleteImportedViews(c, 'iv_done');
    await c.run(`
INSERT INTO imported_views
SELECT view_key, profile_id, tc, kind, start_ms, end_ms, watched_ms / 1000, furthest_s, bookmark_s, completed, rewatch,
    autoplayed, ended_by_timeout, interacted, sessions, device_id, cc, offset_min, day, on_own_day
FROM iv_views`);
    // Per-day minutes of the views not on their own day: a view of one session has its session's days as they are; the others add theirs up.
    await c.run(`
INSERT INTO imported_view_days
WITH
apart AS (SELECT pc, tc, view_no, view_key, profile_id FROM iv_views WHERE NOT on_own_day),
per_session AS (
    SELECT n.pc, n.tc, n.view_no, n.d0 AS day, n.watched_ms AS ms FROM iv_numbered n SEMI JOIN apart a USING (pc, tc, view_no) WHERE n.watched_ms > 0 AND n.d0 = n.d1
    UNION ALL
    SELECT n.pc, n.tc, n.view_no, m.day, m.ms FROM iv_multi_day m JOIN iv_numbered n USING (pk, pc)
)
SELECT a.view_key, a.profile_id, DATE '1970-01-01' + CAST(d.day AS INTEGER), d.ms / 1000
FROM (SELECT pc, tc, view_no, day, sum(ms) AS ms FROM per_session GROUP BY pc, tc, view_no, day) d JOIN apart a USING (pc, tc, view_no)`);
  });
  const [count] = (await c.runAndReadAll('SELECT count(*) AS n FROM iv_views')).getRowObjects();
  for (const table of ['iv_profiles', 'iv_codes', 'iv_devices', 'iv_zone_text', 'iv_zone_days', 'iv_sessions', 'iv_multi_day', 'iv_done', 'iv_numbered', 'iv_views']) {
    await c.run(`DROP TABLE IF EXISTS ${table}`);
  }
  return { views: num(count.n), capped };
}
