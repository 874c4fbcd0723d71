// Configuration: defaults that work on a laptop, overridden by the environment, then by flags,
// parsed once with zod at start-up and handed down. Modules never read process.env themselves.

import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { z } from 'zod';
import { BingeError } from './errors.js';
import { definitionsWith, type Definitions } from './domain/definitions.js';

/** The project root (this file lives in src/ or dist/). */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_DATA_DIR = resolve(PROJECT_ROOT, 'data');

const ConfigSchema = z
  .object({
    dataDir: z.string().min(1).default(DEFAULT_DATA_DIR),
    host: z.string().min(1).default('127.0.0.1'),
    port: z.coerce.number().int().min(0).max(65535).default(8080),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** A batch holds at most this many events... */
    maxBatchEvents: z.coerce.number().int().min(1).max(100_000).default(1000),
    /** ...and at most this many bytes. */
    maxBodyBytes: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
    /** Events older than this are rejected at the live ingest (use `binge import` for history). */
    maxEventAgeDays: z.coerce.number().int().min(1).max(3650).default(30),
    /** Events further in the future than this (clock skew) are rejected. */
    maxFutureS: z.coerce.number().int().min(0).max(86_400).default(300),
    /** Back-pressure: above this many events waiting for the writer, answer 503. */
    maxQueuedEvents: z.coerce.number().int().min(1).default(40_000),
    /** Back-pressure: above this many acknowledged events not yet loaded from the ingest log into the store, answer 503. */
    maxLogLagEvents: z.coerce.number().int().min(1).default(2_000_000),
    /** Threads that read clean ingest batches off the event loop (0: the event loop reads them; default: the cores but one, 1 to 4). */
    ingestReadWorkers: z.coerce.number().int().min(0).max(16).optional(),
    /** The log loader yields to a burst: it starts once this many acknowledged events wait to be loaded (0: after every commit)... */
    loadDeferEvents: z.coerce.number().int().min(0).default(1_000_000),
    /** ...or once no batch has been committed for this many ms... */
    loadIdleMs: z.coerce.number().int().min(0).default(200),
    /** ...or at the latest this many ms after the first waiting event (reads lag the acknowledgements by up to this much more). */
    loadMaxDelayMs: z.coerce.number().int().min(0).default(10_000),
    /** The server's DuckDB buffer pool in MiB (its memory_limit; DuckDB spills to disk beyond it). DuckDB's default, 80 % of RAM, let the server's RSS pass 900 MiB at 10M events. */
    storeMemoryMiB: z.coerce.number().int().min(64).default(256),
    /** Seconds between background refreshes of derived views (0: only when read). */
    viewRefreshS: z.coerce.number().min(0).max(86_400).default(30),
    definitions: z.record(z.string(), z.number()).default({}),
    /**
     * Web origins other than binge's own whose pages may call the API from a browser (CORS: a
     * player or a site on another host). Exact origins such as https://player.example.com; none
     * by default, so only pages that binge serves itself can. BINGE_CORS_ORIGINS takes them comma-separated.
     */
    corsOrigins: z.preprocess(
      (value) => (typeof value === 'string' ? value.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '') : value),
      z.array(
        z.string().refine(isWebOrigin, {
          error: (issue) =>
            `${JSON.stringify(issue.input)} is not a web origin: give scheme, host and port only, such as https://player.example.com (no path, no *), in BINGE_CORS_ORIGINS or --cors-origins`,
        }),
      ),
    ).default([]),
    /** The built member web app served at /app/ (`npm run build` writes it; default dist/web). */
    webDir: z.string().min(1).default(resolve(PROJECT_ROOT, 'dist', 'web')),
  })
  .strict();

export type ConfigInput = z.input<typeof ConfigSchema>;
export interface Config extends Omit<z.output<typeof ConfigSchema>, 'definitions'> {
  definitions: Definitions;
}

/** Environment variable → config key. */
const ENV_KEYS: Record<string, keyof ConfigInput> = {
  BINGE_DATA: 'dataDir',
  BINGE_HOST: 'host',
  PORT: 'port',
  BINGE_PORT: 'port',
  BINGE_LOG_LEVEL: 'logLevel',
  BINGE_MAX_BATCH_EVENTS: 'maxBatchEvents',
  BINGE_MAX_BODY_BYTES: 'maxBodyBytes',
  BINGE_MAX_EVENT_AGE_DAYS: 'maxEventAgeDays',
  BINGE_MAX_FUTURE_S: 'maxFutureS',
  BINGE_MAX_QUEUED_EVENTS: 'maxQueuedEvents',
  BINGE_MAX_LOG_LAG_EVENTS: 'maxLogLagEvents',
  BINGE_INGEST_READ_WORKERS: 'ingestReadWorkers',
  BINGE_LOAD_DEFER_EVENTS: 'loadDeferEvents',
  BINGE_LOAD_IDLE_MS: 'loadIdleMs',
  BINGE_LOAD_MAX_DELAY_MS: 'loadMaxDelayMs',
  BINGE_VIEW_REFRESH_S: 'viewRefreshS',
  BINGE_STORE_MEMORY_MIB: 'storeMemoryMiB',
  BINGE_WEB_DIR: 'webDir',
  BINGE_CORS_ORIGINS: 'corsOrigins',
};

/** True for an origin as browsers send it: http(s), a host, an optional port; nothing else. */
export function isWebOrigin(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === text;
}

export function configFromEnv(env: NodeJS.ProcessEnv): ConfigInput {
  const input: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    if (env[name] !== undefined && env[name] !== '') input[key] = env[name];
  }
  if (env.BINGE_DEFINITIONS) {
    try {
      input.definitions = JSON.parse(env.BINGE_DEFINITIONS);
    } catch {
      throw new BingeError('BINGE_CONFIG_INVALID', 'BINGE_DEFINITIONS is not JSON: give an object such as {"minWatchS": 30}');
    }
  }
  return input as ConfigInput;
}

/** Defaults, then `env`, then `overrides` (flags). */
export function loadConfig(env: NodeJS.ProcessEnv = {}, overrides: ConfigInput = {}): Config {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const parsed = ConfigSchema.safeParse({ ...configFromEnv(env), ...defined });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BingeError(
      'BINGE_CONFIG_INVALID',
      `configuration ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
  }
  const { definitions, ...rest } = parsed.data;
  try {
    const dataDir = rest.dataDir === ':memory:' ? rest.dataDir : resolve(rest.dataDir);
    return { ...rest, dataDir, definitions: definitionsWith(definitions) };
  } catch (error) {
    throw new BingeError('BINGE_CONFIG_INVALID', `configuration definitions: ${(error as Error).message}`);
  }
}
