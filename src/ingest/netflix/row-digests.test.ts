import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sha256Hex } from './ids.js';
import { DigestSet } from './row-digests.js';

test('a digest is new once and seen after, across the table growing', () => {
  const set = new DigestSet();
  const digests = Array.from({ length: 20_000 }, (_, i) => sha256Hex(`row ${i}`));
  assert.ok(digests.every((d) => set.add(d)));
  assert.ok(digests.every((d) => !set.add(d)));
  assert.equal(set.add('0000000000000000'), true);
  assert.equal(set.add('0000000000000000'), false);
});
