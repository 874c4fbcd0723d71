// Group commit: concurrent requests hand their valid events to one writer, which drops
// duplicates, appends everything waiting in one transaction, and only then answers each
// request. An answer therefore means durable. When more than `maxQueuedEvents` wait, new work
// is refused with BINGE_OVERLOADED (503 + Retry-After) instead of growing memory.

import type { PlaybackEvent } from '../domain/model.js';
import { BingeError } from '../errors.js';
import type { Store } from '../store/port.js';
import { EventIdIndex } from './event-id-index.js';

export interface WriteOutcome {
  /** Positions (in the submitted array) of events stored now. */
  accepted: number[];
  /** Positions of events already stored before (or earlier in the same group). */
  duplicates: number[];
}

interface Pending {
  events: readonly PlaybackEvent[];
  resolve: (outcome: WriteOutcome) => void;
  reject: (error: unknown) => void;
}

export interface WriterOptions {
  maxQueuedEvents: number;
  /** Ids of events older than this many days may be forgotten by the dedup index. */
  dedupWindowDays: number;
  now?: () => number;
}

export interface WriterStats {
  commits: number;
  eventsCommitted: number;
  largestGroup: number;
}

export class GroupCommitWriter {
  private queue: Pending[] = [];
  private queuedEvents = 0;
  private draining: Promise<void> | undefined;
  private closed = false;
  readonly stats: WriterStats = { commits: 0, eventsCommitted: 0, largestGroup: 0 };

  private constructor(
    private readonly store: Store,
    private readonly index: EventIdIndex,
    private readonly options: WriterOptions,
  ) {}

  /** Opens a writer, rebuilding the dedup index from the events stored within the window. */
  static async open(store: Store, options: WriterOptions): Promise<GroupCommitWriter> {
    const now = options.now ?? Date.now;
    const index = new EventIdIndex(options.dedupWindowDays, now);
    const since = now() - (options.dedupWindowDays + 1) * 86_400_000;
    for await (const page of store.eventIdsSince(since, 100_000)) {
      for (let i = 0; i < page.eventIds.length; i++) index.add(page.eventIds[i], page.atMs[i]);
    }
    return new GroupCommitWriter(store, index, options);
  }

  get backlog(): number {
    return this.queuedEvents;
  }

  get indexedIds(): number {
    return this.index.size;
  }

  write(events: readonly PlaybackEvent[]): Promise<WriteOutcome> {
    if (this.closed) {
      return Promise.reject(new BingeError('BINGE_STORE_UNAVAILABLE', 'the server is shutting down; retry in a moment', { retryAfterS: 1 }));
    }
    if (this.queuedEvents > 0 && this.queuedEvents + events.length > this.options.maxQueuedEvents) {
      return Promise.reject(
        new BingeError('BINGE_OVERLOADED', `the writer is behind (${this.queuedEvents} events waiting); retry after a second`, {
          retryAfterS: 1,
        }),
      );
    }
    return new Promise<WriteOutcome>((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      this.queuedEvents += events.length;
      this.draining ??= this.drain();
    });
  }

  /** Waits for everything queued, then refuses new work. */
  async close(): Promise<void> {
    this.closed = true;
    await this.draining;
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
    const fresh: PlaybackEvent[] = [];
    const outcomes: WriteOutcome[] = [];
    const inGroup = new Set<string>();
    let size = 0;
    for (const pending of group) {
      const outcome: WriteOutcome = { accepted: [], duplicates: [] };
      pending.events.forEach((event, position) => {
        if (inGroup.has(event.eventId) || this.index.has(event.eventId)) {
          outcome.duplicates.push(position);
        } else {
          inGroup.add(event.eventId);
          fresh.push(event);
          outcome.accepted.push(position);
        }
      });
      size += pending.events.length;
      outcomes.push(outcome);
    }
    try {
      await this.store.appendEvents(fresh);
    } catch (cause) {
      this.queuedEvents -= size;
      const error = new BingeError('BINGE_STORE_UNAVAILABLE', 'the events could not be stored; nothing of this batch was kept, retry it', {
        retryAfterS: 1,
        cause,
      });
      for (const pending of group) pending.reject(error);
      return;
    }
    for (const event of fresh) this.index.add(event.eventId, event.atMs);
    this.queuedEvents -= size;
    this.stats.commits++;
    this.stats.eventsCommitted += fresh.length;
    this.stats.largestGroup = Math.max(this.stats.largestGroup, size);
    group.forEach((pending, i) => pending.resolve(outcomes[i]));
  }
}
