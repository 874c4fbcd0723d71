// The player SDK against the real server (a real database in a temporary folder): every event a
// player records arrives once, whatever the network and the server do in between.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { checkEvent, formatAt as serverFormatAt, parseAt, type WireEvent as ServerWireEvent } from '../ingest/event-schema.js';
import { createPlayerClient, fileQueue, formatAt, PlayerArgumentError, retryDelayMs, parseRetryAfter, eventProblem, type PlayerClientOptions, type Rejection, type RetryInfo, type WireEvent } from './index.js';
import { tokenExpiryMs } from './client.js';
import { startFaultProxy, type FaultProxy } from './test-support.js';
import { addMember, call, startPrivacyServer } from '../privacy/test-support.js';
import { TOKEN_TTL_S } from '../privacy/tokens.js';

// The SDK's event type is the server's wire type (checked by the compiler, both ways).
const toServer = (e: WireEvent): ServerWireEvent => e;
const fromServer = (e: Required<ServerWireEvent>): WireEvent => e;
void toServer;
void fromServer;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
let profileCounter = 0;
const newProfile = () => `sdk-profile-${process.pid}-${++profileCounter}`;

async function storedIds(server: Pick<TestServer, 'writer' | 'store'>, profileId: string): Promise<string[]> {
  await server.writer.settled();
  return (await server.store.eventsOfProfile(profileId)).map((e) => e.eventId);
}

function assertEachOnce(stored: string[], sent: WireEvent[]): void {
  assert.equal(stored.length, new Set(stored).size, 'no event is stored twice');
  assert.deepEqual([...stored].sort(), sent.map((e) => e.eventId).sort(), 'every event is stored');
}

describe('player SDK in Node, against the real server', () => {
  let server: TestServer;
  let proxy: FaultProxy;
  const fast = { retry: { baseDelayMs: 20, maxDelayMs: 200 } };
  const client = (overrides: Partial<PlayerClientOptions> = {}) =>
    createPlayerClient({ endpoint: proxy.url, key: server.ingestKey, device: 'tv-living-room', country: 'MX', ...fast, ...overrides });

  before(async () => {
    server = await startTestServer();
    proxy = await startFaultProxy(() => server.url);
  });
  after(async () => {
    await proxy.close();
    await server.dispose();
  });

  test('a playback sends start, heartbeat, pause, resume, seek, the still-watching prompt and answer, and stop, one playbackId, stamped by the player\'s clock', async () => {
    const profileId = newProfile();
    const t0 = Date.now();
    const player = client({ offsetMin: () => -360 });
    const play = player.play({ profileId, titleId: 'film-1', positionS: 0 });
    const sent = [
      play.heartbeat(30),
      play.pause(42),
      play.resume(42),
      play.seek(600),
      play.stillWatchingPrompt(660),
      play.stillWatching(661, 'yes'),
      play.stop(700),
    ];
    const result = await player.flush();
    assert.deepEqual(result, { acknowledged: 8, pending: 0 });
    await player.close();

    await server.writer.settled();
    const stored = await server.store.eventsOfProfile(profileId);
    assert.deepEqual(
      stored.map((e) => [e.type, e.positionS, e.userAction]),
      [
        ['start', 0, 'interaction'],
        ['heartbeat', 30, 'none'],
        ['pause', 42, 'interaction'],
        ['resume', 42, 'interaction'],
        ['seek', 600, 'interaction'],
        ['still_watching_prompt', 660, 'none'],
        ['still_watching_answer', 661, 'interaction'],
        ['stop', 700, 'interaction'],
      ],
    );
    assert.ok(stored.every((e) => e.playbackId === play.playbackId && e.titleId === 'film-1' && e.deviceId === 'tv-living-room' && e.country === 'MX'));
    assert.ok(stored.every((e) => UUID.test(e.eventId)), 'event ids are UUIDs made by the client');
    assert.ok(stored.every((e) => e.offsetMin === -360 && e.atMs >= t0 - 1 && e.atMs <= Date.now()), 'the player\'s time and zone');
    assert.deepEqual(stored.map((e) => e.eventId).sort(), [play.started, ...sent].map((e) => e.eventId).sort());
  });

  test('an autoplayed playback says so on every event, and a timed-out "still watching?" is a visibility_timeout', async () => {
    const profileId = newProfile();
    const player = client();
    const play = player.play({ profileId, titleId: 'ep-2', autoplayed: true });
    play.stillWatchingPrompt(1200);
    play.stillWatching(1200, 'timeout');
    play.stop(1200, { ended: true });
    await player.close();
    await server.writer.settled();
    const stored = await server.store.eventsOfProfile(profileId);
    assert.deepEqual(stored.map((e) => [e.type, e.userAction, e.autoplayed]), [
      ['start', 'none', true],
      ['still_watching_prompt', 'none', true],
      ['still_watching_answer', 'visibility_timeout', true],
      ['stop', 'none', true],
    ]);
  });

  test('wrong arguments throw a PlayerArgumentError at the call that names the field, and nothing is queued', () => {
    const player = client({ batch: { delayMs: 60_000 } });
    assert.throws(() => player.play({ profileId: '', titleId: 't' }), (e: Error) => e instanceof PlayerArgumentError && /profileId must not be empty/.test(e.message));
    assert.throws(() => player.play({ profileId: 'p', titleId: 'x'.repeat(129) }), /titleId is at most 128 characters/);
    const play = player.play({ profileId: 'p', titleId: 't' });
    assert.throws(() => play.heartbeat(-1), /positionS must not be negative/);
    assert.throws(() => play.heartbeat(Number.NaN), /positionS must be a number/);
    assert.throws(() => play.seek(8 * 86_400), /more than a week/);
    assert.throws(() => play.stillWatching(10, 'maybe' as 'yes'), /'yes' or 'timeout'/);
    assert.throws(() => player.record({ playbackId: 'b', profileId: 'p', titleId: 't', type: 'rewind' as 'seek', positionS: 1 }), /type must be one of start, heartbeat/);
    assert.equal(player.pending(), 1, 'only the valid start waits');
    void player.close({ flush: false });

    assert.throws(() => createPlayerClient({ endpoint: proxy.url, key: 'k', device: 'tv', country: 'mx' }), /country must be an ISO 3166-1 alpha-2 code in capitals/);
    assert.throws(() => createPlayerClient({ endpoint: 'binge.example.org', key: 'k', device: 'tv', country: 'MX' }), /endpoint must be binge's base URL/);
    assert.throws(() => createPlayerClient({ endpoint: proxy.url, key: 'k', token: 't', device: 'tv', country: 'MX' }), /exactly one of `key`.*or `token`/);
    assert.throws(() => createPlayerClient({ endpoint: proxy.url, key: 'k', device: 'tv', country: 'MX', batch: { maxEvents: 1001 } }), /maxEvents must be 1 to 1000/);
    assert.throws(() => createPlayerClient({ endpoint: proxy.url, key: 'k', device: 'tv', country: 'MX', batch: { maxBytes: 2 * 1024 * 1024 } }), /maxBytes must be/);
  });

  test('the SDK\'s event check and the server\'s agree on every shape rule (property)', () => {
    const farWindow = { nowMs: Date.now(), maxEventAgeDays: 1e9, maxFutureS: 1e12 };
    const maybe = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>) => fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: bad });
    const id = maybe(fc.string({ minLength: 1, maxLength: 128 }), fc.oneof(fc.constant(''), fc.string({ minLength: 129, maxLength: 140 }), fc.integer(), fc.constant(null)));
    const event = fc.record(
      {
        eventId: id,
        playbackId: id,
        profileId: id,
        titleId: id,
        type: maybe(fc.constantFrom('start', 'heartbeat', 'pause', 'resume', 'seek', 'stop', 'still_watching_prompt', 'still_watching_answer'), fc.constantFrom('play', 'START', 3)),
        positionS: maybe(fc.double({ min: 0, max: 7 * 86_400, noNaN: true }), fc.oneof(fc.constant(-1), fc.constant(Number.NaN), fc.constant(8 * 86_400), fc.constant('60'))),
        // Real instants only: the SDK stamps `at` itself; a well-formed but unreal date (Feb 30) is the server's to refuse.
        at: maybe(
          fc.tuple(fc.integer({ min: 0, max: 4e12 }), fc.integer({ min: -14 * 60, max: 14 * 60 })).map(([ms, off]) => new Date(ms + off * 60_000).toISOString().slice(0, 19) + (off < 0 ? '-' : '+') + String(Math.floor(Math.abs(off) / 60)).padStart(2, '0') + ':' + String(Math.abs(off) % 60).padStart(2, '0')),
          fc.constantFrom('yesterday', '2026-03-01 21:15:00', '2026-03-01T21:15-06:00', 1_700_000_000_000),
        ),
        device: id,
        country: maybe(fc.constantFrom('MX', 'US', 'DE'), fc.constantFrom('mx', 'MEX', '', 'M1')),
        autoplayed: maybe(fc.boolean(), fc.constantFrom('yes', 1)),
        userAction: maybe(fc.constantFrom('none', 'interaction', 'visibility_timeout'), fc.constantFrom('click', '')),
        extra: fc.constant('unknown field'),
      },
      { requiredKeys: ['eventId', 'playbackId', 'profileId', 'titleId', 'type', 'positionS', 'at', 'device', 'country'] },
    );
    fc.assert(
      fc.property(event, (input) => {
        const sdk = eventProblem(input);
        const server = checkEvent(input, farWindow);
        assert.equal(sdk === undefined, server.ok, `SDK: ${sdk}; server: ${server.ok ? 'ok' : server.message}`);
      }),
      { numRuns: 3000 },
    );
  });

  test("the player's timestamp is the server's own wire form of the instant and offset, and reads back to them (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.integer({ min: -14 * 60, max: 14 * 60 }), (atMs, offsetMin) => {
        const at = formatAt(atMs, offsetMin);
        assert.equal(at, serverFormatAt(atMs, offsetMin));
        assert.deepEqual(parseAt(at), { atMs, offsetMin });
      }),
    );
  });

  test('batches: a full batch goes at once (and what waits behind it follows), under the byte limit; a lone event waits for the delay; flush() sends now', async () => {
    const profileId = newProfile();
    proxy.seen.length = 0;
    const byCount = client({ batch: { maxEvents: 3, delayMs: 60_000 } });
    const play = byCount.play({ profileId, titleId: 't' });
    const sent = [play.started, ...[1, 2, 3, 4, 5, 6].map((s) => play.heartbeat(s))];
    const startedAt = Date.now();
    await byCount.drained();
    assert.ok(Date.now() - startedAt < 30_000, 'no waiting for the 60 s delay');
    assert.deepEqual(proxy.seen.map((s) => s.events), [3, 3, 1]);
    await byCount.close();
    assertEachOnce(await storedIds(server, profileId), sent);

    proxy.seen.length = 0;
    const byFlush = client({ batch: { delayMs: 60_000 } });
    byFlush.play({ profileId: newProfile(), titleId: 't' });
    assert.equal(proxy.seen.length, 0);
    assert.deepEqual(await byFlush.flush(), { acknowledged: 1, pending: 0 });
    assert.deepEqual(proxy.seen.map((s) => s.events), [1]);
    await byFlush.close();

    proxy.seen.length = 0;
    const bySize = client({ batch: { maxBytes: 1024, delayMs: 60_000 } });
    const sized = bySize.play({ profileId: newProfile(), titleId: 't'.repeat(100) });
    for (let s = 1; s < 12; s++) sized.heartbeat(s);
    await bySize.flush();
    assert.ok(proxy.seen.length >= 4, `${proxy.seen.length} requests`);
    assert.ok(proxy.seen.every((s) => s.bytes <= 1024), `bodies ${proxy.seen.map((s) => s.bytes).join(', ')}`);
    assert.equal(proxy.seen.reduce((a, s) => a + s.events, 0), 12);
    await bySize.close();

    proxy.seen.length = 0;
    const byDelay = client({ batch: { delayMs: 150 } });
    const delayedFrom = Date.now();
    byDelay.play({ profileId: newProfile(), titleId: 't' }).heartbeat(10);
    assert.equal(proxy.seen.length, 0);
    await byDelay.drained();
    assert.ok(Date.now() - delayedFrom >= 140, 'sent after the delay, not before');
    assert.deepEqual(proxy.seen.map((s) => s.events), [2], 'the two events in one request');
    await byDelay.close();
  });

  test('5xx and cut connections are retried with growing delays; a batch the server stored before the cut is counted once', async () => {
    const profileId = newProfile();
    proxy.seen.length = 0;
    proxy.faults.push('status-500', 'cut-before', 'cut-after', 'status-500');
    const retries: RetryInfo[] = [];
    const player = client({ onRetry: (r) => retries.push(r), retry: { baseDelayMs: 40, maxDelayMs: 1000 } });
    const play = player.play({ profileId, titleId: 't' });
    const sent = [play.started, play.heartbeat(60), play.stop(90)];
    const first = await player.flush();
    assert.equal(first.pending, 3, 'a retry is scheduled');
    await player.drained();
    await player.close();

    assert.deepEqual(retries.map((r) => [r.attempt, r.status]), [[1, 500], [2, undefined], [3, undefined], [4, 500]]);
    retries.forEach((r) => {
      const exponential = 40 * 2 ** (r.attempt - 1);
      assert.ok(r.delayMs >= exponential / 2 && r.delayMs <= exponential, `attempt ${r.attempt}: ${r.delayMs} ms`);
    });
    assert.deepEqual(proxy.seen.map((s) => [s.fault, s.status]), [['status-500', 500], ['cut-before', undefined], ['cut-after', 200], ['status-500', 500], ['pass', 200]]);
    assertEachOnce(await storedIds(server, profileId), sent);
  });

  test('retry delays: exponential with jitter in the upper half, capped, never shorter than Retry-After (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), fc.option(fc.integer({ min: 0, max: 3_600_000 }), { nil: undefined }), (attempt, r, retryAfterMs) => {
        const delay = retryDelayMs(attempt, retryAfterMs, 1000, 60_000, () => r);
        const exponential = Math.min(60_000, 1000 * 2 ** (attempt - 1));
        assert.ok(delay >= Math.round(exponential / 2) && delay <= Math.max(exponential, Math.min(retryAfterMs ?? 0, 600_000)));
        if (retryAfterMs !== undefined) assert.ok(delay >= Math.min(retryAfterMs, 600_000));
      }),
    );
    assert.equal(parseRetryAfter('3', 0), 3000);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 0), 10_000);
    assert.equal(parseRetryAfter(null, 0), undefined);
    assert.equal(parseRetryAfter('soon', 0), undefined);
  });

  test('a 4xx is not retried: a wrong key reports every event of the batch to onRejected with the server\'s code', async () => {
    proxy.seen.length = 0;
    const rejected: Rejection[] = [];
    const retries: RetryInfo[] = [];
    const player = client({ key: 'not-a-key', onRejected: (r) => rejected.push(...r), onRetry: (r) => retries.push(r) });
    const play = player.play({ profileId: newProfile(), titleId: 't' });
    play.heartbeat(5);
    assert.deepEqual(await player.flush(), { acknowledged: 0, pending: 0 });
    await player.close();
    assert.equal(proxy.seen.length, 1, 'sent once');
    assert.equal(retries.length, 0);
    assert.deepEqual(rejected.map((r) => r.code), ['BINGE_UNAUTHORIZED', 'BINGE_UNAUTHORIZED']);
    assert.match(rejected[0].message, /key/);
  });

  test('per-event rejections of a 200 answer go to onRejected and are not resent; the batch\'s valid events are stored', async () => {
    const profileId = newProfile();
    proxy.seen.length = 0;
    const rejected: Rejection[] = [];
    const player = client({ onRejected: (r) => rejected.push(...r) });
    const play = player.play({ profileId, titleId: 't' });
    // A player whose clock runs an hour fast: the server refuses its events as in the future.
    const fastClock = player.record({ playbackId: play.playbackId, profileId, titleId: 't', type: 'heartbeat', positionS: 30, at: new Date(Date.now() + 3_600_000).toISOString().slice(0, 19) + 'Z' });
    const good = play.stop(40);
    assert.deepEqual(await player.flush(), { acknowledged: 2, pending: 0 });
    await player.close();
    assert.equal(proxy.seen.length, 1);
    assert.deepEqual(rejected.map((r) => [r.event.eventId, r.code]), [[fastClock.eventId, 'BINGE_EVENT_IN_FUTURE']]);
    const stored = await storedIds(server, profileId);
    assert.equal(stored.length, 2);
    assert.ok(stored.includes(good.eventId) && !stored.includes(fastClock.eventId));
  });

  test('a full queue drops its oldest events and says how many', async () => {
    const dropped: WireEvent[] = [];
    // Nothing listens there: every send fails and the events wait.
    const player = createPlayerClient({ endpoint: 'http://127.0.0.1:9', key: 'k', device: 'tv', country: 'MX', maxQueuedEvents: 5, batch: { delayMs: 60_000 }, retry: { baseDelayMs: 60_000 }, onDropped: (d) => dropped.push(...d.events) });
    const play = player.play({ profileId: 'p', titleId: 't' });
    const later = [1, 2, 3, 4, 5, 6, 7].map((s) => play.heartbeat(s));
    assert.equal(player.pending(), 5);
    assert.deepEqual(dropped.map((e) => e.positionS), [0, 1, 2]);
    assert.deepEqual(later.slice(3).map((e) => e.positionS), [4, 5, 6, 7]);
    await player.close({ flush: false });
  });
});

describe("a member's token (a browser player's credential)", () => {
  test('an expired token keeps the events and waits for setToken; with the new token they are stored once', async () => {
    const server = await startPrivacyServer();
    const member = await addMember(server);
    let unauthorized = 0;
    const rejected: Rejection[] = [];
    const player = createPlayerClient({ endpoint: server.url, token: member.token, device: 'web', country: 'MX', onUnauthorized: () => unauthorized++, onRejected: (r) => rejected.push(...r) });
    try {
      const play = player.play({ profileId: member.profileId, titleId: 't' });
      const sent = [play.started];
      assert.deepEqual(await player.flush(), { acknowledged: 1, pending: 0 });
      // The sign-in runs out while the member watches.
      server.clock.nowMs += (TOKEN_TTL_S + 60) * 1000;
      sent.push(play.heartbeat(60), play.pause(61));
      assert.deepEqual(await player.flush(), { acknowledged: 0, pending: 2 });
      assert.equal(unauthorized, 1);
      assert.deepEqual(await player.flush(), { acknowledged: 0, pending: 2 }, 'nothing is sent with the old token');
      player.setToken((await server.privacy.tokens.issue(member.memberId)).token);
      await player.drained();
      assert.deepEqual(rejected, []);
      assertEachOnce(await storedIds(server, member.profileId), sent);
    } finally {
      await player.close({ flush: false });
      await server.dispose();
    }
  });
});

describe("renewing a member's token (renewToken)", () => {
  test('before the token expires the client gets the next one, sends with it, and hands it to the page', async () => {
    const server = await startPrivacyServer();
    const member = await addMember(server);
    const sentWith: string[] = [];
    const renewed: { token: string; expiresAtMs: number }[] = [];
    let firstRenewal!: () => void;
    const renewedOnce = new Promise<void>((resolve) => (firstRenewal = resolve));
    const player = createPlayerClient({
      endpoint: server.url,
      token: member.token,
      device: 'web',
      country: 'MX',
      // Renew 0.2 s after the sign-in (instead of two minutes before its end), so the test need not wait 13 minutes.
      renewToken: { renewBeforeMs: TOKEN_TTL_S * 1000 - 200 },
      onTokenRenewed: (token, expiresAtMs) => {
        renewed.push({ token, expiresAtMs });
        firstRenewal();
      },
      fetch: (input, init) => {
        if (String(input).endsWith('/v1/events')) sentWith.push((init?.headers as Record<string, string>).authorization);
        return fetch(input, init);
      },
    });
    try {
      await renewedOnce;
      const [first] = renewed;
      assert.notEqual(first.token, member.token);
      assert.equal(first.expiresAtMs, Math.floor(server.clock.nowMs / 1000) * 1000 + TOKEN_TTL_S * 1000);
      assert.equal((await call(server, 'GET', '/v1/me', first.token)).status, 200, 'the new token is the member\'s');
      const play = player.play({ profileId: member.profileId, titleId: 't' });
      assert.deepEqual(await player.flush(), { acknowledged: 1, pending: 0 });
      assert.ok(renewed.some((r) => sentWith.at(-1) === `Bearer ${r.token}`), 'sent with a renewed token');
      assertEachOnce(await storedIds(server, member.profileId), [play.started]);
    } finally {
      await player.close({ flush: false });
      await server.dispose();
    }
  });

  test('a refused renewal changes nothing: the token stays until a 401 calls onUnauthorized', async () => {
    const server = await startPrivacyServer();
    const member = await addMember(server);
    let unauthorized = 0;
    const renewed: string[] = [];
    // Erased: the account is gone, so renewing is refused (as it is 12 hours after the password).
    assert.equal((await call(server, 'DELETE', '/v1/me', member.token, { password: member.password })).status, 200);
    const player = createPlayerClient({
      endpoint: server.url,
      token: member.token,
      device: 'web',
      country: 'MX',
      renewToken: { renewBeforeMs: TOKEN_TTL_S * 1000 },
      onTokenRenewed: (token) => renewed.push(token),
      onUnauthorized: () => unauthorized++,
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(renewed, []);
      player.play({ profileId: member.profileId, titleId: 't' });
      assert.deepEqual(await player.flush(), { acknowledged: 0, pending: 1 });
      assert.equal(unauthorized, 1);
    } finally {
      await player.close({ flush: false });
      await server.dispose();
    }
  });

  test("the token's expiry is read from its payload; anything else gives none (no renewal is scheduled)", () => {
    const payload = Buffer.from(JSON.stringify({ sub: 'a', exp: 1_800_000_000 })).toString('base64url');
    assert.equal(tokenExpiryMs(`h.${payload}.s`), 1_800_000_000_000);
    for (const wrong of ['', 'abc', 'h..s', `h.${Buffer.from('not json').toString('base64url')}.s`, `h.${Buffer.from('{"exp":"soon"}').toString('base64url')}.s`]) {
      assert.equal(tokenExpiryMs(wrong), undefined, wrong);
    }
  });
});

describe('a server that is behind', () => {
  test('503 with Retry-After: the client waits at least that long, then its events are stored once', async () => {
    // The loader waits 1.5 s after the last commit, and the writer refuses while more than one event waits for it.
    const server = await startTestServer({ maxLogLagEvents: 1, loadDeferEvents: 1_000_000, loadIdleMs: 1500 });
    const retries: (RetryInfo & { atMs: number })[] = [];
    const player = createPlayerClient({ endpoint: server.url, key: server.ingestKey, device: 'tv', country: 'MX', retry: { baseDelayMs: 10, maxDelayMs: 100 }, onRetry: (r) => retries.push({ ...r, atMs: Date.now() }) });
    try {
      const profileId = newProfile();
      const play = player.play({ profileId, titleId: 't' });
      const sent = [play.started, play.heartbeat(30)];
      assert.deepEqual(await player.flush(), { acknowledged: 2, pending: 0 });
      sent.push(play.heartbeat(60), play.stop(70));
      const behind = await player.flush();
      assert.equal(behind.pending, 2);
      await player.drained();
      const doneAt = Date.now();
      assert.ok(retries.length >= 1);
      for (const r of retries) {
        assert.equal(r.status, 503);
        assert.equal(r.reason, 'BINGE_OVERLOADED');
        assert.equal(r.retryAfterMs, 1000);
        assert.ok(r.delayMs >= 1000, `waited ${r.delayMs} ms, more than its own backoff of at most 100 ms`);
      }
      assert.ok(doneAt - retries[0].atMs >= 1000, 'the next try came after Retry-After');
      assertEachOnce(await storedIds(server, profileId), sent);
    } finally {
      await player.close({ flush: false });
      await server.dispose();
    }
  });
});

describe('offline queue: the server goes away and comes back', () => {
  test('events recorded while the server is stopped arrive exactly once after it starts again on the same data', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'binge-sdk-offline-'));
    let server = await startTestServer({}, dataDir);
    const port = Number(new URL(server.url).port);
    const key = server.ingestKey;
    const retries: RetryInfo[] = [];
    const player = createPlayerClient({ endpoint: server.url, key, device: 'phone', country: 'DE', batch: { maxEvents: 4, delayMs: 50 }, retry: { baseDelayMs: 50, maxDelayMs: 300 }, onRetry: (r) => retries.push(r) });
    try {
      const profileId = newProfile();
      const play = player.play({ profileId, titleId: 'film' });
      const sent: WireEvent[] = [play.started];
      await player.flush();
      await server.stop();
      for (let s = 1; s <= 9; s++) sent.push(play.heartbeat(s * 30));
      sent.push(play.stop(300));
      const offline = await player.flush();
      assert.equal(offline.pending, 10, 'kept while the server is away');
      await new Promise((r) => setTimeout(r, 400));
      assert.ok(retries.length >= 2 && retries.every((r) => r.status === undefined), 'network errors, retried');

      server = await startTestServer({ port }, dataDir);
      await player.drained();
      const stored = await storedIds(server, profileId);
      assert.equal(stored.length, 11);
      assertEachOnce(stored, sent);
    } finally {
      await player.close({ flush: false });
      await server.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('with a queue file, events a stopped player could not send go out when it runs again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'binge-sdk-file-'));
    const queueFile = join(dataDir, 'player', 'queue.json');
    let server = await startTestServer({}, join(dataDir, 'server'));
    const port = Number(new URL(server.url).port);
    try {
      await server.stop();
      const options = { endpoint: server.url, key: server.ingestKey, device: 'set-top', country: 'US', batch: { delayMs: 10 }, retry: { baseDelayMs: 60_000 } };
      const first = createPlayerClient({ ...options, queue: fileQueue(queueFile) });
      const profileId = newProfile();
      const play = first.play({ profileId, titleId: 'show' });
      const sent = [play.started, play.heartbeat(60), play.pause(61)];
      await first.flush();
      await first.close({ flush: false });
      assert.ok(existsSync(queueFile), 'the unsent events are on disk');

      server = await startTestServer({ port }, join(dataDir, 'server'));
      const second = createPlayerClient({ ...options, queue: fileQueue(queueFile) });
      assert.equal(second.pending(), 3);
      assert.deepEqual(await second.flush(), { acknowledged: 3, pending: 0 });
      await second.close();
      assert.ok(!existsSync(queueFile), 'nothing left to send');
      const stored = await storedIds(server, profileId);
      assert.equal(stored.length, 3);
      assert.ok(sent.every((e) => stored.includes(e.eventId)));
    } finally {
      await server.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
