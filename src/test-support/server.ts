// Starts the real server on port 0 with a real database in a temporary folder.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type ConfigInput } from '../config.js';
import { createLogger } from '../logger.js';
import { createKey } from '../privacy/keys.js';
import { startServer, type RunningServer } from '../server/start.js';
import type { WireEvent } from '../ingest/event-schema.js';
import { formatAt } from '../ingest/event-schema.js';

export interface TestServer extends RunningServer {
  dataDir: string;
  ingestKey: string;
  adminKey: string;
  /** Stops the server and removes its data folder. */
  dispose(): Promise<void>;
}

export async function startTestServer(overrides: ConfigInput = {}, dataDir?: string): Promise<TestServer> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'binge-test-'));
  const config = loadConfig({}, { dataDir: dir, port: 0, logLevel: 'silent', ...overrides });
  const server = await startServer(config, createLogger('silent'));
  const { key: ingestKey } = await createKey(server.store, 'ingest', 'test');
  const { key: adminKey } = await createKey(server.store, 'admin', 'test');
  return {
    ...server,
    dataDir: dir,
    ingestKey,
    adminKey,
    async dispose() {
      await server.stop();
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
/** A valid wire event a few minutes old; override any field. */
export function wireEvent(overrides: Partial<WireEvent> = {}): WireEvent {
  counter++;
  return {
    eventId: `evt-${process.pid}-${counter}-${Math.random().toString(36).slice(2)}`,
    playbackId: 'pb-1',
    profileId: 'profile-1',
    titleId: 'title-1',
    type: 'heartbeat',
    positionS: 60,
    at: formatAt(Date.now() - 120_000, -360),
    device: 'tv-1',
    country: 'MX',
    autoplayed: false,
    userAction: 'none',
    ...overrides,
  };
}

/** POSTs a body; after an ingest, also waits until the acknowledged events are loaded into the store (reads lag the ingest log). */
export async function post(server: { url: string; writer?: { settled(): Promise<void> } }, path: string, body: unknown, key: string | undefined, contentType = 'application/json') {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  if (path === '/v1/events') await server.writer?.settled();
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}
