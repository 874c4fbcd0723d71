// The member pages in a real Chromium (Debian's, through playwright-core), against the real
// server on a real store with a small seeded population, the pages built by Vite for this run.
// What a page shows is checked against the API's own answers for the same member.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { MAX_PROFILES } from '../domain/model.js';
import { TOKEN_TTL_S } from '../privacy/tokens.js';
import { addMember, call, startPrivacyServer, type PrivacyTestServer, type TestMember } from '../privacy/test-support.js';
import { DAY, loadWorld, view } from '../recommend/test-support.js';
import { recommendOf } from '../server/routes/recommend.js';
import { SECURITY_HEADERS } from '../server/headers.js';
import { ASSETS_PREFIX, buildWebApp, IMMUTABLE_ASSET } from '../server/web-app.js';
import { settled as settledOn, signInWithForm } from './test-support.js';
import { launchChromium, skipWithoutChromium, watchPage, type LaunchedChromium } from '../test-support/chromium.js';

// The functions passed to page.evaluate run in the page; server code is type-checked without the
// DOM library (tsconfig.json), so the browser globals they use are declared here, for this file only.
declare const document: any, window: any, sessionStorage: any, localStorage: any;

const skip = skipWithoutChromium('the browser tests of the member pages are');

describe('the member pages in Chromium', { skip }, () => {
  let server: PrivacyTestServer;
  let ana: TestMember; // two profiles; 26 views; an unfinished episode
  let bo: TestMember; // another member: his profile must show nothing on Ana's pages
  let kidsId: string;
  let browser: LaunchedChromium;
  let page: Page;
  let webDir: string;
  let cspViolations: string[] = [];
  let foreignRequests: string[] = [];

  const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) => call(server, method, path, ana.token, body);
  const text = (selector: string) => page.locator(selector).innerText();
  const settled = (action: () => Promise<unknown>) => settledOn(page, action);
  const signIn = (email: string, password: string) => signInWithForm(page, email, password);

  before(async () => {
    webDir = mkdtempSync(join(tmpdir(), 'binge-web-'));
    await buildWebApp(webDir); // this run's pages, never a stale dist/web
    server = await startPrivacyServer({ config: { webDir } });
    await loadWorld(server, { perGroup: 3 });
    ana = await addMember(server, 'MX');
    bo = await addMember(server, 'MX');
    kidsId = randomUUID();
    await server.privacy.store.addProfile({ profileId: kidsId, memberId: ana.memberId, name: 'Kids' }, MAX_PROFILES);
    const now = server.clock.nowMs;
    const older = ['f13', 'f14', 'f15', 'f16', 'sA-e1', 'sA-e2', 'sA-e3'];
    await server.store.replaceViews([
      {
        profileId: ana.profileId,
        fromMs: -Infinity,
        views: [
          view(ana.profileId, 'f05', now - 5 * DAY),
          view(ana.profileId, 'f01', now - 3 * DAY),
          view(ana.profileId, 'f02', now - 2 * DAY), // the latest completed: "Because you watched Film 02"
          view(ana.profileId, 'sB-e1', now - 4 * DAY, { completed: false, bookmarkS: 34 * 60 }),
          ...Array.from({ length: 22 }, (_, i) => view(ana.profileId, older[i % older.length], now - (8 + i) * DAY)),
        ],
      },
      { profileId: bo.profileId, fromMs: -Infinity, views: [view(bo.profileId, 'f09', now - DAY), view(bo.profileId, 'f10', now - 2 * DAY)] },
    ]);
    assert.ok(await recommendOf.get(server.app)!.schedule.runOnce(), 'a model was trained');

    browser = await launchChromium({ acceptDownloads: true });
    page = browser.page;
    page.setDefaultTimeout(10_000);
    // Violations of the Content-Security-Policy, and any request that leaves the server's origin.
    ({ cspViolations, foreignRequests } = await watchPage(page, server.url));
  });

  after(async () => {
    await browser?.close();
    await server?.dispose();
    rmSync(webDir, { recursive: true, force: true });
  });

  test('binge serves the pages at /app/ with the headers of every answer; / leads there', async () => {
    const root = await fetch(`${server.url}/`, { redirect: 'manual' });
    assert.equal(root.status, 302);
    assert.equal(root.headers.get('location'), '/app/');
    assert.equal((await fetch(`${server.url}/app`, { redirect: 'manual' })).headers.get('location'), '/app/');
    const index = await fetch(`${server.url}/app/`);
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type') ?? '', /^text\/html/);
    const html = await index.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    assert.doesNotMatch(html, /<style|style=/, 'no inline style');
    const assets = [...html.matchAll(/(?:src|href)="(\/app\/assets\/[^"]+)"/g)].map((m) => m[1]);
    assert.ok(assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')), `assets: ${assets}`);
    for (const path of ['/app/', '/app/favicon.svg', ...assets]) {
      const answer = await fetch(`${server.url}${path}`);
      assert.equal(answer.status, 200, path);
      // Files named by their content's hash may be kept for good; the page itself (and the rest) never.
      const headers = { ...SECURITY_HEADERS, 'cache-control': path.startsWith(ASSETS_PREFIX) ? IMMUTABLE_ASSET : SECURITY_HEADERS['cache-control'] };
      for (const [name, value] of Object.entries(headers)) assert.equal(answer.headers.get(name), value, `${name} of ${path}`);
    }
    const missing = await fetch(`${server.url}${ASSETS_PREFIX}index-0000.js`);
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('cache-control'), 'no-store', 'a missing asset is not kept');
    assert.equal((await fetch(`${server.url}/app/../package.json`)).status, 404);
  });

  test('a wrong password shows the API’s own message, and the token stays unset', async () => {
    await settled(() => page.goto(`${server.url}/app/`));
    await page.getByRole('heading', { name: 'Sign in to binge' }).waitFor();
    const expected = await call(server, 'POST', '/v1/sessions', undefined, { email: ana.email, password: 'not the password' });
    assert.equal(expected.status, 401);
    await signIn(ana.email, 'not the password');
    await page.getByRole('alert').filter({ hasText: expected.body.error.message }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  });

  test('signing in by keyboard alone leads to Home; the token is in sessionStorage only', async () => {
    await settled(() => page.reload());
    // Focus starts in the e-mail field; Tab moves to the password, Enter submits.
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'email');
    await page.keyboard.type(ana.email);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'password');
    await page.keyboard.type(ana.password);
    await page.keyboard.press('Enter');
    // The first of the member's profiles, as the API lists them.
    const first = (await api('GET', '/v1/me')).body.profiles[0];
    await page.getByRole('heading', { name: `Home of ${first.name}` }).waitFor();
    assert.match(page.url(), new RegExp(`#/p/${first.profileId}/home$`));
    const stored = await page.evaluate(() => ({ session: Object.keys(sessionStorage), local: localStorage.length, cookie: document.cookie }));
    assert.deepEqual(stored, { session: ['binge.token', 'binge.token-expires'], local: 0, cookie: '' });
    assert.deepEqual(await browser.context.cookies(), []);
  });

  /** The rows and continue watching as the page shows them. */
  async function shownHome() {
    return page.evaluate(() => ({
      resume: [...document.querySelectorAll('[data-row="continue-watching"] li')].map((li) => li.querySelector('.reason')!.textContent),
      rows: [...document.querySelectorAll('section[data-row]:not([data-row="continue-watching"])')].map((s) => ({
        title: s.querySelector('h2')!.textContent,
        items: [...s.querySelectorAll('li')].map((li) => ({ name: li.querySelector('.name')!.textContent, reason: li.querySelector('.reason')!.textContent })),
      })),
    }));
  }
  async function apiHome(profileId: string) {
    const rows = (await api('GET', `/v1/profiles/${profileId}/rows`)).body;
    const resume = (await api('GET', `/v1/profiles/${profileId}/continue-watching`)).body;
    return {
      resume: resume.items.map((i: any) => i.label),
      rows: rows.rows
        .filter((r: any) => r.id !== 'continue_watching')
        .map((r: any) => ({ title: r.title, items: r.items.map((i: any) => ({ name: i.name, reason: i.reason })) })),
    };
  }

  test('the profile switcher changes profile by keyboard, and the pages follow it', async () => {
    const profiles: { profileId: string; name: string }[] = (await api('GET', '/v1/me')).body.profiles;
    assert.equal(profiles.length, 2);
    await page.getByLabel('Profile', { exact: true }).focus();
    await settled(() => page.keyboard.press('ArrowDown')); // a closed <select> changes with the arrow keys
    await page.getByRole('heading', { name: `Home of ${profiles[1].name}` }).waitFor();
    assert.deepEqual(await shownHome(), await apiHome(profiles[1].profileId));
    if (profiles[1].profileId !== ana.profileId) await settled(() => page.getByLabel('Profile', { exact: true }).selectOption({ label: 'Main' }));
    await page.getByRole('heading', { name: 'Home of Main' }).waitFor();
    assert.match(page.url(), new RegExp(`#/p/${ana.profileId}/home$`));
  });

  test('Home shows every row with its reason per title, and where to pick up', async () => {
    const expected = await apiHome(ana.profileId);
    assert.deepEqual(await shownHome(), expected);
    assert.deepEqual(expected.resume, ['minute 34 of episode 1 of season 1']);
    assert.ok(expected.rows.some((r: any) => r.title === 'Because you watched Film 02'), JSON.stringify(expected.rows.map((r: any) => r.title)));
    assert.ok(expected.rows.every((r: any) => r.items.every((i: any) => i.reason.length > 0)));
  });

  /** The history table as shown: view id, title, day. */
  const shownHistory = () =>
    page.evaluate(() => [...document.querySelectorAll('tbody tr[data-view-id]')].map((tr) => [tr.getAttribute('data-view-id'), tr.children[0].textContent, tr.children[2].textContent]));
  const apiHistory = async (query: string) =>
    (await api('GET', `/v1/profiles/${ana.profileId}/history?limit=20${query}`)).body.views.map((v: any) => [v.viewId, v.title ?? v.titleId, v.day]);

  test('History: pages of 20, newest first, reached from the navigation by keyboard', async () => {
    await page.getByRole('link', { name: 'History' }).focus();
    await settled(() => page.keyboard.press('Enter'));
    await page.getByRole('heading', { name: 'History' }).waitFor();
    assert.deepEqual(await shownHistory(), await apiHistory(''));
    await settled(() => page.getByRole('button', { name: 'Older views' }).click());
    const second = await apiHistory('&offset=20');
    assert.equal(second.length, 6);
    assert.deepEqual(await shownHistory(), second);
    assert.equal(await page.getByRole('button', { name: 'Older views' }).count(), 0);
    await settled(() => page.getByRole('button', { name: 'Newer views' }).click());
    assert.deepEqual(await shownHistory(), await apiHistory(''));
  });

  test('History: the date range and kind filters ask the API and show its answer', async () => {
    const now = server.clock.nowMs;
    const from = new Date(now - 20 * DAY).toISOString().slice(0, 10);
    const to = new Date(now - 9 * DAY).toISOString().slice(0, 10);
    await page.getByLabel('From', { exact: true }).fill(from);
    await page.getByLabel('To', { exact: true }).fill(to);
    await page.getByLabel('Kind', { exact: true }).selectOption('episode');
    await settled(() => page.getByRole('button', { name: 'Apply filters' }).click());
    const expected = await apiHistory(`&from=${from}&to=${to}&kind=episode`);
    assert.ok(expected.length > 0 && expected.length < 20);
    assert.deepEqual(await shownHistory(), expected);
    await page.getByLabel('From', { exact: true }).fill('');
    await page.getByLabel('To', { exact: true }).fill('');
    await page.getByLabel('Kind', { exact: true }).selectOption('');
    await settled(() => page.getByRole('button', { name: 'Apply filters' }).click());
    assert.deepEqual(await shownHistory(), await apiHistory(''));
  });

  test('hiding a view takes it off the page, out of the API’s history and out of the rows', async () => {
    const [viewId, name] = (await shownHistory())[0] as [string, string, string];
    assert.equal(name, 'Film 02');
    const hide = page.locator(`tr[data-view-id="${viewId}"] button`);
    await hide.focus();
    await settled(() => page.keyboard.press('Enter'));
    await page.getByRole('status').filter({ hasText: 'Hidden: Film 02' }).waitFor();
    const shown = await shownHistory();
    assert.ok(!shown.some(([id]) => id === viewId));
    assert.deepEqual(shown, await apiHistory(''));
    await settled(() => page.getByRole('link', { name: 'Home' }).click());
    const home = await shownHome();
    assert.deepEqual(home, await apiHome(ana.profileId));
    assert.ok(!home.rows.some((r) => r.title === 'Because you watched Film 02'), 'the hidden view no longer explains a row');
  });

  test('another member’s profile id in the URL: the page says not found and shows nothing of theirs', async () => {
    const expected = await api('GET', `/v1/profiles/${bo.profileId}/rows`);
    assert.equal(expected.status, 404);
    for (const view of ['home', 'history', 'year']) {
      await settled(() => page.goto(`${server.url}/app/#/p/${bo.profileId}/${view}`));
      await page.getByRole('heading', { name: 'Not found' }).waitFor();
      assert.equal(await page.locator('section[data-row], tbody tr, dl').count(), 0);
      assert.match(await text('main'), /not found|no profile/i);
    }
  });

  test('Year in review shows the API’s figures for the year', async () => {
    await settled(() => page.goto(`${server.url}/app/#/p/${ana.profileId}/year`));
    const year = Number((await api('GET', `/v1/profiles/${ana.profileId}/history?limit=1`)).body.views[0].day.slice(0, 4)); // the latest view's year
    await page.getByRole('heading', { name: `Year in review ${year}` }).waitFor();
    const review = (await api('GET', `/v1/profiles/${ana.profileId}/year-in-review?year=${year}`)).body;
    const summary = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('dl dt')].map((dt) => [dt.textContent, dt.nextElementSibling!.textContent])));
    assert.equal(summary['Minutes watched'], String(Math.round(review.minutesWatched)));
    assert.equal(summary['Rewatches'], String(review.rewatches.count));
    const listed = (heading: string) => page.locator('section.facts', { has: page.getByRole('heading', { name: heading, exact: true }) }).locator('li').allInnerTexts();
    assert.deepEqual(await listed('Top films'), review.topFilms.map((f: any) => `${f.name}: ${Math.round(f.minutes)} min`));
    assert.deepEqual(await listed('Top series'), review.topSeries.map((s: any) => `${s.name}: ${Math.round(s.minutes)} min`));
    assert.ok(review.minutesWatched > 0);
  });

  test('Privacy centre: consents as the API has them; a toggle by keyboard changes what the API returns, with its history', async () => {
    await settled(() => page.getByRole('link', { name: 'Privacy centre' }).click());
    await page.getByRole('heading', { name: 'Privacy centre', level: 1 }).waitFor();
    const before = (await api('GET', '/v1/me/consents')).body;
    for (const [purpose, granted] of Object.entries(before.consents)) assert.equal(await page.locator(`#consent-${purpose}`).isChecked(), granted, purpose);
    await page.locator('#consent-public_facts').focus();
    await settled(() => page.keyboard.press('Space'));
    const after = (await api('GET', '/v1/me/consents')).body;
    assert.equal(after.consents.public_facts, !before.consents.public_facts);
    assert.equal(await page.locator('#consent-public_facts').isChecked(), after.consents.public_facts);
    const history = await page.locator('#consent-history tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
    assert.deepEqual(
      history,
      after.history.map((h: any) => [h.at, h.purpose, h.granted ? 'allowed' : 'withdrawn']),
    );
  });

  test('Privacy centre: who looked at my data is the member’s part of the audit log', async () => {
    const shown = await page.locator('#access-log tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
    const entries = (await api('GET', '/v1/me/access-log')).body.entries;
    assert.ok(shown.length > 0);
    const lastShown = Number(await page.locator('#access-log tbody tr').last().getAttribute('data-seq'));
    // The API's answer holds the page's entries, and later ones (this read is logged too).
    const expected = entries
      .filter((e: any) => e.seq <= lastShown)
      .map((e: any) => [e.at, e.who, e.role, e.purpose, e.ticket ?? '', e.data, e.what, e.outcome]);
    assert.deepEqual(shown, expected);
  });

  test('wellbeing nudges are opt-in: off until the member turns them on', async () => {
    const off = (await api('GET', '/v1/me/wellbeing')).body;
    assert.equal(off.enabled, false);
    await page.getByText('Off. Nudges are opt-in').waitFor();
    await settled(() => page.getByLabel(/Wellbeing nudges from your own viewing/).check());
    const on = (await api('GET', '/v1/me/wellbeing')).body;
    assert.equal(on.enabled, true);
    const nudges = await page.locator('section[aria-labelledby="wellbeing"] li.nudge').allInnerTexts();
    assert.deepEqual(nudges, on.nudges.map((n: any) => n.message));
    assert.equal(await page.getByText('Off. Nudges are opt-in').count(), 0);
  });

  test('export downloads JSON and CSV files with the API’s content', async () => {
    const strip = (data: any) => ({ ...data, accessLog: undefined });
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download as JSON' }).click()]);
    assert.match(json.suggestedFilename(), /^binge-export-\d{4}-\d{2}-\d{2}\.json$/);
    const downloaded = JSON.parse(readFileSync((await json.path())!, 'utf8'));
    assert.deepEqual(strip(downloaded), strip((await api('GET', '/v1/me/export')).body));
    assert.equal(downloaded.memberId, ana.memberId);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download as CSV' }).click()]);
    assert.match(csv.suggestedFilename(), /\.csv$/);
    const withoutLog = (body: string) => body.split('\n').filter((line) => !line.startsWith('access_log,'));
    assert.deepEqual(withoutLog(readFileSync((await csv.path())!, 'utf8')), withoutLog((await api('GET', '/v1/me/export?format=csv')).text));
  });

  test('a page left open stays signed in: it renews its token before the 15 minutes are up, and the pages keep answering', async () => {
    // A page of its own, whose clock the test moves along with the server's.
    const open = await browser.context.newPage();
    try {
      await open.clock.install({ time: server.clock.nowMs });
      await settledOn(open, () => open.goto(`${server.url}/app/`));
      await signInWithForm(open, ana.email, ana.password);
      await open.getByRole('heading', { name: /^Home of / }).waitFor();
      const first = await open.evaluate(() => sessionStorage.getItem('binge.token'));
      const renewal = open.waitForResponse((response) => new URL(response.url()).pathname === '/v1/sessions/renew');
      server.clock.nowMs += 14 * 60_000;
      await open.clock.fastForward(14 * 60_000);
      assert.equal((await renewal).status(), 200, 'renewed on its own, with no request of the page waiting');
      const second = await open.evaluate(() => sessionStorage.getItem('binge.token'));
      assert.ok(second && second !== first, 'a new token');
      // 25 minutes after the password: the first token is over, the pages still answer.
      server.clock.nowMs += 11 * 60_000;
      await open.clock.fastForward(11 * 60_000);
      assert.equal((await call(server, 'GET', '/v1/me', first!)).status, 401);
      await settledOn(open, () => open.getByRole('link', { name: 'History' }).click());
      await open.getByRole('heading', { name: 'History', exact: true }).waitFor();
      assert.equal(await open.getByRole('heading', { name: 'Sign in to binge' }).count(), 0);
    } finally {
      await open.close();
    }
  });

  test('an expired token goes back to sign-in; signing out drops the token, and the API refuses it from then on', async () => {
    server.clock.nowMs += (TOKEN_TTL_S + 1) * 1000;
    await settled(() => page.getByRole('link', { name: 'Home' }).click());
    await page.getByRole('heading', { name: 'Sign in to binge' }).waitFor();
    await page.getByText('Your session has ended').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('binge.token')), null);
    const where = page.url();
    ana.token = (await server.privacy.tokens.issue(ana.memberId)).token; // the test's own API calls
    await signIn(ana.email, ana.password);
    await page.getByRole('heading', { name: /^Home of / }).waitFor();
    assert.equal(page.url(), where, 'signing in again leads back to the page where the session ended');
    const token = await page.evaluate(() => sessionStorage.getItem('binge.token'));
    const signedOut = page.waitForResponse((response) => new URL(response.url()).pathname === '/v1/sessions' && response.request().method() === 'DELETE');
    await settled(() => page.getByRole('button', { name: 'Sign out', exact: true }).click());
    await page.getByRole('heading', { name: 'Sign in to binge' }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    assert.equal((await signedOut).status(), 200);
    assert.equal((await call(server, 'GET', '/v1/me', token!)).status, 401, 'the API refuses the token the page had');
  });

  test('Privacy centre: signing out everywhere ends this page’s token and every other one of the account', async () => {
    // Signed in without the password form (the sign-in route's rate limit is for people; this suite signs in often).
    const session = await server.privacy.tokens.issue(ana.memberId);
    await page.evaluate(({ token, expiresAtMs }) => {
      sessionStorage.setItem('binge.token', token);
      sessionStorage.setItem('binge.token-expires', String(expiresAtMs));
    }, session);
    await settled(() => page.goto(`${server.url}/app/#/privacy`));
    await page.getByRole('heading', { name: 'Privacy centre' }).waitFor();
    const elsewhere = (await server.privacy.tokens.issue(ana.memberId)).token;
    await settled(() => page.getByRole('button', { name: 'Sign out everywhere' }).click());
    await page.getByRole('heading', { name: 'Sign in to binge' }).waitFor();
    await page.getByText('You signed out on every device.').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('binge.token')), null);
    for (const refused of [session.token, elsewhere, ana.token]) assert.equal((await call(server, 'GET', '/v1/me', refused)).status, 401);
    ana.token = (await server.privacy.tokens.issue(ana.memberId)).token; // a token made after it works (the next test signs in with the password)
    assert.equal((await api('GET', '/v1/me')).status, 200);
  });

  test('erasure needs the typed confirmation and the password; afterwards signing in fails', async () => {
    await signIn(ana.email, ana.password);
    await page.getByRole('heading', { name: /^Home of / }).waitFor();
    await settled(() => page.getByRole('link', { name: 'Privacy centre' }).click());
    await page.getByLabel('Confirmation').fill('yes');
    await page.getByRole('button', { name: 'Erase my account' }).click();
    await page.getByText('Type "erase my account" to confirm.').waitFor();
    await page.getByLabel('Confirmation').fill('erase my account');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Erase my account' }).click();
    await page.getByText('the password is wrong').waitFor();
    assert.equal((await api('GET', '/v1/me')).status, 200, 'nothing was erased');
    await page.getByLabel('Password').fill(ana.password);
    await settled(() => page.getByRole('button', { name: 'Erase my account' }).click());
    await page.getByText('were erased').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    const refused = await call(server, 'POST', '/v1/sessions', undefined, { email: ana.email, password: ana.password });
    assert.equal(refused.status, 401);
    await signIn(ana.email, ana.password);
    await page.getByRole('alert').filter({ hasText: refused.body.error.message }).waitFor();
  });

  test('no Content-Security-Policy violation and no request to another origin happened on any page (and the watch for violations works)', async () => {
    assert.deepEqual(cspViolations, []);
    assert.deepEqual(foreignRequests, []);
    // An inline script, as an injected one would be: refused by the policy, and seen here.
    await page.evaluate(() => document.head.append(Object.assign(document.createElement('script'), { textContent: 'window.ran = true' })));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(await page.evaluate(() => (window as unknown as { ran?: boolean }).ran), undefined);
    assert.ok(cspViolations.length > 0 && cspViolations.every((v) => /script-src|inline/i.test(v)), `the refused inline script was reported: ${JSON.stringify(cspViolations)}`);
  });
});
