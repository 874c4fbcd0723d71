// Settings of recommend/ (scheduled retraining, SMTP for digests, links in e-mails), parsed once
// with zod at the doors (server start, CLI) from the environment and handed down. They belong
// in src/config.ts; they live here until its owner folds them in (one strict schema there).

import { z } from 'zod';
import { BingeError } from '../errors.js';
import { MODEL_KINDS } from './model-store.js';

const RecommendConfigSchema = z
  .object({
    /** Retrain every this many minutes in the server; 0 (the default) turns the job off. */
    trainIntervalMin: z.coerce.number().min(0).max(7 * 24 * 60).default(0),
    trainModel: z.enum(MODEL_KINDS).default('ease'),
    /** The server asks the store for the latest model id at most this often (a model trained in-process is served at once). */
    modelCheckS: z.coerce.number().min(0).max(86_400).default(30),
    smtpHost: z.string().min(1).default('localhost'),
    smtpPort: z.coerce.number().int().min(1).max(65535).default(25),
    /** Where members reach the server (unsubscribe links). */
    publicUrl: z.string().url().default('http://localhost:8080'),
    digestFrom: z.string().min(3).default('recommendations@localhost'),
    /** The mailbox behind the mailto: unsubscribe (an operator processes what arrives there). */
    unsubscribeMailbox: z.string().min(3).default('unsubscribe@localhost'),
    digestTitles: z.coerce.number().int().min(1).max(20).default(6),
  })
  .strict();

export type RecommendConfig = z.output<typeof RecommendConfigSchema>;
export type RecommendConfigInput = z.input<typeof RecommendConfigSchema>;

const ENV_KEYS: Record<string, keyof RecommendConfigInput> = {
  BINGE_RECOMMEND_TRAIN_INTERVAL_MIN: 'trainIntervalMin',
  BINGE_RECOMMEND_MODEL: 'trainModel',
  BINGE_RECOMMEND_MODEL_CHECK_S: 'modelCheckS',
  BINGE_SMTP_HOST: 'smtpHost',
  BINGE_SMTP_PORT: 'smtpPort',
  BINGE_PUBLIC_URL: 'publicUrl',
  BINGE_DIGEST_FROM: 'digestFrom',
  BINGE_UNSUBSCRIBE_MAILBOX: 'unsubscribeMailbox',
  BINGE_DIGEST_TITLES: 'digestTitles',
};

/** Defaults, then `env`, then `overrides`. */
export function recommendConfig(env: NodeJS.ProcessEnv = {}, overrides: RecommendConfigInput = {}): RecommendConfig {
  const input: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ENV_KEYS)) if (env[name] !== undefined && env[name] !== '') input[key] = env[name];
  const parsed = RecommendConfigSchema.safeParse({ ...input, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BingeError('BINGE_CONFIG_INVALID', `configuration ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
