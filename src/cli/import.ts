import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { Catalogue } from '../domain/catalogue.js';
import { memberIdOf } from '../ingest/netflix/parse.js';
import { memberNameOf } from '../ingest/netflix/read.js';
import { importNetflixIntoStore } from '../ingest/netflix/store-import.js';
import { generatedPassword, normaliseEmail } from '../privacy/accounts.js';
import { hashPassword } from '../privacy/passwords.js';
import { openDuckDbStore, type DuckDbStore } from '../store/duckdb/adapter.js';
import { privacyStoreOf } from '../store/duckdb/privacy.js';
import { BingeError } from '../errors.js';
import { configFor, usage, type GlobalOptions } from './main.js';
import { print, type Output } from './output.js';
import { progressBar } from './progress.js';

export function importCommand(program: Command, globals: () => GlobalOptions, output: Output): void {
  const imports = program.command('import').description('import viewing history exported from a service');
  imports
    .command('netflix')
    .description("a Netflix ViewingActivity.csv (from \"Download your personal information\"); re-importing the same file changes nothing")
    .argument('<file>', 'the ViewingActivity.csv')
    .option('--member <name>', 'the member the export belongs to (default: the file name)')
    .option('--country <code>', "ISO country for local days (default: each row's Country column, else US)")
    .option('--account <email>', 'also make a member account with this e-mail for the imported member (its password printed once), to sign in to the web app and the API')
    .option('--json', 'print {"rows", "views", "profiles", "skipped": [...]} (with "newRows", "memberId" and "profileIds"; "account" with --account)')
    .action(async (file: string, options: { member?: string; country?: string; account?: string; json?: boolean }) => {
      if (options.country !== undefined && !/^[A-Za-z]{2}$/.test(options.country)) throw usage(`--country must be a two-letter ISO code such as DE, got ${options.country}`);
      if (options.account !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(options.account.trim())) throw usage(`--account must be an e-mail address, got ${options.account}`);
      if (!existsSync(file)) throw new BingeError('BINGE_IMPORT_FILE', `no file ${file}; give the path of a ViewingActivity.csv`);
      const config = configFor(globals());
      const store = await openDuckDbStore({ dataDir: config.dataDir });
      const bar = progressBar('rows', 1);
      try {
        // An e-mail another account holds is refused before anything is imported.
        if (options.account !== undefined) await accountEmailFree(store, memberIdOf(memberNameOf(file, options.member)), options.account);
        const catalogue = new Catalogue(await store.titles());
        const result = await importNetflixIntoStore(store, catalogue, config.definitions, file, {
          member: options.member,
          country: options.country?.toUpperCase(),
          onRows: (rows, total) => bar.update(rows, total),
        });
        bar.stop();
        const json = output.json || options.json === true;
        // The profile ids are what the other commands take (binge history, binge insights year-in-review).
        const profileIds = result.totals.map((t) => ({ profileId: t.profileId, name: t.name }));
        const account = options.account === undefined ? undefined : await accountForImport(store, result.memberId, options.account);
        const summary = {
          rows: result.rows,
          views: result.views,
          profiles: result.profiles,
          newRows: result.newRows,
          skipped: result.skipped,
          memberId: result.memberId,
          profileIds,
          ...(account ? { account } : {}),
        };
        print({ ...output, json }, summary, () =>
          [
            `Imported ${file} for member ${result.memberId}: ${result.rows} rows, ${result.profiles} profiles, ${result.views} views (${result.newRows} new rows).`,
            ...result.totals.map((t) => `  ${t.name} (profile ${t.profileId}): ${t.rows} rows, ${Math.round(t.durationS / 360) / 10} h, ${t.supplementalRows} supplemental`),
            result.skipped.length === 0 ? 'No rows skipped.' : `Skipped ${result.skipped.length} rows:`,
            ...result.skipped.slice(0, 50).map((s) => `  line ${s.line}: ${s.reason} [${s.code}]`),
            ...(result.skipped.length > 50 ? [`  ... and ${result.skipped.length - 50} more (use --json for all)`] : []),
            ...(result.totals.length > 0
              ? [`Next: binge history ${result.totals[0].profileId}, or binge insights year-in-review ${result.totals[0].profileId} --year <year> (any profile id above).`]
              : []),
            ...(account === undefined
              ? []
              : account.password
                ? [`Sign in to the web app (binge serve, then /app/) as ${account.email} with password ${account.password} (shown this once).`]
                : [`This member already has an account (${account.email}); sign in with its password.`]),
          ].join('\n'),
        );
      } finally {
        bar.stop();
        await store.close();
      }
    });
}

/**
 * A member account for the imported member, so that the person whose export it is can sign in to
 * the web app and read their history, year in review and rows. Made once: a re-import names the
 * account already made. The e-mail of another account is refused (BINGE_EMAIL_TAKEN).
 */
async function accountForImport(store: DuckDbStore, memberId: string, email: string): Promise<{ email: string; password?: string }> {
  const privacy = privacyStoreOf(store);
  const existing = await privacy.account(memberId);
  if (existing) return { email: existing.email };
  const password = generatedPassword();
  const created = await privacy.createAccountForMember({ accountId: memberId, email: normaliseEmail(email), passwordHash: await hashPassword(password), role: 'member', createdAtMs: Date.now() });
  // Taken since the check before the import (another process): the rows stay imported, the account is not made.
  if (created === 'email_taken') throw emailTaken(email, 'the history was imported; run again with another --account to make the account');
  return { email: normaliseEmail(email), password };
}

async function accountEmailFree(store: DuckDbStore, memberId: string, email: string): Promise<void> {
  const holder = await privacyStoreOf(store).accountByEmail(normaliseEmail(email));
  if (holder && holder.accountId !== memberId) throw emailTaken(email, 'nothing was imported');
}

const emailTaken = (email: string, outcome: string) =>
  new BingeError('BINGE_EMAIL_TAKEN', `an account with the e-mail ${email} exists already; give another --account (${outcome})`);
