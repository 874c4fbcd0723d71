import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { main } from '../cli/main.js';
import type { Output } from '../cli/output.js';
import { MEMBER_TABLES } from './member-data.js';
import { neutraliseCell, type MemberExport } from './export.js';
import { addMember, addStaff, call, startPrivacyServer, watch } from './test-support.js';

const DANGEROUS = ['=HYPERLINK("http://evil.example","x")', '+SUM(1,2)', '-2+3', '@cmd', '\tTAB', '\rCR'];

test('cells starting with = + - @ tab or CR get a leading apostrophe; others are left alone', () => {
  for (const cell of DANGEROUS) assert.equal(neutraliseCell(cell), `'${cell}`);
  for (const cell of ['Ana', '12', '', "'quoted", ' =spaced']) assert.equal(neutraliseCell(cell), cell);
});

function capture(): Output & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { json: false, lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}

test('GET /v1/me/export gives everything kept about the member as JSON and as CSV that parses and holds no formula', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'binge-export-'));
  const server = await startPrivacyServer({ dataDir });
  try {
    const ana = await addMember(server);
    const other = await addMember(server);
    for (const name of DANGEROUS.slice(0, 3)) await call(server, 'POST', '/v1/me/profiles', ana.token, { name });
    await watch(server, ana.profileId, { titleId: 'title-a', minutes: 5 });
    await watch(server, other.profileId, { titleId: 'title-other', minutes: 5 });
    await server.store.withConnection(async (c) => {
      for (const [i, query] of DANGEROUS.entries()) await c.run('INSERT INTO searches VALUES ($1, $2, $3, $4)', [`s${i}`, ana.profileId, query, BigInt(i)]);
      await c.run('INSERT INTO thumbs VALUES ($1, $2, $3, $4, $5)', ['t1', ana.profileId, 'title-a', 'two_up', 5n]);
      await c.run('INSERT INTO onboarding_picks VALUES ($1, $2, $3)', [ana.profileId, 'title-a', 6n]);
    });
    await call(server, 'PUT', '/v1/me/consents', ana.token, { public_facts: false });
    const support = await addStaff(server, 'support');
    await call(server, 'POST', '/v1/support/grants', support.token, { memberId: ana.memberId, ticket: 'SUP-3', reason: 'checking searches for a bug', data: ['searches'] });
    await call(server, 'GET', `/v1/support/members/${ana.memberId}/searches`, support.token);

    const json = await call(server, 'GET', '/v1/me/export?format=json', ana.token);
    assert.equal(json.status, 200, json.text);
    assert.match(String(json.headers['content-disposition']), /attachment; filename="binge-export-\d{4}-\d{2}-\d{2}\.json"/);
    const data = json.body as MemberExport;
    assert.equal(data.format, 'binge-export/1');
    // Each under its own name, or under the view that decodes it (imported rows and views: migration 11).
    const exportedNames = Object.entries(MEMBER_TABLES).flatMap(([table, how]) => (how.exportAs === null ? [] : [how.exportAs ?? table]));
    assert.deepEqual(Object.keys(data.tables).sort(), exportedNames.sort(), 'every member table is in the export');
    assert.equal(data.tables.profiles.length, 4);
    assert.equal(data.tables.events.length, 6);
    assert.equal(data.tables.views.length, 1);
    assert.equal(data.tables.searches.length, DANGEROUS.length);
    assert.equal(data.tables.thumbs.length, 1);
    assert.equal(data.tables.onboarding_picks.length, 1);
    assert.equal(data.tables.consent_changes.length, 1);
    assert.equal(data.consentsNow.public_facts, false);
    assert.ok(data.accessLog.some((e) => e.ticket === 'SUP-3' && e.role === 'support' && e.data === 'searches'), 'the support read is in the export');
    assert.ok(!json.text.includes('title-other') && !json.text.includes(other.memberId), "nothing of another member's");
    assert.ok(!json.text.includes('argon2') && !('password_hash' in data.tables.accounts[0]), 'no password hash');

    const csv = await call(server, 'GET', '/v1/me/export?format=csv', ana.token);
    assert.equal(csv.status, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    const records = parse(csv.text, { columns: true, relax_column_count: false }) as { table: string; row: string; column: string; value: string }[];
    assert.deepEqual(Object.keys(records[0]), ['table', 'row', 'column', 'value']);
    for (const record of records) {
      for (const cell of Object.values(record)) assert.doesNotMatch(cell, /^[=+\-@\t\r]/, `a cell a spreadsheet would run: ${JSON.stringify(cell)}`);
    }
    const queries = records.filter((r) => r.table === 'searches' && r.column === 'query').map((r) => r.value);
    assert.deepEqual(queries.sort(), DANGEROUS.map((d) => `'${d}`).sort(), 'the values are kept, neutralised');
    assert.equal(new Set(records.filter((r) => r.table === 'events').map((r) => r.row)).size, 6);

    await server.stop();
    const cli = capture();
    assert.equal(await main(['--data', dataDir, 'export', ana.memberId, '--format', 'csv', '--ticket', 'REQ-1'], cli), 0, cli.errors.join('\n'));
    const cliRecords = parse(cli.lines.join('\n'), { columns: true }) as { table: string; column: string; value: string }[];
    assert.equal(cliRecords.filter((r) => r.table === 'searches' && r.column === 'query').length, DANGEROUS.length);
    assert.ok(cliRecords.some((r) => r.table === 'access_log' && r.column === 'what' && r.value.startsWith('binge export')), 'the export itself is in the access log');
    assert.equal(await main(['--data', dataDir, 'export', 'no-such-member'], capture()), 1);
  } finally {
    await server.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
