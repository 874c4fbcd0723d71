// Smoke test of the benchmark harness at tiny sizes: every result carries its measure, its
// baseline from the same run and the ratio. (ingest-http needs the compiled server; not here.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { benchmarkNames, formatReport, runBenchmarks } from './index.js';

test('the registry names every benchmark', () => {
  for (const name of ['ingest-bulk', 'ingest-http', 'history', 'import-netflix', 'insights', 'ease', 'serving']) assert.ok(benchmarkNames().includes(name));
});

test('tiny runs report measured, baseline and ratio, and pass their checks', async () => {
  const report = await runBenchmarks(['ingest-bulk', 'history', 'import-netflix', 'ease'], { events: 3000 });
  assert.equal(report.results.length, 4);
  assert.ok(report.machine.cores >= 1 && report.machine.node.startsWith('v'));
  for (const r of report.results) {
    assert.ok(r.ok, `${r.name} check failed: ${JSON.stringify(r.details)}`);
    // EASE's baseline is NumPy, which a machine may lack: the bench then says so instead of timing it.
    if (r.name === 'ease' && Number.isNaN(r.baseline.value)) {
      assert.match(r.baseline.label, /NumPy not available/);
      continue;
    }
    for (const m of [r.measured, r.baseline]) assert.ok(m.label.length > 0 && m.value > 0 && m.seconds > 0, JSON.stringify(m));
    assert.ok(Number.isFinite(r.ratio) && r.ratio > 0);
  }
  const text = formatReport(report);
  assert.match(text, /baseline:/);
  assert.match(text, /ratio:/);
  await assert.rejects(runBenchmarks(['no-such-bench']), /unknown benchmark/);
});

test('repeated runs report the run of median ratio and list every ratio', async () => {
  const { medianRun } = await import('./index.js');
  const run = (ratio: number, ok = true) => ({
    name: 'x', size: 1, ok, ratio, details: {},
    measured: { label: 'm', value: ratio, unit: 'events/s', seconds: 1 },
    baseline: { label: 'b', value: 1, unit: 'events/s', seconds: 1 },
  });
  const median = medianRun([run(3), run(1), run(2, false)]);
  assert.equal(median.ratio, 2);
  assert.equal(median.ok, false);
  assert.deepEqual(median.details.ratios, [3, 1, 2]);
});
