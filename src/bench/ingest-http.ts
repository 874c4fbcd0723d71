// ingest-http: the real server (`binge serve`, compiled, in a child process) on loopback, fed
// batches of 500 pre-serialised events by 8 concurrent keep-alive clients; only acknowledged
// events count. Baseline: the raw DuckDB Appender appending the same events in this process.
// Also the server's peak RSS (VmHWM) while ingesting. Needs `npm run build` (dist/).

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { HttpConnection } from './http-connection.js';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { PROJECT_ROOT } from '../config.js';
import type { PlaybackEvent } from '../domain/model.js';
import { toWire } from '../ingest/event-schema.js';
import { MIGRATIONS } from '../store/duckdb/migrations.js';
import { appendEventRow } from '../store/duckdb/adapter.js';
import { demoEvents, recentPeriod } from './events.js';
import { type Benchmark, round3, throughput, timed } from './measure.js';
import { cpuSeconds, freePort, stop, threadCpuSeconds, vmHwmBytes, waitHealthy } from './server-process.js';

const BATCH = 500;
const CLIENTS = 8;
const GIB = 2 ** 30;

export const ingestHttpBench: Benchmark = {
  name: 'ingest-http',
  description: `POST /v1/events to a real server (${CLIENTS} keep-alive clients, batches of ${BATCH}) vs the raw DuckDB Appender; server peak RSS`,
  defaultEvents: 10_000_000,
  async run({ events, tmpDir, log }) {
    const count = events ?? this.defaultEvents;
    const run = join(PROJECT_ROOT, 'dist', 'cli', 'run.js');
    if (!existsSync(run)) throw new Error(`ingest-http runs the compiled server: ${run} is missing, run \`npm run build\` first`);
    log(`generating ${count.toLocaleString('en-US')} events of the last month and serialising batches of ${BATCH} (untimed)`);
    const period = recentPeriod();
    let data: ReturnType<typeof demoEvents> | undefined = demoEvents(count, period);
    const bodies: Buffer[] = [];
    let pending: PlaybackEvent[] = [];
    const flush = () => {
      if (pending.length > 0) bodies.push(Buffer.from(JSON.stringify(pending.map(toWire))));
      pending = [];
    };
    for (const batch of data.batches) {
      for (const e of batch) {
        pending.push(e);
        if (pending.length === BATCH) flush();
      }
    }
    flush();
    data = undefined; // the bodies are all the server run needs; the baseline generates the events again

    const dataDir = join(tmpDir, 'server');
    const env = { ...process.env, BINGE_LOG_LEVEL: 'warn' };
    const made = spawnSync(process.execPath, [run, '--data', dataDir, 'keys', 'create', '--kind', 'ingest', '--json'], { env, encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`keys create failed: ${made.stderr}`);
    const key = (JSON.parse(made.stdout) as { key: string }).key;
    const port = await freePort();
    // BINGE_BENCH_SERVER_NODE_ARGS passes node options to the server only (e.g. `--cpu-prof --cpu-prof-dir=DIR` to see where its time goes).
    const nodeArgs = (process.env.BINGE_BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter((a) => a.length > 0);
    const server = spawn(process.execPath, [...nodeArgs, run, '--data', dataDir, 'serve', '--port', String(port)], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let serverErr = '';
    server.stderr!.on('data', (chunk: Buffer) => {
      serverErr = (serverErr + chunk.toString()).slice(-4000);
    });
    let acknowledged = 0;
    let retries = 0;
    let peakRss = 0;
    let serverCpuBefore = 0;
    let serverCpu = 0;
    let serverMainCpuBefore = 0;
    let serverMainCpu = 0;
    let sent;
    let stopSeconds = 0;
    let threadsBefore = new Map<number, number>();
    let otherThreads: number[] = [];
    try {
      await waitHealthy(port, server, () => serverErr);
      log(`server pid ${server.pid} on port ${port}; sending`);
      serverCpuBefore = cpuSeconds(server.pid!);
      serverMainCpuBefore = cpuSeconds(server.pid!, server.pid!);
      threadsBefore = threadCpuSeconds(server.pid!);
      let next = 0;
      // Each client is one keep-alive connection that sends a batch, waits for its answer, and sends
      // the same batch again after a 503 until it is acknowledged (decision 33: raw sockets, the
      // same requests node:http's client sends, at a fraction of its CPU on the shared cores).
      sent = await timed(async () => {
        await Promise.all(
          Array.from({ length: CLIENTS }, async () => {
            const connection = await HttpConnection.open(port);
            try {
              for (let i = next++; i < bodies.length; i = next++) {
                for (;;) {
                  const answer = await connection.post('/v1/events', key, bodies[i]);
                  if (answer.status === 503) {
                    retries++;
                    await new Promise((r) => setTimeout(r, 20));
                    continue;
                  }
                  if (answer.status !== 200) throw new Error(`POST /v1/events answered ${answer.status}: ${answer.body.slice(0, 300)}`);
                  const parsed = JSON.parse(answer.body) as { accepted: number; duplicates: number; rejected: unknown[] };
                  if (parsed.rejected.length > 0) throw new Error(`events rejected: ${JSON.stringify(parsed.rejected[0])}`);
                  acknowledged += parsed.accepted;
                  break;
                }
              }
            } finally {
              connection.close();
            }
          }),
        );
      });
      peakRss = vmHwmBytes(server.pid!);
      serverCpu = cpuSeconds(server.pid!) - serverCpuBefore;
      serverMainCpu = cpuSeconds(server.pid!, server.pid!) - serverMainCpuBefore;
      // Every other thread that worked while the clients sent, busiest first: the clean-batch
      // worker, the log loader (DuckDB on libuv's pool), V8's GC helpers (threads have no names here).
      for (const [tid, seconds] of threadCpuSeconds(server.pid!)) {
        const used = seconds - (threadsBefore.get(tid) ?? 0);
        if (tid !== server.pid && used >= 0.01) otherThreads.push(round3(used));
      }
      otherThreads = otherThreads.sort((a, b) => b - a).slice(0, 8);
    } finally {
      // The server loads the rest of its ingest log before it exits: the time it takes shows how far
      // the loader is behind the acknowledgements.
      const stopping = performance.now();
      await stop(server, 300_000);
      stopSeconds = (performance.now() - stopping) / 1000;
    }

    log('raw DuckDB Appender, same events (generated again, untimed), fresh database');
    const again = demoEvents(count, period).batches;
    const appended = await timed(() => rawAppend(join(tmpDir, 'raw.duckdb'), again));

    const measured = throughput(`HTTP ingest, ${CLIENTS} clients x ${BATCH}-event batches (acknowledged)`, acknowledged, sent.seconds);
    const baseline = throughput('raw DuckDB Appender (100k per transaction)', count, appended.seconds);
    const ratio = measured.value / baseline.value;
    return {
      name: this.name,
      size: count,
      measured,
      baseline,
      ratio,
      goal: 'server peak RSS < 1 GiB',
      met: peakRss > 0 && peakRss < GIB,
      ok: acknowledged === count,
      details: {
        acknowledged,
        retriesAfter503: retries,
        serverPeakRssMiB: Math.round(peakRss / 2 ** 20),
        requests: bodies.length,
        clientCpuSeconds: round3(sent.cpuSeconds),
        // All threads of the server (event loop, DuckDB, file system) while the clients sent.
        serverCpuSeconds: round3(serverCpu),
        serverEventLoopCpuSeconds: round3(serverMainCpu),
        serverOtherThreadsCpuSeconds: otherThreads,
        // From SIGTERM to exit: the rest of the log loaded into DuckDB, and a checkpoint.
        serverStopSeconds: round3(stopSeconds),
        // Reads see every acknowledged event only once the loader has caught up: the send plus the
        // stop (an upper bound, the stop also checkpoints), and the rate over that time.
        secondsUntilAllLoaded: round3(sent.seconds + stopSeconds),
        eventsPerSecondUntilAllLoaded: Math.round(acknowledged / (sent.seconds + stopSeconds)),
      },
    };
  },
};

/** The DuckDB Appender straight into a bare events table, 100k rows per transaction. */
export async function rawAppend(path: string, batches: readonly (readonly PlaybackEvent[])[]): Promise<number> {
  const instance = await DuckDBInstance.create(path);
  const c = await instance.connect();
  try {
    await c.run(/CREATE TABLE events \([^;]*?\);/s.exec(MIGRATIONS[0].sql)![0]);
    let n = 0;
    let inTransaction = 0;
    await c.run('BEGIN TRANSACTION');
    let appender = await c.createAppender('events');
    for (const batch of batches) {
      for (const e of batch) {
        appendEventRow(appender, e);
        n++;
        if (++inTransaction === 100_000) {
          appender.closeSync();
          await c.run('COMMIT');
          await c.run('BEGIN TRANSACTION');
          appender = await c.createAppender('events');
          inTransaction = 0;
        }
      }
    }
    appender.closeSync();
    await c.run('COMMIT');
    return n;
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}
