// The one door to "invert G + λI": the native LAPACK addon when it is built (native/), else the
// TypeScript Cholesky in a worker thread. Either way the event loop stays free, and the caller
// learns which path ran.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { RecommendError, type RecommendErrorCode } from './errors.js';
import type { InverseReply, InverseRequest } from './spd-inverse-worker.js';

export type InversePath = 'native' | 'typescript-worker';
export type InversePreference = 'auto' | 'native' | 'typescript';

export interface InverseOptions {
  /** `auto` (default) uses the native addon when it loads, else TypeScript. */
  prefer?: InversePreference;
  /** Where the addon lives; defaults to native/build/Release/binge_spd.node in this checkout. */
  addonPath?: string;
}

export interface InverseResult {
  /** The inverse (full symmetric). It may reuse the input's memory: the input is consumed. */
  inverse: Float64Array;
  path: InversePath;
  ms: number;
}

interface SpdAddon {
  invertSpd(matrix: Float64Array, n: number): Promise<void>;
  blasConfig(): { config: string; threads: number };
}

export type NativeStatus =
  | { available: true; path: string; blas: { config: string; threads: number } }
  | { available: false; path: string; reason: string };

const DEFAULT_ADDON = fileURLToPath(new URL('../../native/build/Release/binge_spd.node', import.meta.url));
const loaded = new Map<string, { addon?: SpdAddon; status: NativeStatus }>();

/** Loads the addon once per path; never throws (a missing build is an expected state). */
export function nativeStatus(addonPath: string = DEFAULT_ADDON): NativeStatus {
  return loadAddon(addonPath).status;
}

function loadAddon(path: string): { addon?: SpdAddon; status: NativeStatus } {
  let entry = loaded.get(path);
  if (!entry) {
    try {
      const addon = createRequire(import.meta.url)(path) as SpdAddon;
      entry = { addon, status: { available: true, path, blas: addon.blasConfig() } };
    } catch (error) {
      const reason = `${(error as Error).message.split('\n')[0]} (build it with: node native/build.mjs)`;
      entry = { status: { available: false, path, reason } };
    }
    loaded.set(path, entry);
  }
  return entry;
}

/** Inverts the symmetric positive definite n×n row-major matrix off the event loop. */
export async function invertSpd(matrix: Float64Array, n: number, options: InverseOptions = {}): Promise<InverseResult> {
  if (!Number.isInteger(n) || n <= 0 || matrix.length !== n * n) {
    throw new RecommendError('BINGE_RECOMMEND_BAD_INPUT', `expected an n×n matrix with n=${n}, got ${matrix.length} values`);
  }
  const prefer = options.prefer ?? 'auto';
  if (prefer !== 'typescript') {
    const { addon, status } = loadAddon(options.addonPath ?? DEFAULT_ADDON);
    if (addon) return invertNative(addon, matrix, n);
    if (prefer === 'native' && !status.available) {
      throw new RecommendError('BINGE_RECOMMEND_NATIVE_UNAVAILABLE', `native inverse requested but not loadable: ${status.reason}`);
    }
  }
  return invertInWorker(matrix, n);
}

async function invertNative(addon: SpdAddon, matrix: Float64Array, n: number): Promise<InverseResult> {
  const started = performance.now();
  try {
    await addon.invertSpd(matrix, n);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new RecommendError(
      code === 'BINGE_SPD_NOT_POSITIVE_DEFINITE' ? 'BINGE_RECOMMEND_NOT_POSITIVE_DEFINITE' : 'BINGE_RECOMMEND_BAD_INPUT',
      (error as Error).message,
      { cause: error },
    );
  }
  return { inverse: matrix, path: 'native', ms: performance.now() - started };
}

// The worker runs the module beside this one with the same extension: .js once compiled, .ts
// under tsx. Node 20 does not apply --import hooks inside worker threads, so a .ts worker first
// registers tsx itself (only ever the case in development and tests, where tsx is installed).
const RUNNING_TS = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(`./spd-inverse-worker${RUNNING_TS ? '.ts' : '.js'}`, import.meta.url);

function startWorker(): Worker {
  if (!RUNNING_TS) return new Worker(WORKER_URL);
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(WORKER_URL.href);
  return new Worker(`import(${tsx}).then((m) => { m.register(); return import(${entry}); });`, { eval: true });
}

function invertInWorker(matrix: Float64Array, n: number): Promise<InverseResult> {
  const owned = matrix.byteOffset === 0 && matrix.buffer.byteLength === matrix.byteLength && matrix.buffer instanceof ArrayBuffer;
  const buffer = (owned ? matrix.buffer : matrix.slice().buffer) as ArrayBuffer;
  return new Promise((resolve, reject) => {
    const worker = startWorker();
    let settled = false;
    const fail = (code: RecommendErrorCode, message: string) => {
      if (settled) return;
      settled = true;
      reject(new RecommendError(code, message));
    };
    worker.once('message', (reply: InverseReply) => {
      settled = true;
      void worker.terminate();
      if (reply.ok) resolve({ inverse: new Float64Array(reply.buffer), path: 'typescript-worker', ms: reply.ms });
      else reject(new RecommendError(reply.code as RecommendErrorCode, reply.message));
    });
    worker.once('error', (error) => fail('BINGE_RECOMMEND_WORKER_FAILED', `inverse worker failed: ${error.message}`));
    worker.once('exit', (code) => fail('BINGE_RECOMMEND_WORKER_FAILED', `inverse worker exited with code ${code} before replying`));
    const request: InverseRequest = { buffer, n };
    worker.postMessage(request, [buffer]);
  });
}
