// A set of 64-bit row digests in two typed arrays (open addressing): remembering a million
// rows costs 16 MB and no garbage, where a Set of strings costs several times that and slows
// the import through garbage collection.

const EMPTY = 0;

export class DigestSet {
  private hi = new Int32Array(1 << 12);
  private lo = new Int32Array(1 << 12);
  private count = 0;

  /** Adds the digest of the first 16 hex digits of `hex`; false when it was there already. */
  add(hex: string): boolean {
    let hi = hexInt32(hex, 0);
    const lo = hexInt32(hex, 8);
    if (hi === EMPTY && lo === EMPTY) hi = 1; // 0/0 marks a free slot; this merges one digest in 2^64 with another
    if ((this.count + 1) * 2 > this.hi.length) this.grow();
    return this.insert(hi, lo);
  }

  private insert(hi: number, lo: number): boolean {
    const mask = this.hi.length - 1;
    let i = (lo ^ (hi >>> 7)) & mask;
    for (;;) {
      if (this.hi[i] === EMPTY && this.lo[i] === EMPTY) {
        this.hi[i] = hi;
        this.lo[i] = lo;
        this.count++;
        return true;
      }
      if (this.hi[i] === hi && this.lo[i] === lo) return false;
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const { hi, lo } = this;
    this.hi = new Int32Array(hi.length * 2);
    this.lo = new Int32Array(lo.length * 2);
    this.count = 0;
    for (let i = 0; i < hi.length; i++) if (hi[i] !== EMPTY || lo[i] !== EMPTY) this.insert(hi[i], lo[i]);
  }
}

function hexInt32(hex: string, from: number): number {
  let value = 0;
  for (let i = from; i < from + 8; i++) {
    const c = hex.charCodeAt(i);
    value = (value << 4) | (c <= 57 ? c - 48 : c - 87);
  }
  return value | 0;
}
