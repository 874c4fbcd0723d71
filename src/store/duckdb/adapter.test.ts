import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { storeContract, sampleEvent } from '../contract.js';
import { openDuckDbStore } from './adapter.js';
import { MIGRATIONS } from './migrations.js';

storeContract('duckdb', () => openDuckDbStore({ dataDir: ':memory:' }));

test('migrations run on open, once, and are recorded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'binge-store-'));
  try {
    const first = await openDuckDbStore({ dataDir: dir });
    await first.appendEvents([sampleEvent()]);
    assert.equal(await first.schemaVersion(), MIGRATIONS.at(-1)!.version);
    await first.close();
    const again = await openDuckDbStore({ dataDir: dir });
    assert.equal(await again.countEvents(), 1);
    assert.ok((await again.tableNames()).includes('schema_migrations'));
    await again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a database held by another process says which process and what to do', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'binge-lock-'));
  const holder = await openDuckDbStore({ dataDir: dir });
  try {
    const script = `import('${new URL('./adapter.ts', import.meta.url).href}').then(m => m.openDuckDbStore({ dataDir: ${JSON.stringify(dir)} })).then(() => console.log('opened'), e => console.log(JSON.stringify({ code: e.code, message: e.message })))`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
    const answer = JSON.parse(child.stdout.trim().split('\n').at(-1)!);
    assert.equal(answer.code, 'BINGE_STORE_LOCKED');
    assert.match(answer.message, new RegExp(`process ${process.pid}`));
    assert.match(answer.message, /Stop that process|--data/);
  } finally {
    await holder.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
