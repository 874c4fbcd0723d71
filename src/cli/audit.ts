// `binge audit verify`: checks the audit log's hash chain offline. Exit 0 when intact; exit 1
// naming the first bad entry (BINGE_AUDIT_CHAIN_BROKEN).

import type { Command } from 'commander';
import { BingeError } from '../errors.js';
import { verifyChain } from '../privacy/audit.js';
import { operatorAsker } from '../privacy/operator.js';
import { withPrivacyStore } from '../store/duckdb/privacy.js';
import { configFor, type GlobalOptions } from './main.js';
import { print, type Output } from './output.js';

export function auditCommand(program: Command, globals: () => GlobalOptions, output: Output): void {
  const audit = program.command('audit').description('the audit log of access to personal data');
  audit
    .command('verify')
    .description("check the audit log's hash chain: exit 0 when intact, 1 naming the first bad entry")
    .action(async () => {
      const config = configFor(globals());
      await withPrivacyStore(config.dataDir, async (privacy) => {
        const { decision, audit: entry } = await privacy.gate.askDeferred({
          asker: operatorAsker(),
          subject: null,
          purpose: 'configuration',
          data: 'audit_chain',
          action: 'read',
          what: 'binge audit verify',
        });
        if (!decision.allow) throw new BingeError('BINGE_FORBIDDEN', 'the policy does not allow verifying the audit log here');
        const check = verifyChain(await privacy.store.auditEntries(), await privacy.store.auditHead());
        // Recorded after checking, so the check reads the log as it was found.
        if (entry) await privacy.store.appendAudit(entry);
        if (!check.ok) {
          throw new BingeError('BINGE_AUDIT_CHAIN_BROKEN', `the audit log is broken at entry ${check.firstBad} of ${check.entries}: ${check.problem}`, {
            details: { firstBad: check.firstBad },
          });
        }
        print(output, check, () => `audit log intact: ${check.entries} entries`);
      });
    });
}
