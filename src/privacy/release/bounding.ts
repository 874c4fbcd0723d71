// Contribution bounding: what makes the sensitivity of a release known. After bounding, each
// profile counts at most once in any fact and in at most maxFacts facts, so removing one
// profile changes at most maxFacts counts by exactly 1 each:
//   L0 = maxFacts (facts touched), L1 = maxFacts, L2² = maxFacts, L∞ = 1.
// release.ts therefore gives each fact ε/maxFacts with the Laplace method (basic composition
// over the ≤ maxFacts facts a profile touches), and calibrates the Gaussian to L2² = maxFacts.
//
// Which facts a profile keeps when it has more than maxFacts is decided by a keyed hash of
// (profile, fact): a pseudo-random choice, the same whatever order the facts arrive in, so no
// fact is favoured by being listed first (order-based truncation biases counts towards whatever
// sorts early), and a profile's choice does not depend on any other profile, which the
// sensitivity argument needs. The key is secret so nobody can steer a profile's choice.
import { createHmac } from 'node:crypto';

declare const bounded: unique symbol;

/** Exact counts per fact key in which every profile contributes at most once to at most maxFacts facts. */
export interface BoundedCounts {
  readonly counts: ReadonlyMap<string, number>;
  readonly maxFacts: number;
  readonly [bounded]: true;
}

export type Contributions = ReadonlyMap<string, readonly string[]> | Iterable<readonly [string, readonly string[]]>;

/** The key of the bounding hash for one data set and year (stable across data versions). */
export function boundingKey(secret: string | Uint8Array, dataset: string, year: number): Buffer {
  return createHmac('sha256', secret).update(`binge/dp/bounding\0${JSON.stringify([dataset, year])}`).digest();
}

function rank(key: string | Uint8Array, profileId: string, factKey: string): string {
  return createHmac('sha256', key).update(JSON.stringify([profileId, factKey])).digest('hex');
}

/** The distinct facts one profile keeps: all of them if at most maxFacts, else the maxFacts of lowest keyed hash. */
export function keptFacts(profileId: string, factKeys: Iterable<string>, maxFacts: number, key: string | Uint8Array): string[] {
  const distinct = [...new Set(factKeys)];
  if (distinct.length <= maxFacts) return distinct;
  return distinct
    .map((factKey) => ({ factKey, rank: rank(key, profileId, factKey) }))
    .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0))
    .slice(0, maxFacts)
    .map((ranked) => ranked.factKey);
}

/** Bounds every profile's contribution, then counts profiles per fact. */
export function boundContributions(
  contributions: Contributions,
  options: { maxFacts: number; key: string | Uint8Array },
): BoundedCounts {
  const { maxFacts, key } = options;
  if (!Number.isInteger(maxFacts) || maxFacts < 1) throw new RangeError(`maxFacts must be a whole number ≥ 1, got ${maxFacts}`);
  const byProfile = new Map<string, string[]>();
  for (const [profileId, factKeys] of contributions) {
    const facts = byProfile.get(profileId);
    if (facts) facts.push(...factKeys);
    else byProfile.set(profileId, [...factKeys]);
  }
  const counts = new Map<string, number>();
  for (const [profileId, factKeys] of byProfile) {
    for (const factKey of keptFacts(profileId, factKeys, maxFacts, key)) {
      counts.set(factKey, (counts.get(factKey) ?? 0) + 1);
    }
  }
  // The only place a BoundedCounts is made: the brand certifies the bounding above.
  return { counts, maxFacts } as unknown as BoundedCounts;
}
