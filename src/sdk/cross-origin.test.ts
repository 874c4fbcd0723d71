// A player page on another origin than the API (server/cors.ts), in Debian's Chromium: the
// browser's own CORS checks, preflights included, decide, not a mock. A page on a configured
// origin sends its events with the member's token, also on page hide (keepalive); a page on any
// other origin cannot, and nothing of its events is stored. Skipped where /usr/bin/chromium is
// missing. The pages come from a second HTTP server of the test's, on loopback like the API (a
// page from elsewhere may not reach a loopback address at all: Chromium's local network access
// rules). Its two names are two origins: http://127.0.0.1:P is configured, http://localhost:P is not.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { addMember, startPrivacyServer, type PrivacyTestServer, type TestMember } from '../privacy/test-support.js';
import { launchChromium, skipWithoutChromium, type LaunchedChromium } from '../test-support/chromium.js';
import { buildSdkBundle, BUNDLE_NAME, type BuiltBundle } from './bundle.js';

const skip = skipWithoutChromium('the cross-origin browser tests of the player SDK are');

const PLAYER_PAGE = `<!doctype html>
<meta charset="utf-8"><title>player elsewhere</title>
<script type="module">
  import * as sdk from './${BUNDLE_NAME}';
  window.sdk = sdk;
  window.ready = true;
</script>`;

describe('a player page on another origin (CORS) in Chromium', { skip }, () => {
  let server: PrivacyTestServer;
  let member: TestMember;
  let bundle: BuiltBundle;
  let browser: LaunchedChromium;
  let page: Page;
  let pages: Server;
  let ALLOWED: string;
  let NOT_ALLOWED: string;
  const dirs: string[] = [];
  /** Requests the browser itself failed (blocked), as "METHOD path". */
  const failed: string[] = [];

  const waitStored = async (ids: string[], ms = 10_000) => {
    const until = Date.now() + ms;
    for (;;) {
      await server.writer.settled();
      const stored = await server.store.storedEventIds(ids);
      if (stored.size === ids.length || Date.now() > until) return stored;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const open = async (origin: string) => {
    await page.goto(`${origin}/player/index.html`);
    await page.waitForFunction(() => (globalThis as { ready?: boolean }).ready === true);
  };
  /** Plays two events in the page and flushes: what the client says, and the ids. */
  const playAndFlush = (queueName: string) =>
    page.evaluate(
      async ({ endpoint, token, profileId, queueName }) => {
        const g = globalThis as unknown as { sdk: any };
        const client = g.sdk.createPlayerClient({ endpoint, token, device: 'browser-x', country: 'MX', queueName, retry: { baseDelayMs: 50, maxDelayMs: 100 } });
        const play = client.play({ profileId, titleId: 'film-x' });
        const ids = [play.started.eventId, play.heartbeat(30).eventId];
        const flushed = await client.flush();
        return { ids, flushed };
      },
      { endpoint: server.url, token: member.token, profileId: member.profileId, queueName },
    );

  before(async () => {
    const bundleDir = mkdtempSync(join(tmpdir(), 'binge-sdk-bundle-'));
    dirs.push(bundleDir);
    bundle = await buildSdkBundle(bundleDir);
    // The player team's server: its page and the SDK bundle, nothing else.
    pages = createServer((req, res) => {
      const name = (req.url ?? '').split('?')[0];
      if (name === `/player/${BUNDLE_NAME}`) res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(bundle.path));
      else if (name === '/player/index.html') res.writeHead(200, { 'content-type': 'text/html' }).end(PLAYER_PAGE);
      else res.writeHead(404).end('not found');
    });
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    const { port } = pages.address() as AddressInfo;
    ALLOWED = `http://127.0.0.1:${port}`;
    NOT_ALLOWED = `http://localhost:${port}`;
    server = await startPrivacyServer({ config: { corsOrigins: [ALLOWED] } });
    member = await addMember(server);
    browser = await launchChromium();
    page = browser.page;
    page.on('requestfailed', (request) => failed.push(`${request.method()} ${new URL(request.url()).pathname}`));
  });
  after(async () => {
    await browser?.close();
    await server?.dispose();
    await new Promise((resolve) => pages?.close(resolve));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test('from the configured origin the events are sent with the member\'s token and stored', async () => {
    await open(ALLOWED);
    const { ids, flushed } = await playAndFlush('allowed');
    assert.deepEqual(flushed, { acknowledged: 2, pending: 0 });
    assert.deepEqual(failed, []);
    assert.deepEqual([...(await waitStored(ids))].sort(), [...ids].sort());
  });

  test('from the configured origin, events waiting when the page is left go out with keepalive (after a preflight) and are stored', async () => {
    await open(ALLOWED);
    const ids = await page.evaluate(
      ({ endpoint, token, profileId }) => {
        const g = globalThis as unknown as { sdk: any };
        const client = g.sdk.createPlayerClient({ endpoint, token, device: 'browser-x', country: 'MX', queueName: 'left', batch: { delayMs: 60000 } });
        const play = client.play({ profileId, titleId: 'film-y' });
        return [play.started.eventId, play.pause(40).eventId];
      },
      { endpoint: server.url, token: member.token, profileId: member.profileId },
    );
    await page.goto('about:blank');
    assert.deepEqual([...(await waitStored(ids))].sort(), [...ids].sort());
  });

  test('from any other origin the browser refuses the call: the events stay queued in the page and nothing is stored', async () => {
    await open(NOT_ALLOWED);
    const { ids, flushed } = await playAndFlush('refused');
    assert.equal(flushed.acknowledged, 0);
    assert.equal(flushed.pending, 2);
    assert.equal((await waitStored(ids, 300)).size, 0);
    assert.ok(failed.includes('POST /v1/events'), 'the browser blocked the call itself (its preflight got no permission)');
  });
});
