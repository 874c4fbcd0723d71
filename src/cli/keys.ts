import type { Command } from 'commander';
import { createKey, KEY_KINDS } from '../privacy/keys.js';
import { openDuckDbStore } from '../store/duckdb/adapter.js';
import type { KeyKind } from '../store/port.js';
import { configFor, usage, type GlobalOptions } from './main.js';
import { print, type Output } from './output.js';

export function keysCommand(program: Command, globals: () => GlobalOptions, output: Output): void {
  const keys = program.command('keys').description('API keys for players (ingest) and operators (admin)');
  keys
    .command('create')
    .description('create a key; it is shown once and stored hashed')
    .requiredOption('--kind <kind>', `one of ${KEY_KINDS.join(', ')}`)
    .option('--label <label>', 'what the key is for', 'cli')
    .option('--json', 'print {"key": ...}')
    .action(async (options: { kind: string; label: string; json?: boolean }) => {
      if (!KEY_KINDS.includes(options.kind as KeyKind)) throw usage(`--kind must be one of ${KEY_KINDS.join(', ')}, got ${options.kind}`);
      const config = configFor(globals());
      const store = await openDuckDbStore({ dataDir: config.dataDir });
      try {
        const { key, stored } = await createKey(store, options.kind as KeyKind, options.label);
        print({ ...output, json: output.json || options.json === true }, { key, keyId: stored.keyId, kind: stored.kind }, () =>
          [`${stored.kind} key (shown once, stored hashed):`, key].join('\n'),
        );
      } finally {
        await store.close();
      }
    });
}
