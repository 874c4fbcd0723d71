// SQL shared by the two in-store views paths (views-refresh.ts for playback events,
// imported-views.ts for imported rows): the same merge of sessions into views and the same
// completion rule, so that both stay what history/views.ts defines. The benchmark's reference
// query (views-sql.ts) is written apart on purpose and does not use these.

/**
 * Numbers each session's view within its profile and title: a new view after a gap of at least
 * `mergeMs`; reads `viewing`. With `viewIdOf` (an expression of the columns of a view's first
 * session), each session also gets its view's id (`view_id`) and whether it is alone in its
 * view (`single`), from the same ordered pass: a view of one session needs no aggregate.
 */
export function numberViewsSql(mergeMs: string | number, options: { viewIdOf?: string } = {}): string {
  const perView = options.viewIdOf
    ? `,
  last_value(CASE WHEN is_new THEN ${options.viewIdOf} END IGNORE NULLS) OVER w AS view_id,
  is_new AND coalesce(lead(is_new) OVER (PARTITION BY profile_id, title_id ORDER BY rn), true) AS single`
    : '';
  return `
islands AS (
  SELECT *, row_number() OVER t AS rn, max(end_ms) OVER (t ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS end_before
  FROM viewing
  WINDOW t AS (PARTITION BY profile_id, title_id ORDER BY start_ms, playback_id)
),
flagged AS (SELECT *, end_before IS NULL OR start_ms - end_before >= ${mergeMs} AS is_new FROM islands)
SELECT *, sum(CASE WHEN is_new THEN 1 ELSE 0 END) OVER w AS view_no${perView}
FROM flagged
WINDOW w AS (PARTITION BY profile_id, title_id ORDER BY rn ROWS UNBOUNDED PRECEDING)`;
}

/**
 * The `grouped` and `completed` CTEs: one row per view from the numbered sessions in `numbered`,
 * with `furthest` the expression for a session's furthest position. With `singles` (numbered by
 * numberViewsSql with `viewIdOf`: columns view_id and single), a view of one session is that
 * session's row, only the others are aggregated, and `view_id` is carried along.
 */
export function groupedViewsSql(numbered: string, furthest: string, completeAt: string | number, options: { singles?: { furthestOfOne: string } } = {}): string {
  const aggregates = `
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
    arg_min(start_off, rn) AS offset_min`;
  const grouped = options.singles
    ? `
  SELECT profile_id, title_id, view_no, view_id, playback_id AS first_playback_id, start_ms, end_ms, CAST(watched_ms AS HUGEINT) AS watched_ms,
    ${options.singles.furthestOfOne} AS furthest_s, last_position_s AS bookmark_s, ended_by_timeout, autoplayed, interacted, CAST(1 AS BIGINT) AS sessions,
    device_id, country, start_off AS offset_min
  FROM ${numbered} WHERE single
  UNION ALL BY NAME
  SELECT profile_id, title_id, view_no, any_value(view_id) AS view_id,${aggregates}
  FROM ${numbered} WHERE NOT single GROUP BY profile_id, title_id, view_no`
    : `
  SELECT profile_id, title_id, view_no,${aggregates}
  FROM ${numbered} GROUP BY profile_id, title_id, view_no`;
  return `
grouped AS (${grouped}
),
completed AS (
  SELECT g.*, coalesce(t.kind, 'movie') AS kind,
    coalesce(t.credits_at_s IS NOT NULL AND g.furthest_s >= t.credits_at_s, false)
      OR coalesce(t.runtime_s IS NOT NULL AND t.runtime_s > 0 AND g.furthest_s >= CAST(${completeAt} AS DOUBLE) * t.runtime_s, false) AS completed
  FROM grouped g LEFT JOIN titles t USING (title_id)`;
}
