import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main.js';
import type { Output } from './output.js';
import { openDuckDbStore } from '../store/duckdb/adapter.js';
import { freePort, runBinge, spawnBinge, waitForHealth } from '../test-support/process.js';

function capture(json = false): Output & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { json, lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'binge-cli-'));
}

test('binge --help lists the verbs and exits 0', async () => {
  const output = capture();
  assert.equal(await main(['--help'], output), 0);
  const help = output.lines.join('\n');
  for (const verb of ['serve', 'keys', 'demo', 'openapi']) assert.match(help, new RegExp(`\\b${verb}\\b`));
});

test('an unknown verb or a bad option value is a usage error, exit 2', async () => {
  assert.equal(await main(['frobnicate'], capture()), 2);
  const dir = tempDir();
  try {
    const output = capture();
    assert.equal(await main(['--data', dir, 'keys', 'create', '--kind', 'root'], output), 2);
    assert.match(output.errors.join('\n'), /--kind must be one of ingest, admin/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bench --only names a part of the insights benchmark, and nothing else', async () => {
  for (const args of [['bench', 'insights', '--only', 'everything'], ['bench', 'history', '--only', 'facts'], ['bench', 'insights', 'history', '--only', 'facts']]) {
    const output = capture();
    assert.equal(await main(args, output), 2, args.join(' '));
    assert.match(output.errors.join('\n'), /--only names a part of one benchmark: insights --only year-in-review\|facts\|one-more-day/);
  }
});

test('keys create --json prints {"key"} and only the hash is stored', async () => {
  const dir = tempDir();
  try {
    const output = capture(true);
    assert.equal(await main(['--data', dir, 'keys', 'create', '--kind', 'ingest', '--json'], output), 0);
    const { key } = JSON.parse(output.lines[0]);
    assert.match(key, /^binge_ingest_[A-Za-z0-9_-]{43}$/);
    const store = await openDuckDbStore({ dataDir: dir });
    const rows = await store.withConnection(async (c) => (await c.runAndReadAll('SELECT * FROM api_keys')).getRowObjects());
    await store.close();
    assert.equal(rows.length, 1);
    assert.equal(rows[0].hash, createHash('sha256').update(key).digest('hex'));
    assert.ok(!JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? String(v) : v)).includes(key), 'the key itself is not stored');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a database held by a running server: the CLI names the process, says what to do, exits 3', async () => {
  const dir = tempDir();
  const port = await freePort();
  const server = spawnBinge(['--data', dir, 'serve', '--port', String(port)]);
  try {
    await waitForHealth(`http://127.0.0.1:${port}`);
    const result = runBinge(['--data', dir, 'keys', 'create', '--kind', 'ingest']);
    assert.equal(result.status, 3);
    assert.match(result.stderr, new RegExp(`in use by process ${server.pid}`));
    assert.match(result.stderr, /BINGE_STORE_LOCKED/);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
});

test('serve prints the URL, an ingest key and two example requests that work', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const port = await freePort();
  const server = spawnBinge(['--data', dir, 'serve', '--port', String(port)]);
  let printed = '';
  server.stderr!.on('data', (chunk) => (printed += chunk));
  try {
    await waitForHealth(`http://127.0.0.1:${port}`);
    while (!printed.includes('Stop with Ctrl-C')) await new Promise((r) => setTimeout(r, 50));
    assert.match(printed, new RegExp(`listening on http://127\\.0\\.0\\.1:${port}`));
    const key = /ingest key .*: (binge_ingest_\S+)/.exec(printed)![1];
    const examples = printed.split('\n').filter((l) => l.trim().startsWith('curl') || l.trim().startsWith("-d '"));
    assert.ok(examples.length >= 2);
    const body = /-d '(.*)'$/m.exec(printed)![1];
    const response = await fetch(`http://127.0.0.1:${port}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body,
    });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { accepted: number }).accepted, 1);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
});

test('demo --json loads a seeded population; the same seed gives the same population', { timeout: 120_000 }, async () => {
  const dirs = [tempDir(), tempDir()];
  try {
    const summaries = [];
    for (const dir of dirs) {
      const output = capture(true);
      const args = ['--data', dir, 'demo', '--members', '5', '--seed', 'cli-test', '--from', '2025-03-01', '--to', '2025-03-14', '--json'];
      assert.equal(await main(args, output), 0, output.errors.join('\n'));
      const { seconds, ...summary } = JSON.parse(output.lines[0]);
      assert.ok(seconds >= 0);
      summaries.push(summary);
    }
    assert.deepEqual(summaries[0], summaries[1]);
    assert.ok(summaries[0].events > 100 && summaries[0].views > 0 && summaries[0].profiles >= 5);
    assert.equal(summaries[0].duplicates, 0);
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
});

test('serve --demo loads the demo once, trains a first model, and prints the web app, the demo member\'s (and staff\'s) e-mail and password, and a history request that work', { timeout: 180_000 }, async () => {
  const dir = tempDir();
  const port = await freePort();
  const server = spawnBinge(['--data', dir, 'serve', '--port', String(port), '--demo', '--demo-members', '5']);
  let printed = '';
  server.stderr!.on('data', (chunk) => (printed += chunk));
  try {
    await waitForHealth(`http://127.0.0.1:${port}`, 150_000);
    while (!printed.includes('Stop with Ctrl-C')) await new Promise((r) => setTimeout(r, 50));
    // The web app's address, and the demo member's e-mail and password, which sign in.
    assert.match(printed, new RegExp(`Member web app: http://127\\.0\\.0\\.1:${port}/app/`));
    const [, email, password] = /sign in as (\S+) with password (\S+)/.exec(printed)!;
    assert.equal(email, 'demo@binge.example');
    const session = await fetch(`http://127.0.0.1:${port}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    assert.equal(session.status, 200);
    const history = /curl -s '(http:[^']+)' -H 'authorization: Bearer (\S+)'/.exec(printed)!;
    const response = await fetch(history[1], { headers: { authorization: `Bearer ${history[2]}` } });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { views: unknown[] };
    assert.equal(body.views.length, 5);
    // The first start trained a model: the demo member's home rows are personal, with top picks.
    const rows = await fetch(history[1].replace(/\/history\?.*$/, '/rows'), { headers: { authorization: `Bearer ${history[2]}` } });
    assert.equal(rows.status, 200);
    const answer = (await rows.json()) as { personal: boolean; rows: { id: string; items: unknown[] }[] };
    assert.equal(answer.personal, true);
    assert.ok(answer.rows.find((r) => r.id === 'top_picks')!.items.length > 0);
    assert.match(printed, /Trained a first recommendation model \(ease, \d+ titles/);
    // The demo's analyst and support agent sign in too, and reach their own routes.
    const signIn = async (who: string) => {
      const [, staffEmail, staffPassword] = new RegExp(`or as the demo ${who}: (\\S+) with password (\\S+)`).exec(printed)!;
      const answer = await fetch(`http://127.0.0.1:${port}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: staffEmail, password: staffPassword }) });
      assert.equal(answer.status, 200, who);
      const { token, role } = (await answer.json()) as { token: string; role: string };
      assert.equal(role, who);
      return { authorization: `Bearer ${token}` };
    };
    assert.equal((await fetch(`http://127.0.0.1:${port}/v1/facts/ledger`, { headers: await signIn('analyst') })).status, 200);
    const grants = await fetch(`http://127.0.0.1:${port}/v1/support/grants`, { headers: await signIn('support') });
    assert.deepEqual(await grants.json(), { grants: [] });
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
});
