import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EventIdIndex, fingerprint } from './event-id-index.js';

test('an id added is found again, whatever its hash bits', () => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 300 }), (ids) => {
      const index = new EventIdIndex(30, () => 0, 16);
      for (const id of ids) assert.equal(index.add(id, 0), true);
      for (const id of ids) assert.equal(index.has(id), true);
      for (const id of ids) assert.equal(index.add(id, 0), false);
      assert.equal(index.size, ids.length);
    }),
    { numRuns: 100 },
  );
});

test('fingerprints are unsigned 32-bit parts and never mark an empty slot', () => {
  for (const id of ['a', 'abc', 'evt-1', '\u{1F600}', 'x'.repeat(128)]) {
    const f = fingerprint(id);
    for (const part of [f.a, f.b, f.c]) assert.ok(part >= 0 && part <= 0xffffffff && Number.isInteger(part));
    assert.notEqual(f.a, 0);
  }
});

test('ids of events older than the window are forgotten when the table grows, recent ones never', () => {
  const day = 86_400_000;
  const now = 100 * day;
  const index = new EventIdIndex(30, () => now, 16);
  index.add('old', now - 60 * day);
  for (let i = 0; i < 1000; i++) index.add(`recent-${i}`, now - day);
  assert.equal(index.has('old'), false);
  for (let i = 0; i < 1000; i++) assert.equal(index.has(`recent-${i}`), true);
});

test('a million ids take about 16 bytes a slot', () => {
  const index = new EventIdIndex(30, () => 0);
  for (let i = 0; i < 1_000_000; i++) index.add(`e${i}`, 0);
  assert.equal(index.size, 1_000_000);
  assert.ok(index.bytes <= 2 ** 21 * 16, `index holds ${index.bytes} bytes`);
});

test('ids taken back are forgotten and every other id is still found, in any order of adds and removes', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ remove: fc.boolean(), id: fc.string({ minLength: 1, maxLength: 3 }) }), { maxLength: 400 }),
      (steps) => {
        // A small table (16 slots, growing) so that probe runs are long and wrap around.
        const index = new EventIdIndex(30, () => 0, 16);
        const model = new Set<string>();
        for (const { remove, id } of steps) {
          if (remove) assert.equal(index.remove(id), model.delete(id));
          else assert.equal(index.add(id, 0), !model.has(id) && model.add(id) !== undefined);
          assert.equal(index.size, model.size);
        }
        for (const { id } of steps) assert.equal(index.has(id), model.has(id));
      },
    ),
    { numRuns: 300, seed: 3 },
  );
});
