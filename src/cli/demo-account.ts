// A demo member who can sign in, so that `npm start` can show member routes working: the
// account belongs to the demo's example profile's member; its password is printed once, when
// it is created, and every start prints a fresh token.

import { generatedPassword } from '../privacy/accounts.js';
import { hashPassword } from '../privacy/passwords.js';
import type { PrivacyServices } from '../privacy/services.js';
import type { Store } from '../store/port.js';

export const DEMO_EMAIL = 'demo@binge.example';

export interface DemoAccount {
  profileId: string;
  email: string;
  /** Only on the run that created the account. */
  password?: string;
  token: string;
}

export async function demoAccount(store: Store, privacy: PrivacyServices, now: () => number): Promise<DemoAccount | undefined> {
  const profileId = await store.meta('demo.exampleProfile');
  const profile = profileId ? await store.profile(profileId) : undefined;
  if (!profileId || !profile) return undefined;
  let password: string | undefined;
  if (!(await privacy.store.account(profile.memberId))) {
    password = generatedPassword();
    const created = await privacy.store.createAccountForMember({
      accountId: profile.memberId,
      email: DEMO_EMAIL,
      passwordHash: await hashPassword(password),
      role: 'member',
      createdAtMs: now(),
    });
    if (created !== 'created') return undefined;
  }
  const { token } = await privacy.tokens.issue(profile.memberId);
  return { profileId, email: DEMO_EMAIL, password, token };
}
