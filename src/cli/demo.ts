import type { Command } from 'commander';
import { openDuckDbStore } from '../store/duckdb/adapter.js';
import { configFor, usage, type GlobalOptions } from './main.js';
import { print, type Output } from './output.js';
import { loadDemo } from './demo-load.js';

export function demoCommand(program: Command, globals: () => GlobalOptions, output: Output): void {
  program
    .command('demo')
    .description('generate a seeded synthetic population and load it into the store')
    .option('--members <n>', 'members (households); the planted cases need at least 60', '100')
    .option('--seed <seed>', 'seed: the same seed gives the same population', 'binge')
    .option('--from <day>', 'first day of the period, YYYY-MM-DD', '2025-01-01')
    .option('--to <day>', 'last day of the period, YYYY-MM-DD', '2025-12-31')
    .option('--heartbeat <s>', 'seconds between player heartbeats (larger: fewer events)', '60')
    .action(async (options: { members: string; seed: string; from: string; to: string; heartbeat: string }) => {
      const members = Number(options.members);
      if (!Number.isInteger(members) || members < 1) throw usage(`--members must be a whole number of at least 1, got ${options.members}`);
      const heartbeatS = Number(options.heartbeat);
      if (!Number.isInteger(heartbeatS) || heartbeatS < 5) throw usage(`--heartbeat must be a whole number of seconds, at least 5, got ${options.heartbeat}`);
      const config = configFor(globals());
      const store = await openDuckDbStore({ dataDir: config.dataDir });
      try {
        const summary = await loadDemo(store, config, { members, seed: options.seed, fromDay: options.from, toDay: options.to, heartbeatS });
        print(output, summary, () =>
          `Loaded ${summary.members} members, ${summary.profiles} profiles, ${summary.titles} titles, ${summary.events} events ` +
          `(${summary.duplicates} duplicates dropped) and ${summary.views} views in ${summary.seconds} s into ${config.dataDir}.`,
        );
      } finally {
        await store.close();
      }
    });
}
