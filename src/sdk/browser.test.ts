// The SDK's browser bundle in Debian's Chromium (playwright-core, never a downloaded browser),
// against the real server: a page plays, is left, and its events are in the store. Skipped where
// /usr/bin/chromium is missing (.ci/run installs it: `apt-get install chromium`).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { addMember, startPrivacyServer, type PrivacyTestServer, type TestMember } from '../privacy/test-support.js';
import { launchChromium, skipWithoutChromium, type LaunchedChromium } from '../test-support/chromium.js';
import { buildSdkBundle, BUNDLE_NAME, type BuiltBundle } from './bundle.js';

// The page's globals, for the functions page.evaluate runs there (this project compiles without the DOM library).
declare const location: { origin: string };
declare const document: { visibilityState: string; dispatchEvent(event: Event): void };
declare const localStorage: { getItem(key: string): string | null; clear(): void };

const skip = skipWithoutChromium('the browser tests of the player SDK are');

// The page a player team would write: the SDK from the bundle, a member's token (here from the
// hash, never sent to a server), and a playback that runs until the page is left.
const PLAYER_PAGE = `<!doctype html>
<meta charset="utf-8"><title>player</title>
<script type="module">
  import * as sdk from './${BUNDLE_NAME}';
  window.sdk = sdk;
  const params = new URLSearchParams(location.hash.slice(1));
  if (params.get('play') === '1') {
    const client = sdk.createPlayerClient({
      endpoint: location.origin, token: params.get('token'), device: 'browser-1', country: 'MX',
      batch: { delayMs: 60000 }, // nothing goes before the page is hidden
    });
    const play = client.play({ profileId: params.get('profile'), titleId: 'film-1' });
    window.played = [play.started, play.heartbeat(30), play.heartbeat(60), play.pause(75)].map((e) => e.eventId);
  }
  window.ready = true;
</script>`;

describe('player SDK in Chromium', { skip }, () => {
  let server: PrivacyTestServer;
  let member: TestMember;
  let other: TestMember;
  let bundle: BuiltBundle;
  let browser: LaunchedChromium;
  let context: BrowserContext;
  let page: Page;
  const dirs: string[] = [];

  const storedOf = async (ids: string[]) => {
    await server.writer.settled();
    return server.store.storedEventIds(ids);
  };
  /** Polls the store until `ids` are all there or `ms` pass. */
  const waitStored = async (ids: string[], ms = 10_000) => {
    const until = Date.now() + ms;
    for (;;) {
      const stored = await storedOf(ids);
      if (stored.size === ids.length || Date.now() > until) return stored;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  let loads = 0;
  const open = async (hash = '') => {
    // A new query each time: a change of the hash alone would not load the page again.
    await page.goto(`${server.url}/player/index.html?load=${++loads}#${hash}`);
    await page.waitForFunction(() => (globalThis as { ready?: boolean }).ready === true);
  };

  before(async () => {
    server = await startPrivacyServer();
    member = await addMember(server);
    other = await addMember(server);
    const bundleDir = mkdtempSync(join(tmpdir(), 'binge-sdk-bundle-'));
    dirs.push(bundleDir);
    bundle = await buildSdkBundle(bundleDir);
    browser = await launchChromium();
    ({ context, page } = browser);
    // The page and the bundle come from the test, at the server's origin (so no CORS is needed);
    // every /v1 request goes to the real server.
    await context.route((url) => url.origin === new URL(server.url).origin && url.pathname.startsWith('/player/'), (route) => {
      const name = new URL(route.request().url()).pathname.split('/').pop();
      if (name === BUNDLE_NAME) return route.fulfill({ contentType: 'text/javascript', body: readFileSync(bundle.path, 'utf8') });
      if (name === 'index.html') return route.fulfill({ contentType: 'text/html', body: PLAYER_PAGE });
      return route.fulfill({ status: 404, body: 'not found' });
    });
  });
  after(async () => {
    await browser?.close();
    await server?.dispose();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test('the bundle is one small ES module with no Node import, and it loads in the page', async () => {
    const code = readFileSync(bundle.path, 'utf8');
    assert.doesNotMatch(code, /from\s*["'`]node:|require\(/, 'no Node-only import');
    assert.ok(bundle.bytes < 20_000, `${bundle.bytes} bytes`);
    await open();
    const exported = await page.evaluate(() => Object.keys((globalThis as unknown as { sdk: object }).sdk).sort());
    for (const name of ['createPlayerClient', 'localStorageQueue', 'PlayerArgumentError', 'memoryQueue']) assert.ok(exported.includes(name), name);
  });

  test('a page that plays and is left: its events go out on page hide (keepalive, with the member\'s token) and are in the store', async () => {
    await open(`play=1&token=${member.token}&profile=${member.profileId}`);
    const played = await page.evaluate(() => (globalThis as unknown as { played: string[] }).played);
    assert.equal(played.length, 4);
    assert.equal((await storedOf(played)).size, 0, 'nothing sent while the page plays (the batch waits 60 s)');
    await page.goto('about:blank');
    const stored = await waitStored(played);
    assert.deepEqual([...stored].sort(), [...played].sort());
    const events = (await server.store.eventsOfProfile(member.profileId)).filter((e) => played.includes(e.eventId));
    assert.deepEqual(events.map((e) => e.type), ['start', 'heartbeat', 'heartbeat', 'pause']);
    assert.ok(events.every((e) => e.deviceId === 'browser-1' && e.offsetMin !== null), 'stamped with the browser\'s clock and zone');
  });

  test('hidden (another tab) rather than left: the events go out too, and the queue is empty after the answer', async () => {
    await open();
    const ids = await page.evaluate(({ token, profileId }) => {
      const g = globalThis as unknown as { sdk: any; client: any };
      g.client = g.sdk.createPlayerClient({ endpoint: location.origin, token, device: 'browser-1', country: 'MX', batch: { delayMs: 60000 }, queueName: 'hidden-test' });
      const play = g.client.play({ profileId, titleId: 'film-2' });
      return [play.started.eventId, play.heartbeat(10).eventId];
    }, { token: member.token, profileId: member.profileId });
    // What a browser does when the tab goes to the background.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    assert.deepEqual([...(await waitStored(ids))].sort(), [...ids].sort());
    await page.waitForFunction(() => (globalThis as unknown as { client: { pending(): number } }).client.pending() === 0);
  });

  test('offline: events wait in localStorage across reloads and arrive exactly once when the browser is back online', async () => {
    await open();
    await page.evaluate(() => localStorage.clear());
    await context.setOffline(true);
    const ids = await page.evaluate(async ({ token, profileId }) => {
      const g = globalThis as unknown as { sdk: any };
      const client = g.sdk.createPlayerClient({ endpoint: location.origin, token, device: 'browser-2', country: 'MX', retry: { baseDelayMs: 50, maxDelayMs: 200 } });
      const play = client.play({ profileId, titleId: 'film-3' });
      const events = [play.started, play.heartbeat(20), play.stop(25)];
      const flushed = await client.flush();
      return { ids: events.map((e: { eventId: string }) => e.eventId), pending: flushed.pending };
    }, { token: member.token, profileId: member.profileId });
    assert.equal(ids.pending, 3, 'offline: kept');
    // Reload while offline: the page-hide send fails too, the queue survives in localStorage.
    await page.reload().catch(() => undefined);
    await context.setOffline(false);
    await open();
    assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('binge-player-queue') ?? '[]').length), 3);
    // A new client on the next page load sends what waits.
    await page.evaluate(({ token }) => {
      const g = globalThis as unknown as { sdk: any; client: any };
      g.client = g.sdk.createPlayerClient({ endpoint: location.origin, token, device: 'browser-2', country: 'MX' });
    }, { token: member.token });
    assert.deepEqual([...(await waitStored(ids.ids))].sort(), [...ids.ids].sort());
    await page.waitForFunction(() => localStorage.getItem('binge-player-queue') === null);
    const stored = (await server.store.eventsOfProfile(member.profileId)).filter((e) => ids.ids.includes(e.eventId));
    assert.equal(stored.length, 3, 'each once');
  });

  test("with the member's token, an event for another member's profile comes back to onRejected, and an ingest key is refused in a page unless the caller says so", async () => {
    await open();
    const answer = await page.evaluate(async ({ token, mine, theirs }) => {
      const g = globalThis as unknown as { sdk: any };
      const rejected: { code: string; profileId: string }[] = [];
      const client = g.sdk.createPlayerClient({ endpoint: location.origin, token, device: 'browser-3', country: 'MX', queueName: 'reject-test', onRejected: (r: any[]) => rejected.push(...r.map((x) => ({ code: x.code, profileId: x.event.profileId }))) });
      const own = client.play({ profileId: mine, titleId: 'film-4' }).started.eventId;
      const foreign = client.play({ profileId: theirs, titleId: 'film-4' }).started.eventId;
      const flushed = await client.flush();
      let refusal = '';
      try {
        g.sdk.createPlayerClient({ endpoint: location.origin, key: 'an-ingest-key', device: 'd', country: 'MX' });
      } catch (error) {
        refusal = `${(error as Error).name}: ${(error as Error).message}`;
      }
      const allowed = g.sdk.createPlayerClient({ endpoint: location.origin, key: 'an-ingest-key', device: 'd', country: 'MX', allowIngestKeyInBrowser: true, queue: g.sdk.memoryQueue() });
      return { own, foreign, flushed, rejected, refusal, allowed: typeof allowed.play };
    }, { token: member.token, mine: member.profileId, theirs: other.profileId });
    assert.deepEqual(answer.rejected, [{ code: 'BINGE_EVENT_NOT_YOUR_PROFILE', profileId: other.profileId }]);
    assert.deepEqual(answer.flushed, { acknowledged: 1, pending: 0 });
    assert.deepEqual([...(await storedOf([answer.own, answer.foreign]))], [answer.own]);
    assert.deepEqual(await server.store.eventsOfProfile(other.profileId), []);
    assert.match(answer.refusal, /^PlayerArgumentError: an ingest key in a web page is readable by every viewer/);
    assert.equal(answer.allowed, 'function');
  });
});
