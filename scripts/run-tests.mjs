// Runs every *.test.ts under src/ with node's own test runner (tsx compiles on the fly).
// Node 20's --test does not expand globs, so the files are listed here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function testFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const only = process.argv.slice(2);
const files = testFiles('src').filter((f) => only.length === 0 || only.some((o) => f.includes(o))).sort();
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, BINGE_LOG_LEVEL: process.env.BINGE_LOG_LEVEL ?? 'silent' } },
);
process.exit(result.status ?? 1);
