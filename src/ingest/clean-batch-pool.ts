// Clean batches read off the event loop. readCleanBatch and the fingerprints of the ids were about
// half of the event loop's CPU per acknowledged event (docs/DECISIONS.md, 33 and 35); a worker
// thread does them and the event loop keeps what must have one owner: the dedup index, the group
// commit and the log. The body is copied to the worker (a memcpy; the request keeps its own bytes
// for the log and for any other reading), the answer's typed arrays are transferred.
//
// A worker that dies takes nothing with it: its pending bodies are read on the event loop instead,
// and a new worker is started on a later read (at most one start a second).

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PlaybackEvent } from '../domain/model.js';
import { readCleanBatch } from './clean-batch.js';
import type { ReadAnswer, ReadRequest } from './clean-batch-worker.js';
import type { EventRules } from './event-schema.js';
import type { ReadBatch } from './writer.js';

/** Workers by default: the cores but the event loop's, at least one, at most four. */
export function defaultReadWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

interface Job {
  bytes: Buffer;
  rules: EventRules;
  maxEvents: number;
  resolve: (read: ReadBatch | PlaybackEvent[] | undefined) => void;
}

interface Slot {
  worker: Worker | undefined;
  /** The worker has loaded its code (until then, and after it stops, bodies are read here). */
  ready: boolean;
  jobs: Map<number, Job>;
  startedAt: number;
  /** When the worker last answered (or was handed work with none pending): a stall check. */
  lastAnswerAt: number;
}

/** A worker with bodies that answers none for this long is taken for stuck (a 500-event body takes about 1 ms). */
const STALL_MS = 2000;

const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(FROM_SOURCE ? './clean-batch-worker.ts' : './clean-batch-worker.js', import.meta.url);

/** The worker; run from TypeScript sources (tests, under tsx), it first registers tsx, which a worker does not inherit. */
function newWorker(): Worker {
  if (!FROM_SOURCE) return new Worker(WORKER_URL);
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`, { eval: true });
}

export class CleanBatchPool {
  private readonly slots: Slot[];
  private next = 0;
  private ids = 0;
  private closed = false;
  /** Workers that died (or failed to start), for tests and logs. */
  deaths = 0;

  private readonly stallTimer: NodeJS.Timeout;

  constructor(
    size: number,
    private readonly onWorkerExit: (error: unknown) => void = () => {},
  ) {
    this.stallTimer = setInterval(() => this.checkStalls(), STALL_MS / 2);
    this.stallTimer.unref();
    this.slots = Array.from({ length: size }, () => ({ worker: undefined, ready: false, jobs: new Map(), startedAt: -Infinity, lastAnswerAt: 0 }));
    for (const slot of this.slots) this.start(slot);
  }

  /**
   * The batch read from `bytes` when every event of it is valid and it is written plainly (see
   * readCleanBatch), as a ReadBatch from a worker or as events read here when no worker is up;
   * undefined when the route must read it the general way.
   */
  read(bytes: Buffer, rules: EventRules, maxEvents: number): Promise<ReadBatch | PlaybackEvent[] | undefined> {
    const slot = this.slots[this.next];
    this.next = (this.next + 1) % this.slots.length;
    if (slot.worker === undefined && !this.closed && performance.now() - slot.startedAt >= 1000) this.start(slot);
    const worker = slot.worker;
    if (worker === undefined || !slot.ready) return Promise.resolve(readCleanBatch(bytes, rules, maxEvents));
    const id = ++this.ids;
    if (slot.jobs.size === 0) slot.lastAnswerAt = performance.now();
    return new Promise((resolve) => {
      slot.jobs.set(id, { bytes, rules, maxEvents, resolve });
      const request: ReadRequest = { id, bytes, nowMs: rules.nowMs, maxEventAgeDays: rules.maxEventAgeDays, maxFutureS: rules.maxFutureS, maxEvents };
      worker.postMessage(request);
    });
  }

  /** Stops the workers; bodies they still hold are read here. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.stallTimer);
    await Promise.all(this.slots.map((slot) => slot.worker?.terminate()));
  }

  /** Workers running now. */
  get workersUp(): number {
    return this.slots.filter((slot) => slot.worker !== undefined).length;
  }

  /** Ends a worker as a crash would (tests: nothing may be lost or stored twice). */
  async crashForTest(index = 0): Promise<void> {
    await this.slots[index].worker?.terminate();
  }

  /**
   * A worker that holds bodies and has answered none for STALL_MS is ended (its bodies are then read
   * here, and a new one starts later): a request never waits on a stuck thread.
   */
  private checkStalls(): void {
    const now = performance.now();
    for (const slot of this.slots) {
      if (slot.worker !== undefined && slot.jobs.size > 0 && now - slot.lastAnswerAt > STALL_MS) void slot.worker.terminate();
    }
  }

  private start(slot: Slot): void {
    slot.startedAt = performance.now();
    const worker = newWorker();
    // The server's open sockets keep the process alive; a worker alone must not.
    worker.unref();
    slot.worker = worker;
    worker.on('message', (answer: ReadAnswer) => {
      slot.lastAnswerAt = performance.now();
      if (answer.length === -2) {
        slot.ready = true;
        return;
      }
      const job = slot.jobs.get(answer.id);
      if (job === undefined) return;
      slot.jobs.delete(answer.id);
      if (answer.length < 0) {
        job.resolve(undefined);
        return;
      }
      const { bytes, rules, maxEvents } = job;
      job.resolve({
        length: answer.length,
        fingerprints: answer.fingerprints!,
        atMs: answer.atMs!,
        // Only when some are duplicates: the same reading, on the event loop (readCleanBatch is a pure
        // function of the bytes and the rules, which are the ones the worker used).
        events: () => {
          const events = readCleanBatch(bytes, rules, maxEvents);
          if (events === undefined || events.length !== answer.length) throw new Error('a clean batch read differently on the event loop');
          return events;
        },
      });
    });
    let failure: unknown;
    worker.on('error', (error) => (failure = error));
    worker.on('exit', (code) => {
      if (slot.worker === worker) {
        slot.worker = undefined;
        slot.ready = false;
      }
      if (!this.closed) {
        this.deaths++;
        this.onWorkerExit(failure ?? new Error(`the clean-batch worker exited with code ${code}`));
      }
      // Whatever it held is read here, with the same answers.
      for (const job of slot.jobs.values()) job.resolve(readCleanBatch(job.bytes, job.rules, job.maxEvents));
      slot.jobs.clear();
    });
  }
}
