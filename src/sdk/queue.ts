// Where the events not yet acknowledged wait: the offline queue. The client keeps them in memory
// in send order and writes the whole list to its store after each change (players send a few
// events a minute, and the list is bounded), so a store is two functions. Browser-safe.

import type { WireEvent } from './wire.js';

export interface QueueStore {
  /** The events a previous run left unsent, oldest first (read once, when the client starts). */
  read(): WireEvent[];
  /** Replaces what is kept with these events, oldest first. Synchronous: a page may be gone a moment later. */
  write(events: readonly WireEvent[]): void;
}

/** Keeps nothing beyond the process: the default in Node when no file is given. */
export function memoryQueue(): QueueStore {
  return { read: () => [], write: () => undefined };
}

interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * The browser's offline queue in localStorage under `name`. localStorage rather than IndexedDB:
 * it is synchronous, so the queue is on disk before `pagehide` returns (DECISIONS.md, 38). A
 * quota error is not fatal: the events stay in memory and are sent while the page lives.
 */
export function localStorageQueue(name = 'binge-player-queue', storage?: StorageLike): QueueStore {
  const store = storage ?? (globalThis as { localStorage?: StorageLike }).localStorage;
  if (!store) throw new Error('localStorage is not available here: pass a QueueStore (or memoryQueue()) as `queue`');
  return {
    read() {
      try {
        const parsed = JSON.parse(store.getItem(name) ?? '[]') as unknown;
        return Array.isArray(parsed) ? (parsed as WireEvent[]) : [];
      } catch {
        return [];
      }
    },
    write(events) {
      try {
        if (events.length === 0) store.removeItem(name);
        else store.setItem(name, JSON.stringify(events));
      } catch {
        // Quota exceeded or storage disabled: the memory copy still holds them.
      }
    },
  };
}
