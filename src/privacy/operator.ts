// The CLI's asker: someone at the terminal holding the data folder. The policy lets an operator
// fulfil a member's export or erasure request, create staff accounts and verify the audit log,
// and nothing else; every such act is written to the audit log under "cli:<user>".

import { userInfo } from 'node:os';
import type { Asker } from './policy.js';

export function operatorAsker(): Asker {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No user entry (some containers): the act is still recorded, as "cli:unknown".
  }
  return { id: `cli:${user}`, role: 'operator' };
}
