// `binge erase MEMBER [--ticket T]`: removes everything kept about a member (privacy/erasure.ts),
// for an operator fulfilling the member's request. Idempotent: a member already erased is
// reported as such, exit 0.

import type { Command } from 'commander';
import { BingeError } from '../errors.js';
import { eraseMember } from '../privacy/erasure.js';
import { operatorAsker } from '../privacy/operator.js';
import { withPrivacyStore } from '../store/duckdb/privacy.js';
import { configFor, type GlobalOptions } from './main.js';
import { print, type Output } from './output.js';

export function eraseCommand(program: Command, globals: () => GlobalOptions, output: Output): void {
  program
    .command('erase')
    .description('erase a member everywhere; audit entries stay, pseudonymised; derived facts and models are marked for recomputation')
    .argument('<member>', 'the member id')
    .option('--ticket <ticket>', 'the request or ticket this erasure answers (recorded in the audit log)')
    .action(async (memberId: string, options: { ticket?: string }) => {
      const config = configFor(globals());
      await withPrivacyStore(config.dataDir, async (privacy, store) => {
        if (!(await store.member(memberId)) && Object.values(await privacy.store.memberRows(memberId)).every((rows) => rows.length === 0)) {
          print(output, { memberId, erased: false, removed: {} }, () => `nothing is kept about ${memberId} (already erased, or never a member)`);
          return;
        }
        const { decision, audit } = await privacy.gate.askDeferred({
          asker: operatorAsker(),
          subject: { memberId },
          purpose: 'member_request',
          data: 'erasure',
          action: 'change',
          what: 'binge erase',
        });
        if (!decision.allow || !audit) throw new BingeError('BINGE_FORBIDDEN', 'the policy does not allow this erasure');
        const result = await eraseMember(privacy.store, memberId, { ...audit, ticket: options.ticket ?? null }, Date.now());
        const total = Object.values(result.removed).reduce((a, b) => a + b, 0);
        print(output, { memberId, erased: true, removed: result.removed }, () => `erased ${memberId}: ${total} rows removed; audit entries kept under a pseudonym; facts and models marked for recomputation`);
      });
    });
}
