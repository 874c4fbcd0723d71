// The storage privacy/ needs, in domain words: accounts, pseudonyms, consent history, support
// grants, the audit log, wellbeing settings, and a member's rows for export and erasure.
// store/duckdb/privacy.ts implements it on the embedded engine. Other modules read consent
// through `consentedAt` and `membersConsenting` here.

import type { Member, Millis, Profile } from '../domain/model.js';
import type { AuditEntry, AuditFields } from '../privacy/audit.js';
import type { ConsentChange, ConsentPurpose } from '../privacy/consent.js';
import type { Grant, GrantableData, Role } from '../privacy/policy.js';

export interface Account {
  accountId: string;
  email: string;
  passwordHash: string;
  role: Role;
  createdAtMs: Millis;
}

export interface StoredGrant extends Grant {
  reason: string;
  openedAtMs: Millis;
}

export interface WellbeingSettings {
  /** "HH:MM" local time the member wants to stop watching by; null: none chosen. */
  bedtime: string | null;
}

/** A member's rows, table by table (export). */
export type MemberRows = Record<string, Record<string, unknown>[]>;

export interface ErasureResult {
  /** Rows removed per table. */
  removed: Record<string, number>;
  /** False when there was nothing left to erase (erasure is idempotent). */
  found: boolean;
}

export interface PrivacyStore {
  // Accounts. Members get a member row, an account and a first profile in one transaction.
  createMemberAccount(input: { member: Member; account: Account; profile: Profile }): Promise<'created' | 'email_taken'>;
  createStaffAccount(account: Account): Promise<'created' | 'email_taken'>;
  /** Gives an existing member (demo data, imports) an account to sign in with. */
  createAccountForMember(account: Account): Promise<'created' | 'email_taken'>;
  accountByEmail(email: string): Promise<Account | undefined>;
  account(accountId: string): Promise<Account | undefined>;

  /** The member's pseudonym in the audit log, created on first use. */
  pseudonymOf(memberId: string): Promise<string>;

  profilesOf(memberId: string): Promise<Profile[]>;
  /** Adds a profile unless the member already has `max`; false then. */
  addProfile(profile: Profile, max: number): Promise<boolean>;
  devicesOf(memberId: string): Promise<{ deviceId: string; kind: string | null; lastSeenMs: Millis | null }[]>;
  searchesOf(memberId: string): Promise<{ profileId: string; query: string; atMs: Millis }[]>;

  // Consent.
  consentHistory(memberId: string): Promise<ConsentChange[]>;
  /** `consentHistory` of each member, in one read (a member with no changes maps to []). */
  consentHistories(memberIds: readonly string[]): Promise<Map<string, ConsentChange[]>>;
  recordConsents(memberId: string, changes: readonly { purpose: ConsentPurpose; granted: boolean }[], atMs: Millis): Promise<void>;
  consentedAt(memberId: string, purpose: ConsentPurpose, nowMs: Millis): Promise<boolean>;
  /** Members whose consent to `purpose` holds at `nowMs` (defaults included). */
  membersConsenting(purpose: ConsentPurpose, nowMs: Millis): Promise<string[]>;
  /** The profiles of those members (models and facts are per profile). */
  profilesConsenting(purpose: ConsentPurpose, nowMs: Millis): Promise<string[]>;

  // Support grants.
  openGrant(grant: StoredGrant): Promise<void>;
  grantsOn(supportId: string, memberId: string): Promise<StoredGrant[]>;
  /** The grants one support account holds that are neither closed nor expired at `nowMs`, oldest first. */
  openGrantsOf(supportId: string, nowMs: Millis): Promise<StoredGrant[]>;
  closeGrant(grantId: string, supportId: string, atMs: Millis): Promise<boolean>;

  // Audit log.
  appendAudit(fields: AuditFields): Promise<AuditEntry>;
  auditEntries(): Promise<AuditEntry[]>;
  auditEntriesAbout(pseudonym: string): Promise<AuditEntry[]>;
  /** The last entry written, recorded apart from the table. */
  auditHead(): Promise<{ seq: number; hash: string } | undefined>;

  wellbeingSettings(memberId: string): Promise<WellbeingSettings>;
  setWellbeingSettings(memberId: string, settings: WellbeingSettings, atMs: Millis): Promise<void>;

  /** Every row kept about the member, per table (privacy/erasure.ts says which tables). */
  memberRows(memberId: string): Promise<MemberRows>;
  /** Removes the member everywhere, writes `audit` in the same transaction, marks derived data for recomputation. */
  eraseMember(memberId: string, audit: AuditFields, atMs: Millis): Promise<ErasureResult>;
}

export type { GrantableData };
