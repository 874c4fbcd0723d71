// The benchmark harness behind `binge bench [NAME...]`. Every benchmark measures one thing and
// its baseline in the same run, on the same data and machine, and reports the ratio: timings
// on a shared machine are noisy, ratios measured side by side much less so. Benchmarks are
// never part of `npm test` (bench.test.ts only smoke-tests the harness at tiny sizes).
//
// To add one (insights, ease, ...): write src/bench/<name>.ts exporting a Benchmark and add it
// to BENCHMARKS below.

import { easeBench, insightsBench } from './registered.js';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historyBench } from './history.js';
import { importNetflixBench } from './import-netflix.js';
import { ingestBulkBench } from './ingest-bulk.js';
import { ingestHttpBench } from './ingest-http.js';
import { servingBench } from './serving.js';
import type { BenchResult, Benchmark } from './measure.js';

export type { BenchContext, BenchResult, Benchmark, Measure } from './measure.js';
export { round3, throughput, timed } from './measure.js';

export const BENCHMARKS: readonly Benchmark[] = [ingestBulkBench, ingestHttpBench, historyBench, importNetflixBench, insightsBench, easeBench, servingBench];

export function benchmarkNames(): string[] {
  return BENCHMARKS.map((b) => b.name);
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  freeMemoryGiB: number;
  node: string;
  platform: string;
  loadAverage: number[];
  date: string;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGiB: Math.round((freemem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    date: new Date().toISOString(),
  };
}

export interface RunReport {
  machine: MachineInfo;
  results: BenchResult[];
}

/** Runs the named benchmarks (all when none is named), one after the other. */
export async function runBenchmarks(
  names: readonly string[],
  options: { events?: number; repeat?: number; log?: (line: string) => void; dataDir?: string; heartbeatS?: number; only?: string } = {},
): Promise<RunReport> {
  const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}: choose from ${benchmarkNames().join(', ')}`);
  const chosen = names.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => names.includes(b.name));
  const log = options.log ?? (() => undefined);
  const machine = machineInfo();
  const results: BenchResult[] = [];
  const repeat = Math.max(1, Math.floor(options.repeat ?? 1));
  for (const bench of chosen) {
    const runs: BenchResult[] = [];
    for (let i = 0; i < repeat; i++) {
      const tmpDir = mkdtempSync(join(tmpdir(), `binge-bench-${bench.name}-`));
      try {
        log(`${bench.name}${repeat > 1 ? ` (run ${i + 1} of ${repeat})` : ''}: ${bench.description}`);
        runs.push(await bench.run({ events: options.events, tmpDir, log: (line) => log(`  ${bench.name}: ${line}`), dataDir: options.dataDir, heartbeatS: options.heartbeatS, only: options.only }));
      } finally {
        rmSync(tmpDir, { recursive: true, force: true });
      }
    }
    results.push(medianRun(runs));
  }
  return { machine, results };
}

/** With repeated runs: the run of median ratio, with every run's ratio beside it (and failed checks kept failed). */
export function medianRun(runs: readonly BenchResult[]): BenchResult {
  if (runs.length === 1) return runs[0];
  const sorted = [...runs].sort((a, b) => a.ratio - b.ratio);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  return {
    ...median,
    ok: runs.every((r) => r.ok),
    details: { ...median.details, runs: runs.length, ratios: runs.map((r) => Math.round(r.ratio * 1000) / 1000) },
  };
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/** The human form of a report. */
export function formatReport(report: RunReport): string {
  const m = report.machine;
  const lines = [
    `machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB (free ${m.freeMemoryGiB}), node ${m.node}, ${m.platform}, load ${m.loadAverage.join(' ')}, ${m.date}`,
  ];
  for (const r of report.results) {
    lines.push('');
    lines.push(`${r.name} (${fmt(r.size)})${r.ok ? '' : '  CHECK FAILED'}`);
    lines.push(`  measured: ${r.measured.label}: ${fmt(r.measured.value)} ${r.measured.unit} (${r.measured.seconds} s)`);
    lines.push(`  baseline: ${r.baseline.label}: ${fmt(r.baseline.value)} ${r.baseline.unit} (${r.baseline.seconds} s)`);
    lines.push(`  ratio:    ${r.ratio.toFixed(3)}${r.goal ? `   goal: ${r.goal} -> ${r.met ? 'met' : 'NOT met'}` : ''}`);
    for (const [key, value] of Object.entries(r.details)) lines.push(`  ${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  }
  return lines.join('\n');
}
