// The scheduled retrain in the server: every `intervalMs`, train a model from the consenting
// profiles' signals (the heavy inverse runs off the event loop: native addon or worker thread),
// store it and serve it. One run at a time; a failed run is logged and the old model stays.
// Off unless an interval is configured (BINGE_RECOMMEND_TRAIN_INTERVAL_MIN), so tests and
// laptops never train by surprise.

import type { Logger } from '../logger.js';
import type { ItemModel } from './model-store.js';

export interface RetrainJob {
  train: () => Promise<ItemModel>;
  /** Called with each new model (the server starts serving it). */
  trained: (model: ItemModel) => void;
  intervalMs: number;
  logger: Pick<Logger, 'info' | 'warn'>;
}

export class RetrainSchedule {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<ItemModel | undefined> | undefined;
  runs = 0;
  failures = 0;

  constructor(private readonly job: RetrainJob) {}

  start(): void {
    if (this.timer || !(this.job.intervalMs > 0)) return;
    this.timer = setInterval(() => void this.runOnce(), this.job.intervalMs);
    this.timer.unref();
  }

  /** Trains now unless a run is under way (then waits for that one). */
  runOnce(): Promise<ItemModel | undefined> {
    this.running ??= (async () => {
      const started = performance.now();
      try {
        const model = await this.job.train();
        this.runs++;
        this.job.trained(model);
        this.job.logger.info(
          { modelId: model.modelId, kind: model.kind, items: model.itemIds.length, profiles: model.consent.profiles, ms: Math.round(performance.now() - started) },
          'recommend model retrained',
        );
        return model;
      } catch (error) {
        this.failures++;
        this.job.logger.warn({ code: (error as { code?: string }).code, message: (error as Error).message }, 'recommend retrain failed; the previous model stays');
        return undefined;
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
