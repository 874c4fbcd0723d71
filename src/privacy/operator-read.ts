// A CLI verb that reads one member's history asks the policy once, as an operator answering
// the member's own request (or a person analysing their own export at the terminal); the read
// is written to the audit log, which the member can read.

import { BingeError } from '../errors.js';
import type { PrivacyServices } from './services.js';
import { operatorAsker } from './operator.js';
import type { Store } from '../store/port.js';

export async function operatorReadsHistory(privacy: PrivacyServices, store: Store, profileId: string, what: string): Promise<void> {
  const profile = await store.profile(profileId);
  const decision = await privacy.gate.ask({
    asker: operatorAsker(),
    subject: profile ? { memberId: profile.memberId } : null,
    purpose: 'member_request',
    data: 'history',
    action: 'read',
    what,
  });
  if (!decision.allow || !profile) throw new BingeError('BINGE_NOT_FOUND', `no profile ${profileId}; check the id`);
}
