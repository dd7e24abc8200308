// Integer interval arithmetic and the exactness condition of the subtract-compare rewrite.
// Pure: numbers in, numbers out. An Interval always holds integers only (no NaN, no
// ±Infinity, no fractions), both ends inclusive and within the safe-integer range.

export interface Interval {
  readonly min: number;
  readonly max: number;
}

export const TWO_32 = 2 ** 32;
export const INT32: Interval = { min: -(2 ** 31), max: 2 ** 31 - 1 };
export const UINT32: Interval = { min: 0, max: TWO_32 - 1 };

export function point(value: number): Interval | undefined {
  return Number.isSafeInteger(value) ? { min: value, max: value } : undefined;
}

function checked(min: number, max: number): Interval | undefined {
  // -0 is an integer for every purpose here: `>>> 0` and the comparisons treat it as 0.
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max) return undefined;
  return { min: min + 0, max: max + 0 };
}

export function add(a: Interval, b: Interval): Interval | undefined {
  return checked(a.min + b.min, a.max + b.max);
}

export function subtract(a: Interval, b: Interval): Interval | undefined {
  return checked(a.min - b.max, a.max - b.min);
}

export function multiply(a: Interval, b: Interval): Interval | undefined {
  const products = [a.min * b.min, a.min * b.max, a.max * b.min, a.max * b.max];
  return checked(Math.min(...products), Math.max(...products));
}

export function negate(a: Interval): Interval | undefined {
  return checked(-a.max, -a.min);
}

export function union(a: Interval, b: Interval): Interval {
  return { min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) };
}

/** Range of `a >> n` for a constant shift n (ToInt32 first, shift count mod 32). */
export function shiftRightSigned(n: number): Interval {
  const k = ((n % 32) + 32) % 32;
  return { min: INT32.min >> k, max: INT32.max >> k };
}

/** Range of `a >>> n` for a constant shift n. */
export function shiftRightUnsigned(n: number): Interval {
  const k = ((n % 32) + 32) % 32;
  return { min: 0, max: UINT32.max >>> k };
}

export type ExactnessFailure =
  /** x - lo can reach ±2^32 or beyond: ToUint32 wraps it into the range. */
  | 'difference-range'
  /** a negative x - lo plus 2^32 can land below the size: x + 2^32 < hi. */
  | 'negative-wrap';

/**
 * `(x - L) >>> 0 < H - L` equals `x >= L && x < H` for integers x in `x`, L in `lower`,
 * H in `upperExclusive` iff d = x - L lies in (-2^32, 2^32) (then ToUint32(d) is d, or
 * d + 2^32 when d < 0) and, for negative d, d + 2^32 >= H - L, that is x + 2^32 >= H.
 * Safe-integer intervals make every subtraction in the rewrite exact.
 * Only L < H needs the condition: for L >= H both forms are constant and agree (the range is
 * empty, and a uint32 is never below H - L <= 0), so L is taken below H's largest value only
 * (`x > lo && x < 0` with int32 x and lo: L = lo + 1 <= -1 keeps x - L within 2^32).
 */
export function proveExact(
  x: Interval,
  lower: Interval,
  upperExclusive: Interval,
): ExactnessFailure | undefined {
  const relevantLower = { min: lower.min, max: Math.min(lower.max, upperExclusive.max - 1) };
  if (relevantLower.max < relevantLower.min) return undefined; // never L < H: constant in both forms
  const difference = subtract(x, relevantLower);
  if (!difference || difference.min <= -TWO_32 || difference.max >= TWO_32) return 'difference-range';
  // Named before an inexact size: it is the counterexample then (int32 x, lo against hi = 2^53 - 1).
  if (difference.min < 0 && x.min + TWO_32 < upperExclusive.max) return 'negative-wrap';
  if (!subtract(upperExclusive, lower)) return 'difference-range';
  return undefined;
}

// ---------------------------------------------------------------- bigint intervals
// The same analysis for the bigint rewrite `BigInt.asUintN(64, x - L) < H - L`. BigInt
// arithmetic is exact at any size, so there is no safe-integer limit to check.

export interface BigIntInterval {
  readonly min: bigint;
  readonly max: bigint;
}

export const TWO_64 = 1n << 64n;

export function bigPoint(value: bigint): BigIntInterval {
  return { min: value, max: value };
}

/** Range of `BigInt.asIntN(bits, v)` (bits a non-negative integer). */
export function asIntNRange(bits: number): BigIntInterval {
  if (bits === 0) return bigPoint(0n);
  const half = 1n << BigInt(bits - 1);
  return { min: -half, max: half - 1n };
}

/** Range of `BigInt.asUintN(bits, v)`. */
export function asUintNRange(bits: number): BigIntInterval {
  return { min: 0n, max: (1n << BigInt(bits)) - 1n };
}

export function bigAdd(a: BigIntInterval, b: BigIntInterval): BigIntInterval {
  return { min: a.min + b.min, max: a.max + b.max };
}

export function bigSubtract(a: BigIntInterval, b: BigIntInterval): BigIntInterval {
  return { min: a.min - b.max, max: a.max - b.min };
}

export function bigMultiply(a: BigIntInterval, b: BigIntInterval): BigIntInterval {
  const products = [a.min * b.min, a.min * b.max, a.max * b.min, a.max * b.max];
  return {
    min: products.reduce((m, p) => (p < m ? p : m)),
    max: products.reduce((m, p) => (p > m ? p : m)),
  };
}

export function bigNegate(a: BigIntInterval): BigIntInterval {
  return { min: -a.max, max: -a.min };
}

export function bigUnion(a: BigIntInterval, b: BigIntInterval): BigIntInterval {
  return { min: a.min < b.min ? a.min : b.min, max: a.max > b.max ? a.max : b.max };
}

/**
 * `BigInt.asUintN(64, x - L) < H - L` equals `x >= L && x < H` for bigints x in `x`, L in
 * `lower`, H in `upperExclusive` iff d = x - L lies in (-2^64, 2^64) (then asUintN gives d,
 * or d + 2^64 when d < 0) and, for negative d, d + 2^64 >= H - L, that is x + 2^64 >= H.
 * (When d is never negative, H does not matter: asUintN is the identity on [0, 2^64).)
 */
export function proveExact64(
  x: BigIntInterval,
  lower: BigIntInterval,
  /** undefined: any bigint (the bound's range is unknown). */
  upperExclusive: BigIntInterval | undefined,
): ExactnessFailure | undefined {
  const difference = bigSubtract(x, lower);
  if (difference.min <= -TWO_64 || difference.max >= TWO_64) return 'difference-range';
  if (difference.min < 0n && (!upperExclusive || x.min + TWO_64 < upperExclusive.max)) return 'negative-wrap';
  return undefined;
}
