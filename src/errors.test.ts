import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ERROR_CODES, BingeError } from './errors.js';

const documented = readFileSync(new URL('../docs/ERRORS.md', import.meta.url), 'utf8');

test('docs/ERRORS.md lists every error code with its status, and nothing else', () => {
  const listed = new Map([...documented.matchAll(/^\| `(BINGE_[A-Z0-9_]+)` \| (\d{3})/gm)].map((m) => [m[1], Number(m[2])]));
  assert.deepEqual([...listed.keys()].sort(), Object.keys(ERROR_CODES).sort());
  for (const [code, status] of listed) assert.equal(status, ERROR_CODES[code as keyof typeof ERROR_CODES], code);
});

test('an error carries its code, status and retry hint', () => {
  const error = new BingeError('BINGE_OVERLOADED', 'behind', { retryAfterS: 2 });
  assert.deepEqual([error.code, error.status, error.retryAfterS], ['BINGE_OVERLOADED', 503, 2]);
});
