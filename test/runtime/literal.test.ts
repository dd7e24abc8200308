import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeLiteral } from '../../runtime/literal.js';

/** No `/` but in the division forms `0/0`, `1/0`, `-1/0`: nothing can open or end a comment. */
const hasNoStraySlash = (literal: string): boolean => !literal.replace(/^(-?1|0)\/0$/, '').includes('/');

/** Evaluates a literal the way a slot holds it: parenthesised, in global scope. */
const evaluate = (literal: string): unknown => (0, eval)(`(${literal})`);

function expectExact(value: unknown): string {
  const literal = encodeLiteral(value);
  if (literal === undefined) throw new Error(`no literal for ${String(value)}`);
  expect(Object.is(evaluate(literal), value)).toBe(true);
  expect(literal).toMatch(/^[\x20-\x7e]*$/); // printable ASCII only: no line break, no U+2028
  expect(hasNoStraySlash(literal)).toBe(true);
  return literal;
}

describe('encodeLiteral', () => {
  it('writes the special numbers with literals and operators only', () => {
    expect(expectExact(-0)).toBe('-0');
    expect(expectExact(0)).toBe('0');
    expect(expectExact(NaN)).toBe('0/0');
    expect(expectExact(Infinity)).toBe('1/0');
    expect(expectExact(-Infinity)).toBe('-1/0');
  });

  it('writes shortest round-trip decimals', () => {
    expect(expectExact(0.1)).toBe('0.1');
    expect(expectExact(-1.5)).toBe('-1.5');
    expect(expectExact(1073741824)).toBe('1073741824');
    expect(expectExact(Number.MAX_VALUE)).toBe('1.7976931348623157e+308');
    expect(expectExact(Number.MIN_VALUE)).toBe('5e-324');
    expect(expectExact(-Number.MAX_SAFE_INTEGER)).toBe('-9007199254740991');
    expect(expectExact(2 ** 53 + 2)).toBe('9007199254740994');
  });

  it('writes bigints of any size', () => {
    expect(expectExact(-9223372036854775808n)).toBe('-9223372036854775808n');
    expect(expectExact(18446744073709551615n)).toBe('18446744073709551615n');
    expect(expectExact(0n)).toBe('0n');
    expectExact(-(2n ** 200n) + 1n);
  });

  it('writes booleans, null and undefined without identifiers', () => {
    expect(expectExact(true)).toBe('true');
    expect(expectExact(false)).toBe('false');
    expect(expectExact(null)).toBe('null');
    expect(expectExact(undefined)).toBe('void 0');
  });

  it('escapes every string so it cannot end a slot, a comment or a line', () => {
    expect(expectExact('')).toBe('""');
    expect(expectExact('fast')).toBe('"fast"');
    expect(expectExact('*/')).toBe('"*\\x2F"');
    expect(expectExact(`"'\`\\`)).toBe('"\\"\\\'`\\\\"');
    expect(expectExact('/*@hp:0*/')).toBe('"\\x2F*@hp:0*\\x2F"');
    expect(expectExact('a\nb\r\u2028\u2029')).toBe('"a\\nb\\r\\u2028\\u2029"');
    expect(expectExact('\0' + '1')).toBe('"\\x001"'); // not the octal \01
    expect(expectExact('\ud800')).toBe('"\\uD800"');
    expect(expectExact('\udfff\ud800')).toBe('"\\uDFFF\\uD800"');
    expect(expectExact('é😀\x7f')).toBe('"\\xE9\\uD83D\\uDE00\\x7F"');
    expectExact('</script><!--');
  });

  it('has no literal for objects, functions and symbols', () => {
    for (const value of [{}, [], () => 0, Symbol('s'), new Number(1), Object(1n)]) {
      expect(encodeLiteral(value)).toBeUndefined();
    }
  });

  it('round-trips arbitrary numbers, bigints and strings (property)', () => {
    const utf16 = fc.array(fc.integer({ min: 0, max: 0xffff })).map((units) => String.fromCharCode(...units));
    const value = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.bigInt(),
      fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
      utf16,
      fc.string(),
      fc.constantFrom(true, false, null, undefined),
    );
    fc.assert(
      fc.property(value, (v) => {
        const literal = encodeLiteral(v);
        return literal !== undefined && /^[\x20-\x7e]*$/.test(literal) && hasNoStraySlash(literal) && Object.is(evaluate(literal), v);
      }),
      { numRuns: 2000 },
    );
  });
});
