// import-netflix: a synthetic ViewingActivity.csv (written first, untimed) imported into a fresh
// database the way `binge import netflix` does it (importNetflixIntoStore: rows stored with exact
// dedup, member, profiles, devices and titles, imported views computed, hidden views marked), against
// DuckDB's read_csv of the same file into a table of another fresh database.
//
// Correctness (untimed, after the clock): the importer's reader (read.ts, the definition) parses
// the same file again; every stored imported row must equal one of its rows, and every stored
// view (with its per-day minutes) one of the views the pure functions make of those rows
// (imported-history.ts importedViewsOf): order-free digests (md5 of one line per item, summed)
// are compared, with the counts. The import's own path (the store's engine or the reader) is
// reported in the details.

import { join } from 'node:path';
import * as crypto from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import { Catalogue } from '../domain/catalogue.js';
import { DEFAULT_DEFINITIONS } from '../domain/definitions.js';
import type { View } from '../domain/model.js';
import { importedViewsOf, sessionOfRow } from '../ingest/netflix/imported-history.js';
import { readViewingActivityBatches } from '../ingest/netflix/read.js';
import { importNetflixIntoStore } from '../ingest/netflix/store-import.js';
import { writeSyntheticViewingActivity } from '../ingest/netflix/synthetic.js';
import type { ImportedSession } from '../store/csv-import-port.js';
import { openDuckDbStore } from '../store/duckdb/adapter.js';
import { sqlPath } from './events.js';
import { type Benchmark, round3, throughput, timed } from './measure.js';

/** The digest line of one imported row; the SQL below writes the same line from a stored row. */
function sessionLine(s: ImportedSession): string {
  return [s.rowId, s.profileId, s.titleId, s.startMs, s.durationS, s.bookmarkS, s.deviceId, s.country, s.autoplayed, s.userAction].join('|');
}
const SESSION_LINE_SQL = `concat_ws('|', row_id, profile_id, title_id, start_ms, duration_s, bookmark_s, device_id, country, autoplayed, user_action)`;

/** The digest line of one view with its per-day minutes (ms, whole); VIEW_LINE_SQL writes the same from the stored view. */
function viewLine(v: View): string {
  const days = v.days.map((d) => `${d.day}=${Math.round(d.watchedS * 1000)}`).join(',');
  return [v.viewId, v.profileId, v.titleId, v.kind, v.startMs, v.endMs, Math.round(v.watchedS * 1000), v.furthestS, v.bookmarkS, v.completed, v.rewatch,
    v.autoplayed, v.endedByTimeout, v.interacted, v.sessions, v.deviceId, v.country, v.offsetMin, v.day, days].join('|');
}
const VIEW_LINE_SQL = `concat_ws('|', v.view_id, v.profile_id, v.title_id, v.kind, v.start_ms, v.end_ms, round(v.watched_s * 1000)::BIGINT, v.furthest_s::BIGINT,
  v.bookmark_s::BIGINT, v.completed, v.rewatch, v.autoplayed, v.ended_by_timeout, v.interacted, v.sessions, v.device_id, v.country, v.offset_min, v.day,
  coalesce((SELECT string_agg(CAST(d.day AS VARCHAR) || '=' || round(d.watched_s * 1000)::BIGINT, ',' ORDER BY d.day) FROM view_days d WHERE d.view_id = v.view_id AND d.profile_id = v.profile_id), ''))`;

interface Digest {
  items: number;
  hi: number;
  lo: number;
}

const emptyDigest = (): Digest => ({ items: 0, hi: 0, lo: 0 });

/** Sums of two 24-bit slices of md5(line): equal multisets of lines give equal sums. */
function addLine(digest: Digest, line: string): void {
  const hex = crypto.createHash('md5').update(line).digest('hex');
  digest.hi += parseInt(hex.slice(0, 6), 16);
  digest.lo += parseInt(hex.slice(6, 12), 16);
  digest.items += 1;
}

const sameDigest = (a: Digest, b: Digest): boolean => a.items === b.items && a.hi === b.hi && a.lo === b.lo;

export const importNetflixBench: Benchmark = {
  name: 'import-netflix',
  description: 'synthetic ViewingActivity.csv: `binge import netflix` (importNetflixIntoStore) vs DuckDB read_csv of the same file',
  defaultEvents: 1_000_000,
  async run({ events, tmpDir, log }) {
    const rows = events ?? this.defaultEvents;
    const file = join(tmpDir, 'ViewingActivity.csv');
    log(`writing a synthetic export of ${rows.toLocaleString('en-US')} rows (untimed)`);
    await writeSyntheticViewingActivity(file, rows, { seed: 42 });

    const store = await openDuckDbStore({ dataDir: join(tmpDir, 'import') });
    const steps: Record<string, number> = {};
    log('importing it as `binge import netflix` does');
    const imported = await timed(async () =>
      importNetflixIntoStore(store, new Catalogue(await store.titles()), DEFAULT_DEFINITIONS, file, {
        member: 'bench',
        onStep: (step, seconds) => {
          steps[`${step}Seconds`] = round3(seconds);
        },
      }),
    );
    const result = imported.value;

    log('checking the stored rows and views against the reader and the pure functions (untimed)');
    const digestSql = async (line: string, from: string): Promise<Digest> =>
      store.withConnection(async (c) => {
        const [row] = (
          await c.runAndReadAll(`SELECT count(*) AS n, sum(('0x' || md5(${line})[1:6])::BIGINT) AS hi, sum(('0x' || md5(${line})[7:12])::BIGINT) AS lo FROM ${from}`)
        ).getRowObjects();
        return { items: Number(row.n), hi: Number(row.hi ?? 0), lo: Number(row.lo ?? 0) };
      });
    const storedSessions = await digestSql(SESSION_LINE_SQL, 'imported_sessions');
    const storedViewDigest = await digestSql(VIEW_LINE_SQL, 'views v');
    const catalogue = new Catalogue(await store.titles());
    await store.close();
    const expectedSessions = emptyDigest();
    const byProfile = new Map<string, ImportedSession[]>();
    let readerRows = 0;
    let readerSkips = 0;
    for await (const batch of readViewingActivityBatches(file, { member: 'bench' })) {
      for (const r of batch) {
        readerRows += 1;
        if (!r.ok) {
          readerSkips += 1;
          continue;
        }
        const session = sessionOfRow(r.row);
        addLine(expectedSessions, sessionLine(session));
        const list = byProfile.get(session.profileId);
        if (list) list.push(session);
        else byProfile.set(session.profileId, [session]);
      }
    }
    const expectedViews = emptyDigest();
    for (const sessions of byProfile.values()) {
      for (const view of importedViewsOf(sessions, catalogue.titleOf, DEFAULT_DEFINITIONS)) addLine(expectedViews, viewLine(view));
    }
    const storedViews = storedViewDigest.items;

    log('read_csv of the same file into a table of a fresh database');
    const instance = await DuckDBInstance.create(join(tmpDir, 'bare.duckdb'));
    const connection = await instance.connect();
    const copied = await timed(() => connection.run(`CREATE TABLE viewing_activity AS SELECT * FROM read_csv(${sqlPath(file)}, header = true, all_varchar = true)`));
    const bare = Number((await connection.runAndReadAll('SELECT count(*) AS n FROM viewing_activity')).getRowObjects()[0].n);
    connection.closeSync();
    instance.closeSync();

    const sessionsEqual = sameDigest(storedSessions, expectedSessions);
    const viewsEqual = sameDigest(storedViewDigest, expectedViews);
    const measured = throughput('binge import netflix (importNetflixIntoStore, views included)', rows, imported.seconds, 'rows/s');
    const baseline = throughput('DuckDB read_csv (all_varchar) into a table', rows, copied.seconds, 'rows/s');
    return {
      name: this.name,
      size: rows,
      measured,
      baseline,
      ratio: measured.value / baseline.value,
      goal: '>= 300,000 rows/s',
      met: measured.value >= 300_000,
      ok:
        result.rows === rows &&
        readerRows === rows &&
        result.skipped.length === readerSkips &&
        result.newRows === rows - readerSkips &&
        result.views === storedViews &&
        bare === rows &&
        sessionsEqual &&
        viewsEqual,
      details: {
        path: result.path,
        imported: rows - result.skipped.length,
        skipped: result.skipped.length,
        importedRows: storedSessions.items,
        rowsEqualToReader: sessionsEqual,
        viewsEqualToPureFunctions: viewsEqual,
        views: result.views,
        profiles: result.profiles,
        ...steps,
        rowsPerSecondStoringRows: steps.rowsSeconds ? Math.round(rows / steps.rowsSeconds) : undefined,
        importCpuSeconds: round3(imported.cpuSeconds),
      },
    };
  },
};
