import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { boundContributions, boundingKey, keptFacts } from './bounding.js';

const KEY = 'bounding-test-key';

const contributionsArbitrary = fc.array(
  fc.tuple(fc.string({ minLength: 1, maxLength: 4 }), fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { maxLength: 12 })),
  { maxLength: 30 },
);

test('a profile counts at most once per fact and in at most maxFacts facts', () => {
  fc.assert(
    fc.property(contributionsArbitrary, fc.integer({ min: 1, max: 4 }), (contributions, maxFacts) => {
      const byProfile = new Map<string, string[]>();
      for (const [profileId, facts] of contributions) byProfile.set(profileId, [...(byProfile.get(profileId) ?? []), ...facts]);
      for (const [profileId, facts] of byProfile) {
        const kept = keptFacts(profileId, facts, maxFacts, KEY);
        assert.equal(new Set(kept).size, kept.length);
        assert.equal(kept.length, Math.min(maxFacts, new Set(facts).size));
        for (const fact of kept) assert.ok(facts.includes(fact));
      }
      const { counts } = boundContributions(contributions, { maxFacts, key: KEY });
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      assert.ok(total <= byProfile.size * maxFacts);
      for (const [fact, count] of counts) {
        assert.ok(count <= [...byProfile.values()].filter((facts) => facts.includes(fact)).length);
      }
    }),
  );
});

test('removing one profile changes at most maxFacts counts, each by exactly 1 (the sensitivity)', () => {
  fc.assert(
    fc.property(contributionsArbitrary, fc.integer({ min: 1, max: 4 }), fc.nat(), (contributions, maxFacts, pick) => {
      fc.pre(contributions.length > 0);
      const removed = contributions[pick % contributions.length][0];
      const before = boundContributions(contributions, { maxFacts, key: KEY }).counts;
      const after = boundContributions(contributions.filter(([profileId]) => profileId !== removed), { maxFacts, key: KEY }).counts;
      let l1 = 0;
      for (const fact of new Set([...before.keys(), ...after.keys()])) {
        const change = (before.get(fact) ?? 0) - (after.get(fact) ?? 0);
        assert.ok(change === 0 || change === 1, `fact ${fact} changed by ${change}`);
        l1 += change;
      }
      assert.ok(l1 <= maxFacts);
    }),
  );
});

test('which facts are kept does not depend on the order they arrive in', () => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 15 }), fc.integer({ min: 1, max: 5 }), (facts, maxFacts) => {
      const forward = keptFacts('profile', facts, maxFacts, KEY).sort();
      const backward = keptFacts('profile', [...facts].reverse(), maxFacts, KEY).sort();
      assert.deepEqual(forward, backward);
    }),
  );
});

test('truncation is unbiased: each of four facts is kept about a quarter of the time', () => {
  const profiles = 4000;
  const contributions = Array.from({ length: profiles }, (_, i) => [`p${i}`, ['a', 'b', 'c', 'd']] as const);
  const { counts } = boundContributions(contributions, { maxFacts: 1, key: boundingKey('secret', 'demo', 2024) });
  const sd = Math.sqrt(profiles * 0.25 * 0.75); // binomial, ≈ 27
  for (const fact of ['a', 'b', 'c', 'd']) {
    const count = counts.get(fact) ?? 0;
    assert.ok(Math.abs(count - profiles / 4) < 4.5 * sd, `${fact}: ${count}`);
  }
});

test('the choice is keyed: another key chooses differently', () => {
  const facts = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
  const choices = (key: string) => Array.from({ length: 50 }, (_, i) => keptFacts(`p${i}`, facts, 2, key).sort().join());
  assert.deepEqual(choices('k1'), choices('k1'));
  assert.notDeepEqual(choices('k1'), choices('k2'));
});

test('maxFacts must be a whole number of at least 1', () => {
  assert.throws(() => boundContributions([], { maxFacts: 0, key: KEY }), RangeError);
  assert.throws(() => boundContributions([], { maxFacts: 1.5, key: KEY }), RangeError);
});
