// Derived views recomputed inside DuckDB: the same rules as the pure functions of src/history
// (which stay the definition; views-refresh.test.ts holds the two to the same views and per-day
// minutes on random timelines), as a few set-based statements over the events of a batch of
// dirty profiles, each from its own cut, written straight into `views` and `view_days`.
//
// Why: the pure path reads every event into JS objects and sessionizes on one thread (about
// 75,000 events/s); here the work stays in DuckDB's columns on every core.
//
// What the SQL does not do: the 24 h per local day cap (capProfileDays). A profile that has a
// local day holding more than 24 h after overlaps are counted once is detected here, left out
// of the writes (its dirty marks stay) and handed back to the caller, which recomputes exactly
// those profiles with the pure functions.
//
// Steps (one transaction, so nothing else interleaves on the store's one connection):
// 1. cuts: where each profile's recomputation starts, as recomputeFrom in history/refresh-views.ts
//    (views that may merge with the new events, playbacks that began before the cut), to a
//    fixed point, from the views near the cut and the playbacks' first and last event times kept
//    in playback_bounds (migration 7), not from old events: only the events under a dirty mark
//    are read, to find old playbacks that they continue;
// 2. zone offsets of the (country, UTC day) pairs of events without a reported offset, from the
//    same zone clock as the pure functions (domain/zone-clock.ts), not from DuckDB's ICU;
// 3. events from the cuts: duplicates dropped (found by a hash aggregate; only repeated eventIds
//    are ranked), canonical order per playback, playing state, watched stretches;
// 4. sessions; stretches clipped against earlier stretches of the profile, credited to local
//    days with the pure version's integer split; profiles with a day over 24 h set aside;
// 5. views (resume merge, completion, bookmark, rewatch also against views before the cut), then
//    the old views from the cut replaced, the dirty marks cleared and the bounds of the
//    recomputed playbacks rewritten.
// The events from the cuts are copied once into a temp table when the batch is incremental (a
// day after a full load: ~32k events of 10M), and read in place when it starts from scratch.

import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { listValue } from '@duckdb/node-api';
import type { Definitions } from '../../domain/definitions.js';
import type { DirtyProfile } from '../port.js';
import { groupedViewsSql, numberViewsSql } from './view-grouping-sql.js';
import { writeZoneDays } from './zone-days.js';

const DAY_MS = 86_400_000;

export interface InStoreRefresh {
  /** Profiles whose views were replaced here. */
  profiles: number;
  /** Views written. */
  views: number;
  /** Profiles left dirty for the pure functions (a local day over 24 h: the cap applies). */
  leftDirty: DirtyProfile[];
  /** Events read from the cuts (duplicates dropped): what the batch cost. */
  events: number;
}

const num = (value: DuckDBValue): number => (typeof value === 'bigint' ? Number(value) : (value as number));

function finiteNumber(name: string, value: number): string {
  if (!Number.isFinite(value)) throw new Error(`definitions.${name} must be a finite number, got ${value}`);
  return String(value);
}

/** floor(a / d) for BIGINT a and a positive constant d (DuckDB's // truncates toward zero). */
const floorDiv = (a: string, d: number): string => `((${a}) // ${d} - CASE WHEN (${a}) % ${d} < 0 THEN 1 ELSE 0 END)`;

/** The floor of the share of a stretch's watched ms in [gap_start, x): floor(W·(x − start)/L), exactly (HUGEINT). */
const upTo = (x: string): string =>
  `CAST((CAST(watched AS HUGEINT) * ((${x}) - gap_start)) // (gap_end - gap_start) AS BIGINT)`;

/**
 * Recomputes the views of `dirty` (one batch) in the store. Runs on `c` inside the caller's
 * transaction. Returns what was written and the profiles left for the pure path.
 */
export async function refreshViewsInStore(c: DuckDBConnection, dirty: readonly DirtyProfile[], defs: Definitions): Promise<InStoreRefresh> {
  if (dirty.length === 0) return { profiles: 0, views: 0, leftDirty: [], events: 0 };
  const mergeMs = finiteNumber('resumeMergeH', defs.resumeMergeH * 3_600_000);
  const minWatchS = finiteNumber('minWatchS', defs.minWatchS);
  const completeAt = finiteNumber('completeAt', defs.completeAt);

  // 1. Cuts. The marks are read again here: a mark written after the caller read them (it stays
  // for the next refresh) still says which events playback_bounds does not know yet.
  await c.run(
    `CREATE OR REPLACE TEMP TABLE rv_dirty AS
     SELECT unnest($1::VARCHAR[]) AS profile_id, unnest($2::BIGINT[]) AS from_ms, unnest($3::BIGINT[]) AS up_to`,
    [
      listValue(dirty.map((d) => d.profileId)),
      listValue(dirty.map((d) => BigInt(Math.floor(d.fromMs)))),
      listValue(dirty.map((d) => BigInt(d.upToSeq))),
    ],
  );
  await c.run(
    `CREATE OR REPLACE TEMP TABLE rv_marks AS
     SELECT d.profile_id, d.up_to, least(d.from_ms, coalesce(min(m.from_ms), d.from_ms)) AS from_ms
     FROM rv_dirty d LEFT JOIN dirty_marks m USING (profile_id) GROUP BY d.profile_id, d.up_to, d.from_ms`,
  );
  // viewCut: the earliest start of a view ending within the merge window before the cut. The
  // earliest mark as a constant bound too: DuckDB then filters views by end_ms in the scan
  // instead of joining every view of the dirty profiles (a condition in a LEFT JOIN's ON stays there).
  const [marked] = (await c.runAndReadAll('SELECT min(from_ms) AS m FROM rv_marks')).getRowObjects();
  // (exact, as DuckDB gives it; none when it is far enough in the past that the bound could overflow)
  const endsFrom = typeof marked.m === 'bigint' && marked.m > -(2n ** 62n) ? `WHERE end_ms >= ${marked.m} - ${mergeMs}` : '';
  const viewCut = (table: string, column: string) => `
    SELECT t.profile_id, least(t.${column}, coalesce(min(v.start_ms), t.${column})) AS cut
    FROM ${table} t LEFT JOIN (SELECT profile_id, start_ms, end_ms FROM views ${endsFrom}) v
      ON v.profile_id = t.profile_id AND v.end_ms >= t.${column} - ${mergeMs}
    GROUP BY t.profile_id, t.${column}`;
  await c.run(
    `CREATE OR REPLACE TEMP TABLE rv_cuts AS
     SELECT d.profile_id, d.up_to, vc.cut, true AS moving FROM rv_marks d JOIN (${viewCut('rv_marks', 'from_ms')}) vc USING (profile_id)`,
  );
  // Where the playbacks of the dirty profiles began and ended, as far as playback_bounds knows:
  // every stored event not under a dirty mark is in it (migration 7 started it from every event;
  // each refresh rewrites the bounds of the playbacks it recomputed, below). Events under a mark
  // are at or after the profile's from_ms, so at or after every cut. A profile with a playback
  // that began before its cut is recomputed incrementally; the others start from scratch (a
  // first load, a full recompute).
  const [plan] = (
    await c.runAndReadAll(
      `SELECT min(cut) AS floor, min(from_ms) AS marks_from, count(*) FILTER (WHERE older) AS incremental, count(*) AS profiles
       FROM (SELECT c.profile_id, c.cut, m.from_ms, coalesce(b.first_ms < c.cut, false) AS older
             FROM rv_cuts c JOIN rv_marks m USING (profile_id)
             -- a playback began before the cut when the profile's first one did (one small row per profile to join)
             LEFT JOIN (SELECT profile_id, min(first_ms) AS first_ms FROM playback_bounds SEMI JOIN rv_cuts USING (profile_id) GROUP BY profile_id) b USING (profile_id))`,
    )
  ).getRowObjects();
  // A playback that ended before the cut and got new events (a late heartbeat, a resume days
  // later) is found among the events under a mark: the only events read here, the newest ones.
  await c.run('CREATE OR REPLACE TEMP TABLE rv_covered (profile_id VARCHAR, playback_id VARCHAR)');
  if (num(plan.incremental) > 0) {
    await c.run(
      `INSERT INTO rv_covered SELECT DISTINCT e.profile_id, e.playback_id FROM events e JOIN rv_marks m ON e.profile_id = m.profile_id AND e.at_ms >= m.from_ms
       WHERE e.at_ms >= ${num(plan.marks_from)}`,
    );
  }
  // The bounds and views that can move a cut at or after `floor`; read again if a cut goes below it.
  const near = async (floor: number) => {
    // Two parts, so that DuckDB filters last_ms in the scan (an OR of the two kept it out): the
    // bounds ending from the floor, and the late playbacks' bounds ending before it.
    await c.run(
      `CREATE OR REPLACE TEMP TABLE rv_bounds AS
       SELECT b.profile_id, b.playback_id, b.first_ms, b.last_ms, n.playback_id IS NOT NULL AS late
       FROM playback_bounds b SEMI JOIN rv_cuts USING (profile_id) LEFT JOIN rv_covered n USING (profile_id, playback_id)
       WHERE b.last_ms >= ${floor}
       UNION ALL
       SELECT b.profile_id, b.playback_id, b.first_ms, b.last_ms, true AS late
       FROM playback_bounds b JOIN rv_covered n USING (profile_id, playback_id)
       WHERE b.last_ms < ${floor}`,
    );
    await c.run(
      `CREATE OR REPLACE TEMP TABLE rv_near_views AS
       SELECT v.profile_id, v.start_ms, v.end_ms FROM views v SEMI JOIN rv_cuts USING (profile_id) WHERE v.end_ms >= ${floor} - ${mergeMs}`,
    );
  };
  const nearViewCut = (table: string, column: string) => `
    SELECT t.profile_id, least(t.${column}, coalesce(min(v.start_ms), t.${column})) AS cut
    FROM ${table} t LEFT JOIN rv_near_views v ON v.profile_id = t.profile_id AND v.end_ms >= t.${column} - ${mergeMs}
    GROUP BY t.profile_id, t.${column}`;
  const earliestCut = async (): Promise<number> => {
    const [row] = (await c.runAndReadAll(`SELECT min(cut) AS m FROM rv_cuts`)).getRowObjects();
    return row.m === null ? 0 : num(row.m);
  };
  let floor = plan.floor === null ? 0 : num(plan.floor);
  await near(floor);
  for (;;) {
    // A playback with events on both sides of the cut moves the cut to its first event; a view
    // ending within the merge window before the new cut moves it to that view's start.
    await c.run(
      `CREATE OR REPLACE TEMP TABLE rv_next AS
       WITH started AS (
         SELECT c.profile_id, min(b.first_ms) AS started FROM rv_cuts c JOIN rv_bounds b USING (profile_id)
         WHERE c.moving AND (b.last_ms >= c.cut OR b.late) GROUP BY c.profile_id),
       proposed AS (
         SELECT c.profile_id, least(c.cut, coalesce(s.started, c.cut)) AS c1 FROM rv_cuts c LEFT JOIN started s USING (profile_id) WHERE c.moving)
       ${nearViewCut('proposed', 'c1')}`,
    );
    const moved = await c.runAndReadAll(
      `UPDATE rv_cuts SET moving = n.cut < rv_cuts.cut, cut = least(n.cut, rv_cuts.cut) FROM rv_next n
       WHERE rv_cuts.profile_id = n.profile_id RETURNING moving`,
    );
    if (moved.getRows().some(([m]) => m === true)) continue;
    const lowest = await earliestCut();
    if (lowest >= floor) break;
    floor = lowest;
    await near(floor);
    await c.run('UPDATE rv_cuts SET moving = true');
  }
  const since = String(floor);

  // The events from the cuts. After one more day they are few: copied once into a temp table, so
  // that the statements below do not each filter the whole events table again. When most of the
  // batch starts from scratch, its events are too many to copy: they are read in place (the
  // filter on the earliest cut lets DuckDB skip row groups of older events).
  const eventsFromCuts = `
    SELECT e.rowid AS rid, e.event_id, e.playback_id, e.profile_id, e.title_id, e.type, e.position_s, e.at_ms, e.offset_min,
      e.device_id, e.country, e.autoplayed, e.user_action,
      CASE e.type WHEN 'start' THEN 0 WHEN 'resume' THEN 1 WHEN 'heartbeat' THEN 2 WHEN 'seek' THEN 3
        WHEN 'still_watching_prompt' THEN 4 WHEN 'still_watching_answer' THEN 5 WHEN 'pause' THEN 6 ELSE 7 END AS type_rank
    FROM events e JOIN rv_cuts c ON e.profile_id = c.profile_id AND e.at_ms >= c.cut
    WHERE e.at_ms >= ${since}`;
  let src: string;
  if (num(plan.incremental) * 10 >= num(plan.profiles) * 9) {
    await c.run(`CREATE OR REPLACE TEMP TABLE rv_src AS ${eventsFromCuts}`);
    src = 'rv_src';
  } else {
    src = `(${eventsFromCuts})`;
  }

  // 2. Zone offsets where the player reported none: one row per (country, UTC day) present.
  const zoneRows = (
    await c.runAndReadAll(
      `SELECT DISTINCT country, ${floorDiv('at_ms', DAY_MS)} AS day FROM ${src} WHERE offset_min IS NULL`,
    )
  ).getRowObjects();
  await writeZoneDays(c, 'rv_zone_days', zoneRows);

  // 3. Events from the cuts, deduplicated and stepped through in canonical order.
  // A repeated eventId within a playback keeps its first copy in compareEvents order. Repeats are
  // rare: an aggregate on a 64-bit hash of the eventId finds every candidate (a collision only
  // adds one), and only candidates are ranked (every field of compareRest).
  await c.run(`
CREATE OR REPLACE TEMP TABLE rv_losers AS
WITH
src AS NOT MATERIALIZED (SELECT * FROM ${src}),
repeated AS (SELECT hash(event_id) AS h FROM src GROUP BY 1 HAVING count(*) > 1)
SELECT rid, profile_id, playback_id, at_ms FROM src WHERE hash(event_id) IN (SELECT h FROM repeated)
QUALIFY row_number() OVER (PARTITION BY profile_id, playback_id, event_id
        ORDER BY at_ms, type_rank, position_s, user_action, CAST(autoplayed AS VARCHAR),
                 coalesce(CAST(offset_min AS VARCHAR), 'null'), profile_id, title_id, device_id, country) > 1`);
  await c.run(`
CREATE OR REPLACE TEMP TABLE rv_kept AS
WITH
located AS (
  SELECT s.*,
    coalesce(s.offset_min, CASE WHEN s.at_ms < z.switch_ms THEN z.start_off ELSE z.end_off END) AS eff_off
  FROM (SELECT * FROM ${src} ANTI JOIN rv_losers USING (rid)) s
  -- equality only, so that it stays a hash join; rows with an offset ignore what they match
  LEFT JOIN rv_zone_days z ON z.country = s.country AND z.day = ${floorDiv('s.at_ms', DAY_MS)}
),
stepped AS (
  SELECT profile_id, playback_id, title_id, type, position_s, at_ms, eff_off, device_id, country, autoplayed, user_action,
    row_number() OVER w AS seq,
    lag(at_ms) OVER w AS prev_at,
    lag(position_s) OVER w AS prev_pos,
    lag(eff_off) OVER w AS prev_off,
    coalesce(last_value(CASE WHEN type IN ('start', 'resume', 'heartbeat') THEN true
                              WHEN type IN ('pause', 'stop') THEN false
                              WHEN type = 'still_watching_answer' AND user_action = 'interaction' THEN true END IGNORE NULLS)
             OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false) AS playing_before,
    coalesce(bool_or(user_action = 'visibility_timeout') OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false) AS timed_out_before
  FROM located
  WINDOW w AS (PARTITION BY profile_id, playback_id ORDER BY at_ms, type_rank, event_id)
)
-- events after a visibility_timeout are no part of the session, but they are of the playback (its bounds)
SELECT profile_id, playback_id, title_id, position_s, at_ms, eff_off, device_id, country, autoplayed, user_action, seq,
  timed_out_before AS timed_out,
  -- the watched stretch that ends at this event (null when none): min(position gap, wall-clock gap) in ms
  CASE WHEN seq > 1 AND playing_before AND type <> 'seek'
       THEN least(CAST(round(position_s * 1000) AS BIGINT) - CAST(round(prev_pos * 1000) AS BIGINT), at_ms - prev_at) END AS watched,
  prev_at AS gap_start,
  CAST(prev_off AS BIGINT) * 60000 AS shift_ms
FROM stepped`);

  // 4. Sessions, and their watched ms per local day after overlap clipping.
  await c.run(`
CREATE OR REPLACE TEMP TABLE rv_sessions AS
SELECT profile_id, playback_id,
  arg_min(title_id, seq) AS title_id,
  arg_min(device_id, seq) AS device_id,
  arg_min(country, seq) AS country,
  arg_min(autoplayed, seq) AS autoplayed,
  arg_min(eff_off, seq) AS start_off,
  min(at_ms) AS start_ms,
  max(at_ms) FILTER (WHERE NOT timed_out) AS end_ms,
  max(position_s) FILTER (WHERE NOT timed_out) AS furthest_s,
  arg_max(position_s, seq) FILTER (WHERE NOT timed_out) AS last_position_s,
  bool_or(user_action = 'visibility_timeout') FILTER (WHERE NOT timed_out) AS ended_by_timeout,
  bool_or(user_action = 'interaction') FILTER (WHERE NOT timed_out) AS interacted,
  max(at_ms) AS last_event_ms
FROM rv_kept GROUP BY profile_id, playback_id`);

  await c.run(`
CREATE OR REPLACE TEMP TABLE rv_credit AS
WITH
stretches AS NOT MATERIALIZED (
  SELECT profile_id, playback_id, seq, gap_start, at_ms AS gap_end, watched, shift_ms FROM rv_kept WHERE watched > 0 AND NOT timed_out
),
-- A playback's own stretches follow each other; only another playback of the profile whose
-- stretches overlap its time can clip them. Playbacks that overlap no other (one device at a
-- time, the usual case) skip the ordered pass over the profile.
playback_spans AS (SELECT profile_id, playback_id, min(gap_start) AS s, max(gap_end) AS e FROM stretches GROUP BY profile_id, playback_id),
overlapping AS (
  SELECT profile_id, playback_id FROM playback_spans
  QUALIFY coalesce(max(e) OVER (PARTITION BY profile_id ORDER BY s, playback_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) > s, false)
       OR coalesce(lead(s) OVER (PARTITION BY profile_id ORDER BY s, playback_id) < e, false)
),
clipped AS (
  SELECT profile_id, playback_id, gap_start, gap_end, watched, shift_ms, gap_start AS from_ms
  FROM stretches ANTI JOIN overlapping USING (profile_id, playback_id)
  UNION ALL
  -- taken earliest first (ties: session start, playbackId, stretch order), each counts only what no earlier one covered
  SELECT t.profile_id, t.playback_id, t.gap_start, t.gap_end, t.watched, t.shift_ms,
    greatest(t.gap_start, coalesce(max(t.gap_end) OVER (PARTITION BY t.profile_id ORDER BY t.gap_start, s.start_ms, t.playback_id, t.seq
                                                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), t.gap_start)) AS from_ms
  FROM stretches t SEMI JOIN overlapping USING (profile_id, playback_id) JOIN rv_sessions s USING (profile_id, playback_id)
),
spans AS (
  SELECT *, ${floorDiv('from_ms + shift_ms', DAY_MS)} AS d0, ${floorDiv('gap_end - 1 + shift_ms', DAY_MS)} AS d1
  FROM clipped WHERE from_ms < gap_end
),
credits AS (
  -- the usual stretch: within one local day
  SELECT profile_id, playback_id, d0 AS day,
    CASE WHEN from_ms = gap_start THEN watched ELSE watched - ${upTo('from_ms')} END AS ms
  FROM spans WHERE d0 = d1
  UNION ALL
  -- over midnight: each local day gets the integer difference of the split at its ends
  SELECT profile_id, playback_id, day,
    ${upTo(`least(gap_end, (day + 1) * ${DAY_MS} - shift_ms)`)} - ${upTo(`greatest(from_ms, day * ${DAY_MS} - shift_ms)`)} AS ms
  FROM (SELECT *, unnest(range(d0, d1 + 1)) AS day FROM spans WHERE d0 < d1)
)
SELECT profile_id, playback_id, day, sum(ms) AS ms FROM credits GROUP BY profile_id, playback_id, day HAVING sum(ms) > 0`);

  // Profiles the SQL cannot do exactly: a local day over 24 h (capProfileDays would cut it).
  await c.run(`
CREATE OR REPLACE TEMP TABLE rv_capped AS
SELECT DISTINCT profile_id FROM (SELECT profile_id, day FROM rv_credit GROUP BY profile_id, day HAVING sum(ms) > ${DAY_MS})`);

  // 5. Views.
  await c.run(`
CREATE OR REPLACE TEMP TABLE rv_numbered AS
WITH
viewing AS (
  SELECT s.*, coalesce(w.watched_ms, 0) AS watched_ms
  FROM rv_sessions s LEFT JOIN (SELECT profile_id, playback_id, sum(ms) AS watched_ms FROM rv_credit GROUP BY ALL) w USING (profile_id, playback_id)
  WHERE CAST(coalesce(w.watched_ms, 0) AS DOUBLE) / 1000 >= CAST(${minWatchS} AS DOUBLE) -- as isViewing computes it, in doubles
    AND s.profile_id NOT IN (SELECT profile_id FROM rv_capped)
),
${numberViewsSql(mergeMs)}`);

  await c.run(`
CREATE OR REPLACE TEMP TABLE rv_views AS
WITH
${groupedViewsSql('rv_numbered', 'max(furthest_s)', completeAt)}
),
-- Rewatches look back past the cut: a title completed in a view before it (only titles completed again are looked up).
completed_before AS (
  SELECT DISTINCT v.profile_id, v.title_id
  FROM views v JOIN (SELECT DISTINCT g.profile_id, g.title_id, c.cut FROM completed g JOIN rv_cuts c USING (profile_id) WHERE g.completed) k
    ON v.profile_id = k.profile_id AND v.title_id = k.title_id AND v.start_ms < k.cut
  WHERE v.completed
)
SELECT
  substr(sha256(g.profile_id || '|' || g.title_id || '|' || g.first_playback_id), 1, 16) AS view_id,
  g.profile_id, g.title_id, g.view_no, g.kind, g.start_ms, g.end_ms, g.watched_ms, g.furthest_s, g.bookmark_s, g.completed,
  g.completed AND (coalesce(bool_or(g.completed) OVER (PARTITION BY g.profile_id, g.title_id ORDER BY g.view_no
                                                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false)
                   OR b.title_id IS NOT NULL) AS rewatch,
  g.autoplayed, g.ended_by_timeout, g.interacted, g.sessions, g.device_id, g.country, g.offset_min,
  DATE '1970-01-01' + CAST(${floorDiv(`g.start_ms + CAST(g.offset_min AS BIGINT) * 60000`, DAY_MS)} AS INTEGER) AS day
FROM completed g LEFT JOIN completed_before b USING (profile_id, title_id)`);

  // Replace the views of the profiles done here, from their cuts; clear their marks.
  await c.run(`CREATE OR REPLACE TEMP TABLE rv_done AS SELECT * FROM rv_cuts WHERE profile_id NOT IN (SELECT profile_id FROM rv_capped)`);
  await c.run(`
DELETE FROM live_view_days USING (SELECT v.profile_id, v.view_id FROM live_views v JOIN rv_done d ON v.profile_id = d.profile_id AND v.start_ms >= d.cut
                              WHERE v.start_ms >= ${since}) old
WHERE live_view_days.profile_id = old.profile_id AND live_view_days.view_id = old.view_id`);
  // Imported views are not the events' to replace: they are in tables of their own (imported-views.ts).
  // Every cut is at or after \`since\`: the same rows, with a constant bound DuckDB filters in the scan.
  await c.run(`DELETE FROM live_views USING rv_done d WHERE live_views.profile_id = d.profile_id AND live_views.start_ms >= d.cut AND live_views.start_ms >= ${since}`);
  // In profile order, as migration 9 left the tables: a read of one profile skips other row groups.
  await c.run(`
INSERT INTO live_views
SELECT view_id, profile_id, title_id, kind, start_ms, end_ms, watched_ms / 1000, furthest_s, bookmark_s, completed, rewatch,
  autoplayed, ended_by_timeout, interacted, sessions, device_id, country, offset_min, day
FROM rv_views ORDER BY profile_id, start_ms, view_id`);
  await c.run(`
INSERT INTO live_view_days
SELECT v.view_id, c.profile_id, DATE '1970-01-01' + CAST(c.day AS INTEGER), sum(c.ms) / 1000
FROM rv_credit c JOIN rv_numbered n USING (profile_id, playback_id) JOIN rv_views v USING (profile_id, title_id, view_no)
GROUP BY v.view_id, c.profile_id, c.day ORDER BY c.profile_id, c.day, v.view_id`);
  await c.run(`
DELETE FROM dirty_marks USING rv_done d WHERE dirty_marks.profile_id = d.profile_id AND dirty_marks.seq <= d.up_to`);
  // The bounds of every playback with an event from the cut are rewritten from the events read
  // here, which hold all of each such playback (the cut is at or before its first event); bounds
  // of playbacks that no longer have events there (erased, deleted) go.
  await c.run(`DELETE FROM playback_bounds USING rv_done d WHERE playback_bounds.profile_id = d.profile_id AND playback_bounds.last_ms >= d.cut AND playback_bounds.last_ms >= ${since}`);
  await c.run(`
INSERT INTO playback_bounds
SELECT s.profile_id, s.playback_id, least(s.start_ms, coalesce(l.first_ms, s.start_ms)), greatest(s.last_event_ms, coalesce(l.last_ms, s.last_event_ms))
FROM rv_sessions s SEMI JOIN rv_done USING (profile_id)
LEFT JOIN (SELECT profile_id, playback_id, min(at_ms) AS first_ms, max(at_ms) AS last_ms FROM rv_losers GROUP BY ALL) l USING (profile_id, playback_id)`);

  const [counts] = (
    await c.runAndReadAll(`SELECT (SELECT count(*) FROM rv_views) AS views, (SELECT count(*) FROM rv_done) AS profiles, (SELECT count(*) FROM rv_kept) AS events`)
  ).getRowObjects();
  const capped = new Set((await c.runAndReadAll('SELECT profile_id FROM rv_capped')).getRowObjects().map((r) => r.profile_id as string));
  for (const table of ['rv_dirty', 'rv_marks', 'rv_cuts', 'rv_covered', 'rv_bounds', 'rv_near_views', 'rv_next', 'rv_src', 'rv_losers', 'rv_zone_days', 'rv_kept', 'rv_sessions', 'rv_credit', 'rv_capped', 'rv_numbered', 'rv_views', 'rv_done']) {
    await c.run(`DROP TABLE IF EXISTS ${table}`);
  }
  return { profiles: num(counts.profiles), views: num(counts.views), leftDirty: dirty.filter((d) => capped.has(d.profileId)), events: num(counts.events) };
}
