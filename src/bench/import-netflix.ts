// import-netflix: a synthetic ViewingActivity.csv (written first, untimed) imported the way an
// importer does it (read + parse + map, then bulkLoad with exact dedup, and the profiles,
// titles and devices) into a fresh database, against DuckDB's read_csv of the same file.

import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Device, PlaybackEvent, Profile, Title } from '../domain/model.js';
import { bulkLoad } from '../ingest/bulk-load.js';
import { readViewingActivityBatches } from '../ingest/netflix/read.js';
import { writeSyntheticViewingActivity } from '../ingest/netflix/synthetic.js';
import { openDuckDbStore } from '../store/duckdb/adapter.js';
import { sqlPath } from './events.js';
import { type Benchmark, round3, throughput, timed } from './measure.js';

export const importNetflixBench: Benchmark = {
  name: 'import-netflix',
  description: 'synthetic ViewingActivity.csv: parse + map + bulk load vs DuckDB read_csv of the same file',
  defaultEvents: 1_000_000,
  async run({ events, tmpDir, log }) {
    const rows = events ?? this.defaultEvents;
    const file = join(tmpDir, 'ViewingActivity.csv');
    log(`writing a synthetic export of ${rows.toLocaleString('en-US')} rows (untimed)`);
    await writeSyntheticViewingActivity(file, rows, { seed: 42 });

    const store = await openDuckDbStore({ dataDir: join(tmpDir, 'import') });
    let imported = 0;
    let skipped = 0;
    let stats = { accepted: 0, duplicates: 0 };
    const parsed = await timed(async () => {
      const profiles = new Map<string, Profile>();
      const titles = new Map<string, Title>();
      const devices = new Map<string, Device>();
      async function* batches(): AsyncGenerator<PlaybackEvent[]> {
        for await (const batch of readViewingActivityBatches(file, { member: 'bench' })) {
          const out: PlaybackEvent[] = [];
          for (const result of batch) {
            if (!result.ok) {
              skipped++;
              continue;
            }
            const { row } = result;
            imported++;
            if (!profiles.has(row.profile.profileId)) profiles.set(row.profile.profileId, row.profile);
            if (!titles.has(row.title.titleId)) titles.set(row.title.titleId, row.title);
            if (!devices.has(row.device.deviceId)) devices.set(row.device.deviceId, row.device);
            out.push(row.events[0], row.events[1]);
          }
          yield out;
        }
      }
      stats = await bulkLoad(store, batches(), { dedup: 'exact' });
      await store.putTitles([...titles.values()]);
      await store.putProfiles([...profiles.values()]);
      await store.putDevices([...devices.values()]);
      return { titles: titles.size, profiles: profiles.size, devices: devices.size };
    });
    const storedEvents = await store.countEvents();
    await store.close();

    log('read_csv of the same file into a table of a fresh database');
    const instance = await DuckDBInstance.create(join(tmpDir, 'bare.duckdb'));
    const connection = await instance.connect();
    const copied = await timed(() => connection.run(`CREATE TABLE viewing_activity AS SELECT * FROM read_csv(${sqlPath(file)}, header = true, all_varchar = true)`));
    const bare = Number((await connection.runAndReadAll('SELECT count(*) AS n FROM viewing_activity')).getRowObjects()[0].n);
    connection.closeSync();
    instance.closeSync();

    const measured = throughput('import (read, parse, map, bulkLoad exact dedup)', rows, parsed.seconds, 'rows/s');
    const baseline = throughput('DuckDB read_csv (all_varchar) into a table', rows, copied.seconds, 'rows/s');
    return {
      name: this.name,
      size: rows,
      measured,
      baseline,
      ratio: measured.value / baseline.value,
      goal: '>= 300,000 rows/s',
      met: measured.value >= 300_000,
      ok: imported + skipped === rows && bare === rows && storedEvents === stats.accepted,
      details: { imported, skipped, events: storedEvents, duplicates: stats.duplicates, ...parsed.value, importCpuSeconds: round3(parsed.cpuSeconds) },
    };
  },
};
