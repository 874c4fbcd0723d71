// Exact duplicate detection by eventId without a database round trip per event, in bounded
// memory. Each id is kept as a 96-bit fingerprint (three independent 32-bit string hashes; the
// chance of a false duplicate among 100M ids is about 1e-13) in an open-addressing table of
// one typed array, 16 bytes a slot: the three hashes, then the local day of the event, so that a
// look-up in a table far bigger than the cache misses once, not twice, and entries older than
// the ingest window are dropped when the table grows. The writer is the only one that adds ids,
// and only after their batch is committed; on start the index is rebuilt from the store.

const EMPTY = 0;
/** Numbers per slot: the three hashes and the day. */
const SLOT = 4;
const DAY_MS = 86_400_000;

export interface Fingerprint {
  a: number;
  b: number;
  c: number;
}

// The three hashes of the last fingerprinted id: one pass over the string, no object per id.
let fa = 0;
let fb = 0;
let fc = 0;

const mix = (h: number, k: number): number => {
  h ^= Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
};
const finish = (h: number, length: number): number => {
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

/**
 * murmur3-style mixing over UTF-16 code units, two to a 32-bit block (a lone last unit is its own
 * block; the length is mixed in at the end), three seeds in one pass; the result in fa, fb, fc.
 */
function fingerprintInto(text: string): void {
  let a = 0x9747b28c | 0;
  let b = 0x5bd1e995 | 0;
  let c = 0x1b873593 | 0;
  const pairs = text.length & ~1;
  for (let i = 0; i < pairs; i += 2) {
    const k = Math.imul(text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16), 0xcc9e2d51);
    a = mix(a, k);
    b = mix(b, k);
    c = mix(c, k);
  }
  if (pairs < text.length) {
    const k = Math.imul(text.charCodeAt(pairs), 0xcc9e2d51);
    a = mix(a, k);
    b = mix(b, k);
    c = mix(c, k);
  }
  // `a` is never 0 so that 0 can mark an empty slot.
  fa = (finish(a, text.length) | 1) >>> 0;
  fb = finish(b, text.length);
  fc = finish(c, text.length);
}

export function fingerprint(eventId: string): Fingerprint {
  fingerprintInto(eventId);
  return { a: fa, b: fb, c: fc };
}

/** The fingerprints of `eventIds`, three numbers each (a, b, c), as the index computes them: a thread that reads a batch hands them over instead of the ids. */
export function fingerprints(eventIds: readonly string[]): Uint32Array {
  const out = new Uint32Array(eventIds.length * 3);
  for (let k = 0; k < eventIds.length; k++) {
    fingerprintInto(eventIds[k]);
    out[3 * k] = fa;
    out[3 * k + 1] = fb;
    out[3 * k + 2] = fc;
  }
  return out;
}

export class EventIdIndex {
  private keys: Uint32Array; // a, b, c, day per slot
  private mask: number;
  private count = 0;

  /** @param windowDays ids of events older than this (relative to `now`) may be forgotten. */
  constructor(
    private readonly windowDays: number,
    private readonly now: () => number = Date.now,
    initialCapacity = 1 << 16,
  ) {
    const capacity = 1 << Math.ceil(Math.log2(Math.max(16, initialCapacity)));
    this.keys = new Uint32Array(capacity * SLOT);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.keys.byteLength;
  }

  has(eventId: string): boolean {
    fingerprintInto(eventId);
    return this.find(fa, fb, fc) >= 0;
  }

  /** Adds the id; false when it was already there. */
  add(eventId: string, atMs: number): boolean {
    fingerprintInto(eventId);
    return this.addFingerprint(fa, fb, fc, atMs);
  }

  /** Adds an id by its fingerprint (`fingerprints`); false when it was already there. */
  addFingerprint(a: number, b: number, c: number, atMs: number): boolean {
    if (this.find(a, b, c) >= 0) return false;
    if ((this.count + 1) * 4 > (this.mask + 1) * 3) this.grow();
    this.insert(a, b, c, Math.floor(atMs / DAY_MS));
    this.count++;
    return true;
  }

  /**
   * Forgets an id (the writer adds a group's ids before its log write, and takes them back when
   * the write fails). Linear probing's backward-shift deletion: later entries of the same probe
   * run move up, so every other id is still found.
   */
  remove(eventId: string): boolean {
    fingerprintInto(eventId);
    return this.removeFingerprint(fa, fb, fc);
  }

  removeFingerprint(a: number, b: number, c: number): boolean {
    let hole = this.find(a, b, c);
    if (hole < 0) return false;
    const keys = this.keys;
    for (let slot = (hole + 1) & this.mask; keys[slot * SLOT] !== EMPTY; slot = (slot + 1) & this.mask) {
      const home = keys[slot * SLOT + 1] & this.mask;
      // The entry at `slot` may move into the hole unless its home lies cyclically in (hole, slot].
      const stays = hole <= slot ? home > hole && home <= slot : home > hole || home <= slot;
      if (stays) continue;
      keys[hole * SLOT] = keys[slot * SLOT];
      keys[hole * SLOT + 1] = keys[slot * SLOT + 1];
      keys[hole * SLOT + 2] = keys[slot * SLOT + 2];
      keys[hole * SLOT + 3] = keys[slot * SLOT + 3];
      hole = slot;
    }
    keys[hole * SLOT] = EMPTY;
    this.count--;
    return true;
  }

  private find(a: number, b: number, c: number): number {
    let slot = b & this.mask;
    for (;;) {
      const base = slot * SLOT;
      const x = this.keys[base];
      if (x === EMPTY) return -1;
      if (x === a && this.keys[base + 1] === b && this.keys[base + 2] === c) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  private insert(a: number, b: number, c: number, day: number): void {
    let slot = b & this.mask;
    while (this.keys[slot * SLOT] !== EMPTY) slot = (slot + 1) & this.mask;
    this.keys[slot * SLOT] = a;
    this.keys[slot * SLOT + 1] = b;
    this.keys[slot * SLOT + 2] = c;
    this.keys[slot * SLOT + 3] = day >>> 0;
  }

  /** Rehashes, forgetting ids older than the window; doubles only when the survivors need it. */
  private grow(): void {
    const oldKeys = this.keys;
    const oldSlots = oldKeys.length / SLOT;
    const oldestDay = Math.floor((this.now() - (this.windowDays + 1) * DAY_MS) / DAY_MS);
    // A day is stored as its 32 bits; `| 0` reads it back signed.
    let survivors = 0;
    for (let slot = 0; slot < oldSlots; slot++) {
      if (oldKeys[slot * SLOT] !== EMPTY && (oldKeys[slot * SLOT + 3] | 0) >= oldestDay) survivors++;
    }
    let capacity = oldSlots;
    while ((survivors + 1) * 2 > capacity) capacity *= 2;
    this.keys = new Uint32Array(capacity * SLOT);
    this.mask = capacity - 1;
    this.count = 0;
    for (let slot = 0; slot < oldSlots; slot++) {
      const base = slot * SLOT;
      const day = oldKeys[base + 3] | 0;
      if (oldKeys[base] === EMPTY || day < oldestDay) continue;
      this.insert(oldKeys[base], oldKeys[base + 1], oldKeys[base + 2], day);
      this.count++;
    }
  }
}
