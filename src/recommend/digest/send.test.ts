import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { addMember, startPrivacyServer, type PrivacyTestServer, type TestMember } from '../../privacy/test-support.js';
import { recommendOf } from '../../server/routes/recommend.js';
import { recommendStoreOf } from '../../store/duckdb/recommend.js';
import { recommendConfig } from '../config.js';
import { loadWorld, view, DAY } from '../test-support.js';
import { VIEWING_HABIT_PATTERN, viewingHabitWords } from './content-rules.js';
import { renderDigest } from './render.js';
import { isoWeek, sendDigests, type DigestDeps } from './send.js';
import { TEMPLATES } from './templates.js';

interface Received {
  to: string[];
  raw: string;
}

/** Unfolded headers and the decoded text/plain and text/html parts of a raw message. */
function parseMessage(raw: string): { headers: Map<string, string>; text: string; html: string } {
  const [head] = raw.split(/\r?\n\r?\n/);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const at = line.indexOf(':');
    headers.set(line.slice(0, at).toLowerCase(), line.slice(at + 1).trim());
  }
  const part = (type: string) => {
    const match = new RegExp(`Content-Type: ${type}[^]*?\\r?\\n\\r?\\n([^]*?)\\r?\\n--`, 'i').exec(raw);
    assert.ok(match, `a ${type} part`);
    const encoding = /Content-Transfer-Encoding: ([\w-]+)/i.exec(raw.slice(raw.search(new RegExp(`Content-Type: ${type}`, 'i'))))?.[1].toLowerCase();
    const body = match[1];
    if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (encoding === 'quoted-printable') {
      const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    }
    return body;
  };
  return { headers, text: part('text/plain'), html: part('text/html') };
}

describe('weekly digest e-mails', () => {
  let server: PrivacyTestServer;
  let smtp: SMTPServer;
  let received: Received[] = [];
  let deps: DigestDeps;
  let ann: TestMember; // opted in to e-mails, personalised
  let cara: TestMember; // never opted in
  let dan: TestMember; // opted in to e-mails, withdrew personalisation

  before(async () => {
    server = await startPrivacyServer();
    const world = await loadWorld(server, { perGroup: 5 });
    ann = world.crowd[0];
    cara = world.crowd[1];
    dan = await addMember(server, 'MX');
    await server.store.replaceViews([{ profileId: dan.profileId, fromMs: -Infinity, views: [view(dan.profileId, 'f05', server.clock.nowMs - DAY)] }]);
    const at = server.clock.nowMs - 60_000;
    await server.privacy.store.recordConsents(ann.memberId, [{ purpose: 'recommendation_emails', granted: true }], at);
    await server.privacy.store.recordConsents(dan.memberId, [{ purpose: 'recommendation_emails', granted: true }, { purpose: 'personalisation', granted: false }], at);
    const { service, schedule } = recommendOf.get(server.app)!;
    assert.ok(await schedule.runOnce());

    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    deps = {
      store: server.store,
      recommend: recommendStoreOf(server.store),
      privacy: server.privacy.store,
      serving: service,
      config: recommendConfig({}, { smtpHost: '127.0.0.1', smtpPort: port, publicUrl: server.url }),
      now: () => server.clock.nowMs,
    };
  });
  after(async () => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await server.dispose();
  });

  test('the deny-list catches talk of viewing habits, and no template contains any', () => {
    for (const bad of ['You watched 12 episodes', '3 hours this week', 'a 5-day streak', 'you spent the weekend', 'ten in a row', 'Binge-worthy', '42 minutes', '2h 15m']) {
      assert.ok(viewingHabitWords(bad).length > 0, bad);
    }
    for (const [name, template] of Object.entries(TEMPLATES)) assert.deepEqual(viewingHabitWords(template), [], `template ${name}`);
    // The template and renderer sources as a whole (comments included) hold no such word either.
    for (const file of ['templates.ts', 'render.ts']) {
      assert.deepEqual(viewingHabitWords(readFileSync(new URL(file, import.meta.url), 'utf8')), [], file);
    }
    assert.throws(() => renderDigest(['Film 01', 'Three Hours in Paris'], 'http://x/u'), /viewing habits/);
    assert.ok(VIEWING_HABIT_PATTERN.test('watched'));
  });

  test('a dry run says how many would get it and which titles, sending nothing', async () => {
    const report = await sendDigests(deps, { dryRun: true });
    assert.equal(report.week, isoWeek(server.clock.nowMs));
    assert.equal(report.recipients, 2, 'Ann and Dan; never Cara');
    assert.equal(report.sent, 0);
    assert.ok(report.titles.length > 0);
    assert.ok(!JSON.stringify(report).includes('@'), 'no addresses in the report');
    assert.equal(received.length, 0);
  });

  test('sends through a real SMTP exchange: titles only, text and HTML, List-Unsubscribe with mailto and URL, one-click POST', async () => {
    const report = await sendDigests(deps);
    assert.equal(report.sent, 2);
    assert.deepEqual(received.map((r) => r.to[0]).sort(), [ann.email, dan.email].sort());
    for (const message of received) {
      const { headers, text, html } = parseMessage(message.raw);
      const list = headers.get('list-unsubscribe')!;
      assert.match(list, /^<mailto:unsubscribe@localhost\?subject=unsubscribe%20[\w.-]+>, <http:\/\/127\.0\.0\.1:\d+\/v1\/unsubscribe\?token=[\w.-]+>$/);
      assert.equal(headers.get('list-unsubscribe-post'), 'List-Unsubscribe=One-Click');
      assert.equal(headers.get('subject'), 'Titles picked for you this week');
      assert.match(text, /^- Film \d\d$/m);
      assert.match(html, /<li>Film \d\d<\/li>/);
      assert.deepEqual(viewingHabitWords(`${headers.get('subject')}\n${text}\n${html}`), [], 'nothing about viewing habits');
      assert.ok(text.includes(list.slice(list.lastIndexOf('<') + 1, -1)), 'the text part has the same one-click link');
    }
    const again = await sendDigests(deps);
    assert.deepEqual([again.sent, again.alreadySent], [0, 2], 'one digest per member per week');
  });

  test('the one-click link withdraws the consent (POST, then GET again changes nothing more), recorded in consent history', async () => {
    const annMessage = received.find((r) => r.to[0] === ann.email)!;
    const list = parseMessage(annMessage.raw).headers.get('list-unsubscribe')!;
    const url = list.slice(list.lastIndexOf('<') + 1, -1);
    const posted = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    assert.equal(posted.status, 200, await posted.clone().text());
    assert.deepEqual(await posted.json(), { unsubscribed: true, purpose: 'recommendation_emails' });
    const history = await server.privacy.store.consentHistory(ann.memberId);
    assert.deepEqual(history.filter((c) => c.purpose === 'recommendation_emails').map((c) => c.granted), [true, false]);
    assert.equal((await fetch(url)).status, 200);
    assert.equal((await server.privacy.store.consentHistory(ann.memberId)).length, history.length, 'the second click records nothing new');
    assert.ok(!(await server.privacy.store.membersConsenting('recommendation_emails', server.clock.nowMs)).includes(ann.memberId));
    const forged = url.replace(/\.[\w-]+$/, '.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    const refused = await fetch(forged);
    assert.equal(refused.status, 400);
    assert.equal(((await refused.json()) as any).error.code, 'BINGE_UNSUBSCRIBE_TOKEN_INVALID');
    const audit = await server.privacy.store.auditEntriesAbout(await server.privacy.store.pseudonymOf(ann.memberId));
    assert.ok(audit.some((e) => e.what === 'POST /v1/unsubscribe' && e.data === 'consents'));
    // Next week Ann gets nothing; Cara never did.
    server.clock.nowMs += 7 * DAY;
    const next = await sendDigests(deps, { dryRun: true });
    assert.equal(next.recipients, 1);
    assert.ok(!received.some((r) => r.to.includes(cara.email)));
  });
});
