// A demo member who can sign in, so that `npm start` can show member routes working: the
// account belongs to the demo's example profile's member; its password is printed once, when
// it is created, and every start prints a fresh token. And a demo analyst and a demo support
// agent, so that the staff pages can be seen too: made through the policy as `binge users create`
// makes them, their passwords printed once.

import { generatedPassword, operatorCreatesStaff } from '../privacy/accounts.js';
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

export const DEMO_STAFF = [
  { role: 'analyst', email: 'analyst@binge.example' },
  { role: 'support', email: 'support@binge.example' },
] as const;

export interface DemoStaff {
  role: (typeof DEMO_STAFF)[number]['role'];
  email: string;
  /** Only on the run that created the account. */
  password?: string;
}

/** The demo's staff accounts, made on the first demo start (as `binge users create` would, through the policy). */
export async function demoStaffAccounts(privacy: PrivacyServices): Promise<DemoStaff[]> {
  const staff: DemoStaff[] = [];
  for (const { role, email } of DEMO_STAFF) {
    if (await privacy.store.accountByEmail(email)) {
      staff.push({ role, email });
      continue;
    }
    const password = generatedPassword();
    await operatorCreatesStaff(privacy, { role, email, password }, `binge serve --demo: the demo ${role} account`);
    staff.push({ role, email, password });
  }
  return staff;
}
