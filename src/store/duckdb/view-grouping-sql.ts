// SQL of the in-store views refresh of playback events (views-refresh.ts): the merge of sessions
// into views and the completion rule, as history/views.ts defines them. imported-views.ts writes
// the same rules over integer codes (DECISIONS 29). The benchmark's reference query
// (views-sql.ts) is written apart on purpose and does not use these.

/** Numbers each session's view within its profile and title: a new view after a gap of at least `mergeMs`; reads `viewing`. */
export function numberViewsSql(mergeMs: string | number): string {
  return `
islands AS (
  SELECT *, row_number() OVER t AS rn, max(end_ms) OVER (t ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS end_before
  FROM viewing
  WINDOW t AS (PARTITION BY profile_id, title_id ORDER BY start_ms, playback_id)
)
SELECT *, sum(CASE WHEN end_before IS NULL OR start_ms - end_before >= ${mergeMs} THEN 1 ELSE 0 END)
            OVER (PARTITION BY profile_id, title_id ORDER BY rn ROWS UNBOUNDED PRECEDING) AS view_no
FROM islands`;
}

/**
 * The `grouped` and `completed` CTEs: one row per view from the numbered sessions in `numbered`,
 * with `furthest` the expression for a session's furthest position.
 */
export function groupedViewsSql(numbered: string, furthest: string, completeAt: string | number): string {
  return `
grouped AS (
  SELECT profile_id, title_id, view_no,
    arg_min(playback_id, rn) AS first_playback_id,
    min(start_ms) AS start_ms,
    max(end_ms) AS end_ms,
    sum(watched_ms) AS watched_ms,
    ${furthest} AS furthest_s,
    arg_max(last_position_s, CAST(end_ms AS HUGEINT) * 4294967296 + rn) AS bookmark_s,
    arg_max(ended_by_timeout, CAST(end_ms AS HUGEINT) * 4294967296 + rn) AS ended_by_timeout,
    arg_min(autoplayed, rn) AS autoplayed,
    bool_or(interacted) AS interacted,
    count(*) AS sessions,
    arg_min(device_id, rn) AS device_id,
    arg_min(country, rn) AS country,
    arg_min(start_off, rn) AS offset_min
  FROM ${numbered} GROUP BY profile_id, title_id, view_no
),
completed AS (
  SELECT g.*, coalesce(t.kind, 'movie') AS kind,
    coalesce(t.credits_at_s IS NOT NULL AND g.furthest_s >= t.credits_at_s, false)
      OR coalesce(t.runtime_s IS NOT NULL AND t.runtime_s > 0 AND g.furthest_s >= CAST(${completeAt} AS DOUBLE) * t.runtime_s, false) AS completed
  FROM grouped g LEFT JOIN titles t USING (title_id)`;
}
