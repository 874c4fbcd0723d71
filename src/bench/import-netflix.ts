// import-netflix: a synthetic ViewingActivity.csv (written first, untimed) imported into a fresh
// database the way `binge import netflix` does it (importNetflixIntoStore: rows stored with exact
// dedup, member, profiles, devices and titles, views refreshed, hidden views marked), against
// DuckDB's read_csv of the same file into a table of another fresh database.
//
// Correctness (untimed, after the clock): the importer's reader (read.ts, the definition) parses
// the same file again, and every stored event must equal one of its events: an order-free digest
// of all fields of every event (md5 of one line per event, summed) is compared, with the counts.
// The import's own path (the store's engine or the reader) is reported in the details.

import { join } from 'node:path';
import * as crypto from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import { Catalogue } from '../domain/catalogue.js';
import { DEFAULT_DEFINITIONS } from '../domain/definitions.js';
import type { PlaybackEvent } from '../domain/model.js';
import { readViewingActivityBatches } from '../ingest/netflix/read.js';
import { importNetflixIntoStore } from '../ingest/netflix/store-import.js';
import { writeSyntheticViewingActivity } from '../ingest/netflix/synthetic.js';
import { openDuckDbStore } from '../store/duckdb/adapter.js';
import { sqlPath } from './events.js';
import { type Benchmark, round3, throughput, timed } from './measure.js';

/** The digest line of one event; the SQL below writes the same line from a stored row. */
function eventLine(e: PlaybackEvent): string {
  return [e.eventId, e.playbackId, e.profileId, e.titleId, e.type, e.positionS, e.atMs, e.deviceId, e.country, e.autoplayed, e.userAction].join('|');
}

const EVENT_LINE_SQL = `concat_ws('|', event_id, playback_id, profile_id, title_id, type, position_s::BIGINT, at_ms, device_id, country, autoplayed, user_action)`;

interface Digest {
  events: number;
  hi: number;
  lo: number;
  /** Events with an offset (the importer writes none) or a fractional position (a clock has whole seconds). */
  odd: number;
}

/** Sums of two 24-bit slices of md5(line): equal multisets of events give equal sums. */
function addLine(digest: Digest, line: string): void {
  const hex = crypto.createHash('md5').update(line).digest('hex');
  digest.hi += parseInt(hex.slice(0, 6), 16);
  digest.lo += parseInt(hex.slice(6, 12), 16);
  digest.events += 1;
}

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

    log('checking the stored events against the reader (untimed)');
    const stored: Digest = { events: 0, hi: 0, lo: 0, odd: 0 };
    const storedViews = await store.withConnection(async (c) => {
      const [row] = (
        await c.runAndReadAll(
          `SELECT count(*) AS n, sum(('0x' || md5(${EVENT_LINE_SQL})[1:6])::BIGINT) AS hi, sum(('0x' || md5(${EVENT_LINE_SQL})[7:12])::BIGINT) AS lo,
                  count(*) FILTER (WHERE offset_min IS NOT NULL OR position_s <> floor(position_s)) AS odd
           FROM events`,
        )
      ).getRowObjects();
      stored.events = Number(row.n);
      stored.hi = Number(row.hi);
      stored.lo = Number(row.lo);
      stored.odd = Number(row.odd);
      return Number((await c.runAndReadAll('SELECT count(*) FROM views')).getRows()[0][0]);
    });
    await store.close();
    const expected: Digest = { events: 0, hi: 0, lo: 0, odd: 0 };
    let readerRows = 0;
    let readerSkips = 0;
    for await (const batch of readViewingActivityBatches(file, { member: 'bench' })) {
      for (const r of batch) {
        readerRows += 1;
        if (!r.ok) {
          readerSkips += 1;
          continue;
        }
        addLine(expected, eventLine(r.row.events[0]));
        addLine(expected, eventLine(r.row.events[1]));
      }
    }

    log('read_csv of the same file into a table of a fresh database');
    const instance = await DuckDBInstance.create(join(tmpDir, 'bare.duckdb'));
    const connection = await instance.connect();
    const copied = await timed(() => connection.run(`CREATE TABLE viewing_activity AS SELECT * FROM read_csv(${sqlPath(file)}, header = true, all_varchar = true)`));
    const bare = Number((await connection.runAndReadAll('SELECT count(*) AS n FROM viewing_activity')).getRowObjects()[0].n);
    connection.closeSync();
    instance.closeSync();

    const eventsEqual = stored.events === expected.events && stored.hi === expected.hi && stored.lo === expected.lo && stored.odd === 0;
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
        result.newEvents === 2 * (rows - readerSkips) &&
        result.views === storedViews &&
        bare === rows &&
        eventsEqual,
      details: {
        path: result.path,
        imported: rows - result.skipped.length,
        skipped: result.skipped.length,
        events: stored.events,
        eventsEqualToReader: eventsEqual,
        views: result.views,
        profiles: result.profiles,
        ...steps,
        rowsPerSecondStoringRows: steps.rowsSeconds ? Math.round(rows / steps.rowsSeconds) : undefined,
        importCpuSeconds: round3(imported.cpuSeconds),
      },
    };
  },
};
