import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Account } from '../privacy-port.js';
import { openDuckDbStore, type DuckDbStore } from './adapter.js';
import { privacyStoreOf } from './privacy.js';

const account = (accountId: string, role: Account['role'] = 'member'): Account => ({ accountId, email: `${accountId}@example.org`, passwordHash: 'h', role, createdAtMs: 1 });

/** What the tables hold, read by a store opened afresh (its directory is loaded from them). */
async function fromTables(dataDir: string, profileIds: string[], accountIds: string[]) {
  const store = await openDuckDbStore({ dataDir });
  try {
    const privacy = privacyStoreOf(store);
    return {
      profiles: await Promise.all(profileIds.map((id) => store.profile(id))),
      accounts: await Promise.all(accountIds.map((id) => privacy.account(id))),
    };
  } finally {
    await store.close();
  }
}

async function fromMemory(store: DuckDbStore, profileIds: string[], accountIds: string[]) {
  const privacy = privacyStoreOf(store);
  return {
    profiles: await Promise.all(profileIds.map((id) => store.profile(id))),
    accounts: await Promise.all(accountIds.map((id) => privacy.account(id))),
  };
}

test('the in-memory directory of profiles and accounts follows every write of those tables and equals them', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'binge-directory-'));
  const profileIds = ['p-ana', 'p-ana-2', 'p-bo', 'p-cy', 'p-moved', 'p-none'];
  const accountIds = ['ana', 'bo', 'cy', 'support-1', 'nobody'];
  try {
    const store = await openDuckDbStore({ dataDir });
    const privacy = privacyStoreOf(store);
    assert.equal(await store.profile('p-ana'), undefined, 'loaded (empty) before any write');
    await privacy.createMemberAccount({ member: { memberId: 'ana', country: 'MX', createdAtMs: 1 }, account: account('ana'), profile: { profileId: 'p-ana', memberId: 'ana', name: 'Ana' } });
    assert.deepEqual(await store.profile('p-ana'), { profileId: 'p-ana', memberId: 'ana', name: 'Ana' });
    assert.equal((await privacy.account('ana'))?.email, 'ana@example.org');
    assert.equal(await privacy.addProfile({ profileId: 'p-ana-2', memberId: 'ana', name: 'Kids' }, 5), true);
    assert.equal(await privacy.addProfile({ profileId: 'p-none', memberId: 'ana', name: 'Over' }, 2), false, 'refused: not in the directory either');
    await store.putMembers([{ memberId: 'bo', country: 'DE', createdAtMs: 1 }, { memberId: 'cy', country: 'DE', createdAtMs: 1 }]);
    await store.putProfiles([{ profileId: 'p-bo', memberId: 'bo', name: 'Bo' }, { profileId: 'p-moved', memberId: 'bo', name: 'Old' }]);
    await store.putProfiles([{ profileId: 'p-moved', memberId: 'cy', name: 'New' }, { profileId: 'p-cy', memberId: 'cy', name: 'Cy' }]);
    assert.equal((await store.profile('p-moved'))?.memberId, 'cy', 'an upsert replaces the owner');
    assert.equal(await privacy.createAccountForMember(account('bo')), 'created');
    assert.equal(await privacy.createAccountForMember(account('bo')), 'email_taken');
    assert.equal(await privacy.createStaffAccount(account('support-1', 'support')), 'created');
    assert.equal((await privacy.account('support-1'))?.role, 'support');
    await privacy.eraseMember('ana', { atMs: 2, asker: 'cli:test', role: 'operator', subject: null, purpose: 'member_request', ticket: null, data: 'erasure', what: 'test', outcome: 'allowed' }, 2);
    assert.equal(await store.profile('p-ana'), undefined);
    assert.equal(await store.profile('p-ana-2'), undefined);
    assert.equal(await privacy.account('ana'), undefined, 'an erased account signs in no more');
    const mutated = await privacyStoreOf(store).account('bo');
    mutated!.role = 'admin';
    assert.equal((await privacy.account('bo'))?.role, 'member', 'callers get copies');
    const memory = await fromMemory(store, profileIds, accountIds);
    await store.close();
    assert.deepEqual(memory, await fromTables(dataDir, profileIds, accountIds));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
