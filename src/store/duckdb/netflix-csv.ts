// The bulk path of the Netflix importer (store/csv-import-port.ts): DuckDB's CSV reader stages
// the file, and one SQL statement per step does what ingest/netflix/parse.ts does per row:
// Start Time, Duration and Bookmark parsed, the row keyed (the first 64 bits of the SHA-256 of
// the same text, the k-th repeat of a key with "repeat k"), one imported row per row in the
// narrow form (imported-views.ts), exact dedup against the stored ones by key. Profiles, titles,
// devices, attributes and countries come mapped by the importer's pure functions. Any row the SQL does not find valid makes loadNetflix answer null
// and write nothing: the importer's own reader then decides (and words the skips).
// sql-import.test.ts checks on generated files that both paths store the same rows and views.

import { BOOLEAN, LIST, VARCHAR, listValue, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import type { CsvStartTimeFormat, NetflixCsvLoad, NetflixCsvMapping, StagedCsv } from '../csv-import-port.js';
import { addCodes, insertNewSessions } from './imported-views.js';
import { inTransaction } from './transaction.js';
import { warmZoneClocks } from './zone-days.js';

export interface StagingHost {
  exclusive<T>(work: (c: DuckDBConnection) => Promise<T>): Promise<T>;
  transaction<T>(work: (c: DuckDBConnection) => Promise<T>): Promise<T>;
}

let stagings = 0;

const num = (value: DuckDBValue): number => (typeof value === 'bigint' ? Number(value) : (value as number));
const quoted = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** Reads the file strictly (RFC 4180, every row `fieldCount` fields, valid UTF-8); null when DuckDB rejects it. */
export async function stageCsvFile(host: StagingHost, file: string, fieldCount: number, keep?: readonly number[]): Promise<StagedCsv | null> {
  const table = `netflix_stage_${++stagings}`;
  const columns = Array.from({ length: fieldCount }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  const fields = Array.from({ length: fieldCount }, (_, i) => `c${i}`);
  // Fields not kept are still parsed and counted by the reader (strict_mode), only not stored.
  const kept = new Set(keep ?? fields.map((_, i) => i));
  const keptList = fields.filter((_, i) => kept.has(i));
  try {
    await host.exclusive((c) =>
      c.run(
        `CREATE TEMP TABLE ${table} AS SELECT ${keptList.length > 0 ? keptList.join(', ') : 'c0'} FROM read_csv(${quoted(file)}, header = true, auto_detect = false, columns = {${columns}},
           delim = ',', quote = '"', escape = '"', strict_mode = true, null_padding = false, ignore_errors = false)`,
      ),
    );
  } catch {
    await host.exclusive((c) => c.run(`DROP TABLE IF EXISTS ${table}`)).catch(() => undefined);
    return null;
  }
  const [stats] = await host.exclusive(async (c) => (await c.runAndReadAll(`SELECT count(*) AS n FROM ${table}`)).getRowObjects());
  const field = (i: number): string => (i === -1 || !kept.has(i) ? "''" : `coalesce(c${i}, '')`);
  let closed = false;
  return {
    rows: num(stats.n),
    async head(n) {
      const reader = await host.exclusive((c) => c.runAndReadAll(`SELECT ${fields.map((_, i) => field(i)).join(', ')} FROM ${table} ORDER BY rowid LIMIT ${Math.floor(n)}`));
      return reader.getRows().map((row) => row.map((v) => v as string));
    },
    async distinct(columnSets) {
      // One scan with GROUPING SETS; equal sets are asked once. GROUPING() tells the rows of each set apart.
      const keys = [...new Set(columnSets.map((set) => set.join(',')))];
      const used = [...new Set(columnSets.flat())];
      const name = (i: number): string => (i === -1 ? 'x_none' : `x${i}`);
      const sets = keys.map((key) => `(${key.split(',').map((i) => name(Number(i))).join(', ')})`);
      const reader = await host.exclusive((c) =>
        c.runAndReadAll(
          `SELECT ${used.map(name).join(', ')}, GROUPING(${used.map(name).join(', ')}) AS g
           FROM (SELECT ${used.map((i) => `${field(i)} AS ${name(i)}`).join(', ')} FROM ${table})
           GROUP BY GROUPING SETS (${sets.join(', ')})`,
        ),
      );
      // GROUPING sets a bit for each column NOT in the row's set, the first column the highest.
      const maskOf = (set: readonly number[]): number => used.reduce((m, i, k) => (set.includes(i) ? m : m | (1 << (used.length - 1 - k))), 0);
      const byMask = new Map<number, string[][]>();
      for (const row of reader.getRows()) {
        const g = Number(row[used.length]);
        const list = byMask.get(g) ?? [];
        list.push(row.slice(0, used.length) as string[]);
        byMask.set(g, list);
      }
      return columnSets.map((set) => (byMask.get(maskOf(set)) ?? []).map((row) => set.map((i) => row[used.indexOf(i)])));
    },
    loadNetflix: (mapping) => loadNetflix(host, table, mapping),
    async close() {
      if (closed) return;
      closed = true;
      await host.exclusive((c) => c.run(`DROP TABLE IF EXISTS ${table}`));
    },
  };
}

/** Per format: the pattern (spaces around allowed, as parseStartTime trims them) and its groups in order. */
const START_PATTERNS: Record<CsvStartTimeFormat, { re: string; groups: string[] }> = {
  'YYYY-MM-DD H:MM:SS': { re: String.raw`^ *(\d{4})-(\d{2})-(\d{2}) (\d{1,2}):(\d{2}):(\d{2}) *$`, groups: ['y', 'mo', 'd', 'h', 'mi', 's'] },
  'YYYY-MM-DD H:MM': { re: String.raw`^ *(\d{4})-(\d{2})-(\d{2}) (\d{1,2}):(\d{2}) *$`, groups: ['y', 'mo', 'd', 'h', 'mi'] },
  'M/D/YYYY H:MM:SS': { re: String.raw`^ *(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2}):(\d{2}) *$`, groups: ['mo', 'd', 'y', 'h', 'mi', 's'] },
  'M/D/YYYY H:MM': { re: String.raw`^ *(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2}) *$`, groups: ['mo', 'd', 'y', 'h', 'mi'] },
};

// parseClockSeconds: up to 6 digits of hours, then :MM:SS, spaces around allowed.
const CLOCK = String.raw`^ *(\d{1,6}):(\d{2}):(\d{2}) *$`;

async function loadNetflix(host: StagingHost, table: string, m: NetflixCsvMapping): Promise<NetflixCsvLoad | null> {
  const col = m.columns;
  const field = (i: number): string => (i === -1 ? "''" : `coalesce(s.c${i}, '')`);
  const start = START_PATTERNS[m.format];
  const part = (name: string) => (start.groups.includes(name) ? `TRY_CAST(tp.${name} AS BIGINT)` : '0');
  const rows = `${table}_rows`;
  const V = LIST(VARCHAR);
  const B = LIST(BOOLEAN);
  const params: { value: DuckDBValue; type: DuckDBType }[] = [];
  const param = (values: readonly (string | boolean | null)[], type: DuckDBType): string => {
    params.push({ value: listValue([...values]), type });
    return `unnest($${params.length})`;
  };
  const mapped = `
    WITH
      profiles AS (SELECT ${param(m.profiles.raw, V)} AS raw, ${param(m.profiles.profileId, V)} AS profile_id),
      titles AS (SELECT x.*, k.tc FROM (
                   SELECT ${param(m.titles.raw, V)} AS raw, ${param(m.titles.typeRaw, V)} AS type_raw, ${param(m.titles.titleId, V)} AS title_id,
                          ${param(m.titles.type, V)} AS type, ${param(m.titles.supplemental, B)} AS supplemental, ${param(m.titles.blank, B)} AS blank) x
                 LEFT JOIN import_titles k USING (title_id)),
      devices AS (SELECT ${param(m.devices.raw, V)} AS raw, ${param(m.devices.deviceId, V)} AS device_id),
      attributes AS (SELECT ${param(m.attributes.raw, V)} AS raw, ${param(m.attributes.autoplayed, B)} AS autoplayed,
                            TRY_CAST(${param(m.attributes.userAction, V)} AS imported_action) AS user_action, ${param(m.attributes.hidden, B)} AS hidden),
      countries AS (SELECT x.*, k.cc FROM (SELECT ${param(m.countries.raw, V)} AS raw, ${param(m.countries.country, V)} AS country) x
                    LEFT JOIN import_countries k USING (country)),
      fields AS (
        SELECT s.rowid AS rid, ${field(col.profileName)} AS profile_name, ${field(col.startTime)} AS start_text, ${field(col.duration)} AS duration_text,
               ${field(col.bookmark)} AS bookmark_text, ${field(col.attributes)} AS attributes_text, ${field(col.title)} AS title_name,
               ${field(col.supplementalVideoType)} AS type_text, ${field(col.deviceType)} AS device_type, ${field(col.country)} AS country_text
        FROM ${table} s /*rows*/),
      matched AS (
        SELECT f.*, regexp_extract(start_text, ${quoted(start.re)}, [${start.groups.map(quoted).join(', ')}]) AS tp,
               regexp_extract(duration_text, ${quoted(CLOCK)}, ['h', 'mi', 's']) AS dp,
               regexp_extract(bookmark_text, ${quoted(CLOCK)}, ['h', 'mi', 's']) AS bp,
               regexp_matches(bookmark_text, '^ *$') AS no_bookmark
        FROM fields f),
      numbers AS (
        SELECT *, ${part('y')} AS y, ${part('mo')} AS mo, ${part('d')} AS d, ${part('h')} AS hh, ${part('mi')} AS mi, ${part('s')} AS ss,
               TRY_CAST(dp.h AS BIGINT) * 3600 + TRY_CAST(dp.mi AS BIGINT) * 60 + TRY_CAST(dp.s AS BIGINT) AS clock_duration,
               TRY_CAST(dp.mi AS BIGINT) <= 59 AND TRY_CAST(dp.s AS BIGINT) <= 59 AS duration_ok,
               TRY_CAST(bp.h AS BIGINT) * 3600 + TRY_CAST(bp.mi AS BIGINT) * 60 + TRY_CAST(bp.s AS BIGINT) AS clock_bookmark,
               TRY_CAST(bp.mi AS BIGINT) <= 59 AND TRY_CAST(bp.s AS BIGINT) <= 59 AS bookmark_ok
        FROM matched),
      checked AS (
        SELECT *,
          -- Date.UTC reads years 0-99 as 19xx: such rows are left to the importer's reader.
          coalesce(y >= 100 AND mo BETWEEN 1 AND 12 AND d >= 1 AND hh <= 23 AND mi <= 59 AND ss <= 59 AND d <= CASE
            WHEN mo = 2 THEN CASE WHEN (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0 THEN 29 ELSE 28 END
            WHEN mo IN (4, 6, 9, 11) THEN 30 ELSE 31 END, false) AS start_ok,
          y - CASE WHEN mo <= 2 THEN 1 ELSE 0 END AS yy
        FROM numbers),
      civil AS (
        -- Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil), as Date.UTC.
        SELECT *, (yy // 400) * 146097 + (yy - (yy // 400) * 400) * 365 + (yy - (yy // 400) * 400) // 4 - (yy - (yy // 400) * 400) // 100
                  + (153 * ((mo + 9) % 12) + 2) // 5 + d - 1 - 719468 AS days
        FROM checked)
    SELECT c.rid, c.profile_name, c.title_name, t.type, c.device_type,
           p.profile_id, t.tc, t.supplemental, dv.device_id, a.autoplayed, a.user_action, a.hidden, co.cc,
           c.days * 86400000 + c.hh * 3600000 + c.mi * 60000 + c.ss * 1000 AS start_ms,
           c.clock_duration AS duration_s,
           CASE WHEN c.no_bookmark THEN c.clock_duration ELSE c.clock_bookmark END AS bookmark_s,
           coalesce(p.profile_id IS NOT NULL AND c.start_ok AND c.duration_ok AND (c.no_bookmark OR c.bookmark_ok) AND NOT (t.blank AND NOT a.hidden)
                    AND t.tc IS NOT NULL AND dv.device_id IS NOT NULL AND a.autoplayed IS NOT NULL AND a.user_action IS NOT NULL AND co.cc IS NOT NULL, false) AS ok
    FROM civil c
    LEFT JOIN profiles p ON p.raw = c.profile_name
    LEFT JOIN titles t ON t.raw = c.title_name AND t.type_raw = c.type_text
    LEFT JOIN devices dv ON dv.raw = c.device_type
    LEFT JOIN attributes a ON a.raw = c.attributes_text
    LEFT JOIN countries co ON co.raw = c.country_text`;

  // The row key as ids.ts rowIds' playback id: the first 64 bits of the SHA-256 of the same text.
  // The k-th repeat of a row key in the file (identical rows: two 3-second plays in the same
  // minute) gets the key of the text with "repeat k" added, as the reader gives it (parse.ts
  // idsOf, which finds repeats by the same 64 bits). Repeats are rare: the rows are written with
  // their first key in one pass, and only the repeated ones are keyed again (their text mapped again).
  const content = `concat('netflix-row', chr(31), ${quoted(m.memberId)}, chr(31), profile_name, chr(31), start_ms::VARCHAR, chr(31), duration_s::VARCHAR, chr(31),
                          bookmark_s::VARCHAR, chr(31), title_name, chr(31), type, chr(31), device_type)`;
  const keyOf = (text: string) => `CAST('0x' || sha256(${text})[1:16] AS UBIGINT)`;
  const withKeys = `
    CREATE TEMP TABLE ${rows} AS
    WITH mapped AS (${mapped.replace('/*rows*/', '')})
    SELECT rid, ok, profile_id, tc, supplemental, device_id, autoplayed, user_action, hidden, cc, start_ms, duration_s, bookmark_s, ${keyOf(content)} AS row_key
    FROM mapped`;
  const repeats = `${rows}_repeats`;
  const findRepeats = `
    CREATE TEMP TABLE ${repeats} AS
    SELECT rid, repeat FROM (
      SELECT rid, row_number() OVER (PARTITION BY row_key ORDER BY rid) - 1 AS repeat
      FROM ${rows} WHERE row_key IN (SELECT row_key FROM ${rows} GROUP BY row_key HAVING count(*) > 1))
    WHERE repeat > 0`;
  const rekey = `
    UPDATE ${rows} SET row_key = k.row_key
    FROM (WITH mapped AS (${mapped.replace('/*rows*/', `WHERE s.rowid IN (SELECT rid FROM ${repeats})`)})
          SELECT m.rid, ${keyOf(`concat(${content}, chr(31), 'repeat ', r.repeat::VARCHAR)`)} AS row_key FROM mapped m JOIN ${repeats} r USING (rid)) k
    WHERE ${rows}.rid = k.rid`;
  const values = params.map((p) => p.value);
  const types = params.map((p) => p.type);

  return host.exclusive(async (c) => {
    try {
      // Codes for the file's titles and countries first: the mapping carries codes, not text.
      await addCodes(c, 'import_titles', '(SELECT unnest($1::VARCHAR[]) AS title_id)', [listValue([...new Set(m.titles.titleId)])]);
      await addCodes(c, 'import_countries', '(SELECT unnest($1::VARCHAR[]) AS country)', [listValue([...new Set(m.countries.country)])]);
      await c.run(withKeys, values, types);
      const [check] = (await c.runAndReadAll(`SELECT count(*) FILTER (WHERE NOT ok) AS bad FROM ${rows}`)).getRowObjects();
      if (num(check.bad) > 0) return null;
      await c.run(findRepeats);
      const [repeated] = (await c.runAndReadAll(`SELECT count(*) AS n FROM ${repeats}`)).getRowObjects();
      if (num(repeated.n) > 0) await c.run(rekey, values, types);

      // The rows go in as imported sessions (imported-views.ts), those already stored left out.
      // While the engine inserts, this thread asks Intl for the zone offsets the views will need (zone-days.ts).
      const days = (
        await c.runAndReadAll(`SELECT k.country, min(start_ms // 86400000) - 1 AS from_day, max(start_ms // 86400000) + 1 AS to_day FROM ${rows} JOIN import_countries k USING (cc) GROUP BY k.country`)
      )
        .getRowObjects()
        .map((r) => ({ country: r.country as string, fromDay: num(r.from_day), toDay: num(r.to_day) }));
      const accepted = await inTransaction(c, async () => {
        const [inserted] = await Promise.all([
          insertNewSessions(c, `(SELECT row_key, profile_id, tc, start_ms, duration_s, bookmark_s, device_id, cc, autoplayed, user_action FROM ${rows})`),
          warmZoneClocks(days).catch(() => undefined), // only a cache: the views compute what it misses
        ]);
        return inserted;
      });

      // The summary in one pass: rows per profile (with durations), per title, device and country, each in order of first appearance.
      const tallies = (
        await c.runAndReadAll(
          // Grouped by the codes, then the few groups decoded.
          `SELECT s.*, t.title_id, k.country FROM (
             SELECT GROUPING(profile_id, tc, device_id, cc) AS g, profile_id, tc, device_id, cc, count(*) AS n, min(rid) AS first,
                    sum(duration_s) AS duration_s, coalesce(sum(duration_s) FILTER (WHERE NOT supplemental), 0) AS viewing_s,
                    count(*) FILTER (WHERE supplemental) AS supplemental_rows, count(*) FILTER (WHERE hidden) AS hidden_rows
             FROM ${rows} GROUP BY GROUPING SETS ((profile_id), (tc), (device_id), (cc))) s
           LEFT JOIN import_titles t USING (tc) LEFT JOIN import_countries k USING (cc)
           ORDER BY g, first`,
        )
      ).getRowObjects();
      // GROUPING's bits, first column highest: a row of the (profile_id) set has the other three bits set.
      const ofSet = (column: 'profile_id' | 'title_id' | 'device_id' | 'country') => {
        const bit = 1 << (3 - ['profile_id', 'title_id', 'device_id', 'country'].indexOf(column));
        return tallies.filter((r) => num(r.g) === (15 ^ bit));
      };
      const profiles = ofSet('profile_id');
      const titles = ofSet('title_id').map((r) => ({ v: r.title_id, n: r.n }));
      const devices = ofSet('device_id').map((r) => ({ v: r.device_id, n: r.n }));
      const countries = ofSet('country').map((r) => ({ v: r.country, n: r.n }));
      const hidden = (await c.runAndReadAll(`SELECT profile_id, t.title_id, start_ms FROM ${rows} JOIN import_titles t USING (tc) WHERE hidden ORDER BY rid`)).getRowObjects();
      const total = profiles.reduce((n, r) => n + num(r.n), 0);
      return {
        accepted,
        duplicates: total - accepted,
        profiles: profiles.map((r) => ({
          profileId: r.profile_id as string,
          rows: num(r.n),
          durationS: num(r.duration_s),
          viewingS: num(r.viewing_s),
          supplementalRows: num(r.supplemental_rows),
          hiddenRows: num(r.hidden_rows),
        })),
        titleIds: titles.map((r) => r.v as string),
        deviceIds: devices.map((r) => r.v as string),
        countries: countries.map((r) => ({ country: r.v as string, rows: num(r.n) })),
        hidden: hidden.map((r) => ({ profileId: r.profile_id as string, titleId: r.title_id as string, atMs: num(r.start_ms) })),
      };
    } finally {
      await c.run(`DROP TABLE IF EXISTS ${rows}`);
      await c.run(`DROP TABLE IF EXISTS ${repeats}`);
    }
  });
}
