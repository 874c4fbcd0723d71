// Types and timing helpers shared by the benchmarks (kept apart from index.ts, which imports them all).

export interface Measure {
  /** What was timed, e.g. "bulkLoad (Appender)". */
  label: string;
  /** Throughput or time; the unit says which. */
  value: number;
  unit: string;
  seconds: number;
}

export interface BenchResult {
  name: string;
  /** Size of the run (events, rows). */
  size: number;
  measured: Measure;
  baseline: Measure;
  /** measured / baseline for throughputs (higher is better), baseline / measured for times. */
  ratio: number;
  /** The goal in words, and whether this run met it (undefined when there is no goal). */
  goal?: string;
  met?: boolean;
  /** False when a correctness check of the benchmark failed (e.g. two versions disagree). */
  ok: boolean;
  /** Anything else worth keeping (peak RSS, CPU seconds, secondary measures). */
  details: Record<string, unknown>;
}

export interface BenchContext {
  /** Requested size (--events), or undefined for the benchmark's default. */
  events?: number;
  /** A fresh folder for the run's files; removed afterwards. */
  tmpDir: string;
  /** Progress lines (stderr), never part of the result. */
  log: (line: string) => void;
  /** --data: a persistent folder to build once and reuse (benchmarks that support it). */
  dataDir?: string;
  /** --heartbeat: seconds between generated heartbeats (benchmarks that generate players). */
  heartbeatS?: number;
  /** --only: one part of a benchmark that has parts (insights: year-in-review). */
  only?: string;
}

export interface Benchmark {
  name: string;
  description: string;
  defaultEvents: number;
  run(context: BenchContext): Promise<BenchResult>;
}

/** Times `work`: wall seconds and this process's CPU seconds. */
export async function timed<T>(work: () => Promise<T> | T): Promise<{ value: T; seconds: number; cpuSeconds: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await work();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { value, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

export function throughput(label: string, count: number, seconds: number, unit = 'events/s'): Measure {
  return { label, value: Math.round(count / seconds), unit, seconds: round3(seconds) };
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

