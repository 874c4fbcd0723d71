// Starting and stopping the whole server: store, writer, background view refresh, HTTP.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { CleanBatchPool, defaultReadWorkers } from '../ingest/clean-batch-pool.js';
import { GroupCommitWriter } from '../ingest/writer.js';
import type { Logger } from '../logger.js';
import { KeyRing } from '../privacy/keys.js';
import { openDuckDbStore, type DuckDbStore } from '../store/duckdb/adapter.js';
import { buildServer } from './app.js';
import { Catalogue } from '../domain/catalogue.js';
import type { ServerContext } from './context.js';
import { refreshViews } from '../history/refresh-views.js';

/** Where the ingest log of a data folder lives (a throwaway folder for an in-memory store). */
export function ingestLogDir(dataDir: string): string {
  return dataDir === ':memory:' ? join(mkdtempSync(join(tmpdir(), 'binge-log-')), 'ingest-log') : join(dataDir, 'ingest-log');
}

export interface RunningServer {
  app: FastifyInstance;
  store: DuckDbStore;
  writer: GroupCommitWriter;
  url: string;
  context: ServerContext;
  stop(): Promise<void>;
}

export async function startServer(config: Config, logger: Logger, options: { store?: DuckDbStore; now?: () => number } = {}): Promise<RunningServer> {
  const now = options.now ?? Date.now;
  const store = options.store ?? (await openDuckDbStore({ dataDir: config.dataDir, memoryLimitMiB: config.storeMemoryMiB }));
  const writer = await GroupCommitWriter.open(store, {
    maxQueuedEvents: config.maxQueuedEvents,
    maxLogLagEvents: config.maxLogLagEvents,
    loadDeferEvents: config.loadDeferEvents,
    loadIdleMs: config.loadIdleMs,
    loadMaxDelayMs: config.loadMaxDelayMs,
    dedupWindowDays: config.maxEventAgeDays,
    logDir: ingestLogDir(config.dataDir),
    onLoadError: (error) => logger.error({ err: error }, 'loading the ingest log into the store failed; retrying'),
    now,
  });
  if (writer.stats.cutOnOpen > 0) logger.warn({ bytes: writer.stats.cutOnOpen }, 'cut a torn record off the tail of the ingest log (never acknowledged)');
  if (writer.stats.replayedOnOpen > 0) logger.info({ events: writer.stats.replayedOnOpen }, 'loading the rest of the ingest log into the store');
  const catalogue = new Catalogue(await store.titles());
  const readWorkers = config.ingestReadWorkers ?? defaultReadWorkers();
  const cleanBatches =
    readWorkers > 0
      ? new CleanBatchPool(readWorkers, (error) => logger.error({ err: error }, 'a clean-batch reader thread stopped; its batches are read on the event loop until it is restarted'))
      : undefined;
  const context: ServerContext = { config, store, catalogue, writer, cleanBatches, keys: new KeyRing(store), logger, now };
  const app = await buildServer(context);
  const address = await app.listen({ port: config.port, host: config.host });
  let stopped = false;
  // Derived views follow the events as they arrive: every viewRefreshS seconds the dirty profiles
  // are recomputed in the background (reads of a dirty profile also refresh it first). Small
  // batches let the writer's commits in between: the store has one connection, and a long
  // refresh holding it halved ingest throughput in a measurement.
  let refreshing: Promise<unknown> | undefined;
  const timer =
    config.viewRefreshS > 0
      ? setInterval(() => {
          refreshing ??= refreshViews(store, catalogue, config.definitions, { batchSize: 100 })
            .catch((error: unknown) => logger.error({ err: error }, 'background view refresh failed'))
            .finally(() => (refreshing = undefined));
        }, config.viewRefreshS * 1000)
      : undefined;
  timer?.unref();
  return {
    app,
    store,
    writer,
    url: address,
    context,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearInterval(timer);
      await refreshing;
      await app.close();
      await cleanBatches?.close();
      // Drains the ingest log into the store before the store closes.
      await writer.close();
      await store.close();
    },
  };
}
