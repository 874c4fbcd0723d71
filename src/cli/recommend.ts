// `binge recommend train [--model ease|itemKnn|popularity] [--lambda L] [--neighbours K]`: trains a
//   model from the profiles whose member consents to personalisation and stores it.
// `binge recommend eval --ml100k DIR [--json]`: the MovieLens-100k evaluation (skipped, exit 0,
//   when DIR holds no folds: its licence keeps it out of this project).
// `binge recommend eval --own [--json]`: the same models on this store, time split per profile.
// `binge recommend send-digests [--dry-run]`: the weekly recommendation e-mails (counts and
//   titles printed, never addresses).

import type { Command } from 'commander';
import { Option } from 'commander';
import { Catalogue } from '../domain/catalogue.js';
import { BingeError } from '../errors.js';
import { refreshViews } from '../history/refresh-views.js';
import { recommendConfig } from '../recommend/config.js';
import { sendDigests } from '../recommend/digest/send.js';
import { RecommendError } from '../recommend/errors.js';
import { evaluateMovieLens, formatEvaluation } from '../recommend/evaluate.js';
import { MODEL_KINDS, type ModelKind } from '../recommend/model-store.js';
import { evaluateOwn, formatOwnEvaluation } from '../recommend/own-eval.js';
import { RecommendService } from '../recommend/serving.js';
import { trainAndStore, type TrainingDeps } from '../recommend/training.js';
import { withPrivacyStore } from '../store/duckdb/privacy.js';
import { recommendStoreOf } from '../store/duckdb/recommend.js';
import type { DuckDbStore } from '../store/duckdb/adapter.js';
import type { PrivacyServices } from '../privacy/services.js';
import { configFor, usage, type GlobalOptions } from './main.js';
import { print, type Output } from './output.js';

function positiveNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw usage(`${flag} must be a positive number, got ${value}`);
  return n;
}

/** Opens the store, brings views up to date, and hands over what training and serving need. */
async function withRecommendDeps<T>(dataDir: string, work: (deps: TrainingDeps, store: DuckDbStore, privacy: PrivacyServices) => Promise<T>): Promise<T> {
  return withPrivacyStore(dataDir, async (privacy, store) => {
    const catalogue = new Catalogue(await store.titles());
    const config = configFor({ data: dataDir });
    await refreshViews(store, catalogue, config.definitions);
    return work({ store: recommendStoreOf(store), privacy: privacy.store, catalogue, now: Date.now }, store, privacy);
  });
}

export function recommendCommand(program: Command, globals: () => GlobalOptions, output: Output): void {
  const recommend = program.command('recommend').description('recommendation models: train, evaluate, send the weekly digest');

  recommend
    .command('train')
    .description('train a model from the viewing of members who consent to personalisation, and store it')
    .addOption(new Option('--model <kind>', 'model').choices([...MODEL_KINDS]).default('ease'))
    .option('--lambda <lambda>', 'EASE regularisation (default 500)')
    .option('--neighbours <k>', 'neighbours kept per item for serving (default 100)')
    .option('--json', 'print JSON')
    .action(async (options: { model: ModelKind; lambda?: string; neighbours?: string }) => {
      const lambda = positiveNumber('--lambda', options.lambda);
      const neighbours = positiveNumber('--neighbours', options.neighbours);
      const config = configFor(globals());
      await withRecommendDeps(config.dataDir, async (deps) => {
        const started = performance.now();
        const model = await trainAndStore(deps, { kind: options.model, ...(lambda ? { lambda } : {}), ...(neighbours ? { neighbours: Math.round(neighbours) } : {}) });
        const summary = {
          modelId: model.modelId,
          kind: model.kind,
          params: model.params,
          items: model.itemIds.length,
          interactions: model.interactions,
          window: { from: new Date(model.window.fromMs).toISOString(), to: new Date(model.window.toMs).toISOString() },
          consent: model.consent,
          trainedAt: new Date(model.trainedAtMs).toISOString(),
          seconds: Math.round(performance.now() - started) / 1000,
        };
        print(output, summary, () =>
          [
            `Trained ${model.kind} model ${model.modelId} in ${summary.seconds} s: ${summary.items} items, ${summary.interactions} interactions.`,
            `Data window ${summary.window.from} to ${summary.window.to}; consent: ${model.consent.members} members (${model.consent.profiles} profiles), digest ${model.consent.digest.slice(0, 16)}…`,
          ].join('\n'),
        );
      });
    });

  recommend
    .command('eval')
    .description('offline evaluation: MovieLens-100k folds (--ml100k DIR) or this store with a time split per profile (--own)')
    .option('--ml100k <dir>', 'folder of the unpacked MovieLens-100k data set')
    .option('--own', "evaluate on this store's consenting profiles")
    .option('--lambda <lambda>', 'EASE regularisation (default 500)')
    .option('--json', 'print JSON')
    .action(async (options: { ml100k?: string; own?: boolean; lambda?: string }) => {
      if ((options.ml100k === undefined) === (options.own !== true)) throw usage('give exactly one of --ml100k DIR or --own');
      const lambda = positiveNumber('--lambda', options.lambda);
      if (options.ml100k !== undefined) {
        try {
          const report = await evaluateMovieLens(options.ml100k, lambda ? { ease: { lambda } } : {});
          print(output, report, () => formatEvaluation(report));
        } catch (error) {
          if (!(error instanceof RecommendError && error.code === 'BINGE_ML100K_MISSING')) throw error;
          // Absent data is an expected state (the licence keeps MovieLens out of the project): say so and succeed.
          print(output, { skipped: true, reason: error.message }, () => `skipped: ${error.message}`);
        }
        return;
      }
      const config = configFor(globals());
      await withRecommendDeps(config.dataDir, async (deps) => {
        const report = await evaluateOwn(deps, lambda ? { lambda } : {});
        if (report.profiles === 0) throw new BingeError('BINGE_RECOMMEND_NO_DATA', `no consenting profile in ${config.dataDir} has two completed titles to split`);
        print(output, report, () => formatOwnEvaluation(report));
      });
    });

  recommend
    .command('send-digests')
    .description('send the weekly recommendation e-mail to members who asked for it (SMTP from BINGE_SMTP_HOST/PORT)')
    .option('--dry-run', 'show what would be sent: recipients count and titles')
    .option('--json', 'print JSON')
    .action(async (options: { dryRun?: boolean }) => {
      const config = configFor(globals());
      const mail = recommendConfig(process.env);
      await withRecommendDeps(config.dataDir, async (deps, store) => {
        const serving = new RecommendService({ store, recommend: deps.store, privacy: deps.privacy, catalogue: deps.catalogue, now: deps.now });
        const report = await sendDigests({ store, recommend: deps.store, privacy: deps.privacy, serving, config: mail, now: deps.now }, { dryRun: options.dryRun });
        print(output, report, () =>
          [
            `${report.dryRun ? 'Would send' : 'Sent'} ${report.dryRun ? report.recipients : report.sent} digest(s) for ${report.week}` +
              ` (${report.alreadySent} already sent this week, ${report.withoutTitles} without titles to suggest).`,
            report.titles.length > 0 ? `Titles: ${report.titles.join(', ')}.` : 'No titles.',
          ].join('\n'),
        );
      });
    });
}
