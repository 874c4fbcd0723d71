// The privacy store on the embedded engine, on the same connection as everything else (through
// DuckDbStore.withConnection, so statements of the two never interleave).

import { randomBytes } from 'node:crypto';
import { listValue, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import type { Millis, Profile } from '../../domain/model.js';
import { chainEntry, type AuditEntry, type AuditFields } from '../../privacy/audit.js';
import { CONSENT_DEFAULTS, consentAt, type ConsentChange, type ConsentPurpose } from '../../privacy/consent.js';
import { MEMBER_TABLES, RECOMPUTE_FLAGS, type MemberTable } from '../../privacy/member-data.js';
import type { GrantableData, Role } from '../../privacy/policy.js';
import type { Account, ErasureResult, MemberRows, PrivacyStore, StoredGrant, WellbeingSettings } from '../privacy-port.js';
import { BingeError } from '../../errors.js';
import { privacyServices, type PrivacyServices } from '../../privacy/services.js';
import { accountFromRow, DuckDbStore, openDuckDbStore } from './adapter.js';
import { inTransaction } from './transaction.js';

const num = (value: DuckDBValue): number => (typeof value === 'bigint' ? Number(value) : (value as number));
const str = (value: DuckDBValue): string => value as string;
const optNum = (value: DuckDBValue): number | null => (value === null ? null : num(value));
const AUDIT_HEAD = 'audit.head';

type Rows = Record<string, DuckDBValue>[];
async function rows(c: DuckDBConnection, sql: string, values: DuckDBValue[] = []): Promise<Rows> {
  return (await c.runAndReadAll(sql, values)).getRowObjects();
}

function isUniqueViolation(error: unknown): boolean {
  return /constraint|duplicate key/i.test(String((error as Error)?.message ?? error));
}

export class DuckDbPrivacyStore implements PrivacyStore {
  /** The last audit entry written, once read (one writing process per database, so it stays true). */
  private head: { seq: number; hash: string } | null | undefined;
  /** Pseudonyms never change; erasure forgets the member's. */
  private readonly pseudonyms = new Map<string, string>();

  constructor(private readonly store: DuckDbStore) {}

  private async headWith(c: DuckDBConnection): Promise<{ seq: number; hash: string } | null> {
    if (this.head === undefined) {
      const [last] = await rows(c, 'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
      this.head = last ? { seq: num(last.seq), hash: str(last.hash) } : null;
    }
    return this.head;
  }

  /** Appends inside the caller's transaction; the cached head moves only after `commit` succeeds. */
  private async appendWith(c: DuckDBConnection, fields: AuditFields, work: () => Promise<void> = async () => undefined): Promise<AuditEntry> {
    const entry = await inTransaction(c, async () => {
      const written = await appendAuditWith(c, await this.headWith(c), fields);
      await work();
      return written;
    }).catch((error) => {
      this.head = undefined;
      throw error;
    });
    this.head = { seq: entry.seq, hash: entry.hash };
    return entry;
  }

  private run<T>(work: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.store.withConnection(work);
  }

  // ---- accounts ------------------------------------------------------------------------------

  async createMemberAccount(input: { member: { memberId: string; country: string; createdAtMs: Millis }; account: Account; profile: Profile }): Promise<'created' | 'email_taken'> {
    const { member, account, profile } = input;
    return this.run(async (c) => {
      if ((await rows(c, 'SELECT 1 FROM accounts WHERE email = $1', [account.email])).length > 0) return 'email_taken';
      try {
        await inTransaction(c, async () => {
          await c.run('INSERT INTO members VALUES ($1, $2, $3)', [member.memberId, member.country, BigInt(member.createdAtMs)]);
          await insertAccount(c, account);
          await c.run('INSERT INTO profiles VALUES ($1, $2, $3)', [profile.profileId, profile.memberId, profile.name]);
          await ensurePseudonym(c, member.memberId);
        });
      } catch (error) {
        if (isUniqueViolation(error)) return 'email_taken';
        throw error;
      }
      this.store.patchDirectory((d) => {
        d.putAccount(account);
        d.putProfiles([profile]);
      });
      return 'created';
    });
  }

  async createAccountForMember(account: Account): Promise<'created' | 'email_taken'> {
    return this.run(async (c) => {
      if ((await rows(c, 'SELECT 1 FROM accounts WHERE email = $1 OR account_id = $2', [account.email, account.accountId])).length > 0) return 'email_taken';
      await inTransaction(c, async () => {
        await insertAccount(c, account);
        await ensurePseudonym(c, account.accountId);
      });
      this.store.patchDirectory((d) => d.putAccount(account));
      return 'created';
    });
  }

  async createStaffAccount(account: Account): Promise<'created' | 'email_taken'> {
    return this.run(async (c) => {
      if ((await rows(c, 'SELECT 1 FROM accounts WHERE email = $1', [account.email])).length > 0) return 'email_taken';
      await insertAccount(c, account);
      this.store.patchDirectory((d) => d.putAccount(account));
      return 'created';
    });
  }

  async accountByEmail(email: string): Promise<Account | undefined> {
    const [row] = await this.run((c) => rows(c, 'SELECT * FROM accounts WHERE email = $1', [email]));
    return row ? accountFromRow(row) : undefined;
  }

  /** From the store's in-memory directory (kept equal to the table by every write here). */
  async account(accountId: string): Promise<Account | undefined> {
    const found = (await this.store.directory()).account(accountId);
    return found ? { ...found } : undefined;
  }

  async pseudonymOf(memberId: string): Promise<string> {
    const known = this.pseudonyms.get(memberId);
    if (known) return known;
    const pseudonym = await this.run((c) => ensurePseudonym(c, memberId));
    this.pseudonyms.set(memberId, pseudonym);
    return pseudonym;
  }

  // ---- profiles, devices, searches -------------------------------------------------------------

  async profilesOf(memberId: string): Promise<Profile[]> {
    const found = await this.run((c) => rows(c, 'SELECT * FROM profiles WHERE member_id = $1 ORDER BY profile_id', [memberId]));
    return found.map((r) => ({ profileId: str(r.profile_id), memberId: str(r.member_id), name: str(r.name) }));
  }

  async addProfile(profile: Profile, max: number): Promise<boolean> {
    return this.run(async (c) => {
      const added = await inTransaction(c, async () => {
        const [row] = await rows(c, 'SELECT count(*) AS n FROM profiles WHERE member_id = $1', [profile.memberId]);
        if (num(row.n) >= max) return false;
        await c.run('INSERT INTO profiles VALUES ($1, $2, $3)', [profile.profileId, profile.memberId, profile.name]);
        return true;
      });
      if (added) this.store.patchDirectory((d) => d.putProfiles([profile]));
      return added;
    });
  }

  async devicesOf(memberId: string): Promise<{ deviceId: string; kind: string | null; lastSeenMs: Millis | null }[]> {
    const found = await this.run((c) =>
      rows(
        c,
        // Imported rows count as seen at their stop, as the events they stand for would.
        `WITH seen AS (
           SELECT device_id, max(at_ms) AS last_ms FROM (
             SELECT device_id, at_ms FROM events WHERE profile_id IN (SELECT profile_id FROM profiles WHERE member_id = $1)
             UNION ALL
             SELECT device_id, start_ms + duration_s * 1000 FROM imported_rows WHERE profile_id IN (SELECT profile_id FROM profiles WHERE member_id = $1))
           GROUP BY device_id)
         SELECT coalesce(d.device_id, s.device_id) AS device_id, d.kind, s.last_ms
         FROM (SELECT * FROM devices WHERE member_id = $1) d FULL OUTER JOIN seen s ON s.device_id = d.device_id
         ORDER BY 1`,
        [memberId],
      ),
    );
    return found.map((r) => ({ deviceId: str(r.device_id), kind: r.kind === null ? null : str(r.kind), lastSeenMs: optNum(r.last_ms) }));
  }

  async searchesOf(memberId: string): Promise<{ profileId: string; query: string; atMs: Millis }[]> {
    const found = await this.run((c) =>
      rows(c, 'SELECT profile_id, query, at_ms FROM searches WHERE profile_id IN (SELECT profile_id FROM profiles WHERE member_id = $1) ORDER BY at_ms DESC', [memberId]),
    );
    return found.map((r) => ({ profileId: str(r.profile_id), query: str(r.query), atMs: num(r.at_ms) }));
  }

  // ---- consent -------------------------------------------------------------------------------

  async consentHistory(memberId: string): Promise<ConsentChange[]> {
    const found = await this.run((c) => rows(c, 'SELECT purpose, granted, at_ms, seq FROM consent_changes WHERE member_id = $1 ORDER BY at_ms, seq', [memberId]));
    return found.map((r) => ({ purpose: str(r.purpose) as ConsentPurpose, granted: r.granted as boolean, atMs: num(r.at_ms), seq: num(r.seq) }));
  }

  async consentHistories(memberIds: readonly string[]): Promise<Map<string, ConsentChange[]>> {
    const histories = new Map<string, ConsentChange[]>(memberIds.map((id) => [id, []]));
    if (memberIds.length === 0) return histories;
    const found = await this.run((c) =>
      rows(c, 'SELECT member_id, purpose, granted, at_ms, seq FROM consent_changes WHERE member_id IN (SELECT unnest($1::VARCHAR[])) ORDER BY member_id, at_ms, seq', [
        listValue([...new Set(memberIds)]),
      ]),
    );
    for (const r of found) histories.get(str(r.member_id))!.push({ purpose: str(r.purpose) as ConsentPurpose, granted: r.granted as boolean, atMs: num(r.at_ms), seq: num(r.seq) });
    return histories;
  }

  async recordConsents(memberId: string, changes: readonly { purpose: ConsentPurpose; granted: boolean }[], atMs: Millis): Promise<void> {
    if (changes.length === 0) return;
    await this.run((c) =>
      inTransaction(c, async () => {
        const [row] = await rows(c, 'SELECT coalesce(max(seq), 0) AS s FROM consent_changes WHERE member_id = $1', [memberId]);
        let seq = num(row.s);
        for (const change of changes) {
          seq++;
          await c.run('INSERT INTO consent_changes VALUES ($1, $2, $3, $4, $5)', [memberId, change.purpose, change.granted, BigInt(atMs), BigInt(seq)]);
        }
      }),
    );
  }

  async consentedAt(memberId: string, purpose: ConsentPurpose, nowMs: Millis): Promise<boolean> {
    return consentAt(await this.consentHistory(memberId), purpose, nowMs);
  }

  async membersConsenting(purpose: ConsentPurpose, nowMs: Millis): Promise<string[]> {
    const found = await this.run((c) => rows(c, `${CONSENTING_MEMBERS} ORDER BY 1`, [purpose, BigInt(Math.floor(nowMs)), CONSENT_DEFAULTS[purpose]]));
    return found.map((r) => str(r.member_id));
  }

  async profilesConsenting(purpose: ConsentPurpose, nowMs: Millis): Promise<string[]> {
    const found = await this.run((c) =>
      rows(c, `SELECT profile_id FROM profiles WHERE member_id IN (${CONSENTING_MEMBERS}) ORDER BY 1`, [purpose, BigInt(Math.floor(nowMs)), CONSENT_DEFAULTS[purpose]]),
    );
    return found.map((r) => str(r.profile_id));
  }

  // ---- support grants ------------------------------------------------------------------------

  async openGrant(grant: StoredGrant): Promise<void> {
    await this.run((c) =>
      c.run('INSERT INTO support_grants VALUES ($1, $2, $3, $4, $5, $6::VARCHAR[], $7, $8, $9)', [
        grant.grantId,
        grant.supportId,
        grant.memberId,
        grant.ticket,
        grant.reason,
        listValue([...grant.data]),
        BigInt(grant.openedAtMs),
        BigInt(grant.expiresAtMs),
        grant.closedAtMs === null ? null : BigInt(grant.closedAtMs),
      ]),
    );
  }

  async grantsOn(supportId: string, memberId: string): Promise<StoredGrant[]> {
    const found = await this.run((c) => rows(c, 'SELECT * FROM support_grants WHERE support_id = $1 AND member_id = $2 ORDER BY opened_at_ms', [supportId, memberId]));
    return found.map(grantFromRow);
  }

  async openGrantsOf(supportId: string, nowMs: Millis): Promise<StoredGrant[]> {
    const found = await this.run((c) =>
      rows(c, 'SELECT * FROM support_grants WHERE support_id = $1 AND closed_at_ms IS NULL AND expires_at_ms > $2 ORDER BY opened_at_ms, grant_id', [supportId, BigInt(nowMs)]),
    );
    return found.map(grantFromRow);
  }

  async closeGrant(grantId: string, supportId: string, atMs: Millis): Promise<boolean> {
    return this.run(async (c) => {
      const found = await rows(c, 'SELECT 1 FROM support_grants WHERE grant_id = $1 AND support_id = $2 AND closed_at_ms IS NULL', [grantId, supportId]);
      if (found.length === 0) return false;
      await c.run('UPDATE support_grants SET closed_at_ms = $3 WHERE grant_id = $1 AND support_id = $2', [grantId, supportId, BigInt(atMs)]);
      return true;
    });
  }

  // ---- audit log -----------------------------------------------------------------------------

  async appendAudit(fields: AuditFields): Promise<AuditEntry> {
    return this.run((c) => this.appendWith(c, fields));
  }

  async auditEntries(): Promise<AuditEntry[]> {
    return (await this.run((c) => rows(c, 'SELECT * FROM audit_log ORDER BY seq'))).map(auditFromRow);
  }

  async auditEntriesAbout(pseudonym: string): Promise<AuditEntry[]> {
    return (await this.run((c) => rows(c, 'SELECT * FROM audit_log WHERE subject = $1 ORDER BY seq', [pseudonym]))).map(auditFromRow);
  }

  async auditHead(): Promise<{ seq: number; hash: string } | undefined> {
    const value = await this.store.meta(AUDIT_HEAD);
    return value ? (JSON.parse(value) as { seq: number; hash: string }) : undefined;
  }

  // ---- wellbeing -----------------------------------------------------------------------------

  async wellbeingSettings(memberId: string): Promise<WellbeingSettings> {
    const [row] = await this.run((c) => rows(c, 'SELECT bedtime FROM wellbeing_settings WHERE member_id = $1', [memberId]));
    return { bedtime: row && row.bedtime !== null ? str(row.bedtime) : null };
  }

  async setWellbeingSettings(memberId: string, settings: WellbeingSettings, atMs: Millis): Promise<void> {
    await this.run((c) => c.run('INSERT OR REPLACE INTO wellbeing_settings VALUES ($1, $2, $3)', [memberId, settings.bedtime, BigInt(atMs)]));
  }

  // ---- export and erasure --------------------------------------------------------------------

  async memberRows(memberId: string): Promise<MemberRows> {
    return this.run(async (c) => {
      const out: MemberRows = {};
      for (const [table, how] of Object.entries(MEMBER_TABLES)) {
        if (how.exportAs === null) continue;
        const name = how.exportAs ?? table;
        const reader = await c.runAndReadAll(`SELECT * FROM ${name} WHERE ${memberFilter(how)}`, [memberId]);
        const hidden = new Set(how.notExported ?? []);
        out[name] = reader.getRowObjectsJS().map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => !hidden.has(k)).map(([k, v]) => [k, plain(v)])));
      }
      return out;
    });
  }

  async eraseMember(memberId: string, audit: AuditFields, atMs: Millis): Promise<ErasureResult> {
    const removed: Record<string, number> = {};
    let found = false;
    await this.run(async (c) => {
      await this.appendWith(c, audit, async () => {
        // In MEMBER_TABLES order: tables found through profiles go before profiles themselves.
        for (const [table, how] of Object.entries(MEMBER_TABLES)) {
          const [row] = await rows(c, `SELECT count(*) AS n FROM ${table} WHERE ${memberFilter(how)}`, [memberId]);
          removed[table] = num(row.n);
          if (removed[table] > 0) {
            found = true;
            await c.run(`DELETE FROM ${table} WHERE ${memberFilter(how)}`, [memberId]);
          }
        }
        if (found) {
          const stamp = new Date(atMs).toISOString();
          for (const flag of Object.values(RECOMPUTE_FLAGS)) await c.run('INSERT OR REPLACE INTO meta VALUES ($1, $2)', [flag, stamp]);
        }
      });
      this.store.patchDirectory((d) => d.eraseMember(memberId));
    });
    this.pseudonyms.delete(memberId);
    // After the commit: serving caches drop the member, and the retrain job sees the recompute flag.
    if (found) this.store.changed({ memberIds: [memberId], recompute: true });
    return { removed, found };
  }
}

/** Members whose latest change before $2 for purpose $1 grants it, or who have none and the default ($3) grants it. */
const CONSENTING_MEMBERS = `
  SELECT m.member_id FROM members m
  LEFT JOIN (
    SELECT member_id, arg_max(granted, at_ms * 1000000 + seq) AS granted
    FROM consent_changes WHERE purpose = $1 AND at_ms <= $2 GROUP BY member_id
  ) c ON c.member_id = m.member_id
  WHERE coalesce(c.granted, $3::BOOLEAN)`;

async function insertAccount(c: DuckDBConnection, a: Account): Promise<void> {
  await c.run('INSERT INTO accounts VALUES ($1, $2, $3, $4, $5)', [a.accountId, a.email, a.passwordHash, a.role, BigInt(a.createdAtMs)]);
}

async function ensurePseudonym(c: DuckDBConnection, memberId: string): Promise<string> {
  const [row] = await rows(c, 'SELECT pseudonym FROM subject_pseudonyms WHERE member_id = $1', [memberId]);
  if (row) return str(row.pseudonym);
  const pseudonym = `subj_${randomBytes(12).toString('base64url')}`;
  await c.run('INSERT INTO subject_pseudonyms VALUES ($1, $2)', [memberId, pseudonym]);
  return pseudonym;
}

/** Rows of a member table that belong to member $1 (directly, or through the member's profiles). */
/** The rows of a member table that are the member's ($1: the member id). */
export function memberFilter(how: MemberTable): string {
  return how.key === 'member' ? `${how.column} = $1` : `${how.column} IN (SELECT profile_id FROM profiles WHERE member_id = $1)`;
}

/** Appends one entry chained to `head`; the caller holds a transaction. */
async function appendAuditWith(c: DuckDBConnection, head: { seq: number; hash: string } | null, fields: AuditFields): Promise<AuditEntry> {
  const entry = chainEntry(head, fields);
  await c.run('INSERT INTO audit_log VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)', [
    BigInt(entry.seq),
    BigInt(entry.atMs),
    entry.asker,
    entry.role,
    entry.subject,
    entry.purpose,
    entry.ticket,
    entry.data,
    entry.what,
    entry.outcome,
    entry.prevHash,
    entry.hash,
  ]);
  await c.run('INSERT OR REPLACE INTO meta VALUES ($1, $2)', [AUDIT_HEAD, JSON.stringify({ seq: entry.seq, hash: entry.hash })]);
  return entry;
}

function auditFromRow(r: Record<string, DuckDBValue>): AuditEntry {
  return {
    seq: num(r.seq),
    atMs: num(r.at_ms),
    asker: str(r.asker),
    role: str(r.role),
    subject: r.subject === null ? null : str(r.subject),
    purpose: str(r.purpose),
    ticket: r.ticket === null ? null : str(r.ticket),
    data: str(r.data),
    what: str(r.what),
    outcome: str(r.outcome) as AuditEntry['outcome'],
    prevHash: str(r.prev_hash),
    hash: str(r.hash),
  };
}


/** DuckDB's JS values as JSON-friendly plain values (BIGINT → number, DATE → "YYYY-MM-DD"). */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

/** The privacy store of a core store; only the embedded engine has one so far. */
export function privacyStoreOf(store: unknown): DuckDbPrivacyStore {
  if (!(store instanceof DuckDbStore)) {
    throw new BingeError('BINGE_STORE_UNAVAILABLE', 'the privacy store needs the embedded DuckDB engine (store/duckdb)');
  }
  return new DuckDbPrivacyStore(store);
}

/** Opens the embedded store with the privacy services for one piece of work (a CLI verb), then closes it. */
export async function withPrivacyStore<T>(
  dataDir: string,
  work: (privacy: PrivacyServices, store: DuckDbStore) => Promise<T>,
  now: () => number = Date.now,
): Promise<T> {
  const store = await openDuckDbStore({ dataDir });
  try {
    return await work(privacyServices(store, new DuckDbPrivacyStore(store), now), store);
  } finally {
    await store.close();
  }
}

function grantFromRow(r: Record<string, DuckDBValue>): StoredGrant {
  return {
    grantId: str(r.grant_id),
    supportId: str(r.support_id),
    memberId: str(r.member_id),
    ticket: str(r.ticket),
    reason: str(r.reason),
    data: (r.data as unknown as { items: string[] }).items as GrantableData[],
    openedAtMs: num(r.opened_at_ms),
    expiresAtMs: num(r.expires_at_ms),
    closedAtMs: optNum(r.closed_at_ms),
  };
}
