import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { importViewingActivity, importViewingActivityText } from './summary.js';
import { syntheticViewingActivityLines, writeSyntheticViewingActivity } from './synthetic.js';

test('the same seed writes the same file, and another seed another file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'binge-netflix-'));
  try {
    await writeSyntheticViewingActivity(join(dir, 'a.csv'), 500, { seed: 7 });
    await writeSyntheticViewingActivity(join(dir, 'b.csv'), 500, { seed: 7 });
    await writeSyntheticViewingActivity(join(dir, 'c.csv'), 500, { seed: 8 });
    const a = readFileSync(join(dir, 'a.csv'), 'utf8');
    assert.equal(a, readFileSync(join(dir, 'b.csv'), 'utf8'));
    assert.notEqual(a, readFileSync(join(dir, 'c.csv'), 'utf8'));
    const summary = await importViewingActivity(join(dir, 'a.csv'), { member: 'synthetic' });
    assert.equal(summary.rows, 500);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a synthetic export of N rows imports N rows, none skipped, split over its profiles', () => {
  const text = [...syntheticViewingActivityLines(2003, { seed: 3, profiles: 5 })].join('\n');
  const summary = importViewingActivityText(text, { member: 'synthetic' });
  assert.equal(summary.rows, 2003);
  assert.deepEqual(summary.skipped, []);
  assert.deepEqual(summary.totals.map((t) => t.rows), [401, 401, 401, 400, 400]);
  assert.ok(summary.titles.some((t) => t.kind === 'supplemental') && summary.titles.some((t) => t.kind === 'episode'));
  assert.equal(new Set(summary.events.map((e) => e.eventId)).size, 2 * 2003);
});
