// `binge users create --role analyst|support|admin --email E`: a staff account. The password
// comes from stdin (--password-stdin) or is generated and printed once; only its argon2id hash
// is stored. Members sign up through the API instead.

import type { Command } from 'commander';
import { generatedPassword, operatorCreatesStaff } from '../privacy/accounts.js';
import { STAFF_ROLES, type Role } from '../privacy/policy.js';
import { withPrivacyStore } from '../store/duckdb/privacy.js';
import { configFor, usage, type GlobalOptions } from './main.js';
import { print, type Output } from './output.js';

export function usersCommand(program: Command, globals: () => GlobalOptions, output: Output, stdin: NodeJS.ReadableStream = process.stdin): void {
  const users = program.command('users').description('staff accounts (analyst, support, admin)');
  users
    .command('create')
    .description('create a staff account; the password is read from stdin or printed once')
    .requiredOption('--role <role>', `one of ${STAFF_ROLES.join(', ')}`)
    .requiredOption('--email <email>', 'the e-mail address to sign in with')
    .option('--password-stdin', 'read the password from stdin instead of generating one')
    .action(async (options: { role: string; email: string; passwordStdin?: boolean }) => {
      if (!STAFF_ROLES.includes(options.role as Role)) throw usage(`--role must be one of ${STAFF_ROLES.join(', ')}, got ${options.role}`);
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(options.email.trim())) throw usage('--email must be an e-mail address');
      const password = options.passwordStdin ? (await readAll(stdin)).replace(/\r?\n$/, '') : generatedPassword();
      const config = configFor(globals());
      await withPrivacyStore(config.dataDir, async (privacy) => {
        const { accountId } = await operatorCreatesStaff(
          privacy,
          { role: options.role as Exclude<Role, 'member'>, email: options.email, password },
          `binge users create --role ${options.role}`,
        );
        const shown = options.passwordStdin ? undefined : password;
        print(output, { accountId, role: options.role, ...(shown ? { password: shown } : {}) }, () =>
          [`${options.role} account ${accountId} created.`, ...(shown ? ['password (shown once, stored as an argon2id hash):', shown] : [])].join('\n'),
        );
      });
    });
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}
