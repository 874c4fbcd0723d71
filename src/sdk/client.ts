// The player client: typed playback events, batched, retried with backoff, kept in an offline
// queue until the server acknowledges them. Environment-neutral (fetch, timers and crypto are in
// Node 20 and every current browser); browser.ts adds localStorage and page hide, node.ts a file.
//
// Every event gets its eventId here, once, when the player records it: a resend after a timeout,
// a network error or a reload carries the same id, and the server counts it as a duplicate,
// never twice (issue 3). So sending "at least once" is safe, and the client prefers it.

import {
  countryProblem,
  eventProblem,
  formatAt,
  idProblem,
  localOffsetMin,
  newId,
  PlayerArgumentError,
  positionProblem,
  type PlaybackEventType,
  type UserAction,
  type WireEvent,
} from './wire.js';
import { memoryQueue, type QueueStore } from './queue.js';

/** The server's limits (config maxBatchEvents, maxBodyBytes): a batch never exceeds them. */
export const SERVER_MAX_EVENTS = 1000;
export const SERVER_MAX_BYTES = 1024 * 1024;

export interface PlayerClientOptions {
  /** binge's base URL, e.g. https://binge.example.org (the client posts to `${endpoint}/v1/events`). */
  endpoint: string;
  /** An ingest key: for server-side players and Node. Refused in a browser unless `allowIngestKeyInBrowser`. */
  key?: string;
  /** The signed-in member's bearer token: for browser players (the server accepts only events of the member's own profiles). */
  token?: string;
  /** The device id and country every event carries. */
  device: string;
  country: string;
  batch?: {
    /** Events per request (default 200, at most 1,000). */
    maxEvents?: number;
    /** Bytes per request body (default 256 KiB, at most 1 MiB). */
    maxBytes?: number;
    /** How long an event may wait for others before its batch goes (default 2,000 ms). */
    delayMs?: number;
  };
  retry?: {
    /** The first retry's delay (default 1,000 ms); each further one doubles, with jitter. */
    baseDelayMs?: number;
    /** No retry waits longer than this (default 60,000 ms), except when the server's Retry-After asks for more (honoured up to 10 minutes). */
    maxDelayMs?: number;
  };
  /** Where unacknowledged events wait (default: memory only). */
  queue?: QueueStore;
  /** At most this many events wait (default 10,000); beyond it the oldest are dropped and reported. */
  maxQueuedEvents?: number;
  /** Events the server refused (a 200 answer's per-event rejections, or a 4xx for the whole batch): not resent. */
  onRejected?: (rejections: Rejection[]) => void;
  /** Events dropped unsent because the queue was full (oldest first). */
  onDropped?: (dropped: { count: number; events: WireEvent[] }) => void;
  /**
   * The member's token was refused (401: it expired; a sign-in lasts 15 minutes). The events are
   * kept and sending waits until `setToken` gives a new one. (A refused ingest key is a
   * configuration error: its events go to onRejected.)
   */
  onUnauthorized?: () => void;
  /**
   * Keeps the member's token fresh: `renewBeforeMs` (default 120,000) before it expires, the client
   * asks `POST /v1/sessions/renew` for the next token of the same sign-in (which lasts at most 12
   * hours after the password), sends with it, and hands it to `onTokenRenewed`. A refused or failed
   * renewal changes nothing: the token is kept until a 401 calls `onUnauthorized`. Off by default.
   */
  renewToken?: boolean | { renewBeforeMs?: number };
  /** The token renewal gave, and when it expires (ms): for the page's own calls. */
  onTokenRenewed?: (token: string, expiresAtMs: number) => void;
  /** A send failed and will be retried after `delayMs`. */
  onRetry?: (retry: RetryInfo) => void;
  /** The player's clock (default Date.now) and its UTC offset in minutes east (default the local zone's). */
  clock?: () => number;
  offsetMin?: (atMs: number) => number;
  /** For jitter (default Math.random). */
  random?: () => number;
  /** The fetch to use (default globalThis.fetch). */
  fetch?: typeof fetch;
  /** Say yes only for a page that is not public: a key in a page is readable by every viewer (DECISIONS.md, 38). */
  allowIngestKeyInBrowser?: boolean;
}

export interface Rejection {
  event: WireEvent;
  code: string;
  message: string;
}

export interface RetryInfo {
  /** Consecutive failures so far. */
  attempt: number;
  delayMs: number;
  /** The HTTP status, or undefined for a network error. */
  status: number | undefined;
  /** The server's Retry-After, in ms, when it sent one. */
  retryAfterMs: number | undefined;
  reason: string;
}

export interface FlushResult {
  /** Events the server acknowledged (accepted or duplicate) during this flush. */
  acknowledged: number;
  /** Events still waiting (a retry is scheduled when > 0). */
  pending: number;
}

/** An event of the player's own making: the ids, type and position; the rest defaults (a new eventId, now, the client's device and country, not autoplayed, no action). */
export type RecordInput = Pick<WireEvent, 'playbackId' | 'profileId' | 'titleId' | 'type' | 'positionS'> & Partial<Omit<WireEvent, 'playbackId' | 'profileId' | 'titleId' | 'type' | 'positionS'>>;

export interface PlayOptions {
  profileId: string;
  titleId: string;
  /** Where playback starts, in seconds (default 0). */
  positionS?: number;
  /** Started by autoplay rather than by the member (default false). */
  autoplayed?: boolean;
}

/** One press of play: every event it sends shares its playbackId. */
export interface Playback {
  readonly playbackId: string;
  readonly profileId: string;
  readonly titleId: string;
  /** The `start` event play() sent. */
  readonly started: WireEvent;
  heartbeat(positionS: number): WireEvent;
  pause(positionS: number): WireEvent;
  resume(positionS: number): WireEvent;
  /** The member jumped; `positionS` is where playback landed. */
  seek(positionS: number): WireEvent;
  /** `ended`: the title ran to its end on its own (no member action). */
  stop(positionS: number, options?: { ended?: boolean }): WireEvent;
  /** The player asked "are you still watching?". */
  stillWatchingPrompt(positionS: number): WireEvent;
  /** The answer: `yes` (the member interacted) or `timeout` (no answer: the view ends here). */
  stillWatching(positionS: number, answer: 'yes' | 'timeout'): WireEvent;
}

export interface PlayerClient {
  /** Starts a playback (sends `start`) and returns its helpers. */
  play(options: PlayOptions): Playback;
  /** Records one event of your own making (its eventId is kept: a resend of the same id is a duplicate). */
  record(event: RecordInput): WireEvent;
  /** Sends what waits now (at most one request in flight). Resolves when the queue is empty or a retry is scheduled. */
  flush(): Promise<FlushResult>;
  /** Resolves when every event recorded so far is acknowledged or rejected (waits through retries). */
  drained(): Promise<void>;
  /** Events waiting for the server. */
  pending(): number;
  /** Ends the current backoff and sends now (e.g. when the browser says it is online again). */
  retryNow(): Promise<FlushResult>;
  /** Replaces the member's token (after a refresh). */
  setToken(token: string): void;
  /**
   * Sends what waits with `fetch(..., { keepalive: true })`, at most 64 KiB (the browsers' limit
   * for keepalive bodies), without waiting: for a page that is about to go. The queue keeps the
   * events until an answer comes, so a page that dies first resends them on its next load.
   */
  sendBeforeUnload(): void;
  /** Stops timers (after one last flush unless `flush: false`). The queue store keeps what was not sent. */
  close(options?: { flush?: boolean }): Promise<void>;
}

/** Bodies sent with keepalive may hold 64 KiB in all while in flight (Fetch standard). */
const KEEPALIVE_BYTES = 64 * 1024 - 1024;
const MAX_RETRY_AFTER_MS = 10 * 60_000;

interface Entry {
  event: WireEvent;
  json: string;
  bytes: number;
}

type Outcome =
  | { kind: 'answered'; acknowledged: Entry[]; rejected: Rejection[] }
  | { kind: 'unauthorized' }
  | { kind: 'retry'; status: number | undefined; retryAfterMs: number | undefined; reason: string };

const encoder = new TextEncoder();
const entryOf = (event: WireEvent): Entry => {
  const json = JSON.stringify(event);
  return { event, json, bytes: encoder.encode(json).length };
};

/** Whether this code runs in a page (a browser window or frame). */
export function inBrowser(): boolean {
  const g = globalThis as { window?: unknown; document?: unknown };
  return typeof g.window === 'object' && g.window !== null && typeof g.document === 'object';
}

function fail(problem: string | undefined): void {
  if (problem) throw new PlayerArgumentError(problem);
}

/** The wait before retry `attempt` (1, 2, ...): exponential, capped, with jitter in its upper half; never shorter than Retry-After. */
export function retryDelayMs(attempt: number, retryAfterMs: number | undefined, base: number, max: number, random: () => number): number {
  const exponential = Math.min(max, base * 2 ** Math.min(attempt - 1, 30));
  const jittered = exponential / 2 + (random() * exponential) / 2;
  return Math.round(Math.max(jittered, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS)));
}

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

export function createPlayerClient(options: PlayerClientOptions): PlayerClient {
  fail(idProblem('device', options.device));
  fail(countryProblem(options.country));
  if (typeof options.endpoint !== 'string' || !/^https?:\/\//.test(options.endpoint)) {
    throw new PlayerArgumentError('endpoint must be binge\'s base URL, e.g. "https://binge.example.org"');
  }
  if (!options.key === !options.token) throw new PlayerArgumentError('give exactly one of `key` (an ingest key) or `token` (the signed-in member\'s token)');
  if (options.key && inBrowser() && !options.allowIngestKeyInBrowser) {
    throw new PlayerArgumentError(
      'an ingest key in a web page is readable by every viewer and lets anyone send events for any profile: use the signed-in member\'s `token` (or set allowIngestKeyInBrowser for a page that is not public)',
    );
  }
  const maxEvents = options.batch?.maxEvents ?? 200;
  const maxBytes = options.batch?.maxBytes ?? 256 * 1024;
  if (!Number.isInteger(maxEvents) || maxEvents < 1 || maxEvents > SERVER_MAX_EVENTS) throw new PlayerArgumentError(`batch.maxEvents must be 1 to ${SERVER_MAX_EVENTS}`);
  if (!Number.isInteger(maxBytes) || maxBytes < 1024 || maxBytes > SERVER_MAX_BYTES) throw new PlayerArgumentError(`batch.maxBytes must be 1,024 to ${SERVER_MAX_BYTES}`);
  const delayMs = options.batch?.delayMs ?? 2000;
  const baseDelayMs = options.retry?.baseDelayMs ?? 1000;
  const maxDelayMs = options.retry?.maxDelayMs ?? 60_000;
  const maxQueued = options.maxQueuedEvents ?? 10_000;
  const clock = options.clock ?? Date.now;
  const offsetOf = options.offsetMin ?? localOffsetMin;
  const random = options.random ?? Math.random;
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const base = options.endpoint.replace(/\/+$/, '');
  const url = `${base}/v1/events`;
  const store = options.queue ?? memoryQueue();
  let credential = (options.key ?? options.token)!;

  // Every unacknowledged event, oldest first; the store mirrors it.
  let queue: Entry[] = store.read().filter((e) => eventProblem(e) === undefined).map(entryOf);
  let attempt = 0;
  let notBefore = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerIsRetry = false;
  let running: Promise<void> | undefined;
  let closed = false;
  let waitingForToken = false;
  let acknowledgedTotal = 0;
  const drainWaiters: (() => void)[] = [];

  const persist = () => store.write(queue.map((e) => e.event));

  const settleDrained = () => {
    if (queue.length > 0) return;
    for (const resolve of drainWaiters.splice(0)) resolve();
  };

  const remove = (done: readonly Entry[]) => {
    if (done.length === 0) return;
    const gone = new Set(done);
    queue = queue.filter((e) => !gone.has(e));
    persist();
  };

  /** The oldest events that fit one request (leaving out those in `skip`). */
  const take = (limitBytes: number, skip?: ReadonlySet<Entry>): Entry[] => {
    const batch: Entry[] = [];
    let bytes = 2; // the brackets
    for (const entry of queue) {
      if (skip?.has(entry)) continue;
      const add = entry.bytes + (batch.length > 0 ? 1 : 0);
      if (batch.length === maxEvents || (batch.length > 0 && bytes + add > limitBytes)) break;
      batch.push(entry);
      bytes += add;
    }
    return batch;
  };

  const send = async (batch: Entry[], keepalive: boolean): Promise<Outcome> => {
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
        body: `[${batch.map((e) => e.json).join(',')}]`,
        keepalive,
      });
    } catch (error) {
      return { kind: 'retry', status: undefined, retryAfterMs: undefined, reason: `network error: ${(error as Error).message}` };
    }
    const text = await response.text().catch(() => '');
    if (response.status === 200) {
      let answer: { rejected?: { index: number; code: string; message: string }[] };
      try {
        answer = JSON.parse(text) as typeof answer;
      } catch {
        // A 200 we cannot read (a proxy's page?): the events may or may not be stored; resending is safe.
        return { kind: 'retry', status: 200, retryAfterMs: undefined, reason: 'the answer was not JSON' };
      }
      const rejected = (answer.rejected ?? []).filter((r) => batch[r.index]).map((r) => ({ event: batch[r.index].event, code: r.code, message: r.message }));
      return { kind: 'answered', acknowledged: batch, rejected };
    }
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), clock());
    const code = errorCode(text) ?? `HTTP_${response.status}`;
    if (response.status >= 500 || response.status === 429 || response.status === 408) {
      return { kind: 'retry', status: response.status, retryAfterMs, reason: code };
    }
    if (response.status === 401 && options.token) return { kind: 'unauthorized' };
    // Any other 4xx: the request itself is wrong (key, token, body); sending it again changes nothing.
    const message = errorMessage(text) ?? `the server answered ${response.status}`;
    return { kind: 'answered', acknowledged: batch, rejected: batch.map((e) => ({ event: e.event, code, message })) };
  };

  /** Applies an answer: acknowledged events leave the queue, rejections go to the caller. */
  const settle = (outcome: Extract<Outcome, { kind: 'answered' }>) => {
    const rejectedIds = new Set(outcome.rejected.map((r) => r.event));
    acknowledgedTotal += outcome.acknowledged.filter((e) => !rejectedIds.has(e.event)).length;
    remove(outcome.acknowledged);
    if (outcome.rejected.length > 0) options.onRejected?.(outcome.rejected);
  };

  const schedule = (ms: number, isRetry: boolean) => {
    if (closed) return;
    if (timer !== undefined) {
      // A retry's wait is not cut short by the batching delay; an earlier batching timer is kept.
      if (timerIsRetry || !isRetry) return;
      clearTimeout(timer);
    }
    timerIsRetry = isRetry;
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, Math.max(0, ms));
  };

  const pump = async (): Promise<void> => {
    while (queue.length > 0 && !waitingForToken) {
      const wait = notBefore - clock();
      if (wait > 0) {
        schedule(wait, true);
        return;
      }
      const batch = take(maxBytes);
      const outcome = await send(batch, false);
      if (outcome.kind === 'answered') {
        attempt = 0;
        settle(outcome);
        continue;
      }
      if (outcome.kind === 'unauthorized') {
        waitingForToken = true;
        options.onUnauthorized?.();
        return;
      }
      attempt++;
      const delay = retryDelayMs(attempt, outcome.retryAfterMs, baseDelayMs, maxDelayMs, random);
      notBefore = clock() + delay;
      options.onRetry?.({ attempt, delayMs: delay, status: outcome.status, retryAfterMs: outcome.retryAfterMs, reason: outcome.reason });
      schedule(delay, true);
      return;
    }
    settleDrained();
  };

  const flush = async (): Promise<FlushResult> => {
    const before = acknowledgedTotal;
    // One request at a time keeps the order and bounds the load a player adds.
    while (running) await running;
    if (timer !== undefined && !timerIsRetry) {
      clearTimeout(timer);
      timer = undefined;
    }
    running = pump().finally(() => {
      running = undefined;
    });
    await running;
    return { acknowledged: acknowledgedTotal - before, pending: queue.length };
  };

  const enqueue = (event: WireEvent): WireEvent => {
    if (closed) throw new PlayerArgumentError('the client is closed');
    queue.push(entryOf(event));
    if (queue.length > maxQueued) {
      const dropped = queue.splice(0, queue.length - maxQueued);
      options.onDropped?.({ count: dropped.length, events: dropped.map((e) => e.event) });
    }
    persist();
    if (take(maxBytes).length < queue.length || queue.length >= maxEvents) void flush();
    else schedule(delayMs, false);
    return event;
  };

  const stamp = (): string => {
    const now = clock();
    return formatAt(now, offsetOf(now));
  };

  const record: PlayerClient['record'] = (input) => {
    const event: WireEvent = {
      eventId: input.eventId ?? newId(),
      playbackId: input.playbackId,
      profileId: input.profileId,
      titleId: input.titleId,
      type: input.type,
      positionS: input.positionS,
      at: input.at ?? stamp(),
      device: input.device ?? options.device,
      country: input.country ?? options.country,
      autoplayed: input.autoplayed ?? false,
      userAction: input.userAction ?? 'none',
    };
    fail(eventProblem(event));
    return enqueue(event);
  };

  const play = (opts: PlayOptions): Playback => {
    fail(idProblem('profileId', opts.profileId));
    fail(idProblem('titleId', opts.titleId));
    const autoplayed = opts.autoplayed ?? false;
    if (typeof autoplayed !== 'boolean') throw new PlayerArgumentError('autoplayed must be true or false');
    const playbackId = newId();
    const emit = (type: PlaybackEventType, positionS: number, userAction: UserAction): WireEvent => {
      fail(positionProblem(positionS));
      return record({ playbackId, profileId: opts.profileId, titleId: opts.titleId, type, positionS, autoplayed, userAction });
    };
    // userAction as the definitions read it: a member's press is an interaction, a heartbeat is not.
    const started = emit('start', opts.positionS ?? 0, autoplayed ? 'none' : 'interaction');
    return {
      playbackId,
      started,
      profileId: opts.profileId,
      titleId: opts.titleId,
      heartbeat: (p) => emit('heartbeat', p, 'none'),
      pause: (p) => emit('pause', p, 'interaction'),
      resume: (p) => emit('resume', p, 'interaction'),
      seek: (p) => emit('seek', p, 'interaction'),
      stop: (p, o) => emit('stop', p, o?.ended ? 'none' : 'interaction'),
      stillWatchingPrompt: (p) => emit('still_watching_prompt', p, 'none'),
      stillWatching: (p, answer) => {
        if (answer !== 'yes' && answer !== 'timeout') throw new PlayerArgumentError("the answer to \"are you still watching?\" is 'yes' or 'timeout'");
        return emit('still_watching_answer', p, answer === 'yes' ? 'interaction' : 'visibility_timeout');
      },
    };
  };

  // Events in a keepalive request: `visibilitychange` and `pagehide` both fire when a page is
  // left, and a second copy would only eat into the 64 KiB keepalive allowance.
  const inKeepalive = new Set<Entry>();
  const sendBeforeUnload = () => {
    if (waitingForToken) return;
    const batch = take(Math.min(maxBytes, KEEPALIVE_BYTES), inKeepalive);
    if (batch.length === 0) return;
    for (const entry of batch) inKeepalive.add(entry);
    // Not awaited: the page may be gone. If it lives on, the answer is applied as usual.
    void send(batch, true).then((outcome) => {
      for (const entry of batch) inKeepalive.delete(entry);
      if (outcome.kind === 'answered') settle(outcome);
      settleDrained();
    });
  };

  // Renewal of a member's token (renewToken): one timer, re-armed by every new token.
  const renewBeforeMs = typeof options.renewToken === 'object' ? (options.renewToken.renewBeforeMs ?? RENEW_BEFORE_MS) : RENEW_BEFORE_MS;
  let renewalTimer: ReturnType<typeof setTimeout> | undefined;
  function scheduleRenewal(): void {
    clearTimeout(renewalTimer);
    const expiresAtMs = options.token && options.renewToken && !closed ? tokenExpiryMs(credential) : undefined;
    if (expiresAtMs === undefined) return;
    renewalTimer = setTimeout(() => void renew(), Math.max(0, expiresAtMs - renewBeforeMs - clock()));
    // In Node, a pending renewal does not keep the process alive.
    (renewalTimer as { unref?: () => void }).unref?.();
  }
  async function renew(): Promise<void> {
    const token = credential;
    try {
      const response = await doFetch(`${base}/v1/sessions/renew`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      if (!response.ok || closed || credential !== token) return;
      const renewed = (await response.json()) as { token?: unknown; expiresAt?: unknown };
      if (typeof renewed.token !== 'string' || renewed.token === '') return;
      credential = renewed.token;
      scheduleRenewal();
      options.onTokenRenewed?.(renewed.token, typeof renewed.expiresAt === 'string' ? Date.parse(renewed.expiresAt) : NaN);
    } catch {
      // Offline or refused: the token stays until it expires; a 401 then calls onUnauthorized.
    }
  }
  scheduleRenewal();

  // What a previous run left unsent goes first, as soon as the caller's code has run.
  if (queue.length > 0) schedule(0, false);

  return {
    play,
    record,
    flush,
    pending: () => queue.length,
    drained: () => {
      if (queue.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => drainWaiters.push(resolve));
    },
    retryNow() {
      notBefore = 0;
      if (timer !== undefined && timerIsRetry) {
        clearTimeout(timer);
        timer = undefined;
      }
      return flush();
    },
    setToken(token) {
      if (!options.token) throw new PlayerArgumentError('this client was created with an ingest key');
      fail(token ? undefined : 'token must not be empty');
      credential = token;
      scheduleRenewal();
      if (waitingForToken) {
        waitingForToken = false;
        void flush();
      }
    },
    sendBeforeUnload,
    async close(closeOptions) {
      if (closeOptions?.flush !== false && queue.length > 0 && notBefore <= clock()) await flush();
      closed = true;
      clearTimeout(renewalTimer);
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      while (running) await running;
      persist();
    },
  };
}

/** How long before its expiry a member's token is renewed (renewToken). */
export const RENEW_BEFORE_MS = 120_000;

/** The `exp` of a JWT in ms, read without checking the signature (the server checks it): only to know when to renew. */
export function tokenExpiryMs(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '=');
    const exp = (JSON.parse(atob(base64)) as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

function errorCode(text: string): string | undefined {
  try {
    return (JSON.parse(text) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}

function errorMessage(text: string): string | undefined {
  try {
    return (JSON.parse(text) as { error?: { message?: string } }).error?.message;
  } catch {
    return undefined;
  }
}
