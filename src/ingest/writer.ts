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

interface Pending {
  events: readonly PlaybackEvent[];
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
  write(events: readonly PlaybackEvent[], raw?: RawBody): Promise<WriteOutcome> {
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
    const asEvents: PlaybackEvent[] = [];
    const fresh: PlaybackEvent[] = [];
    const outcomes: WriteOutcome[] = [];
    let size = 0;
    for (const pending of group) {
      const outcome: WriteOutcome = { accepted: [], duplicates: [] };
      const events = pending.events;
      // The index takes each new id now (so that a repeat later in the group is a duplicate) and
      // gives the group's ids back if the log write fails.
      for (let position = 0; position < events.length; position++) {
        const event = events[position];
        if (this.index.add(event.eventId, event.atMs)) {
          fresh.push(event);
          outcome.accepted.push(position);
        } else {
          outcome.duplicates.push(position);
        }
      }
      if (pending.raw && outcome.duplicates.length === 0) {
        records.push(rawPayload(pending.raw));
      } else {
        for (const position of outcome.accepted) asEvents.push(events[position]);
      }
      size += events.length;
      outcomes.push(outcome);
    }
    // One JSON array for every other batch: one stringify call per group is about half the cost of one per event.
    if (asEvents.length > 0) records.push([Buffer.from(JSON.stringify(asEvents))]);
    if (records.length > 0) {
      try {
        await this.log.appendRecords(records);
      } catch (cause) {
        for (const event of fresh) this.index.remove(event.eventId);
        this.queuedEvents -= size;
        const error = new BingeError('BINGE_STORE_UNAVAILABLE', 'the events could not be stored; nothing of this batch was kept, retry it', {
          retryAfterS: 1,
          cause,
        });
        for (const pending of group) pending.reject(error);
        return;
      }
      this.loggedEvents += fresh.length;
      this.loader.kick();
    }
    this.queuedEvents -= size;
    this.stats.commits++;
    this.stats.eventsCommitted += fresh.length;
    this.stats.largestGroup = Math.max(this.stats.largestGroup, size);
    group.forEach((pending, i) => pending.resolve(outcomes[i]));
  }
}
