// Population facts of a year computed where the views are, in DuckDB: the same object as
// insights/population.ts (PopulationTally), which stays the definition. A property test
// (population-facts.test.ts) checks over random view sets that both give the same facts.
//
// Why SQL: the streamed TypeScript pass spends most of its time turning millions of stored rows
// into View objects; every fact here is a grouping over views and their day shares, which DuckDB
// does in parallel over columns. The statements follow the pure functions step by step:
//  1. _ins_w: views overlapping the year window (as eachMember reads them), with the title's
//     series, season, runtime and release, the member, and whether the view is hidden or a
//     programme (not supplemental). _ins_d: their day shares as day numbers.
//  2. Not a person (not-a-person.ts): per profile and per device, over programme views, hidden
//     included, every day of the views read: heavy days, else the title looped on most days.
//     A device is judged on all its views (the TypeScript pass judges shared devices on all
//     their views and the others on their one member's views, which is the same set).
//  3. _ins_pd: the day shares that count for people (not hidden, programme, not a flagged
//     profile or device), days of the year only.
//  4. Each fact from those, as its pure function defines it.

import { listValue, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import type { Definitions } from '../../domain/definitions.js';
import { dayNumberToIso } from '../../domain/time.js';
import { weekdayIndex, yearDays } from '../../insights/local-days.js';
import { canonicalFacts, DEFAULT_STREAK_THRESHOLDS, DEFAULT_TOP_WEEKLY, type PopulationFacts } from '../../insights/population.js';
import type { TimeWindow } from '../insights-port.js';

const num = (value: DuckDBValue): number => (typeof value === 'bigint' ? Number(value) : (value as number));
const str = (value: DuckDBValue): string => value as string;
const EPOCH = "DATE '1970-01-01'";

/** Seasons are stored as text; read back as the catalogue holds them (digits are numbers, absent is ''). */
const seasonOf = (value: DuckDBValue): number | string => (value === null ? '' : /^\d+$/.test(str(value)) ? Number(value) : str(value));

export interface PopulationSqlOptions {
  streakThresholds?: readonly number[];
  topWeekly?: number;
}

export async function populationFactsSql(
  c: DuckDBConnection,
  year: number,
  window: TimeWindow,
  defs: Definitions,
  options: PopulationSqlOptions = {},
): Promise<PopulationFacts> {
  const thresholds = [...(options.streakThresholds ?? DEFAULT_STREAK_THRESHOLDS)].sort((a, b) => a - b);
  const topN = options.topWeekly ?? DEFAULT_TOP_WEEKLY;
  const { first, last } = yearDays(year);
  const daysInYear = last - first + 1;
  const rows = async (sql: string, values: DuckDBValue[] = []) => (await c.runAndReadAll(sql, values)).getRows();

  await c.run(
    `CREATE OR REPLACE TEMP TABLE _ins_w AS
     SELECT v.view_id, v.profile_id, coalesce(p.member_id, v.profile_id) AS member_id, v.title_id, v.kind, v.start_ms, v.end_ms,
            v.furthest_s, v.completed, v.sessions, v.device_id, v.country, v.offset_min, (v.day - ${EPOCH}) AS dn,
            h.view_id IS NOT NULL AS hidden,
            v.kind <> 'supplemental' AND coalesce(t.kind, '') <> 'supplemental' AS programme,
            CASE WHEN v.kind = 'episode' THEN t.series_id END AS series_id, t.season, t.runtime_s, t.released_at_ms
     FROM views v
     LEFT JOIN titles t ON t.title_id = v.title_id
     LEFT JOIN profiles p ON p.profile_id = v.profile_id
     LEFT JOIN hidden_views h ON h.profile_id = v.profile_id AND h.view_id = v.view_id
     WHERE v.end_ms >= $1 AND v.start_ms <= $2`,
    [BigInt(Math.floor(window.fromMs)), BigInt(Math.ceil(window.toMs))],
  );
  try {
    await c.run(
      `CREATE OR REPLACE TEMP TABLE _ins_d AS
       SELECT d.profile_id, d.view_id, (d.day - ${EPOCH}) AS dn, d.watched_s AS s
       FROM view_days d SEMI JOIN _ins_w w ON w.profile_id = d.profile_id AND w.view_id = d.view_id`,
    );

    // 2. Not a person.
    const flagRows = await rows(
      `WITH shares AS (
         SELECT w.profile_id, w.device_id, w.title_id, w.runtime_s, d.dn, d.s,
                w.sessions * d.s / sum(greatest(0, d.s)) OVER (PARTITION BY w.profile_id, w.view_id) AS sess
         FROM _ins_w w JOIN _ins_d d ON d.profile_id = w.profile_id AND d.view_id = w.view_id
         WHERE w.programme
       ),
       e AS (
         SELECT 'profile' AS scope, profile_id AS id, title_id, runtime_s, dn, s, sess FROM shares WHERE s > 0
         UNION ALL
         SELECT 'device', device_id, title_id, runtime_s, dn, s, sess FROM shares WHERE s > 0
       ),
       heavy AS (
         SELECT scope, id, count(*) AS days FROM (SELECT scope, id, dn, sum(s) AS secs FROM e GROUP BY ALL) WHERE secs > $1 GROUP BY ALL
       ),
       loops AS (
         SELECT scope, id, title_id, count(*) AS days
         FROM (SELECT scope, id, title_id, dn, sum(sess) AS sess, sum(s) AS secs, any_value(runtime_s) AS rt FROM e GROUP BY ALL)
         WHERE greatest(sess, CASE WHEN coalesce(rt, 0) > 0 THEN secs / rt ELSE 0 END) + 1e-9 >= $3
         GROUP BY ALL
       ),
       worst AS (
         SELECT scope, id, title_id, days FROM loops WHERE days >= $2
         QUALIFY row_number() OVER (PARTITION BY scope, id ORDER BY days DESC, title_id) = 1
       )
       SELECT scope, id, 'hours' AS reason, days, NULL AS title_id FROM heavy WHERE days >= $2
       UNION ALL
       SELECT w.scope, w.id, 'loop', w.days, w.title_id FROM worst w ANTI JOIN (SELECT * FROM heavy WHERE days >= $2) h ON h.scope = w.scope AND h.id = w.id`,
      [defs.notAPersonDayH * 3600, defs.notAPersonDays, defs.loopViewsPerDay],
    );
    const notAPerson: PopulationFacts['notAPerson'] = flagRows
      .map((r) => ({ scope: str(r[0]) as 'profile' | 'device', id: str(r[1]), reason: str(r[2]) as 'hours' | 'loop', days: num(r[3]), ...(r[4] === null ? {} : { titleId: str(r[4]) }) }))
      .sort((a, b) => (a.scope === b.scope ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.scope === 'profile' ? -1 : 1));
    const flaggedProfiles = notAPerson.filter((f) => f.scope === 'profile').map((f) => f.id);
    const flaggedDevices = notAPerson.filter((f) => f.scope === 'device').map((f) => f.id);
    // node-api cannot bind an empty untyped list; '' is never an id.
    const flagged = [listValue(flaggedProfiles.length > 0 ? flaggedProfiles : ['']), listValue(flaggedDevices.length > 0 ? flaggedDevices : [''])];

    // 3. What counts for people.
    const [peopleRow] = await rows(`SELECT count(DISTINCT profile_id) FROM _ins_w WHERE NOT list_contains($1::VARCHAR[], profile_id)`, [flagged[0]]);
    await c.run(
      `CREATE OR REPLACE TEMP TABLE _ins_pv AS
       SELECT * FROM _ins_w WHERE NOT hidden AND programme AND NOT list_contains($1::VARCHAR[], profile_id) AND NOT list_contains($2::VARCHAR[], device_id)`,
      flagged,
    );
    await c.run(
      `CREATE OR REPLACE TEMP TABLE _ins_pd AS
       SELECT w.profile_id, w.member_id, w.view_id, w.title_id, w.series_id, w.start_ms, w.end_ms, w.offset_min, d.dn, d.s
       FROM _ins_pv w JOIN _ins_d d ON d.profile_id = w.profile_id AND d.view_id = w.view_id
       WHERE d.s > 0 AND d.dn BETWEEN $1 AND $2`,
      [first, last],
    );

    // 4a. Streaks, every day of the year, the longest run (viewing-days.ts, population.ts).
    await c.run(
      `CREATE OR REPLACE TEMP TABLE _ins_best AS
       WITH sd AS (
         SELECT profile_id, 't:' || title_id AS k, dn, sum(s) AS s FROM _ins_pd GROUP BY ALL
         UNION ALL
         SELECT profile_id, 's:' || series_id, dn, sum(s) FROM _ins_pd WHERE series_id IS NOT NULL GROUP BY ALL
       ),
       good AS (SELECT profile_id, k, dn - row_number() OVER (PARTITION BY profile_id, k ORDER BY dn) AS g FROM sd WHERE s >= $1)
       SELECT profile_id, k, max(n) AS longest FROM (SELECT profile_id, k, g, count(*) AS n FROM good GROUP BY ALL) GROUP BY ALL`,
      [defs.streakMinS],
    );
    const streakRows = await rows(
      `SELECT k, th.days, count(*) FILTER (WHERE longest >= th.days) FROM _ins_best, (SELECT unnest($1::INTEGER[]) AS days) th
       WHERE longest >= $2 GROUP BY ALL`,
      [listValue(thresholds), thresholds[0]],
    );
    const everyDayRows = await rows(`SELECT k, count(*) FROM _ins_best WHERE longest = $1 GROUP BY k`, [daysInYear]);
    const [longestRow] = await rows(`SELECT k, longest FROM _ins_best ORDER BY longest DESC, k LIMIT 1`);
    const subject = (k: string) => ({ scope: k.startsWith('t:') ? ('title' as const) : ('series' as const), id: k.slice(2) });

    // 4b. Episodes in a rolling window (weekly-episodes.ts): completion day = the view's last day with viewing.
    const windowDays = Math.max(1, Math.round(defs.rollingWindowDays));
    const weeklyRows = await rows(
      `WITH lastday AS (SELECT profile_id, view_id, max(dn) FILTER (WHERE s > 0) AS dn FROM _ins_d GROUP BY ALL),
       comp AS (
         SELECT w.profile_id, w.series_id, w.title_id, coalesce(w.runtime_s, w.furthest_s) AS secs, coalesce(l.dn, w.dn) AS cday
         FROM _ins_pv w LEFT JOIN lastday l ON l.profile_id = w.profile_id AND l.view_id = w.view_id
         WHERE w.completed AND w.series_id IS NOT NULL
       ),
       inyear AS (SELECT * FROM comp WHERE cday BETWEEN $1 AND $2),
       ends AS (SELECT DISTINCT profile_id, series_id, cday FROM inyear),
       win AS (
         SELECT e.profile_id, e.series_id, e.cday, count(DISTINCT x.title_id) AS n
         FROM ends e JOIN inyear x ON x.profile_id = e.profile_id AND x.series_id = e.series_id AND x.cday BETWEEN e.cday - $3 + 1 AND e.cday
         GROUP BY ALL
       ),
       best AS (SELECT * FROM win QUALIFY row_number() OVER (PARTITION BY profile_id, series_id ORDER BY n DESC, cday) = 1),
       top AS (SELECT * FROM best ORDER BY n DESC, profile_id, series_id LIMIT $4),
       secs AS (
         SELECT t.profile_id, t.series_id, x.title_id, max(x.secs) AS secs
         FROM top t JOIN inyear x ON x.profile_id = t.profile_id AND x.series_id = t.series_id AND x.cday BETWEEN t.cday - $3 + 1 AND t.cday
         GROUP BY ALL
       )
       SELECT t.profile_id, t.series_id, t.n, t.cday, (SELECT sum(s.secs) FROM secs s WHERE s.profile_id = t.profile_id AND s.series_id = t.series_id)
       FROM top t ORDER BY t.n DESC, t.profile_id, t.series_id`,
      [first, last, windowDays, topN],
    );

    // 4c. Country habits (country-habits.ts): a member's days summed over its people-profiles.
    const countryRows = await rows(
      `WITH country AS (
         SELECT w.member_id, coalesce(any_value(m.country), first(w.country ORDER BY w.profile_id, w.start_ms, w.view_id)) AS country
         FROM _ins_w w LEFT JOIN members m ON m.member_id = w.member_id GROUP BY w.member_id
       ),
       md AS (SELECT member_id, dn, sum(s) AS s FROM _ins_pd GROUP BY ALL),
       pm AS (SELECT member_id, count(*) FILTER (WHERE s >= $1) AS vdays, sum(s) AS secs FROM md GROUP BY ALL)
       SELECT c.country, count(*), count(*) FILTER (WHERE vdays >= $2 * $3 - 1e-9), sum(secs)
       FROM pm JOIN country c ON c.member_id = pm.member_id WHERE vdays > 0 GROUP BY c.country ORDER BY c.country`,
      [defs.streakMinS, defs.dailyShare, daysInYear],
    );

    // 4d. Binge racers (binge-racer.ts), seasons first released in the year (UTC).
    const racerRows = await rows(
      `WITH seasons AS (
         SELECT series_id, season, count(*) AS episodes, min(released_at_ms) AS released, bool_and(released_at_ms IS NOT NULL) AS known
         FROM titles WHERE kind = 'episode' AND series_id IS NOT NULL GROUP BY ALL
       ),
       raced AS (
         SELECT profile_id, series_id, season, count(DISTINCT title_id) AS done FROM _ins_pv
         WHERE completed AND kind = 'episode' AND series_id IS NOT NULL AND released_at_ms IS NOT NULL AND end_ms BETWEEN released_at_ms AND released_at_ms + $1
         GROUP BY ALL
       )
       SELECT s.series_id, s.season, s.episodes, count(*)
       FROM raced r JOIN seasons s ON s.series_id = r.series_id AND s.season IS NOT DISTINCT FROM r.season
       WHERE s.known AND r.done = s.episodes AND year(make_timestamp(s.released * 1000)) = $2 GROUP BY ALL`,
      [BigInt(defs.racerWindowH * 3_600_000), year],
    );

    // 4e. Hours per local day and per hour of the local day (hours.ts: each day's seconds spread
    // evenly over the part of the view's local span in that day; outside it, the start's hour).
    const dayRows = await rows(`SELECT dn, sum(s) FROM _ins_pd GROUP BY dn ORDER BY dn`);
    const hourRows = await rows(
      `WITH spans AS (
         SELECT s, start_ms + offset_min * 60000 AS start_local, dn * 86400000 AS day_start,
                greatest(start_ms + offset_min * 60000, dn * 86400000) AS f, least(end_ms + offset_min * 60000, (dn + 1) * 86400000) AS t
         FROM _ins_pd
       ),
       startHour AS (SELECT floor(((start_local % 86400000 + 86400000) % 86400000) / 3600000) AS h, sum(s) AS s FROM spans WHERE t <= f GROUP BY ALL),
       spread AS (
         SELECT r.h, sum(s * (least(t, day_start + (r.h + 1) * 3600000) - greatest(f, day_start + r.h * 3600000)) / (t - f)) AS s
         FROM spans, range(24) r(h)
         WHERE t > f AND least(t, day_start + (r.h + 1) * 3600000) > greatest(f, day_start + r.h * 3600000)
         GROUP BY ALL
       )
       SELECT h, sum(s) FROM (SELECT * FROM startHour UNION ALL SELECT * FROM spread) GROUP BY h`,
    );

    const perHourOfDay = new Array<number>(24).fill(0);
    for (const r of hourRows) perHourOfDay[num(r[0])] = num(r[1]) / 3600;
    const perDay = dayRows.map((r) => ({ day: dayNumberToIso(num(r[0])), hours: num(r[1]) / 3600 }));
    const perWeekday = new Array<number>(7).fill(0);
    for (const r of dayRows) perWeekday[weekdayIndex(num(r[0]))] += num(r[1]) / 3600;

    return canonicalFacts({
      year,
      profiles: num(peopleRow[0]),
      streakThresholds: thresholds,
      streaks: streakRows.map((r) => ({ title: subject(str(r[0])).id, scope: subject(str(r[0])).scope, days: num(r[1]), profiles: num(r[2]) })),
      weeklyEpisodes: weeklyRows.map((r) => ({
        profile: str(r[0]),
        series: str(r[1]),
        episodes: num(r[2]),
        fromDay: dayNumberToIso(num(r[3]) - windowDays + 1),
        toDay: dayNumberToIso(num(r[3])),
        impliedHoursPerDay: num(r[4]) / 3600 / windowDays,
      })),
      everyDay: {
        daysInYear,
        titles: everyDayRows.map((r) => ({ title: subject(str(r[0])).id, scope: subject(str(r[0])).scope, profiles: num(r[1]) })),
        longestRun: longestRow ? { title: subject(str(longestRow[0])).id, scope: subject(str(longestRow[0])).scope, days: num(longestRow[1]) } : null,
      },
      countries: countryRows.map((r) => {
        const active = num(r[1]);
        const daily = num(r[2]);
        return { country: str(r[0]), periodDays: daysInYear, activeMembers: active, dailyMembers: daily, dailyShare: daily / active, meanMinutesPerMemberPerDay: num(r[3]) / 60 / (active * daysInYear) };
      }),
      racers: racerRows.map((r) => ({ series: str(r[0]), season: seasonOf(r[1]), episodes: num(r[2]), profiles: num(r[3]) })),
      hours: { perDay, perHourOfDay, perWeekday },
      notAPerson,
    });
  } finally {
    for (const t of ['_ins_w', '_ins_d', '_ins_pv', '_ins_pd', '_ins_best']) await c.run(`DROP TABLE IF EXISTS ${t}`);
  }
}
