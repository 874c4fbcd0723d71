import type { Command } from 'commander';
import { benchmarkNames, formatReport, runBenchmarks } from '../bench/index.js';
import { INSIGHTS_PARTS } from '../bench/registered.js';
import { BingeError } from '../errors.js';
import { usage, type GlobalOptions } from './main.js';
import { print, type Output } from './output.js';

export function benchCommand(program: Command, globals: () => GlobalOptions, output: Output): void {
  program
    .command('bench')
    .description(`benchmarks, each against a baseline measured in the same run (${benchmarkNames().join(', ')}); see docs/BENCHMARKS.md`)
    .argument('[name...]', 'benchmarks to run (default: all)')
    .option('--events <n>', 'events (rows for import-netflix) per benchmark, instead of its default')
    .option('--repeat <n>', 'run each benchmark n times and report the run of median ratio (all ratios listed)', '1')
    .option('--json', 'print the report as JSON')
    // The global --data names a persistent folder that benchmarks supporting it (insights) build once and reuse.
    .option('--heartbeat <s>', 'seconds between generated heartbeats (insights; default 60)')
    .option('--only <part>', `run one part of a benchmark (insights: ${INSIGHTS_PARTS.join(', ')}, e.g. on a population kept with --data)`)
    .action(async (names: string[], options: { events?: string; repeat: string; json?: boolean; heartbeat?: string; only?: string }) => {
      let events: number | undefined;
      if (options.events !== undefined) {
        events = Number(options.events.replace(/_/g, ''));
        if (!Number.isInteger(events) || events < 1) throw usage(`--events must be a whole number of at least 1, got ${options.events}`);
      }
      const repeat = Number(options.repeat);
      if (!Number.isInteger(repeat) || repeat < 1 || repeat > 100) throw usage(`--repeat must be a whole number from 1 to 100, got ${options.repeat}`);
      const heartbeatS = options.heartbeat === undefined ? undefined : Number(options.heartbeat);
      if (heartbeatS !== undefined && !(Number.isInteger(heartbeatS) && heartbeatS >= 1)) throw usage(`--heartbeat must be a whole number of seconds, got ${options.heartbeat}`);
      const unknown = names.filter((n) => !benchmarkNames().includes(n));
      if (unknown.length > 0) throw usage(`unknown benchmark ${unknown.join(', ')}: choose from ${benchmarkNames().join(', ')}`);
      if (options.only !== undefined && !((INSIGHTS_PARTS as readonly string[]).includes(options.only) && names.length === 1 && names[0] === 'insights')) {
        throw usage(`--only names a part of one benchmark: insights --only ${INSIGHTS_PARTS.join('|')} (got ${[...names, '--only', options.only].join(' ')})`);
      }
      const json = output.json || options.json === true;
      const report = await runBenchmarks(names, { events, repeat, log: (line) => output.err(line), dataDir: globals().data, heartbeatS, only: options.only });
      print({ ...output, json }, report, () => formatReport(report));
      const failed = report.results.filter((r) => !r.ok).map((r) => r.name);
      if (failed.length > 0) throw new BingeError('BINGE_INTERNAL', `a correctness check failed in: ${failed.join(', ')} (see the report)`);
    });
}
