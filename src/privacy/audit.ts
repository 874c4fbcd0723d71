// The audit log: append-only, each entry hash-chained to the one before it. The hash is SHA-256
// over the previous hash and a canonical encoding of the entry (JSON with sorted keys, no
// whitespace), so an edited, deleted, inserted or reordered entry breaks the chain at that entry.
//
// Subjects are recorded by pseudonym from the start (store: subject_pseudonyms). Erasure deletes
// the member's pseudonym row, so the entries stay, still verify, and no longer point at anyone.
// Entries never hold titles, e-mail addresses, tokens or free text about viewing.

import { createHash } from 'node:crypto';

export interface AuditFields {
  atMs: number;
  /** Staff account id, "cli:<user>", or the member's pseudonym when members act on their own data. */
  asker: string;
  role: string;
  /** The subject's pseudonym; null when the entry is about no member. */
  subject: string | null;
  purpose: string;
  ticket: string | null;
  /** The data class asked for (policy.ts). */
  data: string;
  /** What was read or done: a route template or verb, never values. */
  what: string;
  outcome: 'allowed' | 'denied';
}

export interface AuditEntry extends AuditFields {
  seq: number;
  prevHash: string;
  hash: string;
}

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with keys sorted at every level and no whitespace: one byte string per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError('canonical JSON has no NaN or Infinity');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The hash of entry `seq` with these fields, chained to `prevHash`. The sequence number is inside, so renumbering breaks it too. */
export function entryHash(seq: number, fields: AuditFields, prevHash: string): string {
  const { atMs, asker, role, subject, purpose, ticket, data, what, outcome } = fields;
  const body = canonicalJson({ seq, atMs, asker, role, subject, purpose, ticket, data, what, outcome });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** The entry that follows `head` (null: the log is empty). */
export function chainEntry(head: { seq: number; hash: string } | null, fields: AuditFields): AuditEntry {
  const seq = head ? head.seq + 1 : 1;
  const prevHash = head ? head.hash : GENESIS_HASH;
  return { ...fields, seq, prevHash, hash: entryHash(seq, fields, prevHash) };
}

export type ChainCheck =
  | { ok: true; entries: number }
  | { ok: false; entries: number; firstBad: number; problem: string };

/**
 * Checks entries in stored order. `expectedHead`, when known, is the last seq and hash recorded
 * apart from the table (meta), which also catches entries cut off the end.
 */
export function verifyChain(entries: readonly AuditEntry[], expectedHead?: { seq: number; hash: string }): ChainCheck {
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const bad = (problem: string): ChainCheck => ({ ok: false, entries: entries.length, firstBad: e.seq, problem });
    if (e.seq !== i + 1) return bad(`entry at position ${i + 1} has sequence number ${e.seq}: an entry was deleted, inserted or moved`);
    if (e.prevHash !== prevHash) return bad('its link to the previous entry does not match: an entry before it was deleted, inserted or moved');
    if (entryHash(e.seq, e, e.prevHash) !== e.hash) return bad('its contents do not match its hash: it was edited');
    prevHash = e.hash;
  }
  if (expectedHead && expectedHead.seq > 0) {
    const last = entries[entries.length - 1];
    if (!last || last.seq !== expectedHead.seq || last.hash !== expectedHead.hash) {
      const lastSeq = last?.seq ?? 0;
      if (lastSeq < expectedHead.seq) {
        return { ok: false, entries: entries.length, firstBad: lastSeq + 1, problem: `the log ends at entry ${lastSeq} but entry ${expectedHead.seq} was written: entries were cut off the end` };
      }
      if (lastSeq > expectedHead.seq) {
        return { ok: false, entries: entries.length, firstBad: expectedHead.seq + 1, problem: `entries after ${expectedHead.seq}, the last one written, were added outside binge` };
      }
      return { ok: false, entries: entries.length, firstBad: expectedHead.seq, problem: 'the last entry is not the one written: the chain was rewritten' };
    }
  }
  return { ok: true, entries: entries.length };
}
