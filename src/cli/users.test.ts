import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Command } from 'commander';
import { main } from './main.js';
import type { Output } from './output.js';
import { usersCommand } from './users.js';
import { call, startPrivacyServer } from '../privacy/test-support.js';

function capture(json = false): Output & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { json, lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}

test('binge users create makes staff accounts: a generated password printed once, or one read from stdin; staff sign in with it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'binge-users-'));
  try {
    const printed = capture(true);
    assert.equal(await main(['--data', dir, 'users', 'create', '--role', 'analyst', '--email', 'al@example.org', '--json'], printed), 0, printed.errors.join('\n'));
    const { password, role } = JSON.parse(printed.lines[0]);
    assert.equal(role, 'analyst');
    assert.ok(password.length >= 24);

    // --password-stdin, through the same verb wired to another stdin.
    const output = capture(true);
    const program = new Command('binge').exitOverride().option('--data <dir>').option('--json');
    usersCommand(program, () => program.opts(), output, Readable.from(['a support password\n']));
    await program.parseAsync(['--data', dir, 'users', 'create', '--role', 'support', '--email', 'sam@example.org', '--password-stdin'], { from: 'user' });
    assert.equal(JSON.parse(output.lines[0]).password, undefined, 'a password from stdin is not printed');

    assert.equal(await main(['--data', dir, 'users', 'create', '--role', 'member', '--email', 'x@example.org'], capture()), 2, 'members sign up through the API');
    const taken = capture();
    assert.equal(await main(['--data', dir, 'users', 'create', '--role', 'admin', '--email', 'AL@example.org'], taken), 1);
    assert.match(taken.errors.join('\n'), /BINGE_EMAIL_TAKEN/);

    const server = await startPrivacyServer({ dataDir: dir });
    try {
      const al = await call(server, 'POST', '/v1/sessions', undefined, { email: 'al@example.org', password });
      assert.equal(al.status, 200, al.text);
      assert.equal(al.body.role, 'analyst');
      const sam = await call(server, 'POST', '/v1/sessions', undefined, { email: 'sam@example.org', password: 'a support password' });
      assert.equal(sam.body.role, 'support');
      const entries = await server.privacy.store.auditEntries();
      assert.equal(entries.filter((e) => e.data === 'staff_accounts' && e.role === 'operator').length, 3, 'each creation asked the policy and was recorded');
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
