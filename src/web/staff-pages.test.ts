// The staff pages in a real Chromium (Debian's, through playwright-core), against the real server
// on a real store, the pages built by Vite for this run: the analyst's public facts (budget,
// confirmation before spending, releases, refusals, charts) and support's grants and look-ups.
// What a page shows is checked against the API's own answer for the same request.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { addMember, addStaff, call, startPrivacyServer, TEST_PASSWORD, watch, type PrivacyTestServer, type TestMember } from '../privacy/test-support.js';
import { buildWebApp } from '../server/web-app.js';
import { settled as settledOn, signInWithForm } from './test-support.js';
import { launchChromium, skipWithoutChromium, watchPage, type LaunchedChromium } from '../test-support/chromium.js';
import { costNotice, describeGroup, describeNoise, formatNumber, groupRule } from './app/release.js';

// The functions passed to page.evaluate run in the page; server code is type-checked without the
// DOM library (tsconfig.json), so the browser globals they use are declared here, for this file only.
declare const document: any, window: any, sessionStorage: any, localStorage: any;

const skip = skipWithoutChromium('the browser tests of the staff pages are');

interface Staff {
  accountId: string;
  token: string;
  email: string;
}

describe('the analyst and support pages in Chromium', { skip }, () => {
  let server: PrivacyTestServer;
  let ana: TestMember; // the member support looks up
  let analyst: Staff;
  let support: Staff;
  let admin: Staff;
  let browser: LaunchedChromium;
  let page: Page;
  let webDir: string;
  let year: number;
  let cspViolations: string[] = [];
  let foreignRequests: string[] = [];

  async function staff(role: 'analyst' | 'support' | 'admin'): Promise<Staff> {
    const { accountId, token } = await addStaff(server, role);
    return { accountId, token, email: `${role}-${accountId.slice(0, 8)}@example.org` };
  }
  /** Fresh tokens for the test's own API calls (sign-in tokens last 15 minutes of the server's clock). */
  const tokenOf = async (accountId: string) => (await server.privacy.tokens.issue(accountId)).token;
  const text = (selector: string) => page.locator(selector).innerText();
  const settled = (action: () => Promise<unknown>) => settledOn(page, action);
  const signIn = (email: string, password: string) => signInWithForm(page, email, password);
  async function signOut(): Promise<void> {
    await settled(() => page.getByRole('button', { name: 'Sign out', exact: true }).click());
    await page.getByRole('heading', { name: 'Sign in to binge' }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'signing out leaves nothing in sessionStorage');
  }
  /** A dl's terms and descriptions as an object. */
  const described = (selector: string) =>
    page.evaluate((s) => Object.fromEntries([...document.querySelectorAll(`${s} dt`)].map((dt: any) => [dt.textContent, dt.nextElementSibling.textContent])), selector);
  const rowsOf = (selector: string) => page.locator(`${selector} tbody tr`).evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  const ledger = async () => (await call(server, 'GET', `/v1/facts/ledger?year=${year}`, await tokenOf(analyst.accountId))).body;
  const budgetShown = async () => described('#budget-figures');
  const budgetOf = (body: { budget: { epsilon: number; spent: number; remaining: number } }) => ({
    'Budget of the year (epsilon)': formatNumber(body.budget.epsilon),
    Spent: formatNumber(body.budget.spent),
    Left: formatNumber(body.budget.remaining),
  });

  before(async () => {
    webDir = mkdtempSync(join(tmpdir(), 'binge-web-'));
    await buildWebApp(webDir); // this run's pages, never a stale dist/web
    server = await startPrivacyServer({ config: { webDir }, startMs: Date.UTC(2026, 5, 15, 12) });
    year = 2026;
    ana = await addMember(server, 'MX');
    await watch(server, ana.profileId, { titleId: 'title-1', minutes: 20, device: 'tv-ana' });
    await server.store.withConnection((c) => c.run('INSERT INTO searches VALUES ($1, $2, $3, $4)', ['s1', ana.profileId, 'slow cinema', 1n]));
    for (const country of ['MX', 'MX', 'FR', 'FR', 'FR']) {
      const other = await addMember(server, country);
      await watch(server, other.profileId, { titleId: 'title-2', minutes: 12 });
    }
    analyst = await staff('analyst');
    support = await staff('support');
    admin = await staff('admin');

    browser = await launchChromium();
    page = browser.page;
    page.setDefaultTimeout(10_000);
    ({ cspViolations, foreignRequests } = await watchPage(page, server.url));
  });

  after(async () => {
    await browser?.close();
    await server?.dispose();
    rmSync(webDir, { recursive: true, force: true });
  });

  test('a wrong password for a staff account shows the API’s own message, and nothing is stored', async () => {
    await settled(() => page.goto(`${server.url}/app/`));
    const expected = await call(server, 'POST', '/v1/sessions', undefined, { email: analyst.email, password: 'not the password' });
    assert.equal(expected.status, 401);
    await signIn(analyst.email, 'not the password');
    await page.getByRole('alert').filter({ hasText: expected.body.error.message }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  });

  describe('analyst', () => {
    test('signing in leads an analyst to the public facts of the latest year, with the budget as the API’s ledger has it', async () => {
      await settled(() => signIn(analyst.email, TEST_PASSWORD));
      await page.getByRole('heading', { name: `Public facts of ${year}`, level: 1 }).waitFor();
      assert.match(page.url(), /#\/facts$/);
      assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1', 'the heading has the focus');
      const expected = await ledger();
      assert.deepEqual(expected.budget, { epsilon: 1, spent: 0, remaining: 1 });
      assert.deepEqual(await budgetShown(), budgetOf(expected));
      await page.getByText(`No question has been charged to ${year} yet.`).waitFor();
      assert.equal(await text('#signed-in-as'), 'Signed in as analyst');
      const stored = await page.evaluate(() => ({ session: Object.keys(sessionStorage).sort(), local: localStorage.length }));
      assert.deepEqual(stored, { session: ['binge.staff-role', 'binge.token', 'binge.token-expires'], local: 0 });
      await settled(() => page.reload());
      await page.getByRole('heading', { name: `Public facts of ${year}`, level: 1 }).waitFor(); // a reload stays on the analyst's page
    });

    test('before asking, the page says what a new question spends; without the explicit confirmation nothing is asked', async () => {
      await page.getByLabel('Epsilon', { exact: true }).fill('0.6');
      const budget = (await ledger()).budget;
      assert.equal(await text('#cost'), costNotice(year, budget, 0.6).text);
      assert.match(await text('#cost'), /Asking spends epsilon 0\.6 of the 1 left of the 2026 budget \(1\), leaving 0\.4\./);
      const asked: string[] = [];
      const watchFacts = (request: { url(): string }) => void (new URL(request.url()).pathname === '/v1/facts' && asked.push(request.url()));
      page.on('request', watchFacts);
      await page.getByRole('button', { name: 'Ask for the release' }).click();
      await page.getByRole('alert').filter({ hasText: 'Confirm first: asking a new question spends privacy budget' }).waitFor();
      page.off('request', watchFacts);
      assert.deepEqual(asked, [], 'no request to GET /v1/facts without the confirmation');
      assert.deepEqual((await ledger()).budget, budget, 'nothing spent');
    });

    test('a confirmed question shows the API’s release: each count with its epsilon, delta and method, the noise, the group-size rule, and the budget after', async () => {
      await page.getByLabel('I understand that asking spends').check();
      await settled(() => page.getByRole('button', { name: 'Ask for the release' }).click());
      await page.getByRole('heading', { name: `Release of ${year}` }).waitFor();
      // The same question again through the API: the same answer, and nothing spent again.
      const again = await call(server, 'GET', `/v1/facts?year=${year}&epsilon=0.6&delta=0.000001&method=discrete-laplace`, await tokenOf(analyst.accountId));
      assert.equal(again.status, 200, again.text);
      const release = again.body;
      assert.equal(release.charged, false, 'the page asked this question; the API saw it before');
      assert.equal(await text('#charged'), 'This question was new: it spent epsilon 0.6.');
      assert.deepEqual(await described('#release-figures'), {
        Question: release.questionId,
        Epsilon: '0.6',
        Delta: '0.000001',
        Method: 'discrete-laplace',
        Noise: describeNoise(release.method, release.noiseParameter),
        'Facts one profile may count in': String(release.maxFacts),
        'Group-size rule': groupRule(release.kMin, release.threshold),
      });
      assert.match(groupRule(release.kMin, release.threshold), new RegExp(`at least ${release.kMin} profiles`));
      assert.ok(release.facts.length > 0);
      const shownFacts = await page.locator('#release-section tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-key'), ...[...tr.children].map((td) => td.textContent)]));
      assert.deepEqual(
        shownFacts.sort(),
        release.facts.map((f: any) => [f.key, describeGroup(f.group, f.name), String(f.value), formatNumber(f.epsilon), formatNumber(f.delta), f.method]).sort(),
      );
      const after = await ledger();
      assert.deepEqual(after.budget, { epsilon: 1, spent: 0.6, remaining: 0.4 });
      assert.deepEqual(await budgetShown(), budgetOf(after));
      assert.deepEqual(await rowsOf('#ledger'), after.charges.map((c: any) => [c.at, c.questionId, formatNumber(c.epsilon), formatNumber(c.delta), c.method]));
    });

    test('each kind of fact is drawn as an inline SVG bar chart with one bar per released count, styled by classes only', async () => {
      const release = (await call(server, 'GET', `/v1/facts?year=${year}&epsilon=0.6`, await tokenOf(analyst.accountId))).body;
      const kinds = [...new Set(release.facts.map((f: any) => f.group.fact))] as string[];
      const charts = await page.locator('section.fact-kind').evaluateAll((sections) =>
        sections.map((s) => ({
          kind: s.getAttribute('data-kind'),
          role: s.querySelector('svg')?.getAttribute('role'),
          bars: [...s.querySelectorAll('svg g.bar')].map((g) => [g.querySelector('.bar-label')!.textContent, g.querySelector('.bar-value')!.textContent, Number(g.querySelector('rect')!.getAttribute('width'))]),
        })),
      );
      assert.deepEqual(charts.map((c) => c.kind).sort(), kinds.sort());
      for (const chart of charts) {
        assert.equal(chart.role, 'img');
        const facts = release.facts.filter((f: any) => f.group.fact === chart.kind);
        assert.deepEqual(chart.bars.map(([label, value]) => [label, value]), facts.map((f: any) => [describeGroup(f.group), String(f.value)]));
        const largest = Math.max(...facts.map((f: any) => f.value));
        const widths = chart.bars.map(([, , width]) => width as number);
        if (largest > 0) assert.equal(Math.max(...widths), widths[facts.findIndex((f: any) => f.value === largest)], 'the largest count has the longest bar');
      }
      assert.equal(await page.locator('[style]').count(), 0, 'no style attribute anywhere');
    });

    test('over budget: the page warns before asking, then shows the API’s refusal in its own words; nothing is spent, and a repeated question spends nothing twice', async () => {
      await page.getByLabel('Epsilon', { exact: true }).fill('0.5');
      assert.match(await text('#cost'), /more than the 0\.4 left of the 2026 budget \(1\): the API will refuse it/);
      assert.equal(await page.locator('#cost.warning').count(), 1);
      assert.equal(await page.getByLabel('I understand that asking spends').isChecked(), false, 'a new epsilon needs a new confirmation');
      await page.getByLabel('I understand that asking spends').check();
      await settled(() => page.getByRole('button', { name: 'Ask for the release' }).click());
      const refused = await call(server, 'GET', `/v1/facts?year=${year}&epsilon=0.5`, await tokenOf(analyst.accountId));
      assert.equal(refused.status, 409);
      assert.equal(await text('#refusal .code'), refused.body.error.code);
      assert.equal(await text('#refusal .message'), refused.body.error.message);
      assert.equal(await page.locator('#release-section').count(), 0, 'no release shown');
      assert.deepEqual((await ledger()).budget, { epsilon: 1, spent: 0.6, remaining: 0.4 });
      assert.deepEqual(await budgetShown(), budgetOf(await ledger()));

      // By keyboard: the confirmation with Space, then Tab to the button and Enter.
      await page.getByLabel('Epsilon', { exact: true }).fill('0.6');
      await page.getByLabel('I understand that asking spends').focus();
      await page.keyboard.press('Space');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Ask for the release');
      await settled(() => page.keyboard.press('Enter'));
      assert.equal(await text('#charged'), 'This question was asked before on the same data: the same answer, nothing spent.');
      assert.deepEqual((await ledger()).budget, { epsilon: 1, spent: 0.6, remaining: 0.4 }, 'nothing spent twice');
      assert.equal((await ledger()).charges.length, 1);
    });

    test('the support and member pages are not the analyst’s: "Not allowed", and the API refuses the same', async () => {
      const token = await tokenOf(analyst.accountId);
      for (const [hash, api] of [
        ['#/support', '/v1/support/grants'],
        [`#/support/m/${ana.memberId}`, `/v1/support/members/${ana.memberId}/history`],
        [`#/p/${ana.profileId}/home`, `/v1/profiles/${ana.profileId}/rows`],
        ['#/privacy', '/v1/me/consents'],
      ]) {
        await settled(() => page.goto(`${server.url}/app/${hash}`));
        await page.getByRole('heading', { name: 'Not allowed', level: 1 }).waitFor();
        assert.match(await text('main'), /This page is for .*; you are signed in as an analyst\./);
        assert.equal(await page.locator('main table, main section').count(), 0, 'nothing of the page is shown');
        const answer = await call(server, 'GET', api, token);
        assert.ok(answer.status === 403 || answer.status === 404, `${api} answers ${answer.status}`);
      }
      await signOut();
    });
  });

  describe('support', () => {
    const lookUp = (data: string) => page.locator(`section[data-data="${data}"]`);
    async function lookUpShown(data: string): Promise<{ refusal: string | null; ticket: string | null; rows: string[][] }> {
      await lookUp(data).getByRole('button', { name: `Look up ${data}` }).click();
      await lookUp(data).locator('.result .refusal, .result .ticket').first().waitFor();
      return lookUp(data).evaluate((s) => ({
        refusal: s.querySelector('.refusal')?.textContent ?? null,
        ticket: s.querySelector('.ticket')?.textContent ?? null,
        rows: [...s.querySelectorAll('.result tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent)),
      }));
    }
    /** The API's answer to the same look-up, as the page writes it. */
    async function apiLookUp(data: string) {
      const answer = await call(server, 'GET', `/v1/support/members/${ana.memberId}/${data}`, await tokenOf(support.accountId));
      if (answer.status !== 200) return { status: answer.status, refusal: `Refused: ${answer.body.error.message}`, ticket: null, rows: [] };
      const cell = (v: unknown) => (v === null ? '' : typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v));
      return { status: 200, refusal: null, ticket: `Logged under ticket ${answer.body.ticket}.`, rows: answer.body.items.map((i: any) => Object.values(i).map(cell)) };
    }
    const shownGrants = () => rowsOf('#grants').then((rows) => rows.map((r) => r.slice(0, 6)));
    const apiGrants = async () =>
      (await call(server, 'GET', '/v1/support/grants', await tokenOf(support.accountId))).body.grants.map((g: any) => [g.ticket, g.memberId, g.data.join(', '), g.reason, g.openedAt, g.expiresAt]);

    test('signing in leads support to its grants, none open; the page says every look-up is logged for the member to read', async () => {
      await settled(() => signIn(support.email, TEST_PASSWORD));
      await page.getByRole('heading', { name: 'Support grants', level: 1 }).waitFor();
      assert.match(page.url(), /#\/support$/);
      assert.deepEqual(await apiGrants(), []);
      await page.getByText('You hold no open grant.').waitFor();
      assert.match(await text('.logged'), /Every look-up under a grant is written to the access log .* the member reads the log in their privacy centre/);
    });

    test('without a grant, a look-up shows the API’s refusal and no data', async () => {
      await settled(() => page.goto(`${server.url}/app/#/support/m/${ana.memberId}`));
      await page.getByRole('heading', { name: `Look-up: member ${ana.memberId}` }).waitFor();
      await page.getByText('You hold no open grant on this member').waitFor();
      for (const data of ['history', 'profiles']) {
        const expected = await apiLookUp(data);
        assert.equal(expected.status, 404);
        const shown = await lookUpShown(data);
        assert.deepEqual(shown, { refusal: expected.refusal, ticket: null, rows: [] });
      }
      assert.doesNotMatch(await text('main'), /slow cinema|tv-ana|title-1/);
    });

    test('a grant beyond the API’s limits is refused in the API’s words and not opened', async () => {
      await settled(() => page.getByRole('link', { name: 'Grants' }).click());
      const body = { memberId: ana.memberId, ticket: 'SUP-77', reason: 'member cannot find a view', data: ['history'], hours: 9 };
      const expected = await call(server, 'POST', '/v1/support/grants', await tokenOf(support.accountId), body);
      assert.equal(expected.status, 400);
      await page.getByLabel('Member id').fill(body.memberId);
      await page.getByLabel('Ticket').fill(body.ticket);
      await page.getByLabel('Reason').fill(body.reason);
      await page.getByLabel('History', { exact: true }).check();
      await page.getByLabel('Hours').fill('9');
      await page.getByRole('button', { name: 'Open the grant' }).click();
      await page.locator('#open-error').filter({ hasText: expected.body.error.message }).waitFor();
      assert.deepEqual(await apiGrants(), []);
    });

    test('opening a grant (ticket, reason, data, hours) lists it as the API does', async () => {
      await page.getByLabel('Ticket').fill('SUP-42');
      await page.getByLabel('Devices', { exact: true }).check();
      await page.getByLabel('Hours').fill('2');
      await settled(() => page.getByRole('button', { name: 'Open the grant' }).click());
      const grants = await apiGrants();
      assert.equal(grants.length, 1);
      assert.deepEqual(await shownGrants(), grants);
      assert.equal(grants[0][5], new Date(server.clock.nowMs + 2 * 3_600_000).toISOString(), 'for the 2 hours asked');
      assert.match(await text('#grants-status'), /^Opened a grant for ticket SUP-42 on member .*, covering history, devices, until /);
    });

    test('a look-up shows exactly what the API answers under the grant, logged under its ticket; data the grant does not cover is refused', async () => {
      await settled(() => page.getByRole('link', { name: /^Look up member/ }).click());
      assert.equal(new URL(page.url()).hash, `#/support/m/${ana.memberId}`, 'the member id the API uses, and nothing else, in the URL');
      for (const data of ['history', 'devices']) {
        const shown = await lookUpShown(data);
        const expected = await apiLookUp(data);
        assert.equal(expected.status, 200);
        assert.deepEqual(shown, { refusal: null, ticket: expected.ticket, rows: expected.rows });
        assert.ok(shown.rows.length > 0, `${data} has rows`);
      }
      assert.equal(await lookUp('devices').locator('td').filter({ hasText: 'tv-ana' }).count(), 1);
      for (const data of ['searches', 'profiles']) {
        const shown = await lookUpShown(data);
        assert.deepEqual(shown, { refusal: (await apiLookUp(data)).refusal, ticket: null, rows: [] });
      }
      assert.doesNotMatch(await text('main'), /slow cinema/, 'the searches were not granted');
      const stored = await page.evaluate(() => ({ session: Object.keys(sessionStorage).sort(), local: localStorage.length }));
      assert.deepEqual(stored, { session: ['binge.staff-role', 'binge.token', 'binge.token-expires'], local: 0 }, 'no member data is kept in storage');
    });

    test('the member reads every look-up in the access log, with the ticket', async () => {
      const log = (await call(server, 'GET', '/v1/me/access-log', await tokenOf(ana.memberId))).body.entries;
      const reads = log.filter((e: any) => e.role === 'support' && e.what.startsWith('GET /v1/support/members'));
      // The page's look-ups and the test's own, allowed under SUP-42 or refused without a grant.
      assert.ok(reads.filter((e: any) => e.outcome === 'allowed' && e.ticket === 'SUP-42').length >= 4);
      assert.ok(reads.some((e: any) => e.outcome === 'denied' && e.data === 'searches'));
      assert.ok(reads.every((e: any) => e.who === support.accountId));
    });

    test('a closed grant: gone from the list, and the look-up is refused again', async () => {
      await settled(() => page.getByRole('link', { name: 'Grants' }).click());
      await page.getByRole('button', { name: 'Close the grant of ticket SUP-42' }).focus();
      await settled(() => page.keyboard.press('Enter'));
      await page.getByRole('status').filter({ hasText: 'Closed the grant of ticket SUP-42.' }).waitFor();
      assert.deepEqual(await apiGrants(), []);
      await page.getByText('You hold no open grant.').waitFor();
      await settled(() => page.goto(`${server.url}/app/#/support/m/${ana.memberId}`));
      const shown = await lookUpShown('history');
      const expected = await apiLookUp('history');
      assert.equal(expected.status, 404);
      assert.deepEqual(shown, { refusal: expected.refusal, ticket: null, rows: [] });
    });

    test('an expired grant: gone from the list, and the look-up is refused', async () => {
      await call(server, 'POST', '/v1/support/grants', await tokenOf(support.accountId), { memberId: ana.memberId, ticket: 'SUP-43', reason: 'one more look, briefly', data: ['history'], hours: 0.001 });
      await settled(() => page.reload());
      await page.getByText('Ticket SUP-43 covers history').waitFor();
      assert.equal((await lookUpShown('history')).ticket, 'Logged under ticket SUP-43.');
      server.clock.nowMs += 4000; // 0.001 h is 3.6 s
      await settled(() => page.reload());
      await page.getByText('You hold no open grant on this member').waitFor();
      const shown = await lookUpShown('history');
      assert.deepEqual(shown, { refusal: (await apiLookUp('history')).refusal, ticket: null, rows: [] });
      assert.deepEqual(await apiGrants(), []);
    });

    test('the facts and member pages are not support’s: "Not allowed", and the API refuses the same', async () => {
      const token = await tokenOf(support.accountId);
      for (const [hash, api] of [
        ['#/facts', `/v1/facts?year=${year}&epsilon=0.1`],
        [`#/p/${ana.profileId}/history`, `/v1/profiles/${ana.profileId}/history`],
      ]) {
        await settled(() => page.goto(`${server.url}/app/${hash}`));
        await page.getByRole('heading', { name: 'Not allowed', level: 1 }).waitFor();
        assert.equal(await page.locator('main table, main section').count(), 0);
        const answer = await call(server, 'GET', api, token);
        assert.ok(answer.status === 403 || answer.status === 404, `${api} answers ${answer.status}`);
      }
      await signOut();
    });
  });

  test('an admin may ask for releases, so signing in leads to the public facts with the same budget', async () => {
    await settled(() => signIn(admin.email, TEST_PASSWORD));
    await page.getByRole('heading', { name: `Public facts of ${year}`, level: 1 }).waitFor();
    assert.deepEqual(await budgetShown(), budgetOf(await ledger()));
    await settled(() => page.goto(`${server.url}/app/#/support`));
    await page.getByRole('heading', { name: 'Not allowed', level: 1 }).waitFor();
    await signOut();
  });

  test('a member still lands on Home; the staff pages say "Not allowed"; the privacy centre lists support’s look-ups with their tickets', async () => {
    await settled(() => signIn(ana.email, ana.password));
    await page.getByRole('heading', { name: 'Home of Main' }).waitFor();
    for (const hash of ['#/facts', '#/support', `#/support/m/${ana.memberId}`]) {
      await settled(() => page.goto(`${server.url}/app/${hash}`));
      await page.getByRole('heading', { name: 'Not allowed', level: 1 }).waitFor();
      assert.match(await text('main'), /you are signed in as a member/);
    }
    await settled(() => page.getByRole('link', { name: 'Privacy centre' }).click());
    const tickets = await page.locator('#access-log tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.children[2].textContent, tr.children[4].textContent, tr.children[7].textContent]));
    assert.ok(tickets.some(([role, ticket, outcome]) => role === 'support' && ticket === 'SUP-42' && outcome === 'allowed'));
    assert.ok(tickets.some(([role, ticket, outcome]) => role === 'support' && ticket === 'SUP-43' && outcome === 'allowed'));
    await signOut();
  });

  test('no Content-Security-Policy violation and no request to another origin happened on any page', async () => {
    assert.deepEqual(cspViolations, []);
    assert.deepEqual(foreignRequests, []);
  });
});
