// The OpenAPI document, generated from the zod schemas of the routes, for `binge openapi`
// (the running server serves the same at GET /openapi.json; docs/openapi.json is a snapshot
// written with `binge openapi --out docs/openapi.json`).

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { Catalogue } from '../domain/catalogue.js';
import { GroupCommitWriter } from '../ingest/writer.js';
import { createLogger } from '../logger.js';
import { KeyRing } from '../privacy/keys.js';
import { openDuckDbStore } from '../store/duckdb/adapter.js';
import { buildServer } from './app.js';

export async function openapiDocument(): Promise<unknown> {
  const config = loadConfig({}, { dataDir: ':memory:' });
  const store = await openDuckDbStore({ dataDir: ':memory:' });
  // The writer never writes here; its log folder is only created on a first append.
  const writer = await GroupCommitWriter.open(store, { maxQueuedEvents: 1, dedupWindowDays: 1, logDir: join(tmpdir(), `binge-openapi-${process.pid}`) });
  const app = await buildServer({ config, store, catalogue: new Catalogue(), writer, keys: new KeyRing(store), logger: createLogger('silent'), now: Date.now });
  try {
    return app.swagger();
  } finally {
    await app.close();
    await store.close();
  }
}
