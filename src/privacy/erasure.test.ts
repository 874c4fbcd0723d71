import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../cli/main.js';
import type { Output } from '../cli/output.js';
import { openDuckDbStore, type DuckDbStore } from '../store/duckdb/adapter.js';
import { memberFilter } from '../store/duckdb/privacy.js';
import { DEFAULT_DEFINITIONS } from '../domain/definitions.js';
import { verifyChain } from './audit.js';
import { MEMBER_TABLES, NO_MEMBER_DATA, PSEUDONYMISED_TABLES, RECOMPUTE_FLAGS } from './member-data.js';
import { addMember, addStaff, call, startPrivacyServer, watch, type PrivacyTestServer, type TestMember } from './test-support.js';

/** An imported row id of this member's (16 hex digits, as ids.ts makes them): row ids are unique across members. */
const rowIdOf = (memberId: string, n: number): string => createHash('sha256').update(`${memberId}|${n}`).digest('hex').slice(0, 16);

const MEMBER_COLUMNS = ['member_id', 'profile_id', 'account_id', 'device_id', 'email'];

async function columnsOf(store: DuckDbStore): Promise<Map<string, string[]>> {
  const rows = await store.withConnection(async (c) =>
    (await c.runAndReadAll("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'")).getRowObjects(),
  );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(String(r.table_name), [...(out.get(String(r.table_name)) ?? []), String(r.column_name)]);
  return out;
}

test('every table of the schema is placed: member data (erased and exported), pseudonymised, or holding no member data', async () => {
  const store = await openDuckDbStore({ dataDir: ':memory:' });
  try {
    const tables = await store.tableNames();
    const columns = await columnsOf(store);
    const placed = (t: string) => [t in MEMBER_TABLES, t in PSEUDONYMISED_TABLES, t in NO_MEMBER_DATA].filter(Boolean).length;
    const unplaced = tables.filter((t) => placed(t) === 0);
    assert.deepEqual(unplaced, [], 'place these tables in src/privacy/member-data.ts');
    for (const t of tables) assert.equal(placed(t), 1, `${t} is placed twice`);
    for (const t of Object.keys(NO_MEMBER_DATA)) {
      const suspicious = (columns.get(t) ?? []).filter((c) => MEMBER_COLUMNS.includes(c));
      assert.deepEqual(suspicious, [], `${t} is listed as holding no member data but has ${suspicious.join(', ')}`);
    }
    for (const [t, how] of Object.entries(MEMBER_TABLES)) {
      assert.ok(tables.includes(t), `MEMBER_TABLES names ${t}, which the schema lacks`);
      assert.ok(columns.get(t)!.includes(how.column), `${t} has no column ${how.column}`);
    }
  } finally {
    await store.close();
  }
});

/** A member with rows in every member table. */
async function fullMember(server: PrivacyTestServer, support: { accountId: string; token: string }): Promise<TestMember> {
  const m = await addMember(server);
  const kids = await call(server, 'POST', '/v1/me/profiles', m.token, { name: 'Kids' });
  await watch(server, m.profileId, { titleId: 'title-x', minutes: 6, device: `tv-${m.memberId}` });
  await watch(server, kids.body.profileId, { titleId: 'title-y', minutes: 4, endsAgoMin: 100 });
  const history = await call(server, 'GET', `/v1/profiles/${m.profileId}/history`, m.token);
  await call(server, 'POST', `/v1/profiles/${m.profileId}/history/${history.body.views[0].viewId}/hide`, m.token);
  await watch(server, m.profileId, { titleId: 'title-z', minutes: 3, endsAgoMin: 1 }); // left dirty
  await server.store.putDevices([{ deviceId: `tv-${m.memberId}`, memberId: m.memberId, kind: 'tv' }]);
  // Rows of an imported Netflix history (ingest/netflix/imported-history.ts) and their views: one
  // within its local day, one across midnight in Berlin (kept with per-day rows).
  const row = { profileId: m.profileId, titleId: 'title-x', deviceId: `tv-${m.memberId}`, country: 'DE', autoplayed: false, userAction: 'none' } as const;
  await server.store.importedHistory!.putImportedSessions([
    { ...row, rowId: rowIdOf(m.memberId, 1), startMs: Date.parse('2025-03-01T10:00:00Z'), durationS: 600, bookmarkS: 600 },
    { ...row, rowId: rowIdOf(m.memberId, 2), startMs: Date.parse('2025-03-01T22:30:00Z'), durationS: 3600, bookmarkS: 3600 },
  ]);
  await server.store.importedHistory!.refreshImportedViews([m.profileId], DEFAULT_DEFINITIONS);
  await server.store.withConnection(async (c) => {
    await c.run('INSERT INTO searches VALUES ($1, $2, $3, $4)', [`s-${m.memberId}`, m.profileId, 'nature documentaries', 1n]);
    await c.run('INSERT INTO thumbs VALUES ($1, $2, $3, $4, $5)', [`t-${m.memberId}`, m.profileId, 'title-x', 'up', 2n]);
    await c.run('INSERT INTO onboarding_picks VALUES ($1, $2, $3)', [m.profileId, 'title-y', 3n]);
    await c.run("INSERT INTO digest_sends VALUES ($1, '2025-W10', 4, ['title-x'])", [m.memberId]);
  });
  await call(server, 'PUT', '/v1/me/consents', m.token, { recommendation_emails: true });
  await call(server, 'PUT', '/v1/me/wellbeing', m.token, { bedtime: '23:30' });
  const grant = await call(server, 'POST', '/v1/support/grants', support.token, { memberId: m.memberId, ticket: 'SUP-9', reason: 'member asked about a device', data: ['devices'] });
  assert.equal(grant.status, 201, grant.text);
  assert.equal((await call(server, 'GET', `/v1/support/members/${m.memberId}/devices`, support.token)).status, 200);
  // Signed out everywhere once (account_sign_outs), then signed in again.
  assert.equal((await call(server, 'DELETE', '/v1/sessions?everywhere=true', m.token)).status, 200);
  const signIn = await call(server, 'POST', '/v1/sessions', undefined, { email: m.email, password: m.password });
  assert.equal(signIn.status, 200, signIn.text);
  return { ...m, token: signIn.body.token as string };
}

/** The member's rows in each table of MEMBER_TABLES, counted in the tables themselves (the export shows some through views). */
async function countsFor(server: PrivacyTestServer, m: TestMember): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  await server.store.withConnection(async (c) => {
    for (const [table, how] of Object.entries(MEMBER_TABLES)) {
      counts[table] = Number((await c.runAndReadAll(`SELECT count(*) FROM ${table} WHERE ${memberFilter(how)}`, [m.memberId])).getRows()[0][0]);
    }
  });
  return counts;
}

/** Every column of every table that mentions one of `needles` anywhere in its text. */
async function mentions(store: DuckDbStore, needles: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const [table, columns] of await columnsOf(store)) {
    for (const column of columns) {
      for (const needle of needles) {
        const rows = await store.withConnection(async (c) =>
          (await c.runAndReadAll(`SELECT count(*) AS n FROM ${table} WHERE contains(CAST("${column}" AS VARCHAR), $1)`, [needle])).getRowObjects(),
        );
        if (Number(rows[0].n) > 0) found.push(`${table}.${column} holds ${needle}`);
      }
    }
  }
  return found;
}

function capture(): Output & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { json: true, lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}

test('DELETE /v1/me (password again) removes the member from every table, keeps the audit chain verifiable with the subject pseudonymised, flags recomputation; erasing again changes nothing', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'binge-erase-'));
  const server = await startPrivacyServer({ dataDir });
  try {
    const support = await addStaff(server, 'support');
    const ana = await fullMember(server, support);
    const bo = await fullMember(server, support);
    const anaBefore = await countsFor(server, ana);
    const boBefore = await countsFor(server, bo);
    for (const table of Object.keys(MEMBER_TABLES)) assert.ok(anaBefore[table] > 0, `the fixture (fullMember) needs a row in ${table}`);
    const anaProfiles = (await server.privacy.store.profilesOf(ana.memberId)).map((p) => p.profileId);
    const anaPseudonym = await server.privacy.store.pseudonymOf(ana.memberId);

    const wrong = await call(server, 'DELETE', '/v1/me', ana.token, { password: 'not the password' });
    assert.equal(wrong.status, 401, 'erasure needs the password again');
    assert.deepEqual(await countsFor(server, ana), anaBefore);

    const erased = await call(server, 'DELETE', '/v1/me', ana.token, { password: ana.password });
    assert.equal(erased.status, 200, erased.text);
    assert.deepEqual(erased.body.removed, anaBefore);

    assert.deepEqual(await mentions(server.store, [ana.memberId, ...anaProfiles, `tv-${ana.memberId}`, ana.email]), [], 'nothing anywhere names the member');
    assert.deepEqual(await countsFor(server, bo), boBefore, 'other members keep everything');
    const entries = await server.privacy.store.auditEntries();
    assert.deepEqual(verifyChain(entries, await server.privacy.store.auditHead()), { ok: true, entries: entries.length });
    const aboutAna = entries.filter((e) => e.subject === anaPseudonym);
    assert.ok(aboutAna.some((e) => e.data === 'erasure') && aboutAna.some((e) => e.ticket === 'SUP-9'), 'entries about her stay, under the pseudonym');
    for (const flag of Object.values(RECOMPUTE_FLAGS)) assert.ok(await server.store.meta(flag), `${flag} set`);
    assert.equal((await call(server, 'GET', '/v1/me', ana.token)).status, 401, 'her token stops working');

    const again = await server.privacy.store.eraseMember(ana.memberId, { ...entries[0], atMs: server.clock.nowMs }, server.clock.nowMs);
    assert.equal(again.found, false);
    assert.ok(Object.values(again.removed).every((n) => n === 0));

    await server.stop();
    const output = capture();
    assert.equal(await main(['--data', dataDir, 'erase', ana.memberId, '--json'], output), 0, output.errors.join('\n'));
    assert.equal(JSON.parse(output.lines[0]).erased, false, 'the CLI reports nothing left');

    const cli = capture();
    assert.equal(await main(['--data', dataDir, 'erase', bo.memberId, '--ticket', 'REQ-2', '--json'], cli), 0, cli.errors.join('\n'));
    assert.deepEqual(JSON.parse(cli.lines[0]).removed, boBefore);
    const verify = capture();
    assert.equal(await main(['--data', dataDir, 'audit', 'verify'], verify), 0, verify.errors.join('\n'));
  } finally {
    await server.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
