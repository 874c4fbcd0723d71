import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../cli/main.js';
import type { Output } from '../cli/output.js';
import { openDuckDbStore } from '../store/duckdb/adapter.js';
import { DuckDbPrivacyStore } from '../store/duckdb/privacy.js';
import { canonicalJson, chainEntry, entryHash, verifyChain, type AuditEntry, type AuditFields } from './audit.js';

const fields = (i: number): AuditFields => ({
  atMs: Date.UTC(2025, 0, 1) + i * 60_000,
  asker: i % 2 ? 'staff-1' : 'subj_member',
  role: i % 2 ? 'support' : 'member',
  subject: 'subj_member',
  purpose: i % 2 ? 'support_ticket' : 'self_service',
  ticket: i % 2 ? `SUP-${i}` : null,
  data: 'history',
  what: 'GET /v1/support/members/:memberId/history',
  outcome: 'allowed',
});

function chain(n: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (let i = 0; i < n; i++) entries.push(chainEntry(entries.at(-1) ?? null, fields(i)));
  return entries;
}

test('canonical JSON sorts keys at every level and drops nothing else', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [2, { z: null, y: 'x' }], c: true } }), '{"a":{"c":true,"d":[2,{"y":"x","z":null}]},"b":1}');
  assert.equal(canonicalJson({ a: 1, b: 2 }), canonicalJson({ b: 2, a: 1 }));
});

test('an intact chain verifies; each entry hashes its sequence number, its fields and the previous hash', () => {
  const entries = chain(5);
  assert.deepEqual(verifyChain(entries, { seq: 5, hash: entries[4].hash }), { ok: true, entries: 5 });
  assert.equal(entries[1].prevHash, entries[0].hash);
  assert.equal(entries[2].hash, entryHash(3, entries[2], entries[1].hash));
});

test('the verifier names the first bad entry when one is edited, deleted, inserted or reordered', () => {
  const edited = chain(5).map((e) => (e.seq === 3 ? { ...e, ticket: 'SUP-FORGED' } : e));
  assert.deepEqual(pick(verifyChain(edited)), { ok: false, firstBad: 3 });

  const deleted = chain(5).filter((e) => e.seq !== 2);
  assert.deepEqual(pick(verifyChain(deleted)), { ok: false, firstBad: 3 });

  const original = chain(5);
  const forged = chainEntry(original[1], { ...fields(9), what: 'forged' });
  const inserted = [...original.slice(0, 2), forged, ...original.slice(2).map((e) => ({ ...e, seq: e.seq + 1 }))];
  assert.deepEqual(pick(verifyChain(inserted)), { ok: false, firstBad: 4 }, 'the entry after the forged one no longer links');

  const swapped = chain(5);
  [swapped[1], swapped[2]] = [swapped[2], swapped[1]];
  assert.deepEqual(pick(verifyChain(swapped)), { ok: false, firstBad: 3 }, 'stored order');
  const renumbered = chain(5).map((e) => (e.seq === 2 ? { ...e, seq: 3 } : e.seq === 3 ? { ...e, seq: 2 } : e)).sort((a, b) => a.seq - b.seq);
  assert.deepEqual(pick(verifyChain(renumbered)), { ok: false, firstBad: 2 }, 'sequence numbers swapped');

  const entries = chain(5);
  assert.deepEqual(pick(verifyChain(entries.slice(0, 4), { seq: 5, hash: entries[4].hash })), { ok: false, firstBad: 5 }, 'cut off the end');
  const appended = [...entries, chainEntry(entries[4], fields(7))];
  assert.deepEqual(pick(verifyChain(appended, { seq: 5, hash: entries[4].hash })), { ok: false, firstBad: 6 }, 'added after the last written');
});

function pick(check: ReturnType<typeof verifyChain>) {
  return check.ok ? { ok: true } : { ok: false, firstBad: check.firstBad };
}

function capture(): Output & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { json: false, lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}

/** A database with 6 entries written by the store, then `tamper` run on it in SQL. */
async function verifyAfter(tamper: string[]): Promise<{ code: number; text: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'binge-audit-'));
  try {
    const store = await openDuckDbStore({ dataDir: dir });
    const privacy = new DuckDbPrivacyStore(store);
    for (let i = 0; i < 6; i++) await privacy.appendAudit(fields(i));
    for (const sql of tamper) await store.withConnection((c) => c.run(sql));
    await store.close();
    const output = capture();
    const code = await main(['--data', dir, 'audit', 'verify'], output);
    return { code, text: [...output.lines, ...output.errors].join('\n') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('binge audit verify: exit 0 on the log as written; exit 1 naming the entry after an edit, a deletion, an insertion or a reorder in the database', async () => {
  const intact = await verifyAfter([]);
  assert.equal(intact.code, 0, intact.text);
  assert.match(intact.text, /intact: 6 entries/);

  const edited = await verifyAfter(["UPDATE audit_log SET ticket = 'SUP-FORGED' WHERE seq = 4"]);
  assert.equal(edited.code, 1);
  assert.match(edited.text, /broken at entry 4 .*edited.*\[BINGE_AUDIT_CHAIN_BROKEN\]/);

  const deleted = await verifyAfter(['DELETE FROM audit_log WHERE seq = 2']);
  assert.equal(deleted.code, 1);
  assert.match(deleted.text, /broken at entry 3 /);

  const inserted = await verifyAfter([
    'UPDATE audit_log SET seq = seq + 100 WHERE seq >= 3',
    'UPDATE audit_log SET seq = seq - 99 WHERE seq >= 103',
    "INSERT INTO audit_log SELECT 3, at_ms, asker, role, subject, purpose, ticket, data, 'forged', outcome, hash, hash FROM audit_log WHERE seq = 2",
  ]);
  assert.equal(inserted.code, 1);
  assert.match(inserted.text, /broken at entry 3 /);

  const reordered = await verifyAfter(['UPDATE audit_log SET seq = CASE seq WHEN 2 THEN 5 WHEN 5 THEN 2 ELSE seq END']);
  assert.equal(reordered.code, 1);
  assert.match(reordered.text, /broken at entry 2 /);

  const truncated = await verifyAfter(['DELETE FROM audit_log WHERE seq = 6']);
  assert.equal(truncated.code, 1);
  assert.match(truncated.text, /broken at entry 6 .*cut off/);
});
