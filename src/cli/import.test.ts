import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from './main.js';
import type { Output } from './output.js';
import { openDuckDbStore } from '../store/duckdb/adapter.js';
import { call, startPrivacyServer } from '../privacy/test-support.js';

const EXPORTS = fileURLToPath(new URL('../../../shared/data/netflix-exports/', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../ingest/netflix/fixtures/', import.meta.url));

function capture(): Output & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { json: false, lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}

async function importJson(dataDir: string, file: string, ...extra: string[]) {
  const output = capture();
  const code = await main(['--data', dataDir, 'import', 'netflix', file, '--json', ...extra], output);
  return { code, answer: output.lines.length ? JSON.parse(output.lines.at(-1)!) : undefined, errors: output.errors };
}

async function storeCounts(dataDir: string) {
  const store = await openDuckDbStore({ dataDir });
  try {
    return await store.withConnection(async (c) => {
      const read = async (sql: string) => Number((await c.runAndReadAll(sql)).getRows()[0][0]);
      return {
        importedSessions: await read('SELECT count(*) FROM imported_sessions'),
        views: await read('SELECT count(*) FROM views'),
        watched: await read('SELECT round(coalesce(sum(watched_s), 0), 3) FROM views'), // rounded: a float sum depends on row order
        profiles: await read('SELECT count(*) FROM profiles'),
        hidden: await read('SELECT count(*) FROM hidden_views'),
      };
    });
  } finally {
    await store.close();
  }
}

const sharedFiles = ['office-binge.csv', 'reordered-columns.csv', 'us-date-format.csv', 'germany-family.csv', 'trailers-and-hooks.csv'];

for (const name of sharedFiles) {
  test(`import netflix ${name}: --json summary, and importing it again changes nothing`, { timeout: 120_000 }, async (t) => {
    if (!existsSync(join(EXPORTS, name))) return t.skip(`../shared/data/netflix-exports/${name} is not here`);
    const dataDir = mkdtempSync(join(tmpdir(), 'binge-import-'));
    try {
      const first = await importJson(dataDir, join(EXPORTS, name));
      assert.equal(first.code, 0, first.errors.join('\n'));
      assert.deepEqual(Object.keys(first.answer).sort(), ['memberId', 'newRows', 'profileIds', 'profiles', 'rows', 'skipped', 'views']);
      assert.equal(first.answer.profileIds.length, first.answer.profiles);
      assert.deepEqual(first.answer.skipped, [], 'every row of a real export is read');
      assert.equal(first.answer.newRows, first.answer.rows, 'every row is new the first time');
      assert.ok(first.answer.views > 0 && first.answer.views <= first.answer.rows);
      const before = await storeCounts(dataDir);
      assert.equal(before.profiles, first.answer.profiles);
      const again = await importJson(dataDir, join(EXPORTS, name));
      assert.equal(again.answer.newRows, 0);
      assert.equal(again.answer.views, first.answer.views);
      assert.deepEqual(await storeCounts(dataDir), before);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
}

test('the summary names each profile by the id the other commands take, and says what to run next', { timeout: 120_000 }, async (t) => {
  const file = join(EXPORTS, 'germany-family.csv');
  if (!existsSync(file)) return t.skip('../shared/data/netflix-exports/germany-family.csv is not here');
  const dataDir = mkdtempSync(join(tmpdir(), 'binge-import-'));
  try {
    const output = capture();
    assert.equal(await main(['--data', dataDir, 'import', 'netflix', file], output), 0, output.errors.join('\n'));
    const text = output.lines.join('\n');
    const ids = [...text.matchAll(/^ {2}.+ \(profile (\S+)\): \d+ rows/gm)].map((m) => m[1]);
    assert.equal(ids.length, 5);
    assert.match(text, new RegExp(`^Next: binge history ${ids[0]}, or binge insights year-in-review ${ids[0]} --year <year>`, 'm'));
    for (const id of ids) {
      const history = capture();
      assert.equal(await main(['--data', dataDir, '--json', 'history', id], history), 0, history.errors.join('\n'));
      assert.ok(JSON.parse(history.lines.at(-1)!).views.length > 0, `binge history ${id}`);
    }
    const year = capture();
    assert.equal(await main(['--data', dataDir, '--json', 'insights', 'year-in-review', ids[4], '--year', '2022'], year), 0, year.errors.join('\n'));
    assert.ok(JSON.parse(year.lines.at(-1)!).minutesWatched > 0, 'the fifth profile watched in 2022');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('--account makes a member account for the imported member: its password signs in to the API, which shows the imported history', { timeout: 120_000 }, async (t) => {
  const file = join(EXPORTS, 'germany-family.csv');
  if (!existsSync(file)) return t.skip('../shared/data/netflix-exports/germany-family.csv is not here');
  const dataDir = mkdtempSync(join(tmpdir(), 'binge-import-'));
  try {
    const first = await importJson(dataDir, file, '--account', 'Me@Example.org');
    assert.equal(first.code, 0, first.errors.join('\n'));
    assert.equal(first.answer.account.email, 'me@example.org');
    assert.ok(first.answer.account.password.length >= 24, 'a generated password, shown once');
    const again = await importJson(dataDir, file, '--account', 'me@example.org');
    assert.deepEqual(again.answer.account, { email: 'me@example.org' }, 'made once: a re-import shows no password');
    const before = await storeCounts(dataDir);
    const other = await importJson(dataDir, join(EXPORTS, 'office-binge.csv'), '--account', 'me@example.org');
    assert.notEqual(other.code, 0, 'the e-mail of another account is refused');
    assert.deepEqual(await storeCounts(dataDir), before, 'before anything is imported');
    assert.equal(JSON.stringify(other.answer ?? other.errors).includes('BINGE_EMAIL_TAKEN'), true, JSON.stringify(other));
    assert.match(JSON.stringify(other.answer ?? other.errors), /an account with the e-mail me@example\.org exists already; give another --account/);

    const server = await startPrivacyServer({ dataDir });
    try {
      const session = await call(server, 'POST', '/v1/sessions', undefined, { email: 'me@example.org', password: first.answer.account.password });
      assert.equal(session.status, 200, session.text);
      const me = await call(server, 'GET', '/v1/me', session.body.token);
      assert.deepEqual(me.body.profiles.map((p: { profileId: string }) => p.profileId).sort(), first.answer.profileIds.map((p: { profileId: string }) => p.profileId).sort());
      const busiest = first.answer.profileIds.find((p: { name: string }) => p.name === 'Profile 5').profileId;
      const history = await call(server, 'GET', `/v1/profiles/${busiest}/history`, session.body.token);
      assert.equal(history.status, 200, history.text);
      assert.ok(history.body.views.length > 0);
      const year = await call(server, 'GET', `/v1/profiles/${busiest}/year-in-review?year=2022`, session.body.token);
      assert.ok(year.body.minutesWatched > 0, year.text);
    } finally {
      await server.dispose();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a bad row is skipped with its line number and does not stop the file', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'binge-import-'));
  try {
    const result = await importJson(dataDir, join(FIXTURES, 'bad-row-middle.csv'), '--member', 'Ana');
    assert.equal(result.code, 0);
    assert.ok(result.answer.skipped.length >= 1);
    for (const skip of result.answer.skipped) {
      assert.equal(typeof skip.line, 'number');
      assert.ok(skip.reason.length > 10);
    }
    assert.ok(result.answer.rows > result.answer.skipped.length, 'the rows around it are kept');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('views the export marks hidden are hidden in history', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'binge-import-'));
  try {
    const result = await importJson(dataDir, join(FIXTURES, 'hidden-views.csv'), '--member', 'Ana');
    assert.equal(result.code, 0, result.errors.join('\n'));
    assert.ok((await storeCounts(dataDir)).hidden >= 1);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a missing file, a bad --country or a bad --account is a clear error with a non-zero exit', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'binge-import-'));
  try {
    const missing = capture();
    assert.equal(await main(['--data', dataDir, 'import', 'netflix', '/nowhere/ViewingActivity.csv'], missing), 1);
    assert.match(missing.errors.join('\n'), /no file \/nowhere\/ViewingActivity\.csv.*BINGE_IMPORT_FILE/);
    const country = capture();
    assert.equal(await main(['--data', dataDir, 'import', 'netflix', join(FIXTURES, 'quoted-commas.csv'), '--country', 'Germany'], country), 2);
    const account = capture();
    assert.equal(await main(['--data', dataDir, 'import', 'netflix', join(FIXTURES, 'quoted-commas.csv'), '--account', 'not an e-mail'], account), 2);
    assert.match(account.errors.join('\n'), /--account must be an e-mail address, got not an e-mail/);
    assert.equal((await storeCounts(dataDir)).importedSessions, 0, 'nothing was imported');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('binge history reads a profile for the member, and the read is in their access log', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'binge-import-'));
  try {
    const imported = await importJson(dataDir, join(FIXTURES, 'quoted-commas.csv'), '--member', 'Ana');
    assert.equal(imported.code, 0);
    const store = await openDuckDbStore({ dataDir });
    const [profile] = await store.withConnection(async (c) => (await c.runAndReadAll('SELECT profile_id, member_id FROM profiles LIMIT 1')).getRows());
    await store.close();
    const output = capture();
    assert.equal(await main(['--data', dataDir, 'history', String(profile[0]), '--json'], output), 0, output.errors.join('\n'));
    const answer = JSON.parse(output.lines.at(-1)!);
    assert.ok(answer.views.length > 0);
    const check = await openDuckDbStore({ dataDir });
    const entries = await check.withConnection(async (c) => (await c.runAndReadAll("SELECT count(*) FROM audit_log WHERE what LIKE 'binge history%'")).getRows());
    await check.close();
    assert.equal(Number(entries[0][0]), 1, 'the read was written to the audit log');
    const missing = capture();
    assert.equal(await main(['--data', dataDir, 'history', 'nobody'], missing), 1);
    assert.match(missing.errors.join('\n'), /no profile nobody/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a year in review works on an imported Netflix export, exact against the stored views', { timeout: 120_000 }, async (t) => {
  if (!existsSync(join(EXPORTS, 'office-binge.csv'))) return t.skip('../shared/data/netflix-exports/office-binge.csv is not here');
  const dataDir = mkdtempSync(join(tmpdir(), 'binge-import-'));
  try {
    assert.equal((await importJson(dataDir, join(EXPORTS, 'office-binge.csv'), '--member', 'Sam')).code, 0);
    const store = await openDuckDbStore({ dataDir });
    const [profileId, expectedMinutes] = await store.withConnection(async (c) => {
      const [row] = (await c.runAndReadAll("SELECT profile_id FROM profiles WHERE name = 'Profile 1'")).getRows();
      const [minutes] = (
        await c.runAndReadAll(
          `SELECT sum(d.watched_s) / 60 FROM view_days d JOIN views v USING (view_id, profile_id)
           WHERE d.profile_id = $1 AND v.kind <> 'supplemental' AND year(d.day) = 2022
             AND NOT EXISTS (SELECT 1 FROM hidden_views h WHERE h.view_id = v.view_id AND h.profile_id = v.profile_id)`,
          [String(row[0])],
        )
      ).getRows();
      return [String(row[0]), Number(minutes[0])];
    });
    await store.close();
    const output = capture();
    assert.equal(await main(['--data', dataDir, 'insights', 'year-in-review', profileId, '--year', '2022', '--json'], output), 0, output.errors.join('\n'));
    const review = JSON.parse(output.lines.at(-1)!);
    assert.ok(Math.abs(review.minutesWatched - expectedMinutes) < 1e-6, `${review.minutesWatched} minutes, the store says ${expectedMinutes}`);
    assert.ok(review.topSeries.some((s: { name: string }) => s.name === 'The Office (U.S.)'));
    assert.ok(review.longestStreak.days >= 1);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
