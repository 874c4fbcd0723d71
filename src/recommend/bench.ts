// EASE training speed: Gram matrix + inverse of G + λI on a synthetic sparse interaction matrix,
// native LAPACK vs the TypeScript fallback, and NumPy's np.linalg.inv on the same matrix when a
// python3 with NumPy is around. OPENBLAS_* variables are left as the environment sets them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gramMatrix } from './gram.js';
import type { Interactions } from './interactions.js';
import { seededRandom } from './random-spd.js';
import { invertSpd, nativeStatus, type InversePath } from './spd-inverse.js';

export interface BenchOptions {
  items?: number;
  users?: number;
  /** Mean interactions per user (geometric spread, popular items drawn more often). */
  perUser?: number;
  lambda?: number;
  /** Size of the principal submatrix the TypeScript inverse times (n³ makes 10,000 too slow). */
  typescriptItems?: number;
  seed?: number;
  /** Python interpreters to try, in order; the first that imports numpy runs. */
  pythons?: string[];
  log?: (line: string) => void;
}

export interface InverseTiming {
  path: InversePath | 'numpy';
  n: number;
  ms: number;
  /** CPU time of the whole process over the run (all threads): steadier than wall time on a shared machine. */
  cpuMs: number;
  /** Trace of the inverse: the runs must agree on it. */
  trace: number;
}

export interface BenchResult {
  items: number;
  users: number;
  interactions: number;
  buildMs: number;
  gramMs: number;
  inverses: InverseTiming[];
  native: string;
  numpy: string;
  /** TypeScript time scaled by n³ from typescriptItems to items: an estimate, not a measurement. */
  typescriptEstimateMs: number;
}

const DEFAULTS = { items: 10_000, users: 200_000, perUser: 40, lambda: 500, typescriptItems: 2_000, seed: 1 };

/** A users × items binary matrix with a long-tailed item popularity, built straight into CSR. */
export function syntheticInteractions(items: number, users: number, perUser: number, seed: number): Interactions {
  const random = seededRandom(seed);
  const indptr = new Int32Array(users + 1);
  const rows: Int32Array[] = [];
  const seen = new Uint8Array(items);
  for (let u = 0; u < users; u++) {
    const want = Math.min(items, 1 + Math.floor(-Math.log(1 - random()) * (perUser - 1)));
    const row: number[] = [];
    while (row.length < want) {
      const item = Math.floor(items * random() ** 2.5);
      if (!seen[item]) {
        seen[item] = 1;
        row.push(item);
      }
    }
    for (const item of row) seen[item] = 0;
    rows.push(Int32Array.from(row).sort());
    indptr[u + 1] = indptr[u] + row.length;
  }
  const indices = new Int32Array(indptr[users]);
  rows.forEach((row, u) => indices.set(row, indptr[u]));
  return { users, items, indptr, indices };
}

function trace(a: Float64Array, n: number): number {
  let t = 0;
  for (let i = 0; i < n; i++) t += a[i * n + i];
  return t;
}

function leading(a: Float64Array, n: number, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) out.set(a.subarray(i * n, i * n + m), i * m);
  return out;
}

const NUMPY_SCRIPT = `
import json, sys, time, numpy as np
path, n = sys.argv[1], int(sys.argv[2])
a = np.fromfile(path, dtype=np.float64).reshape(n, n)
t, c = time.perf_counter(), time.process_time()
inv = np.linalg.inv(a)
ms, cpu = (time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000
try: blas = np.__config__.CONFIG["Build Dependencies"]["blas"]["name"]
except Exception: blas = "unknown"
print(json.dumps({"ms": ms, "cpuMs": cpu, "trace": float(np.trace(inv)), "python": sys.executable, "numpy": np.__version__, "blas": blas}))
`;

function findPython(candidates: string[]): string | undefined {
  return candidates.find((python) => spawnSync(python, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0);
}

function numpyInverse(python: string, dir: string, a: Float64Array, n: number): { timing: InverseTiming; about: string } {
  const path = join(dir, `g${n}.f64`);
  writeFileSync(path, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  const run = spawnSync(python, ['-c', NUMPY_SCRIPT, path, String(n)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  rmSync(path, { force: true });
  if (run.status !== 0) throw new Error(`numpy run failed: ${run.stderr.trim().split('\n').pop()}`);
  const out = JSON.parse(run.stdout) as { ms: number; cpuMs: number; trace: number; python: string; numpy: string; blas: string };
  return {
    timing: { path: 'numpy', n, ms: out.ms, cpuMs: out.cpuMs, trace: out.trace },
    about: `${out.python} numpy ${out.numpy} (${out.blas})`,
  };
}

export async function benchEase(options: BenchOptions = {}): Promise<BenchResult> {
  const { items, users, perUser, lambda, typescriptItems, seed } = { ...DEFAULTS, ...options };
  const log = options.log ?? (() => {});
  let started = performance.now();
  const x = syntheticInteractions(items, users, perUser, seed);
  const buildMs = performance.now() - started;
  log(`matrix ${users} users × ${items} items, ${x.indices.length} interactions (${buildMs.toFixed(0)} ms)`);

  started = performance.now();
  const g = gramMatrix(x);
  const gramMs = performance.now() - started;
  log(`Gram matrix ${items}×${items}: ${gramMs.toFixed(0)} ms`);
  for (let i = 0; i < items; i++) g[i * items + i] += lambda;

  const inverses: InverseTiming[] = [];
  const status = nativeStatus();
  const python = findPython(options.pythons ?? ['python3', '/usr/bin/python3']);
  const m = Math.min(typescriptItems, items);
  const small = leading(g, items, m); // a principal submatrix of an SPD matrix is SPD
  const dir = mkdtempSync(join(tmpdir(), 'binge-bench-'));
  let numpy = 'not run: no python3 with numpy (apt-get install python3-numpy)';
  try {
    for (const [matrix, n] of python ? ([[g, items], [small, m]] as const) : []) {
      try {
        const { timing, about } = numpyInverse(python as string, dir, matrix, n);
        inverses.push(timing);
        numpy = about;
        log(`numpy inverse n=${n}: ${timing.ms.toFixed(0)} ms`);
      } catch (error) {
        numpy = `${python}: ${(error as Error).message}`;
        log(`numpy inverse n=${n} failed: ${(error as Error).message}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const runs: [Float64Array, number, 'native' | 'typescript'][] = [];
  if (status.available) runs.push([g, items, 'native'], [small.slice(), m, 'native']);
  runs.push([small, m, 'typescript']);
  for (const [matrix, n, prefer] of runs) {
    const cpu = process.cpuUsage();
    const { inverse, path, ms } = await invertSpd(matrix, n, { prefer });
    const used = process.cpuUsage(cpu);
    inverses.push({ path, n, ms, cpuMs: (used.user + used.system) / 1000, trace: trace(inverse, n) });
    log(`${path} inverse n=${n}: ${ms.toFixed(0)} ms`);
  }
  const ts = inverses.find((r) => r.path === 'typescript-worker');
  return {
    items,
    users,
    interactions: x.indices.length,
    buildMs,
    gramMs,
    inverses,
    native: status.available ? `${status.blas.config}, ${status.blas.threads} threads` : `not built: ${status.reason}`,
    numpy,
    typescriptEstimateMs: ts ? ts.ms * (items / ts.n) ** 3 : NaN,
  };
}

export function formatBench(result: BenchResult): string {
  const at = (path: InverseTiming['path'], n: number) => result.inverses.find((r) => r.path === path && r.n === n);
  const ratio = (a?: InverseTiming, b?: InverseTiming) => (a && b ? `${(a.ms / b.ms).toFixed(2)}×` : 'n/a');
  const lines = [
    `EASE bench: ${result.users} users × ${result.items} items, ${result.interactions} interactions`,
    `  Gram matrix (TypeScript, sparse): ${result.gramMs.toFixed(0)} ms`,
    ...result.inverses.map(
      (r) =>
        `  inverse ${r.path.padEnd(17)} n=${String(r.n).padEnd(6)} ${r.ms.toFixed(0).padStart(8)} ms wall ${r.cpuMs.toFixed(0).padStart(8)} ms cpu  trace ${r.trace.toPrecision(12)}`,
    ),
  ];
  const sizes = [...new Set(result.inverses.map((r) => r.n))];
  for (const n of sizes) {
    const native = at('native', n);
    const numpy = at('numpy', n);
    const ts = at('typescript-worker', n);
    lines.push(`  n=${n}: native/numpy ${ratio(native, numpy)}, typescript/native ${ratio(ts, native)}, typescript/numpy ${ratio(ts, numpy)}`);
  }
  if (Number.isFinite(result.typescriptEstimateMs)) {
    lines.push(`  TypeScript at n=${result.items}, estimated by n³ scaling: ~${(result.typescriptEstimateMs / 1000).toFixed(0)} s`);
  }
  lines.push(`  native: ${result.native}`, `  numpy: ${result.numpy}`);
  return lines.join('\n');
}
