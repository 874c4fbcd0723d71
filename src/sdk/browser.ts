// The SDK's browser entry: the client with the offline queue in localStorage, and the page-hide
// send. Plain ESM with no Node import (bundled by bundle.ts; sdk.browser.test.ts loads the bundle
// in Chromium). Page hide: sendBeacon cannot carry an Authorization header, so pending events go
// with fetch(..., { keepalive: true }), which can (DECISIONS.md, 38).

import { createPlayerClient as createClient, type PlayerClient, type PlayerClientOptions } from './client.js';
import { localStorageQueue } from './queue.js';

export * from './client.js';
export * from './wire.js';
export { localStorageQueue, memoryQueue, type QueueStore } from './queue.js';

export interface BrowserPlayerClientOptions extends PlayerClientOptions {
  /** The localStorage key of the offline queue (default "binge-player-queue"; one per player of a page); ignored when `queue` is given. */
  queueName?: string;
}

interface PageEvents {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

export interface BrowserPlayerClient extends PlayerClient {
  /** Removes the page listeners (close() does too). */
  detach(): void;
}

/**
 * A client for a player in a page: unsent events survive a reload or a closed tab (localStorage),
 * go out with keepalive when the page is hidden or left, and are retried as soon as the browser is
 * back online.
 */
export function createPlayerClient(options: BrowserPlayerClientOptions): BrowserPlayerClient {
  // 5,000 events of about 330 characters fit localStorage's usual 5 MiB (UTF-16) with room to spare.
  const client = createClient({ ...options, maxQueuedEvents: options.maxQueuedEvents ?? 5000, queue: options.queue ?? localStorageQueue(options.queueName) });
  const g = globalThis as unknown as { window?: PageEvents; document?: PageEvents & { visibilityState?: string } };
  const onHidden = () => {
    if (g.document?.visibilityState === 'hidden') client.sendBeforeUnload();
  };
  const onPageHide = () => client.sendBeforeUnload();
  const onOnline = () => void client.retryNow();
  g.document?.addEventListener('visibilitychange', onHidden);
  g.window?.addEventListener('pagehide', onPageHide);
  g.window?.addEventListener('online', onOnline);
  const detach = () => {
    g.document?.removeEventListener('visibilitychange', onHidden);
    g.window?.removeEventListener('pagehide', onPageHide);
    g.window?.removeEventListener('online', onOnline);
  };
  return {
    ...client,
    detach,
    async close(closeOptions) {
      detach();
      await client.close(closeOptions);
    },
  };
}
