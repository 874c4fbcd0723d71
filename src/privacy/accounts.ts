// Accounts of people: members sign up through the API, staff are made by an operator
// (`binge users create`). Passwords: passwords.ts; tokens: tokens.ts.

import { randomBytes, randomUUID } from 'node:crypto';
import { BingeError } from '../errors.js';
import type { PrivacyStore } from '../store/privacy-port.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.js';
import type { Role } from './policy.js';
import type { PrivacyServices } from './services.js';
import { operatorAsker } from './operator.js';

/** E-mail addresses are compared trimmed and in lower case. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A password for a new staff account when none is given: 24 random bytes, printed once. */
export function generatedPassword(): string {
  return randomBytes(24).toString('base64url');
}

export async function createStaffAccount(
  store: PrivacyStore,
  input: { role: Exclude<Role, 'member'>; email: string; password: string },
  now: () => number,
): Promise<{ accountId: string }> {
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new BingeError('BINGE_USAGE', `the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  const accountId = randomUUID();
  const outcome = await store.createStaffAccount({
    accountId,
    email: normaliseEmail(input.email),
    passwordHash: await hashPassword(input.password),
    role: input.role,
    createdAtMs: now(),
  });
  if (outcome === 'email_taken') throw new BingeError('BINGE_EMAIL_TAKEN', 'an account with this e-mail address exists');
  return { accountId };
}

/** A staff account made by the operator at this machine, through the policy like every change of staff accounts. */
export async function operatorCreatesStaff(
  privacy: PrivacyServices,
  input: { role: Exclude<Role, 'member'>; email: string; password: string },
  what: string,
): Promise<{ accountId: string }> {
  const decision = await privacy.gate.ask({ asker: operatorAsker(), subject: null, purpose: 'configuration', data: 'staff_accounts', action: 'change', what });
  if (!decision.allow) throw new BingeError('BINGE_FORBIDDEN', 'the policy does not allow creating staff accounts here');
  return createStaffAccount(privacy.store, input, Date.now);
}
