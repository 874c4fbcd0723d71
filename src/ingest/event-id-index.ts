// Exact duplicate detection by eventId without a database round trip per event, in bounded
// memory. Each id is kept as a 96-bit fingerprint (three independent 32-bit string hashes; the
// chance of a false duplicate among 100M ids is about 1e-13) in an open-addressing table of
// typed arrays, 16 bytes a slot, with the local day of the event so entries older than the
// ingest window are dropped when the table grows. The writer is the only one that adds ids,
// and only after their batch is committed; on start the index is rebuilt from the store.

const EMPTY = 0;
const DAY_MS = 86_400_000;

export interface Fingerprint {
  a: number;
  b: number;
  c: number;
}

function hash32(text: string, seed: number): number {
  // murmur3-style mixing over UTF-16 code units.
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    let k = Math.imul(text.charCodeAt(i), 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= text.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function fingerprint(eventId: string): Fingerprint {
  // `a` is never 0 so that 0 can mark an empty slot.
  return { a: (hash32(eventId, 0x9747b28c) | 1) >>> 0, b: hash32(eventId, 0x5bd1e995), c: hash32(eventId, 0x1b873593) };
}

export class EventIdIndex {
  private keys: Uint32Array; // a, b, c per slot
  private days: Int32Array;
  private mask: number;
  private count = 0;

  /** @param windowDays ids of events older than this (relative to `now`) may be forgotten. */
  constructor(
    private readonly windowDays: number,
    private readonly now: () => number = Date.now,
    initialCapacity = 1 << 16,
  ) {
    const capacity = 1 << Math.ceil(Math.log2(Math.max(16, initialCapacity)));
    this.keys = new Uint32Array(capacity * 3);
    this.days = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.keys.byteLength + this.days.byteLength;
  }

  has(eventId: string): boolean {
    return this.find(fingerprint(eventId)) >= 0;
  }

  /** Adds the id; false when it was already there. */
  add(eventId: string, atMs: number): boolean {
    const f = fingerprint(eventId);
    if (this.find(f) >= 0) return false;
    if ((this.count + 1) * 4 > (this.mask + 1) * 3) this.grow();
    this.insert(f, Math.floor(atMs / DAY_MS));
    this.count++;
    return true;
  }

  private find(f: Fingerprint): number {
    let slot = f.b & this.mask;
    for (;;) {
      const base = slot * 3;
      const a = this.keys[base];
      if (a === EMPTY) return -1;
      if (a === f.a && this.keys[base + 1] === f.b && this.keys[base + 2] === f.c) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  private insert(f: Fingerprint, day: number): void {
    let slot = f.b & this.mask;
    while (this.keys[slot * 3] !== EMPTY) slot = (slot + 1) & this.mask;
    this.keys[slot * 3] = f.a;
    this.keys[slot * 3 + 1] = f.b;
    this.keys[slot * 3 + 2] = f.c;
    this.days[slot] = day;
  }

  /** Rehashes, forgetting ids older than the window; doubles only when the survivors need it. */
  private grow(): void {
    const oldKeys = this.keys;
    const oldDays = this.days;
    const oldestDay = Math.floor((this.now() - (this.windowDays + 1) * DAY_MS) / DAY_MS);
    let survivors = 0;
    for (let slot = 0; slot < oldDays.length; slot++) {
      if (oldKeys[slot * 3] !== EMPTY && oldDays[slot] >= oldestDay) survivors++;
    }
    let capacity = oldDays.length;
    while ((survivors + 1) * 2 > capacity) capacity *= 2;
    this.keys = new Uint32Array(capacity * 3);
    this.days = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.count = 0;
    for (let slot = 0; slot < oldDays.length; slot++) {
      const base = slot * 3;
      if (oldKeys[base] === EMPTY || oldDays[slot] < oldestDay) continue;
      this.insert({ a: oldKeys[base], b: oldKeys[base + 1], c: oldKeys[base + 2] }, oldDays[slot]);
      this.count++;
    }
  }
}
