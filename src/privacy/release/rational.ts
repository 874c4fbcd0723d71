// Exact non-negative rationals over BigInt. Privacy parameters (epsilon, noise scales, sigma²)
// are carried as rationals so that the samplers in discrete.ts never touch floating point and
// the ledger sums spending exactly.

export interface Rational {
  readonly num: bigint;
  /** Always > 0; the fraction is kept in lowest terms. */
  readonly den: bigint;
}

/** Decimal places kept when a decimal is turned into a rational (smaller parts are rounded down). */
export const RATIONAL_PLACES = 9;

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export function rational(num: bigint, den: bigint = 1n): Rational {
  if (den <= 0n) throw new RangeError(`a rational needs a positive denominator, got ${den}`);
  if (num < 0n) throw new RangeError(`privacy parameters are non-negative, got ${num}/${den}`);
  const g = gcd(num, den) || 1n;
  return { num: num / g, den: den / g };
}

const DECIMAL = /^(\d*)(?:\.(\d*))?(?:e([+-]?\d{1,3}))?$/i;

/**
 * The rational a decimal spells, rounded DOWN to RATIONAL_PLACES decimal places. A number is read
 * through its shortest decimal spelling (String(0.3) is "0.3", so 0.3 means 3/10, not the binary
 * double just below it). Rounding down is the conservative direction for an epsilon: the
 * mechanism then honours a guarantee at least as strong as the one asked for.
 */
export function rationalAtMost(value: number | string, places = RATIONAL_PLACES): Rational {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = DECIMAL.exec(text);
  if (!match || (match[1] === '' && (match[2] ?? '') === '')) {
    throw new RangeError(`expected a non-negative decimal number, got ${JSON.stringify(text)}`);
  }
  const fraction = match[2] ?? '';
  const exponent = Number(match[3] ?? '0') - fraction.length;
  const digits = BigInt(`${match[1]}${fraction}` || '0');
  let num = exponent >= 0 ? digits * 10n ** BigInt(exponent) : digits;
  let den = exponent >= 0 ? 1n : 10n ** BigInt(-exponent);
  const scale = 10n ** BigInt(places);
  if (den > scale) {
    num = (num * scale) / den;
    den = scale;
  }
  return rational(num, den);
}

export function toNumber(r: Rational): number {
  return Number(r.num) / Number(r.den);
}

export function add(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den + b.num * a.den, a.den * b.den);
}

/** a − b, which must not be negative. */
export function subtract(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den - b.num * a.den, a.den * b.den);
}

export function compare(a: Rational, b: Rational): -1 | 0 | 1 {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}

export function divideByInteger(r: Rational, k: number | bigint): Rational {
  return rational(r.num, r.den * BigInt(k));
}

export function reciprocal(r: Rational): Rational {
  if (r.num === 0n) throw new RangeError('the reciprocal of zero is undefined');
  return rational(r.den, r.num);
}

/** "num/den": the exact text form stored in the ledger. */
export function formatRational(r: Rational): string {
  return `${r.num}/${r.den}`;
}

export function parseRational(text: string): Rational {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  if (!match) throw new RangeError(`expected "num/den", got ${JSON.stringify(text)}`);
  return rational(BigInt(match[1]), BigInt(match[2]));
}
