import type { Command } from 'commander';
import { Catalogue } from '../domain/catalogue.js';
import { TITLE_KINDS, type TitleKind } from '../domain/model.js';
import { refreshViews } from '../history/refresh-views.js';
import { withPrivacyStore } from '../store/duckdb/privacy.js';
import { operatorReadsHistory } from '../privacy/operator-read.js';
import { configFor, usage, type GlobalOptions } from './main.js';
import { print, type Output } from './output.js';

export function historyCommand(program: Command, globals: () => GlobalOptions, output: Output): void {
  program
    .command('history')
    .description("a profile's views, newest first (an operator's check of the store; members use the API)")
    .argument('<profile>', 'profile id')
    .option('--from <day>', 'first local day, YYYY-MM-DD')
    .option('--to <day>', 'last local day, YYYY-MM-DD')
    .option('--kind <kind>', `one of ${TITLE_KINDS.join(', ')}`)
    .option('--limit <n>', 'how many views', '20')
    .action(async (profileId: string, options: { from?: string; to?: string; kind?: string; limit: string }) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1) throw usage(`--limit must be a whole number of at least 1, got ${options.limit}`);
      if (options.kind && !TITLE_KINDS.includes(options.kind as TitleKind)) throw usage(`--kind must be one of ${TITLE_KINDS.join(', ')}`);
      for (const day of [options.from, options.to]) {
        if (day !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(day)) throw usage(`--from and --to are local days as YYYY-MM-DD, got ${day}`);
      }
      const config = configFor(globals());
      await withPrivacyStore(config.dataDir, async (privacy, store) => {
        await operatorReadsHistory(privacy, store, profileId, 'binge history');
        const catalogue = new Catalogue(await store.titles());
        await refreshViews(store, catalogue, config.definitions, { profileIds: [profileId] });
        const views = await store.views(profileId, { fromDay: options.from, toDay: options.to, kind: options.kind as TitleKind | undefined, limit, offset: 0 });
        const rows = views.map((v) => ({
          viewId: v.viewId,
          day: v.day,
          title: catalogue.titleOf(v.titleId)?.name ?? v.titleId,
          kind: v.kind,
          minutes: Math.round(v.watchedS / 6) / 10,
          completed: v.completed,
          rewatch: v.rewatch,
        }));
        print(output, { profileId, views: rows }, () =>
          rows.length === 0
            ? `no views for ${profileId}`
            : rows.map((r) => `${r.day}  ${String(r.minutes).padStart(6)} min  ${r.completed ? 'done' : '    '}${r.rewatch ? ' rewatch' : ''}  ${r.title}`).join('\n'),
        );
      });
    });
}
