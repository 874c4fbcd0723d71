// Import speed on a synthetic export: node --import tsx src/ingest/netflix/bench.ts [ROWS] [FILE]
// Generates FILE (default /tmp/binge-netflix-<ROWS>.csv) when absent; never commit it.
// Prints rows/s for: the importer (events kept and not), the record splitter alone, and
// csv-parse's streaming parser on the same file, for comparison.

import { createReadStream, existsSync } from 'node:fs';
import { parse } from 'csv-parse';
import { CsvRecordSplitter } from './csv-records.js';
import { importViewingActivity } from './summary.js';
import { writeSyntheticViewingActivity } from './synthetic.js';

async function timed(label: string, rows: number, run: () => Promise<number>): Promise<void> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const counted = await run();
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  // CPU seconds tell the speed on a shared machine, where wall time includes waiting for a core.
  console.log(
    `${label.padEnd(26)} ${counted} rows: wall ${s.toFixed(2)} s = ${Math.round(rows / s).toLocaleString('en-US')} rows/s; ` +
      `cpu ${cpuS.toFixed(2)} s = ${Math.round(rows / cpuS).toLocaleString('en-US')} rows/s`,
  );
}

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 1_000_000);
  const file = process.argv[3] ?? `/tmp/binge-netflix-${rows}.csv`;
  if (!existsSync(file)) await writeSyntheticViewingActivity(file, rows, { seed: 42 });
  const only = process.env.BENCH_ONLY;
  const want = (name: string) => only === undefined || only.split(',').includes(name);
  if (want('import')) await timed('import, events not kept', rows, async () => (await importViewingActivity(file, { member: 'bench', keepEvents: false })).imported);
  if (want('events')) await timed('import, events kept', rows, async () => (await importViewingActivity(file, { member: 'bench' })).events.length / 2);
  if (want('split')) {
    await timed('record splitter only', rows, async () => {
      const splitter = new CsvRecordSplitter();
      let n = 0;
      for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) n += splitter.push(chunk as string).length;
      return n + splitter.end().length - 1;
    });
  }
  if (want('csv-parse')) {
    await timed('csv-parse stream only', rows, async () => {
      let n = 0;
      for await (const _record of createReadStream(file).pipe(parse({ bom: true, relax_column_count: true }))) n += 1;
      return n - 1;
    });
  }
}

await main();
