// Group commit: concurrent requests hand their valid events to one writer, which drops
// duplicates, appends everything waiting as one record of the ingest log (ingest-log.ts), syncs
// it to disk, and only then answers each request. An answer therefore means durable. The log is
// loaded into the store behind the answers (log-loader.ts), so reads lag the acknowledgements by
// the loader's delay. New work is refused with BINGE_OVERLOADED (503 + Retry-After) instead of
// growing memory or the log: when more than `maxQueuedEvents` wait for the log, or when the
// loader is more than `maxLogLagEvents` behind it.

import type { PlaybackEvent } from '../domain/model.js';
import { BingeError } from '../errors.js';
import type { Store } from '../store/port.js';
import { EventIdIndex } from './event-id-index.js';
import { IngestLog, parsePosition } from './ingest-log.js';
import { LogLoader } from './log-loader.js';
import { payloadIds, rawPayload, type RawBody } from './log-records.js';

export interface WriteOutcome {
  /** Positions (in the submitted array) of events stored now. */
  accepted: number[];
  /** Positions of events already stored before (or earlier in the same group). */
  duplicates: number[];
}

/**
 * A batch whose every event is valid, read off the event loop (clean-batch-pool.ts): the ids come
 * as their dedup fingerprints, the events themselves only when some turn out to be duplicates.
 */
export interface ReadBatch {
  readonly length: number;
  /** a, b, c of each event's eventId, as `fingerprints` (event-id-index.ts) gives them. */
  readonly fingerprints: Uint32Array;
  readonly atMs: Float64Array;
  /** The events (read again from the body on the event loop). */
  events(): readonly PlaybackEvent[];
}

interface Pending {
  events: readonly PlaybackEvent[] | ReadBatch;
  /** The request's body, when `events` are all of its events and the store reads them from it as sent. */
  raw: RawBody | undefined;
  resolve: (outcome: WriteOutcome) => void;
  reject: (error: unknown) => void;
}

export interface WriterOptions {
  maxQueuedEvents: number;
  /** Ids of events older than this many days may be forgotten by the dedup index. */
  dedupWindowDays: number;
  /** The folder of the ingest log. */
  logDir: string;
  /** Back-pressure: above this many logged events not yet in the store, answer 503. */
  maxLogLagEvents?: number;
  /** Bytes of log per load transaction. */
  loadBytes?: number;
  /**
   * The loader yields to a burst of acknowledgements: after a commit it starts at once only when
   * this many logged events wait to be loaded (0 or absent: always at once, no deferral)...
   */
  loadDeferEvents?: number;
  /** ...or when no batch has been committed for this many ms... */
  loadIdleMs?: number;
  /** ...or at the latest this many ms after the oldest waiting event was logged. */
  loadMaxDelayMs?: number;
  onLoadError?: (error: unknown) => void;
  now?: () => number;
}

export interface WriterStats {
  commits: number;
  eventsCommitted: number;
  largestGroup: number;
  /** Events found in the log on open that were not yet in the store (loaded after the open). */
  replayedOnOpen: number;
  /** Bytes cut from the log's tail on open (a record torn by a crash, or damaged). */
  cutOnOpen: number;
}

export class GroupCommitWriter {
  private queue: Pending[] = [];
  private queuedEvents = 0;
  private draining: Promise<void> | undefined;
  private closed = false;
  readonly stats: WriterStats;
  /** Events appended to the log by this writer, plus those found unloaded on open. */
  private loggedEvents: number;
  /** The deferred load's timers (loadDeferEvents): one restarted by each commit, one not. */
  private idleTimer: NodeJS.Timeout | undefined;
  private delayTimer: NodeJS.Timeout | undefined;
  private readonly loadNow = (): void => {
    clearTimeout(this.idleTimer);
    clearTimeout(this.delayTimer);
    this.idleTimer = this.delayTimer = undefined;
    this.loader.kick();
  };

  private constructor(
    private readonly log: IngestLog,
    private readonly loader: LogLoader,
    private readonly index: EventIdIndex,
    private readonly options: WriterOptions,
    replayed: number,
    cut: number,
  ) {
    this.loggedEvents = replayed;
    this.stats = { commits: 0, eventsCommitted: 0, largestGroup: 0, replayedOnOpen: replayed, cutOnOpen: cut };
  }

  /**
   * Opens a writer: cuts a torn tail off the log, rebuilds the dedup index from the events stored
   * within the window and those logged but not yet loaded, and starts loading the latter.
   */
  static async open(store: Store, options: WriterOptions): Promise<GroupCommitWriter> {
    const now = options.now ?? Date.now;
    const index = new EventIdIndex(options.dedupWindowDays, now);
    const loadedText = await store.loadedLogPosition();
    const { log, recovery, from } = IngestLog.open(options.logDir, loadedText === undefined ? undefined : parsePosition(loadedText));
    const since = now() - (options.dedupWindowDays + 1) * 86_400_000;
    for await (const page of store.eventIdsSince(since, 100_000)) {
      for (let i = 0; i < page.eventIds.length; i++) index.add(page.eventIds[i], page.atMs[i]);
    }
    let replayed = 0;
    for (const payload of recovery.payloads) {
      for (const event of payloadIds(payload)) {
        index.add(event.eventId, event.atMs);
        replayed++;
      }
    }
    const loader = new LogLoader(store, log, from, { maxBytes: options.loadBytes, onError: options.onLoadError });
    const writer = new GroupCommitWriter(log, loader, index, options, replayed, recovery.cutBytes);
    loader.kick();
    return writer;
  }

  get backlog(): number {
    return this.queuedEvents;
  }

  /** Logged events not yet in the store. */
  get loadLag(): number {
    return this.loggedEvents - this.loader.loadedEvents;
  }

  /** Resolves when every event acknowledged so far is in the store (reads see it). */
  async settled(): Promise<void> {
    await this.draining;
    await this.loader.settled();
  }

  get indexedIds(): number {
    return this.index.size;
  }

  /**
   * Why new work of `events` events would be refused now, if it would: the route asks before it
   * reads a body, so that an overloaded server does not parse batches it must refuse anyway.
   */
  refusal(events = 1): BingeError | undefined {
    if (this.closed) return new BingeError('BINGE_STORE_UNAVAILABLE', 'the server is shutting down; retry in a moment', { retryAfterS: 1 });
    if (this.queuedEvents > 0 && this.queuedEvents + events > this.options.maxQueuedEvents) {
      return new BingeError('BINGE_OVERLOADED', `the writer is behind (${this.queuedEvents} events waiting); retry after a second`, { retryAfterS: 1 });
    }
    if (this.loadLag > (this.options.maxLogLagEvents ?? 2_000_000)) {
      this.loader.kick();
      return new BingeError('BINGE_OVERLOADED', `the store is loading behind the ingest log (${this.loadLag} events); retry after a second`, { retryAfterS: 1 });
    }
    return undefined;
  }

  /**
   * Queues events for the next group commit. `raw` is the request body they came from, when they
   * are every event of it, in order, and `loadableAsSent` holds: if they all turn out new, the body
   * itself is logged instead of the events serialised again.
   */
  write(events: readonly PlaybackEvent[] | ReadBatch, raw?: RawBody): Promise<WriteOutcome> {
    const refusal = this.refusal(events.length);
    if (refusal) return Promise.reject(refusal);
    return new Promise<WriteOutcome>((resolve, reject) => {
      this.queue.push({ events, raw, resolve, reject });
      this.queuedEvents += events.length;
      this.draining ??= this.drain();
    });
  }

  /** Refuses new work, waits for everything queued, and loads the whole log into the store. */
  async close(): Promise<void> {
    this.closed = true;
    await this.draining;
    this.loadNow();
    await this.loader.close();
    this.log.close();
  }

  private async drain(): Promise<void> {
    // Let the requests that arrive in the same tick join the first group.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const group = this.queue;
      this.queue = [];
      await this.commit(group);
    }
    this.draining = undefined;
  }

  private async commit(group: Pending[]): Promise<void> {
    const records: Buffer[][] = [];
    const outcomes: WriteOutcome[] = [];
    let size = 0;
    let fresh = 0;
    try {
      const asEvents: PlaybackEvent[] = [];
      for (const pending of group) {
        const outcome: WriteOutcome = { accepted: [], duplicates: [] };
        // Pushed before the ids are added, so that a failure below gives back every id added.
        outcomes.push(outcome);
        const events = pending.events;
        // The index takes each new id now (so that a repeat later in the group is a duplicate) and
        // gives the group's ids back if the log write fails.
        if (Array.isArray(events)) {
          for (let position = 0; position < events.length; position++) {
            const event = events[position] as PlaybackEvent;
            if (this.index.add(event.eventId, event.atMs)) outcome.accepted.push(position);
            else outcome.duplicates.push(position);
          }
        } else {
          const read = events as ReadBatch;
          const f = read.fingerprints;
          for (let position = 0; position < read.length; position++) {
            if (this.index.addFingerprint(f[3 * position], f[3 * position + 1], f[3 * position + 2], read.atMs[position])) outcome.accepted.push(position);
            else outcome.duplicates.push(position);
          }
        }
        fresh += outcome.accepted.length;
        if (pending.raw && outcome.duplicates.length === 0) {
          records.push(rawPayload(pending.raw));
        } else if (outcome.accepted.length > 0) {
          const all = Array.isArray(events) ? (events as readonly PlaybackEvent[]) : (events as ReadBatch).events();
          for (const position of outcome.accepted) asEvents.push(all[position]);
        }
        size += events.length;
      }
      // One JSON array for every other batch: one stringify call per group is about half the cost of one per event.
      if (asEvents.length > 0) records.push([Buffer.from(JSON.stringify(asEvents))]);
      if (records.length > 0) await this.log.appendRecords(records);
    } catch (cause) {
      outcomes.forEach((outcome, k) => this.forget(group[k].events, outcome.accepted));
      this.queuedEvents -= group.reduce((n, pending) => n + pending.events.length, 0);
      const error = new BingeError('BINGE_STORE_UNAVAILABLE', 'the events could not be stored; nothing of this batch was kept, retry it', {
        retryAfterS: 1,
        cause,
      });
      for (const pending of group) pending.reject(error);
      return;
    }
    if (records.length > 0) {
      this.loggedEvents += fresh;
      this.scheduleLoad();
    }
    this.queuedEvents -= size;
    this.stats.commits++;
    this.stats.eventsCommitted += fresh;
    this.stats.largestGroup = Math.max(this.stats.largestGroup, size);
    group.forEach((pending, i) => pending.resolve(outcomes[i]));
  }

  /** Takes back the ids of a batch's events at `positions` (their group was not logged). */
  private forget(events: readonly PlaybackEvent[] | ReadBatch, positions: readonly number[]): void {
    if (Array.isArray(events)) {
      for (const position of positions) this.index.remove((events as readonly PlaybackEvent[])[position].eventId);
    } else {
      const f = (events as ReadBatch).fingerprints;
      for (const position of positions) this.index.removeFingerprint(f[3 * position], f[3 * position + 1], f[3 * position + 2]);
    }
  }

  /**
   * Starts the loader after a commit, or defers it while a burst is being acknowledged: the loader
   * (DuckDB storing rows) competes for the same cores as the answers, and a bigger load costs less
   * per event. Bounded: at `loadDeferEvents` waiting events, after `loadIdleMs` without a commit, or
   * `loadMaxDelayMs` after the first waiting event, whichever comes first; `maxLogLagEvents`
   * (back-pressure) lies above the first bound.
   */
  private scheduleLoad(): void {
    const deferEvents = this.options.loadDeferEvents ?? 0;
    if (deferEvents <= 0 || this.loadLag >= deferEvents) {
      this.loadNow();
      return;
    }
    if (this.idleTimer === undefined) {
      this.idleTimer = setTimeout(this.loadNow, this.options.loadIdleMs ?? 200);
      this.idleTimer.unref();
    } else {
      this.idleTimer.refresh();
    }
    if (this.delayTimer === undefined) {
      this.delayTimer = setTimeout(this.loadNow, this.options.loadMaxDelayMs ?? 10_000);
      this.delayTimer.unref();
    }
  }
}
