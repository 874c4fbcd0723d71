// Erasure: a member's rows leave every table of MEMBER_TABLES (member-data.ts) in one
// transaction, together with the audit entry that records it. The audit log keeps its entries:
// they name the member only by pseudonym, and the pseudonym's row is erased, so the chain still
// verifies and points at no one. Derived facts and models are flagged for recomputation
// (RECOMPUTE_FLAGS in meta); released DP facts stay as published (DEFINITIONS.md). Erasing a
// member that is already gone succeeds and removes nothing.

import type { ErasureResult, PrivacyStore } from '../store/privacy-port.js';
import type { AuditFields } from './audit.js';

export async function eraseMember(store: PrivacyStore, memberId: string, audit: AuditFields, nowMs: number): Promise<ErasureResult> {
  return store.eraseMember(memberId, audit, nowMs);
}
