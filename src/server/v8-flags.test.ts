import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { applyServerV8Flags } from './v8-flags.js';

const MODULE = fileURLToPath(new URL('./v8-flags.ts', import.meta.url));

/** The helper threads' share of each young-generation collection in a child that allocates after (maybe) applying the server's flags, from V8's GC trace. */
function backgroundScavengeMs(apply: boolean): number[] {
  const script = `import { applyServerV8Flags } from ${JSON.stringify(MODULE)};
${apply ? 'applyServerV8Flags([], "");' : ''}
let kept = [];
for (let i = 0; i < 12e6; i++) { kept.push({ i }); if (kept.length > 40000) kept = []; }`;
  const child = spawnSync(process.execPath, ['--trace-gc-nvp', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  return child.stdout
    .split('\n')
    .filter((line) => line.includes('gc=s '))
    .map((line) => Number(/background\.scavenge\.parallel=([\d.]+)/.exec(line)![1]));
}

test('the server collects its young generation on the main thread alone: no helper-thread time in the last 20 scavenges, where V8 by default has some', () => {
  const withFlags = backgroundScavengeMs(true).slice(-20);
  const byDefault = backgroundScavengeMs(false).slice(-20);
  assert.equal(withFlags.length, 20);
  assert.deepEqual(withFlags, new Array(20).fill(0));
  assert.ok(byDefault.some((ms) => ms > 0), 'the default runs helper threads (else this test shows nothing)');
});

test("a scavenger setting the operator gave (node flag or NODE_OPTIONS) is left as given", () => {
  assert.deepEqual(applyServerV8Flags(['--parallel-scavenge'], ''), []);
  assert.deepEqual(applyServerV8Flags([], '--max-old-space-size=4096 --single-threaded-gc'), []);
  assert.deepEqual(applyServerV8Flags(['--no-parallel_scavenge'], ''), []);
});
