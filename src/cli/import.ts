import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { Catalogue } from '../domain/catalogue.js';
import { importNetflixIntoStore } from '../ingest/netflix/store-import.js';
import { openDuckDbStore } from '../store/duckdb/adapter.js';
import { BingeError } from '../errors.js';
import { configFor, usage, type GlobalOptions } from './main.js';
import { print, type Output } from './output.js';
import { progressBar } from './progress.js';

export function importCommand(program: Command, globals: () => GlobalOptions, output: Output): void {
  const imports = program.command('import').description('import viewing history exported from a service');
  imports
    .command('netflix')
    .description("a Netflix ViewingActivity.csv (from \"Download your personal information\"); re-importing the same file changes nothing")
    .argument('<file>', 'the ViewingActivity.csv')
    .option('--member <name>', 'the member the export belongs to (default: the file name)')
    .option('--country <code>', "ISO country for local days (default: each row's Country column, else US)")
    .option('--json', 'print {"rows", "views", "profiles", "skipped": [...]} (with "newRows", "memberId" and "profileIds")')
    .action(async (file: string, options: { member?: string; country?: string; json?: boolean }) => {
      if (options.country !== undefined && !/^[A-Za-z]{2}$/.test(options.country)) throw usage(`--country must be a two-letter ISO code such as DE, got ${options.country}`);
      if (!existsSync(file)) throw new BingeError('BINGE_IMPORT_FILE', `no file ${file}; give the path of a ViewingActivity.csv`);
      const config = configFor(globals());
      const store = await openDuckDbStore({ dataDir: config.dataDir });
      const bar = progressBar('rows', 1);
      try {
        const catalogue = new Catalogue(await store.titles());
        const result = await importNetflixIntoStore(store, catalogue, config.definitions, file, {
          member: options.member,
          country: options.country?.toUpperCase(),
          onRows: (rows, total) => bar.update(rows, total),
        });
        bar.stop();
        const json = output.json || options.json === true;
        // The profile ids are what the other commands take (binge history, binge insights year-in-review).
        const profileIds = result.totals.map((t) => ({ profileId: t.profileId, name: t.name }));
        const summary = { rows: result.rows, views: result.views, profiles: result.profiles, newRows: result.newRows, skipped: result.skipped, memberId: result.memberId, profileIds };
        print({ ...output, json }, summary, () =>
          [
            `Imported ${file} for member ${result.memberId}: ${result.rows} rows, ${result.profiles} profiles, ${result.views} views (${result.newRows} new rows).`,
            ...result.totals.map((t) => `  ${t.name} (profile ${t.profileId}): ${t.rows} rows, ${Math.round(t.durationS / 360) / 10} h, ${t.supplementalRows} supplemental`),
            result.skipped.length === 0 ? 'No rows skipped.' : `Skipped ${result.skipped.length} rows:`,
            ...result.skipped.slice(0, 50).map((s) => `  line ${s.line}: ${s.reason} [${s.code}]`),
            ...(result.skipped.length > 50 ? [`  ... and ${result.skipped.length - 50} more (use --json for all)`] : []),
            ...(result.totals.length > 0
              ? [`Next: binge history ${result.totals[0].profileId}, or binge insights year-in-review ${result.totals[0].profileId} --year <year> (any profile id above).`]
              : []),
          ].join('\n'),
        );
      } finally {
        bar.stop();
        await store.close();
      }
    });
}
