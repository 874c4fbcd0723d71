import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const LOGGER = fileURLToPath(new URL('./logger.ts', import.meta.url));

/** Runs `body` in a child process with `createLogger` imported, its standard output collected as lines as they arrive. */
function child(body: string) {
  const script = `import { createLogger } from ${JSON.stringify(LOGGER)};\n${body}`;
  const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let rest = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString()).split('\n');
    rest = parts.pop()!;
    lines.push(...parts);
  });
  const exited = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
  return { proc, lines, exited };
}

test('every line logged before exit reaches standard output, in order, whole', async () => {
  const { lines, exited } = child(`const logger = createLogger('info');
for (let i = 0; i < 5000; i++) logger.info({ i, pad: 'x'.repeat(i % 300) }, 'line');
process.exit(0);`);
  assert.equal(await exited, 0);
  assert.equal(lines.length, 5000);
  lines.forEach((line, i) => assert.equal(JSON.parse(line).i, i));
});

test('a lone line is written within about a second, without waiting for a full block or for exit', async () => {
  const { proc, lines, exited } = child(`const logger = createLogger('info');
logger.info('alone');
setTimeout(() => {}, 60_000);`);
  const deadline = Date.now() + 10_000;
  while (lines.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const stillRunning = proc.exitCode === null;
  proc.kill('SIGKILL');
  await exited;
  assert.ok(stillRunning, 'the line came while the process was still running');
  assert.equal(JSON.parse(lines[0]).msg, 'alone');
});
