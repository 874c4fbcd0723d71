import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DemoOptionsError, parseDemoOptions, periodOf } from './options.js';

test('defaults are one calendar year, 100 members, heartbeats every 60 s, planted cases on', () => {
  const o = parseDemoOptions({});
  assert.equal(o.fromDay, '2025-01-01');
  assert.equal(o.toDay, '2025-12-31');
  assert.equal(o.members, 100);
  assert.equal(o.heartbeatS, 60);
  assert.equal(o.plantCases, true);
  assert.equal(periodOf(o).days, 365);
});

test('a numeric seed is the same as its decimal string', () => {
  assert.equal(parseDemoOptions({ seed: 42 }).seed, '42');
});

const rejects = (input: unknown, field: string): void => {
  assert.throws(
    () => parseDemoOptions(input),
    (error: unknown) => error instanceof DemoOptionsError && error.code === 'BINGE_DEMO_BAD_OPTIONS' && error.issues.some((i) => i.startsWith(`${field}:`)),
  );
};

test('bad options are rejected with the option named', () => {
  rejects({ members: 0 }, 'members');
  rejects({ members: 2.5 }, 'members');
  rejects({ fromDay: '2025-02-30' }, 'fromDay');
  rejects({ toDay: '31/12/2025' }, 'toDay');
  rejects({ fromDay: '2025-06-01', toDay: '2025-05-31' }, 'toDay');
  rejects({ heartbeatS: 1 }, 'heartbeatS');
  rejects({ seed: '' }, 'seed');
  rejects({ plantCases: 'yes' }, 'plantCases');
});

test('unknown options are rejected, so a typo is not silently ignored', () => {
  rejects({ member: 10 }, 'options');
});
