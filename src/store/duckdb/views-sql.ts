// Sessions -> views as one hand-written DuckDB query over the `events` and `titles` tables: the
// same rules as the pure functions in src/history (which stay the specification), with window
// functions instead of loops. Used by `binge bench history` to compare the two on one store, and
// by anyone who wants views of a whole store in one statement.
//
// Exact, rule by rule (src/history/README.md):
// - order of a playback's events: atMs, type rank, eventId; a repeated eventId keeps its first
//   copy in the full compareEvents order (every field of compareRest);
// - playing state: the last event that sets it (start/resume/heartbeat/"yes" answer: playing;
//   pause/stop: paused), a seek or prompt keeps it; the stretch ending at a seek is not watched;
// - watched stretch = min(position gap, wall-clock gap) in integer ms, positive only;
// - the first visibility_timeout event ends the session there (that stretch counts);
// - overlap: one profile's stretches taken earliest first (ties: session start, playbackId,
//   stretch order); a stretch counts only what no earlier stretch covered, with the pure
//   version's integer split (w - floor(w * uncoveredFrom / length));
// - min watch, resume merge (gaps and islands on the running maximum end), completion by
//   runtime or credits, bookmark of the session that ended last, rewatch, view id.
// Not done here: the 24 h per local day cap (capProfileDays). It only changes anything when one
// profile's local day holds more than 24 h after overlap clipping, which needs a day longer
// than 24 h (clocks going back) or offsets that jump within a profile; comparisons restrict
// themselves to streams without that (see views-sql.test.ts) or report the difference.
// Also not computed: per-day shares (View.days).

import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { Definitions } from '../../domain/definitions.js';
import type { PlaybackEvent, View } from '../../domain/model.js';
import { COUNTRY_ZONES } from '../../domain/time.js';
import type { DuckDbStore } from './adapter.js';

/** The fields of a view that the SQL computes (View without days and hidden). */
export type SqlView = Omit<View, 'days' | 'hidden'>;

function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function finiteNumber(name: string, value: number): string {
  if (!Number.isFinite(value)) throw new Error(`definitions.${name} must be a finite number, got ${value}`);
  return String(value);
}

/** The query: one row per view, columns named like the views table. */
export function viewsSql(defs: Pick<Definitions, 'minWatchS' | 'resumeMergeH' | 'completeAt'>): string {
  const mergeMs = finiteNumber('resumeMergeH', defs.resumeMergeH * 3_600_000);
  const minWatchS = finiteNumber('minWatchS', defs.minWatchS);
  const completeAt = finiteNumber('completeAt', defs.completeAt);
  const zones = Object.entries(COUNTRY_ZONES)
    .map(([country, zone]) => `(${sqlString(country)}, ${sqlString(zone)})`)
    .join(', ');
  return `
WITH
ranked AS (
  SELECT *,
    CASE type WHEN 'start' THEN 0 WHEN 'resume' THEN 1 WHEN 'heartbeat' THEN 2 WHEN 'seek' THEN 3
      WHEN 'still_watching_prompt' THEN 4 WHEN 'still_watching_answer' THEN 5 WHEN 'pause' THEN 6 ELSE 7 END AS type_rank
  FROM events
),
-- A repeated eventId within a playback keeps its first copy in compareEvents order.
dedup AS (
  SELECT * FROM ranked
  QUALIFY row_number() OVER (PARTITION BY playback_id, event_id
          ORDER BY at_ms, type_rank, position_s, user_action, CAST(autoplayed AS VARCHAR),
                   coalesce(CAST(offset_min AS VARCHAR), 'null'), profile_id, title_id, device_id, country) = 1
),
stepped AS (
  SELECT playback_id, profile_id, title_id, type, position_s, at_ms, offset_min, device_id, country, autoplayed, user_action,
    row_number() OVER w AS seq,
    lag(at_ms) OVER w AS prev_at,
    lag(position_s) OVER w AS prev_pos,
    coalesce(last_value(CASE WHEN type IN ('start', 'resume', 'heartbeat') THEN true
                              WHEN type IN ('pause', 'stop') THEN false
                              WHEN type = 'still_watching_answer' AND user_action = 'interaction' THEN true END IGNORE NULLS)
             OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false) AS playing_before,
    coalesce(bool_or(user_action = 'visibility_timeout') OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false) AS timed_out_before
  FROM dedup
  WINDOW w AS (PARTITION BY playback_id ORDER BY at_ms, type_rank, event_id)
),
kept AS (
  SELECT * FROM stepped WHERE NOT timed_out_before
),
sessions AS (
  SELECT playback_id,
    arg_min(profile_id, seq) AS profile_id,
    arg_min(title_id, seq) AS title_id,
    arg_min(device_id, seq) AS device_id,
    arg_min(country, seq) AS country,
    arg_min(autoplayed, seq) AS autoplayed,
    arg_min(offset_min, seq) AS first_offset_min,
    min(at_ms) AS start_ms,
    arg_max(at_ms, seq) AS end_ms,
    max(position_s) AS furthest_s,
    arg_max(position_s, seq) AS last_position_s,
    bool_or(user_action = 'visibility_timeout') AS ended_by_timeout,
    bool_or(user_action = 'interaction') AS interacted
  FROM kept GROUP BY playback_id
),
stretches AS (
  SELECT k.playback_id, s.profile_id, s.start_ms AS session_start, k.seq,
    k.prev_at AS gap_start, k.at_ms AS gap_end,
    least(CAST(round(k.position_s * 1000) AS BIGINT) - CAST(round(k.prev_pos * 1000) AS BIGINT), k.at_ms - k.prev_at) AS watched
  FROM kept k JOIN sessions s USING (playback_id)
  WHERE k.seq > 1 AND k.playing_before AND k.type <> 'seek'
    AND least(CAST(round(k.position_s * 1000) AS BIGINT) - CAST(round(k.prev_pos * 1000) AS BIGINT), k.at_ms - k.prev_at) > 0
),
clipped AS (
  SELECT playback_id, gap_start, gap_end, watched,
    greatest(gap_start, coalesce(max(gap_end) OVER (PARTITION BY profile_id ORDER BY gap_start, session_start, playback_id, seq
                                                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), gap_start)) AS from_ms
  FROM stretches
),
credited AS (
  SELECT playback_id,
    sum(CASE WHEN from_ms >= gap_end THEN 0
             WHEN from_ms = gap_start THEN watched
             ELSE watched - CAST((CAST(watched AS HUGEINT) * (from_ms - gap_start)) // (gap_end - gap_start) AS BIGINT) END) AS watched_ms
  FROM clipped GROUP BY playback_id
),
viewing AS (
  SELECT s.*, c.watched_ms FROM sessions s JOIN credited c USING (playback_id)
  WHERE CAST(c.watched_ms AS DOUBLE) / 1000 >= CAST(${minWatchS} AS DOUBLE) -- as isViewing computes it, in doubles
),
islands AS (
  SELECT *,
    row_number() OVER t AS rn,
    max(end_ms) OVER (t ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS end_before
  FROM viewing
  WINDOW t AS (PARTITION BY profile_id, title_id ORDER BY start_ms, playback_id)
),
numbered AS (
  SELECT *, sum(CASE WHEN end_before IS NULL OR start_ms - end_before >= ${mergeMs} THEN 1 ELSE 0 END)
              OVER (PARTITION BY profile_id, title_id ORDER BY rn ROWS UNBOUNDED PRECEDING) AS view_no
  FROM islands
),
grouped AS (
  SELECT profile_id, title_id, view_no,
    arg_min(playback_id, rn) AS first_playback_id,
    min(start_ms) AS start_ms,
    max(end_ms) AS end_ms,
    sum(watched_ms) AS watched_ms,
    max(furthest_s) AS furthest_s,
    arg_max(last_position_s, CAST(end_ms AS HUGEINT) * 4294967296 + rn) AS bookmark_s,
    arg_max(ended_by_timeout, CAST(end_ms AS HUGEINT) * 4294967296 + rn) AS ended_by_timeout,
    arg_min(autoplayed, rn) AS autoplayed,
    bool_or(interacted) AS interacted,
    count(*) AS sessions,
    arg_min(device_id, rn) AS device_id,
    arg_min(country, rn) AS country,
    arg_min(first_offset_min, rn) AS first_offset_min
  FROM numbered GROUP BY profile_id, title_id, view_no
),
zones(country, zone) AS (VALUES ${zones}),
completed AS (
  SELECT g.*, coalesce(t.kind, 'movie') AS kind,
    coalesce(t.credits_at_s IS NOT NULL AND g.furthest_s >= t.credits_at_s, false)
      OR coalesce(t.runtime_s IS NOT NULL AND t.runtime_s > 0 AND g.furthest_s >= CAST(${completeAt} AS DOUBLE) * t.runtime_s, false) AS completed,
    coalesce(g.first_offset_min, CAST(round((epoch_ms(timezone(coalesce(z.zone, 'UTC'),
      make_timestamptz((g.start_ms // 3600000) * 3600000 * 1000))) - (g.start_ms // 3600000) * 3600000) / 60000) AS INTEGER)) AS offset_min
  FROM grouped g LEFT JOIN titles t USING (title_id) LEFT JOIN zones z ON z.country = upper(g.country)
)
SELECT
  substr(sha256(profile_id || '|' || title_id || '|' || first_playback_id), 1, 16) AS view_id,
  profile_id, title_id, kind, start_ms, end_ms, watched_ms, furthest_s, bookmark_s, completed,
  completed AND coalesce(bool_or(completed) OVER (PARTITION BY profile_id, title_id ORDER BY view_no
                                                  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false) AS rewatch,
  autoplayed, ended_by_timeout, interacted, sessions, device_id, country, offset_min,
  CAST(CAST(epoch_ms(start_ms + offset_min * 60000) AS DATE) AS VARCHAR) AS day
FROM completed
`;
}

const num = (value: DuckDBValue): number => (typeof value === 'bigint' ? Number(value) : (value as number));

function viewOfRow(r: Record<string, DuckDBValue>): SqlView {
  return {
    viewId: r.view_id as string,
    profileId: r.profile_id as string,
    titleId: r.title_id as string,
    kind: r.kind as View['kind'],
    startMs: num(r.start_ms),
    endMs: num(r.end_ms),
    watchedS: num(r.watched_ms) / 1000,
    furthestS: num(r.furthest_s),
    bookmarkS: num(r.bookmark_s),
    completed: r.completed as boolean,
    rewatch: r.rewatch as boolean,
    autoplayed: r.autoplayed as boolean,
    endedByTimeout: r.ended_by_timeout as boolean,
    interacted: r.interacted as boolean,
    sessions: num(r.sessions),
    deviceId: r.device_id as string,
    country: r.country as string,
    offsetMin: num(r.offset_min),
    day: r.day as string,
  };
}

/** Creates (or replaces) `table` with the views of every event in the store, computed in SQL. Returns its row count. */
export async function materializeViewsSql(connection: DuckDBConnection, defs: Definitions, table = 'sql_views'): Promise<number> {
  await connection.run(`CREATE OR REPLACE TABLE ${table} AS ${viewsSql(defs)}`);
  const reader = await connection.runAndReadAll(`SELECT count(*) AS n FROM ${table}`);
  return num(reader.getRowObjects()[0].n);
}

/** Reads a table made by materializeViewsSql, sorted like viewsFromSessions (start, then viewId). */
export async function readViewsSql(connection: DuckDBConnection, table = 'sql_views'): Promise<SqlView[]> {
  const reader = await connection.runAndReadAll(`SELECT * FROM ${table} ORDER BY start_ms, view_id`);
  return reader.getRowObjects().map(viewOfRow);
}

/** Views of every event in the store, computed in SQL (sorted by start, then viewId). */
export async function viewsBySql(store: DuckDbStore, defs: Definitions): Promise<SqlView[]> {
  return store.withConnection(async (c) => {
    const reader = await c.runAndReadAll(`SELECT * FROM (${viewsSql(defs)}) ORDER BY start_ms, view_id`);
    return reader.getRowObjects().map(viewOfRow);
  });
}

const EVENT_COLUMNS =
  'event_id, playback_id, profile_id, title_id, type, position_s, at_ms, offset_min, device_id, country, autoplayed, user_action';

/**
 * Streams every event grouped by profile (profile order) and hands each profile's events to
 * `visit` as soon as they are complete: memory holds one profile's events, not the store's.
 * `visit` must not use the store (the connection is busy streaming).
 */
export async function streamEventsByProfile(store: DuckDbStore, visit: (profileId: string, events: PlaybackEvent[]) => void): Promise<number> {
  return store.withConnection(async (c) => {
    const result = await c.stream(`SELECT ${EVENT_COLUMNS} FROM events ORDER BY profile_id`);
    let current: string | undefined;
    let events: PlaybackEvent[] = [];
    let profiles = 0;
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      const columns = chunk.getColumns();
      const [ids, playbacks, profilesCol, titles, types, positions, ats, offsets, devices, countries, autoplayed, actions] = columns;
      for (let i = 0; i < chunk.rowCount; i++) {
        const profileId = profilesCol[i] as string;
        if (profileId !== current) {
          if (current !== undefined) {
            visit(current, events);
            profiles++;
          }
          current = profileId;
          events = [];
        }
        events.push({
          eventId: ids[i] as string,
          playbackId: playbacks[i] as string,
          profileId,
          titleId: titles[i] as string,
          type: types[i] as PlaybackEvent['type'],
          positionS: positions[i] as number,
          atMs: num(ats[i]),
          offsetMin: offsets[i] === null ? null : num(offsets[i]),
          deviceId: devices[i] as string,
          country: countries[i] as string,
          autoplayed: autoplayed[i] as boolean,
          userAction: actions[i] as PlaybackEvent['userAction'],
        });
      }
    }
    if (current !== undefined) {
      visit(current, events);
      profiles++;
    }
    return profiles;
  });
}

/** The fields both versions compute, for comparing a pure View with an SqlView. */
export function comparableView(v: SqlView | View): SqlView {
  return {
    viewId: v.viewId,
    profileId: v.profileId,
    titleId: v.titleId,
    kind: v.kind,
    startMs: v.startMs,
    endMs: v.endMs,
    watchedS: Math.round(v.watchedS * 1000) / 1000,
    furthestS: v.furthestS,
    bookmarkS: v.bookmarkS,
    completed: v.completed,
    rewatch: v.rewatch,
    autoplayed: v.autoplayed,
    endedByTimeout: v.endedByTimeout,
    interacted: v.interacted,
    sessions: v.sessions,
    deviceId: v.deviceId,
    country: v.country,
    offsetMin: v.offsetMin,
    day: v.day,
  };
}
