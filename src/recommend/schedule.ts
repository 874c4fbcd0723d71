// The scheduled retrain in the server: every `intervalMs`, train a model from the consenting
// profiles' signals (the heavy inverse runs off the event loop: native addon or worker thread),
// store it and serve it. One run at a time; a failed run is logged and the old model stays.
// The periodic run is off unless an interval is configured (BINGE_RECOMMEND_TRAIN_INTERVAL_MIN),
// so tests and laptops never train by surprise. An erasure does not wait for the period: when
// it flags models for recomputation (`recompute.models`) and a model is stored, `recompute`
// trains a new one at once, from data read after the erasure, whether or not an interval is set
// (training clears the flag, training.ts). With no model stored there is nothing to retrain.

import type { Logger } from '../logger.js';
import type { ItemModel } from './model-store.js';

export interface RetrainJob {
  train: () => Promise<ItemModel>;
  /** Called with each new model (the server starts serving it). */
  trained: (model: ItemModel) => void;
  intervalMs: number;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** The erasure flag's stamp when set, and whether any model is stored (both from the store). */
  erasure?: { flagged: () => Promise<string | undefined>; hasModel: () => Promise<boolean> };
}

export class RetrainSchedule {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<ItemModel | undefined> | undefined;
  private recomputing: Promise<ItemModel | undefined> | undefined;
  private recomputeAsked = false;
  private stopped = false;
  runs = 0;
  failures = 0;
  /** Runs started because an erasure flagged the models. */
  recomputes = 0;

  constructor(private readonly job: RetrainJob) {}

  /** Starts the periodic run (when an interval is set) and a recompute for an erasure flagged while the server was down. */
  start(): void {
    this.stopped = false;
    if (this.job.erasure) void this.recompute();
    if (this.timer || !(this.job.intervalMs > 0)) return;
    this.timer = setInterval(() => void this.runOnce(), this.job.intervalMs);
    this.timer.unref();
  }

  /**
   * An erasure was committed: when the flag is set and a model is stored, train a new one now.
   * A run already under way may have read the erased data, so a fresh run starts after it;
   * erasures reported while this works are handled by another round before it returns.
   */
  recompute(): Promise<ItemModel | undefined> {
    this.recomputeAsked = true;
    this.recomputing ??= (async () => {
      let latest: ItemModel | undefined;
      try {
        while (this.recomputeAsked && !this.stopped) {
          this.recomputeAsked = false;
          await this.running;
          const erasure = this.job.erasure;
          if (!erasure || (await erasure.flagged()) === undefined || !(await erasure.hasModel())) continue;
          await this.running; // a periodic run that began meanwhile read before this round: wait, then train afresh
          this.recomputes++;
          latest = (await this.runOnce()) ?? latest;
        }
      } catch (error) {
        this.job.logger.warn({ message: (error as Error).message }, 'recommend recompute after erasure failed; the flag stays for the next run');
      } finally {
        this.recomputing = undefined;
      }
      return latest;
    })();
    return this.recomputing;
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
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.recomputing;
    await this.running;
  }
}
