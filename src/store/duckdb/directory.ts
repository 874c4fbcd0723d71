// Who owns which profile, and the accounts people sign in with, kept in memory for the privacy
// hook: every request to a personal route asks "whose profile is this?" and "which account is
// this token's?", and two queries on the one serialised connection per request were most of a
// request's time under load (docs/DECISIONS.md, 15). The maps are loaded in one read on first use
// and patched by every write of these tables, inside the writer's turn on the connection right
// after its commit (the server is the file's only writer, decision 9), so they always equal the
// tables. An id that is not in them does not exist: missing and others' ids are answered from
// memory alike, so their timing tells nothing apart.

import type { Profile } from '../../domain/model.js';
import type { Role } from '../../privacy/policy.js';
import type { Account } from '../privacy-port.js';

export class Directory {
  private readonly profiles = new Map<string, Profile>();
  private readonly profilesOfMember = new Map<string, Set<string>>();
  private readonly accounts = new Map<string, Account>();
  /** Counts the writes: a decision kept by the rows fast path holds while it is unchanged. */
  version = 0;

  constructor(profiles: Iterable<Profile>, accounts: Iterable<Account>) {
    this.putProfiles(profiles);
    for (const a of accounts) this.putAccount(a);
  }

  get profileCount(): number {
    return this.profiles.size;
  }

  profile(profileId: string): Profile | undefined {
    return this.profiles.get(profileId);
  }

  account(accountId: string): Account | undefined {
    return this.accounts.get(accountId);
  }

  /** Upserts (the last copy of an id wins, as in the table). */
  putProfiles(profiles: Iterable<Profile>): void {
    this.version++;
    for (const p of profiles) {
      const before = this.profiles.get(p.profileId);
      if (before && before.memberId !== p.memberId) this.profilesOfMember.get(before.memberId)?.delete(p.profileId);
      this.profiles.set(p.profileId, { profileId: p.profileId, memberId: p.memberId, name: p.name });
      let of = this.profilesOfMember.get(p.memberId);
      if (!of) this.profilesOfMember.set(p.memberId, (of = new Set()));
      of.add(p.profileId);
    }
  }

  putAccount(account: Account): void {
    this.version++;
    this.accounts.set(account.accountId, { ...account, role: account.role as Role });
  }

  /** Erasure: the member's profiles and account leave (the account id of a member is the member id). */
  eraseMember(memberId: string): void {
    this.version++;
    for (const profileId of this.profilesOfMember.get(memberId) ?? []) this.profiles.delete(profileId);
    this.profilesOfMember.delete(memberId);
    this.accounts.delete(memberId);
  }
}
