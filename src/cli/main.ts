// `binge <verb>`: parse arguments into plain options, run, and turn errors into an exit code in
// one place. Exit codes: 0 ok, 1 failed, 2 usage, 3 database locked by another process.

import { Command, CommanderError, Option } from 'commander';
import { BingeError, isBingeError } from '../errors.js';
import { loadConfig, DEFAULT_DATA_DIR, type ConfigInput } from '../config.js';
import type { Output } from './output.js';
import { serveCommand } from './serve.js';
import { keysCommand } from './keys.js';
import { demoCommand } from './demo.js';
import { historyCommand } from './history.js';
import { importCommand } from './import.js';
import { openapiCommand } from './openapi.js';
import { usersCommand } from './users.js';
import { auditCommand } from './audit.js';
import { exportCommand } from './export.js';
import { eraseCommand } from './erase.js';
import { insightsCommand } from './insights.js';
import { factsCommand } from './facts.js';
import { benchCommand } from './bench.js';
import { recommendCommand } from './recommend.js';

export const EXIT = { ok: 0, failed: 1, usage: 2, locked: 3 } as const;

export interface GlobalOptions {
  data?: string;
  json?: boolean;
}

export function configFor(globals: GlobalOptions, extra: ConfigInput = {}) {
  return loadConfig(process.env, { dataDir: globals.data, ...extra });
}

export async function main(argv: string[], output: Output = defaultOutput(argv)): Promise<number> {
  const program = new Command('binge')
    .description('binge: a viewing-data platform for video streaming services')
    .version('0.1.0')
    .addOption(new Option('--data <dir>', `data folder (default ${DEFAULT_DATA_DIR}, or BINGE_DATA)`))
    .option('--json', 'print JSON for machines')
    .exitOverride()
    .configureOutput({ writeOut: (s) => output.out(s.trimEnd()), writeErr: (s) => output.err(s.trimEnd()) })
    .showHelpAfterError('(run binge --help for the verbs)');

  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  // --json may stand before or after the verb; either way the verb prints JSON.
  program.hook('preAction', (_program, action) => {
    if (globals().json || action.opts().json) output.json = true;
  });
  serveCommand(program, globals, output);
  keysCommand(program, globals, output);
  demoCommand(program, globals, output);
  importCommand(program, globals, output);
  historyCommand(program, globals, output);
  openapiCommand(program, globals, output);
  usersCommand(program, globals, output);
  auditCommand(program, globals, output);
  exportCommand(program, globals, output);
  eraseCommand(program, globals, output);
  insightsCommand(program, globals, output);
  factsCommand(program, globals, output);
  benchCommand(program, globals, output);
  recommendCommand(program, globals, output);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    if (isBingeError(error)) {
      if (output.json) output.out(JSON.stringify({ error: { code: error.code, message: error.message } }));
      else output.err(`binge: ${error.message} [${error.code}]`);
      if (error.code === 'BINGE_STORE_LOCKED') return EXIT.locked;
      if (error.code === 'BINGE_USAGE' || error.code === 'BINGE_CONFIG_INVALID') return EXIT.usage;
      return EXIT.failed;
    }
    output.err(`binge: unexpected failure: ${(error as Error)?.stack ?? String(error)}`);
    return EXIT.failed;
  }
}

function defaultOutput(argv: string[]): Output {
  return {
    json: argv.includes('--json'),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
}

export function usage(message: string): BingeError {
  return new BingeError('BINGE_USAGE', message);
}
