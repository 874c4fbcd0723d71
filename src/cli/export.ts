// `binge export MEMBER [--format json|csv] [--ticket T]`: everything kept about a member, to
// stdout, for an operator fulfilling the member's request. Asks the policy once (operator,
// member_request) and is written to the audit log, which the member can read.

import type { Command } from 'commander';
import { BingeError } from '../errors.js';
import { collectExport, exportToCsv } from '../privacy/export.js';
import { operatorAsker } from '../privacy/operator.js';
import { withPrivacyStore } from '../store/duckdb/privacy.js';
import { refreshViews } from '../history/refresh-views.js';
import { Catalogue } from '../domain/catalogue.js';
import { configFor, usage, type GlobalOptions } from './main.js';
import type { Output } from './output.js';

export function exportCommand(program: Command, globals: () => GlobalOptions, output: Output): void {
  program
    .command('export')
    .description("everything kept about a member, as JSON or CSV (layout: src/privacy/README.md)")
    .argument('<member>', 'the member id')
    .option('--format <format>', 'json or csv', 'json')
    .option('--ticket <ticket>', 'the request or ticket this export answers (recorded in the audit log)')
    .action(async (memberId: string, options: { format: string; ticket?: string }) => {
      if (options.format !== 'json' && options.format !== 'csv') throw usage(`--format must be json or csv, got ${options.format}`);
      const config = configFor(globals());
      await withPrivacyStore(config.dataDir, async (privacy, store) => {
        const exists = await store.member(memberId);
        const { decision, audit } = await privacy.gate.askDeferred({
          asker: operatorAsker(),
          subject: exists ? { memberId } : null,
          purpose: 'member_request',
          data: 'export',
          action: 'read',
          what: `binge export${options.ticket ? ` (ticket ${options.ticket})` : ''}`,
        });
        if (!decision.allow) throw new BingeError('BINGE_NOT_FOUND', `no member ${memberId}; check the id`);
        if (audit) await privacy.store.appendAudit({ ...audit, ticket: options.ticket ?? null });
        const profileIds = (await privacy.store.profilesOf(memberId)).map((p) => p.profileId);
        if (profileIds.length > 0) await refreshViews(store, new Catalogue(await store.titles()), config.definitions, { profileIds });
        const data = await collectExport(privacy.store, memberId, Date.now());
        output.out(options.format === 'csv' ? exportToCsv(data).trimEnd() : JSON.stringify(data, null, output.json ? undefined : 2));
      });
    });
}
