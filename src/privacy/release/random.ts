// Where the randomness of DP noise comes from. The samplers (discrete.ts) only ask for uniform
// integers, so any source below can drive them:
//  - cryptoRandom: node:crypto's CSPRNG. The default everywhere a source is optional.
//  - seededRandom(seed): a deterministic stream for tests.
//  - questionRandom(secret, question): the noise of a release. It is a deterministic function
//    of a server secret and the canonical question, so asking the same question again gives the
//    same answer without storing any noise, and averaging repeated answers learns nothing. The
//    question names its data version (release.ts also folds in a keyed digest of the counts), so
//    new data means a new question, new noise and new spending in the ledger.
// The deterministic streams are AES-256 in counter mode (the core of NIST SP 800-90A CTR_DRBG)
// keyed by SHA-256/HMAC-SHA-256 of their seed: indistinguishable from uniform without the key.
import { createCipheriv, createHash, createHmac, randomFillSync } from 'node:crypto';

export interface RandomSource {
  /** A uniform integer in [0, 2^n). */
  randomBits(n: number): bigint;
  /** A uniform integer in [0, bound), bound ≥ 1, by rejection sampling (no modulo bias). */
  uniformInt(bound: bigint): bigint;
}

const TWO_POW_32 = 0x1_0000_0000;
const MAX_FAST_BOUND = 2n ** 53n;

/** A RandomSource over a stream of uniform bytes, read through a pool. */
export class ByteStreamRandom implements RandomSource {
  private readonly pool: Buffer;
  private offset: number;

  constructor(
    /** Fills the buffer with uniform bytes. */
    readonly fill: (buffer: Buffer) => unknown,
    poolBytes = 4096,
  ) {
    this.pool = Buffer.alloc(poolBytes);
    this.offset = poolBytes;
  }

  private uint32(): number {
    if (this.offset + 4 > this.pool.length) {
      this.fill(this.pool);
      this.offset = 0;
    }
    const value = this.pool.readUInt32LE(this.offset);
    this.offset += 4;
    return value;
  }

  randomBits(n: number): bigint {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`randomBits needs a whole number of bits, got ${n}`);
    let value = 0n;
    let remaining = n;
    while (remaining > 0) {
      const take = Math.min(32, remaining);
      value = (value << BigInt(take)) | BigInt(this.uint32() >>> (32 - take));
      remaining -= take;
    }
    return value;
  }

  uniformInt(bound: bigint): bigint {
    if (bound < 1n) throw new RangeError(`uniformInt needs a bound of at least 1, got ${bound}`);
    if (bound === 1n) return 0n;
    const bits = (bound - 1n).toString(2).length;
    if (bound <= MAX_FAST_BOUND) return BigInt(this.uniformBelow(Number(bound), bits));
    for (;;) {
      const candidate = this.randomBits(bits);
      if (candidate < bound) return candidate;
    }
  }

  /** Same rejection sampling with exact doubles (every integer below 2^53 is one). */
  private uniformBelow(bound: number, bits: number): number {
    const highBits = Math.max(0, bits - 32);
    const lowBits = bits - highBits;
    for (;;) {
      const low = lowBits === 32 ? this.uint32() : this.uint32() >>> (32 - lowBits);
      const high = highBits === 0 ? 0 : this.uint32() >>> (32 - highBits);
      const candidate = high * TWO_POW_32 + low;
      if (candidate < bound) return candidate;
    }
  }
}

/** Production randomness: node:crypto's CSPRNG (randomFillSync). */
export const cryptoRandom: ByteStreamRandom = new ByteStreamRandom(randomFillSync);

/** The source used wherever none is passed. */
export const defaultRandom: RandomSource = cryptoRandom;

function counterModeStream(key: Buffer, poolBytes: number): ByteStreamRandom {
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  return new ByteStreamRandom((buffer) => {
    // Encrypting zeros in CTR mode yields the keystream; the cipher keeps its counter between calls.
    cipher.update(Buffer.alloc(buffer.length)).copy(buffer);
  }, poolBytes);
}

/** A deterministic stream for tests: the same seed always gives the same numbers. */
export function seededRandom(seed: string | Uint8Array): RandomSource {
  const key = createHash('sha256').update('binge/dp/seeded\0').update(seed).digest();
  return counterModeStream(key, 1 << 16);
}

/**
 * The noise stream of one question: a deterministic function of the secret key and the
 * canonical question text, nothing else. Distinct questions give independent-looking streams.
 */
export function questionRandom(secret: string | Uint8Array, question: string): RandomSource {
  const key = createHmac('sha256', secret).update('binge/dp/question\0').update(question).digest();
  return counterModeStream(key, 256);
}
