// ingest-bulk: N demo events through bulkLoad into a fresh database, against DuckDB's own
// read_csv of the same events (written to a CSV first, untimed) into a bare table.

import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { bulkLoad } from '../ingest/bulk-load.js';
import { openDuckDbStore } from '../store/duckdb/adapter.js';
import { MIGRATIONS } from '../store/duckdb/migrations.js';
import { EVENT_CSV_COLUMNS, demoEvents, sqlPath, writeEventsCsv } from './events.js';
import { type Benchmark, round3, throughput, timed } from './measure.js';

export const ingestBulkBench: Benchmark = {
  name: 'ingest-bulk',
  description: 'bulkLoad of demo events into a fresh database vs DuckDB read_csv of the same events',
  defaultEvents: 10_000_000,
  async run({ events, tmpDir, log }) {
    const count = events ?? this.defaultEvents;
    log(`generating ${count.toLocaleString('en-US')} events (untimed)`);
    const data = demoEvents(count, { fromDay: '2025-01-01', toDay: '2025-12-31' });
    const csv = join(tmpDir, 'events.csv');
    await writeEventsCsv(csv, data.batches);

    log('bulkLoad into a fresh store');
    const store = await openDuckDbStore({ dataDir: join(tmpDir, 'bulk') });
    const loaded = await timed(() => bulkLoad(store, data.batches, { dedup: 'unique-by-construction' }));
    const stored = await store.countEvents();
    await store.close();

    log('read_csv into a bare table of a fresh database');
    const instance = await DuckDBInstance.create(join(tmpDir, 'bare.duckdb'));
    const connection = await instance.connect();
    const eventsDdl = /CREATE TABLE events \([^;]*?\);/s.exec(MIGRATIONS[0].sql)![0];
    await connection.run(eventsDdl);
    const copied = await timed(() => connection.run(`INSERT INTO events SELECT * FROM read_csv(${sqlPath(csv)}, header = false, columns = ${EVENT_CSV_COLUMNS})`));
    const bare = Number((await connection.runAndReadAll('SELECT count(*) AS n FROM events')).getRowObjects()[0].n);
    connection.closeSync();
    instance.closeSync();

    const measured = throughput('bulkLoad (store.appendEvents, 1M per transaction)', count, loaded.seconds);
    const baseline = throughput('DuckDB read_csv into a bare table', count, copied.seconds);
    const ratio = measured.value / baseline.value;
    return {
      name: this.name,
      size: count,
      measured,
      baseline,
      ratio,
      goal: '>= 0.5 of read_csv',
      met: ratio >= 0.5,
      ok: stored === count && bare === count && loaded.value.accepted === count,
      details: { storedEvents: stored, readCsvRows: bare, bulkLoadCpuSeconds: round3(loaded.cpuSeconds), readCsvCpuSeconds: round3(copied.cpuSeconds) },
    };
  },
};
