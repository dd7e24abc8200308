// Syntax-only behaviour of hotpath/prefer-subtract-compare: every spelling, what must not be
// reported, and fix versus suggestion for each safety case. Typed cases: golden folders in
// fixtures/rules/ (prefer-subtract-compare.golden.test.ts).
import { describe, expect, it } from 'vitest';
import tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import plugin from '../../eslint-plugin/index.js';
import { RuleTester, lintSyntaxOnly, testedRule as rule } from './rule-tester.js';

const ruleTester = new RuleTester();

// `x` is proven int32 by `| 0`, `u` uint32 by `>>> 0`; bounds are literals or module consts.
const prelude = 'const LO = 16, SIZE = 32, HI = 48;\n';
const fn = (body: string) => `${prelude}export function f(v, w, a, b) { const x = v | 0; const u = w >>> 0; return ${body}; }`;
const col = (body: string, part: string) => fn(body).indexOf(part) - prelude.length + 1;

function fixed(body: string, output: string, message = 'rangeCheck' as const) {
  const start = body.match(/[(\w]/)!.index!;
  return {
    code: fn(body),
    output: fn(output),
    errors: [{ messageId: message, line: 2 }],
    name: `${body}  ->  ${output}`,
    start,
  };
}

ruleTester.run('prefer-subtract-compare (spellings, proven: autofix)', rule, {
  valid: [],
  invalid: [
    fixed('x >= 48 && x < 58', '(x - 48) >>> 0 < 10'),
    fixed('x >= 48 && x <= 57', '(x - 48) >>> 0 <= 9'),
    fixed('48 <= x && x <= 57', '(x - 48) >>> 0 <= 9'),
    fixed('58 > x && x >= 48', '(x - 48) >>> 0 < 10'),
    fixed('57 >= x && 48 <= x', '(x - 48) >>> 0 <= 9'),
    fixed('x > 47 && x < 58', '(x - 48) >>> 0 < 10'),
    fixed('x > 47 && x <= 57', '(x - 48) >>> 0 <= 9'),
    fixed('x >= -5 && x < 5', '(x + 5) >>> 0 < 10'),
    fixed('x >= 0 && x < 10', 'x >>> 0 < 10'),
    fixed('x >= 0x40 && x < 0x80', '(x - 0x40) >>> 0 < 0x40'),
    fixed('(x >= 48) && (x < 58)', '(x - 48) >>> 0 < 10'),
    // negated
    fixed('x < 48 || x >= 58', '(x - 48) >>> 0 >= 10'),
    fixed('x < 48 || x > 57', '(x - 48) >>> 0 > 9'),
    fixed('57 < x || x < 48', '(x - 48) >>> 0 > 9'),
    fixed('x <= 47 || x > 57', '(x - 48) >>> 0 > 9'),
    // inside a longer chain, only the adjacent pair
    fixed('a && x >= 48 && x < 58 && b', 'a && (x - 48) >>> 0 < 10 && b'),
    fixed('a || x < 48 || x >= 58 || b', 'a || (x - 48) >>> 0 >= 10 || b'),
    fixed('a && (x >= 48 && x < 58)', 'a && ((x - 48) >>> 0 < 10)'),
    // named bounds, `lo + size`
    fixed('x >= LO && x < LO + SIZE', '(x - LO) >>> 0 < SIZE'),
    fixed('x >= LO && x <= LO + SIZE', '(x - LO) >>> 0 <= SIZE'),
    fixed('x > LO && x < LO + SIZE', '(x - LO - 1) >>> 0 < SIZE - 1'),
    fixed('x >= LO && x < HI', '(x - LO) >>> 0 < HI - LO'),
    fixed('x >= LO && x <= HI', '(x - LO) >>> 0 <= HI - LO'),
    fixed('x > LO && x < HI', '(x - LO - 1) >>> 0 < HI - LO - 1'),
    fixed('x > LO && x <= HI', '(x - LO - 1) >>> 0 < HI - LO'),
    fixed('x >= LO && x < 100', '(x - LO) >>> 0 < 100 - LO'),
    fixed('x >= 40 && x < HI', '(x - 40) >>> 0 < HI - 40'),
    fixed('x < LO || x >= LO + SIZE', '(x - LO) >>> 0 >= SIZE'),
    // uint32 operand
    fixed('u >= 48 && u <= 57', '(u - 48) >>> 0 <= 9'),
  ].map(({ start: _start, ...c }) => c),
});

ruleTester.run('prefer-subtract-compare (operand provers)', rule, {
  valid: [],
  invalid: [
    ['const c = v & 0xff;', 'c >= 48 && c <= 57', '(c - 48) >>> 0 <= 9'],
    ['const c = v >> 8;', 'c >= 1 && c < 9', '(c - 1) >>> 0 < 8'],
    ['const c = ~(v | 0);', 'c >= 1 && c < 9', '(c - 1) >>> 0 < 8'],
    ['const c = Math.imul(v, 3);', 'c >= 1 && c < 9', '(c - 1) >>> 0 < 8'],
    ['const c = Math.clz32(v);', 'c >= 1 && c < 9', '(c - 1) >>> 0 < 8'],
    ['const c = (v & 0xff) + (w & 0xff) * 2;', 'c >= 1 && c < 9', '(c - 1) >>> 0 < 8'],
    ['const c = v | 0, lo = w & 0xff, hi = lo + 10;', 'c >= lo && c < hi', '(c - lo) >>> 0 < hi - lo'],
    ['const c = v ? 3 : 7;', 'c >= 1 && c < 9', '(c - 1) >>> 0 < 8'],
  ].map(([decl, check, output]) => ({
    code: `export function g(v, w) { ${decl} return ${check}; }`,
    output: `export function g(v, w) { ${decl} return ${output}; }`,
    errors: [{ messageId: 'rangeCheck' as const }],
  })),
});

function suggested(code: string, replacement: string, from: string) {
  return {
    code,
    output: null,
    errors: [
      {
        messageId: 'rangeCheckUnproven' as const,
        suggestions: [{ messageId: 'suggestRewrite' as const, output: code.replace(from, replacement) }],
      },
    ],
  };
}

ruleTester.run('prefer-subtract-compare (not proven: suggestion)', rule, {
  valid: [],
  invalid: [
    // operand of unknown value
    suggested('function f(c) { return c >= 48 && c <= 57; }', '(c - 48) >>> 0 <= 9', 'c >= 48 && c <= 57'),
    suggested(
      'function f(s, i) { const c = s.charCodeAt(i); return c >= 48 && c <= 57; }',
      '(c - 48) >>> 0 <= 9',
      'c >= 48 && c <= 57',
    ),
    suggested('function f(a, i) { const c = a[i]; return c >= 48 && c <= 57; }', '(c - 48) >>> 0 <= 9', 'c >= 48 && c <= 57'),
    // a let, even if assigned an int32, is not proven (no flow analysis)
    suggested('function f(v) { let c = v | 0; return c >= 48 && c <= 57; }', '(c - 48) >>> 0 <= 9', 'c >= 48 && c <= 57'),
    // bounds of unknown value
    suggested('function f(v, lo) { const x = v | 0; return x >= lo && x < 10; }', '(x - lo) >>> 0 < 10 - lo', 'x >= lo && x < 10'),
    suggested('function f(v, hi) { const x = v | 0; return x >= 0 && x < hi; }', 'x >>> 0 < hi', 'x >= 0 && x < hi'),
    suggested('function f(v, n) { const x = v | 0; return x >= 4 && x < 4 + n; }', '(x - 4) >>> 0 < n', 'x >= 4 && x < 4 + n'),
    // member reads may be getters
    suggested('function f(o) { return o.x >= 0 && o.x < 10; }', 'o.x >>> 0 < 10', 'o.x >= 0 && o.x < 10'),
    suggested('function f(v, s) { const x = v | 0; return x >= 0 && x < s.length; }', 'x >>> 0 < s.length', 'x >= 0 && x < s.length'),
    // undeclared global
    suggested('function f(v) { const x = v | 0; return x >= 0 && x < LIMIT; }', 'x >>> 0 < LIMIT', 'x >= 0 && x < LIMIT'),
    // an int32 from an operand that is not proven a number: valueOf would run once instead of twice
    suggested('function f(v) { return (v | 0) >= 0 && (v | 0) < 10; }', '(v | 0) >>> 0 < 10', '(v | 0) >= 0 && (v | 0) < 10'),
    // `~v` of a BigInt is a BigInt: `c - 1` would throw where the comparisons work
    suggested('function f(v) { const c = ~v; return c >= 1 && c < 9; }', '(c - 1) >>> 0 < 8', 'c >= 1 && c < 9'),
    // uint32 minus a negative bound can reach 2^32
    suggested('function f(w) { const u = w >>> 0; return u >= -5 && u < 5; }', '(u + 5) >>> 0 < 10', 'u >= -5 && u < 5'),
    // int32 x below 0 wraps to >= 2^31, inside a uint32 upper bound
    suggested(
      'function f(v, w) { const x = v | 0, u = w >>> 0; return x >= 0 && x < u; }',
      'x >>> 0 < u',
      'x >= 0 && x < u',
    ),
    // TDZ: a call before the declaration could run f while LATER is uninitialized
    suggested(
      'export function f(v) { const x = v | 0; return x >= 0 && x < LATER; }\nf(1);\nconst LATER = 10;',
      'x >>> 0 < LATER',
      'x >= 0 && x < LATER',
    ),
  ],
});

ruleTester.run('prefer-subtract-compare (comments)', rule, {
  valid: [],
  invalid: [
    {
      code: 'function f(v) { const c = v | 0; return c >= 48 /* digit */ && c <= 57; }',
      output: null,
      errors: [{ messageId: 'rangeCheckNoFix' }],
    },
    {
      // A comment inside a part the rewrite prints once is kept.
      code: 'const LO = 1, SIZE = 4; function f(v) { const c = v | 0; return c >= LO && c < LO + SIZE * /* words */ 2; }',
      output: 'const LO = 1, SIZE = 4; function f(v) { const c = v | 0; return (c - LO) >>> 0 < SIZE * /* words */ 2; }',
      errors: [{ messageId: 'rangeCheck' }],
    },
    {
      // lo is printed twice in `hi - lo`: a comment in it would be duplicated.
      code: 'const LO = 1, HI = 4; function f(v) { const c = v | 0; return c >= LO /* first */ + 1 && c < HI; }',
      output: null,
      errors: [{ messageId: 'rangeCheckNoFix' }],
    },
    {
      code: 'const LO = 1, SIZE = 4; function f(v) { const c = v | 0; return c >= LO && c < LO + /* bytes */ SIZE; }',
      output: null,
      errors: [{ messageId: 'rangeCheckNoFix' }],
    },
  ],
});

ruleTester.run('prefer-subtract-compare (must not report)', rule, {
  valid: [
    fn('x >= a && w < b'), // different operands
    fn('x >= 0 && u < 10'),
    fn('x >= 0 && x > 5'),
    fn('x < 0 && x <= 5'),
    fn('x >= 0 && a && x < 10'), // not adjacent
    fn('(a && x >= 0) && x < 10'), // not adjacent in the source
    fn('x >= 10 && x < 5'), // unordered constant bounds
    fn('x >= 5 && x < 5'), // empty
    fn('x > 5 && x <= 5'),
    fn('x >= 48 && x < HI'), // empty: HI is the const 48 (proven bounds, not only literals)
    fn('x >= 0x7fffffff + 1 && x < (w | 0)'), // empty for every w: no int32 reaches 2^31
    fn('x >= u && x < u + 0'), // empty for every u: size 0
    fn('x > 0xffffffff && x <= 0xffffffff + u'), // no int32 x is ever inside
    fn('x > u && x <= u + (w & 0)'),
    fn('x >= 0 || x < 10'), // always true, not a range check
    fn('x >= 0.5 && x < 10'), // fractional bound: a float range
    fn('x >= 0 && x < 2 ** 33'), // wider than 2^32
    fn('x >= 0 ?? x < 10'),
    'function f(c) { return c >= "a" && c <= "z"; }',
    'function f(c, lo, hi) { return c >= `${lo}` && c < hi; }',
    'function f(g) { return g() >= 0 && g() < 10; }',
    'function f(x, g) { return x >= g() && x < 10; }',
    'function f(x, g) { return x >= 0 && x < g(); }',
    'function f(x) { return x++ >= 0 && x++ < 10; }',
    'function f(x, o) { return x >= new o() && x < 10; }',
    'function f(x) { return x >= 0 && x >= 10; }',
  ],
  invalid: [],
});

// bigint: `BigInt.asUintN(64, x - lo) < hi - lo`, only with the `bigint` option (faster on Node
// 20/22, slower on Node 24: docs/measurements.md). Every bigint case below runs with it on.
const big = (decl: string, check: string) => `export function g(v, w, p) { ${decl} return ${check}; }`;
const U64 = 'const x = BigInt.asUintN(64, v);';
const BIGINT_ON = { bigint: true };
/** A RuleTester case (code string or object) run with the bigint option on. */
function withBigInt(c: string): { code: string; options: [typeof BIGINT_ON] };
function withBigInt<T extends { code: string }>(c: T): T & { options: [typeof BIGINT_ON] };
function withBigInt(c: string | { code: string }) {
  return typeof c === 'string' ? { code: c, options: [BIGINT_ON] } : { ...c, options: [BIGINT_ON] };
}

ruleTester.run('prefer-subtract-compare (bigint, default options: never reported)', rule, {
  valid: [
    // proven (would be a fix with the option), unproven (a suggestion), negated, in a chain
    big(U64, 'x >= 10n && x < 20n'),
    big(U64, 'x < 10n || x >= 20n'),
    big(U64, 'w && x >= 10n && x < 20n && w'),
    big(`${U64} const LO = 1n << 62n, SIZE = 0x20_0000n;`, 'x >= LO && x < LO + SIZE'),
    'function f(x) { return x >= 1n && x < 5n; }',
    big('const x = BigInt(v);', 'x >= 1n && x < 5n'),
    big(U64, 'x >= w && x < p'),
    // explicitly off
    { code: big(U64, 'x >= 10n && x < 20n'), options: [{ bigint: false }] },
  ],
  invalid: [
    // number checks are untouched by the option's default
    { code: fn('x >= 48 && x < 58'), output: fn('(x - 48) >>> 0 < 10'), errors: [{ messageId: 'rangeCheck' as const }] },
  ],
});

ruleTester.run('prefer-subtract-compare (bigint, proven: autofix)', rule, {
  valid: [],
  invalid: [
    [U64, 'x >= 10n && x < 20n', 'BigInt.asUintN(64, x - 10n) < 10n'],
    [U64, 'x >= 10n && x <= 20n', 'BigInt.asUintN(64, x - 10n) <= 10n'],
    [U64, '20n > x && 10n <= x', 'BigInt.asUintN(64, x - 10n) < 10n'],
    [U64, 'x > 9n && x < 20n', 'BigInt.asUintN(64, x - 10n) < 10n'],
    [U64, 'x < 10n || x >= 20n', 'BigInt.asUintN(64, x - 10n) >= 10n'],
    [U64, 'x < 10n || x > 20n', 'BigInt.asUintN(64, x - 10n) > 10n'],
    [U64, 'x >= 0n && x < 10n', 'BigInt.asUintN(64, x) < 10n'],
    [U64, 'x >= 0x40n && x < 0x80n', 'BigInt.asUintN(64, x - 0x40n) < 0x40n'],
    [U64, 'x >= 1n << 62n && x < 1n << 63n', 'BigInt.asUintN(64, x - 4611686018427387904n) < 4611686018427387904n'],
    [U64, 'w && x >= 10n && x < 20n && w', 'w && BigInt.asUintN(64, x - 10n) < 10n && w'],
    ['const x = BigInt.asIntN(64, v);', 'x >= -5n && x < 5n', 'BigInt.asUintN(64, x + 5n) < 10n'],
    ['const x = BigInt.asIntN(8, v);', 'x >= -128n && x < 0n', 'BigInt.asUintN(64, x + 128n) < 128n'],
    ['const x = v & 0xffn;', 'x >= 48n && x <= 57n', 'BigInt.asUintN(64, x - 48n) <= 9n'],
    [`${U64} const LO = 1n << 62n, SIZE = 0x20_0000n;`, 'x >= LO && x < LO + SIZE', 'BigInt.asUintN(64, x - LO) < SIZE'],
    [`${U64} const lo = BigInt.asUintN(32, w), hi = lo + 10n;`, 'x >= lo && x < hi', 'BigInt.asUintN(64, x - lo) < hi - lo'],
    [`${U64} const lo = BigInt.asUintN(32, w), hi = lo + 10n;`, 'x >= lo && x <= hi', 'BigInt.asUintN(64, x - lo) <= hi - lo'],
    [`${U64} const lo = BigInt.asUintN(32, w), hi = lo + 10n;`, 'x > lo && x < hi', 'BigInt.asUintN(64, x - lo - 1n) < hi - lo - 1n'],
    [`${U64} const lo = BigInt.asUintN(32, w), hi = lo + 10n;`, 'x > lo && x <= hi', 'BigInt.asUintN(64, x - lo - 1n) < hi - lo'],
    [`${U64} const lo = BigInt.asUintN(32, w), hi = lo + 10n;`, 'x < lo || x > hi', 'BigInt.asUintN(64, x - lo) > hi - lo'],
    // x - 0n is never negative, so the (unknown) upper bound cannot be wrapped into: exact.
    [`${U64} const hi = BigInt(p);`, 'x >= 0n && x < hi', 'BigInt.asUintN(64, x) < hi'],
  ].map(([decl, check, output]) => ({
    code: big(decl!, check!),
    output: big(decl!, output!),
    options: [BIGINT_ON],
    errors: [{ messageId: 'rangeCheck' as const }],
  })),
});

ruleTester.run('prefer-subtract-compare (bigint, global BigInt)', rule, {
  valid: [
    // The rewrite would call whatever `BigInt` means here.
    `const BigInt = { asUintN: (b, v) => v }; ${big(U64.replace('BigInt.asUintN(64, v)', 'v & 0xffffn'), 'x >= 10n && x < 20n')}`,
    'export function g(v, BigInt) { const x = v & 0xffffn; return x >= 10n && x < 20n; }',
    'export function g(v) { const x = v & 0xffffn; { function BigInt() {} return x >= 10n && x < 20n; } }',
    'import { BigInt } from "./big.js"; export function g(x) { return x >= 10n && x < 20n; }',
  ].map((c) => withBigInt(c)),
  invalid: [
    {
      // A type named BigInt is no value binding: the global is still what the rewrite calls.
      code: `interface BigInt { extra(): void }
${big('const x = v & 0xffffn;', 'x >= 10n && x < 20n')}`,
      output: `interface BigInt { extra(): void }
${big('const x = v & 0xffffn;', 'BigInt.asUintN(64, x - 10n) < 10n')}`,
      options: [BIGINT_ON],
      errors: [{ messageId: 'rangeCheck' as const }],
    },
  ],
});

ruleTester.run('prefer-subtract-compare (bigint, not proven: suggestion)', rule, {
  valid: [],
  invalid: [
    // x may be a number: the rewrite throws a TypeError
    suggested('function f(x) { return x >= 1n && x < 5n; }', 'BigInt.asUintN(64, x - 1n) < 4n', 'x >= 1n && x < 5n'),
    suggested('function f(x) { return x < 1n || x >= 5n; }', 'BigInt.asUintN(64, x - 1n) >= 4n', 'x < 1n || x >= 5n'),
    // a bigint of any value: x = 1n + 2^64 wraps to 0
    suggested(big('const x = BigInt(v);', 'x >= 1n && x < 5n'), 'BigInt.asUintN(64, x - 1n) < 4n', 'x >= 1n && x < 5n'),
    // uint64 minus a negative bound can reach 2^64
    suggested(big(U64, 'x >= -5n && x < 5n'), 'BigInt.asUintN(64, x + 5n) < 10n', 'x >= -5n && x < 5n'),
    // wider than 64 bits
    suggested(big('const x = BigInt.asUintN(65, v);', 'x >= 1n && x < 5n'), 'BigInt.asUintN(64, x - 1n) < 4n', 'x >= 1n && x < 5n'),
    // int64 below 0 wraps to >= 2^63, inside a uint64 upper bound
    suggested(
      big('const x = BigInt.asIntN(64, v), u = BigInt.asUintN(64, p);', 'x >= 0n && x < u'),
      'BigInt.asUintN(64, x) < u',
      'x >= 0n && x < u',
    ),
    // bounds not proven bigints
    suggested(big(U64, 'x >= w && x < p'), 'BigInt.asUintN(64, x - w) < p - w', 'x >= w && x < p'),
    suggested(big(U64, 'x >= 0n && x < w + 1n'), 'BigInt.asUintN(64, x) < w + 1n', 'x >= 0n && x < w + 1n'),
    // getter, valueOf, TDZ: as for numbers
    suggested('function f(o) { return o.x >= 1n && o.x < 5n; }', 'BigInt.asUintN(64, o.x - 1n) < 4n', 'o.x >= 1n && o.x < 5n'),
    suggested('function f(v) { return (v | 0n) >= 1n && (v | 0n) < 5n; }', 'BigInt.asUintN(64, (v | 0n) - 1n) < 4n', '(v | 0n) >= 1n && (v | 0n) < 5n'),
    suggested(
      'export function f(v) { const x = BigInt.asUintN(64, v); return x >= 0n && x < LATER; }\nf(1n);\nconst LATER = 10n;',
      'BigInt.asUintN(64, x) < LATER',
      'x >= 0n && x < LATER',
    ),
  ].map((c) => withBigInt(c)),
});

ruleTester.run('prefer-subtract-compare (bigint, must not report)', rule, {
  valid: [
    // bigint and number mixed: the comparisons work, either rewrite throws a TypeError
    big(U64, 'x >= 0 && x < 10'),
    big('const x = v | 0;', 'x >= 0n && x < 10n'),
    'function f(x) { return x >= 0 && x < 10n; }',
    big(`${U64} const LO = 16;`, 'x >= LO && x < 20n'),
    // unordered, empty, wider than 2^64
    big(U64, 'x >= 20n && x < 10n'),
    big(U64, 'x >= 5n && x < 5n'),
    big(U64, 'x >= 0n && x < 0x1_0000_0000_0000_0001n'),
    // a bound that can throw (division by 0n, negative exponent) would run when the original skips it
    big(U64, 'x >= 0n && x < 100n / w'),
    big(U64, 'x >= 0n && x < 2n ** w'),
    big(U64, 'x >= 0n && x < w >> 1n'),
    // calls in operands
    'function f(g) { return g() >= 0n && g() < 10n; }',
  ].map((c) => withBigInt(c)),
  invalid: [],
});

describe('suggestion messages name what could not be proven', () => {
  const cases: [string, RegExp][] = [
    ['function f(c) { return c >= 48 && c <= 57; }', /`c` is not proven an integer: for NaN, ±Infinity, or a fraction/],
    ['function f(s, i) { const c = s.charCodeAt(i); return c >= 48 && c <= 57; }', /charCodeAt\(\) returns NaN past the end/],
    ['function f(a, i) { const c = a[i]; return c >= 48 && c <= 57; }', /element read out of bounds gives undefined/],
    ['function f(v, lo) { const x = v | 0; return x >= lo && x < 10; }', /lower bound `lo` is not proven an integer/],
    ['function f(v, hi) { const x = v | 0; return x >= 0 && x < hi; }', /`hi` is not proven a finite integer: for Infinity/],
    ['function f(o) { return o.x >= 0 && o.x < 10; }', /`o.x` may be a getter/],
    ['function f(v) { const x = v | 0; return x >= 0 && x < LIMIT; }', /`LIMIT` is not declared in this file/],
    ['function f(v) { return (v | 0) >= 0 && (v | 0) < 10; }', /`v` is not proven a number: its valueOf\(\)/],
    ['function f(w) { const u = w >>> 0; return u >= -5 && u < 5; }', /not proven to stay within ±2\^32/],
    ['function f(v, w) { const x = v | 0, u = w >>> 0; return x >= 0 && x < u; }', /x \+ 2\^32 is not proven to reach the upper bound/],
    [
      'export function f(v) { const x = v | 0; return x >= 0 && x < LATER; }\nf(1);\nconst LATER = 10;',
      /`LATER` may be read before its initialization/,
    ],
    ['function f(x) { return x >= 1n && x < 5n; }', /`x` is not proven a bigint: if it is a number, the rewrite's bigint arithmetic throws a TypeError/],
    [big('const x = BigInt(v);', 'x >= 1n && x < 5n'), /not proven to stay within ±2\^64: bigints more than 2\^64 apart wrap/],
    [big(U64, 'x >= -5n && x < 5n'), /not proven to stay within ±2\^64/],
    [big('const x = BigInt.asIntN(64, v), u = BigInt.asUintN(64, p);', 'x >= 0n && x < u'), /x \+ 2\^64 is not proven to reach the upper bound/],
    [big(U64, 'x >= w && x < p'), /\n {2}1\. `w` is not proven a bigint[^\n]*;\n {2}2\. `p` is not proven a bigint/],
    ['function f(v) { return (v | 0n) >= 1n && (v | 0n) < 5n; }', /`v` is not proven a bigint: its valueOf\(\)/],
  ];
  for (const [code, pattern] of cases) {
    it(code, () => {
      // The option only matters for the bigint cases; number checks ignore it.
      const { messages } = lintSyntaxOnly(code, BIGINT_ON);
      expect(messages).toHaveLength(1);
      expect(messages[0]!.message).toMatch(pattern);
      // One reason: the suggestion repeats it; several (one a numbered line in the report): it points at them.
      const several = /not proven:\n {2}1\. /.test(messages[0]!.message);
      expect(messages[0]!.suggestions?.[0]?.desc).toMatch(several ? /\(only if: none of the [2-9] reasons in the report applies\)\.$/ : pattern);
    });
  }

  it('the unsafe option changes nothing without type information', () => {
    const code = 'function f(c) { return c >= 48 && c <= 57; }';
    expect(lintSyntaxOnly(code, { assumeInt32OperandsIKnowWhatImDoing: true }).fixed).toBe(code);
  });

  it('module-level constants read from a function are initialized (inert prelude)', () => {
    const code = 'import "./x.js";\nconst LO = 1, SIZE = 4;\nexport function f(v) { const c = v | 0; return c >= LO && c < LO + SIZE; }';
    // With a value import, an import cycle could call f before LO and SIZE exist; LO is read
    // first by the original too, so it would throw first: still a fix.
    expect(lintSyntaxOnly(code).fixed).toContain('(c - LO) >>> 0 < SIZE');
    const literalFirst = 'import "./x.js";\nconst HI = 9;\nexport function f(v) { const c = v | 0; return c >= 1 && c < HI; }';
    expect(lintSyntaxOnly(literalFirst).messages[0]!.message).toMatch(/`HI` may be read before its initialization/);
  });

  it('reports each position once, spanning both comparisons', () => {
    const body = 'a && x >= 48 && x < 58 && b';
    const { messages } = lintSyntaxOnly(fn(body));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ line: 2, column: col(body, 'x >= 48'), endColumn: col(body, ' && b') });
  });
});

// ASI: in code without semicolons, a statement the fix makes start with `(` would continue the
// previous line (`v | 0\n(x - 5) >>> 0 < 5` calls `0`). The fix then starts with `;`, like
// ESLint's own fixes (no-array-constructor, prefer-exponentiation-operator); never where a `;`
// would change the meaning (`if (c)`, `else`, a label, the start of a block).
describe('fixes in code without semicolons (ASI)', () => {
  const body = (before: string, statement: string) =>
    `function f(v, t) {\n  let hits = 0, a = 0, b = 1\n  const x = v | 0\n  const y = v & 255\n  ${before}\n  ${statement}\n  return hits\n}\nfunction foo() { return () => 0 }\nfunction g() { return 0 }`;
  const cases: [string, string, string, string][] = [
    // [before, statement, fixed statement, what]
    ['', 'x >= 5 && x < 10 && hits++', ';(x - 5) >>> 0 < 5 && hits++', 'after a declaration ending in `v | 0`'],
    ['foo()', 'x >= 5 && x < 10 && hits++', ';(x - 5) >>> 0 < 5 && hits++', 'after a call: it would call its result'],
    ['a = b', 'x >= 5 && x < 10 && hits++', ';(x - 5) >>> 0 < 5 && hits++', 'after an assignment'],
    ['a++', '0 <= -x && -x < 10 && hits++', '(-x) >>> 0 < 10 && hits++', 'after `a++`: `a++ (` is ASI anyway'],
    ['a = b', '0 <= -x && -x < 10 && hits++', ';(-x) >>> 0 < 10 && hits++', 'a leading unary minus is parenthesized, then guarded'],
    ['a = b', 'y << 1 >= 0 && y << 1 < 10 && hits++', ';(y << 1) >>> 0 < 10 && hits++', 'the `x << 1 >= 0` form'],
    ['a = b;', '(x >= 5) && x < 10 && hits++', '(x - 5) >>> 0 < 5 && hits++', 'already starting with `(` (so the line before ends the statement)'],
    ['a = b', 'x < 5 || x >= 10 || hits++', ';(x - 5) >>> 0 >= 5 || hits++', 'the negated form'],
    ['a = b', 'y >= 0 && y < 10 && hits++', 'y >>> 0 < 10 && hits++', 'a rewrite starting with an identifier needs nothing'],
    ['a = b;', 'x >= 5 && x < 10 && hits++', '(x - 5) >>> 0 < 5 && hits++', 'after a semicolon'],
    ['if (t)', 'x >= 5 && x < 10 && hits++', '(x - 5) >>> 0 < 5 && hits++', 'the body of `if (…)`: a `;` would empty it'],
    ['if (t) a = b\n  else', 'x >= 5 && x < 10 && hits++', '(x - 5) >>> 0 < 5 && hits++', 'after `else`'],
    ['while (t-- > 0)', 'x >= 5 && x < 10 && hits++', '(x - 5) >>> 0 < 5 && hits++', 'the body of `while (…)`'],
    ['label:', 'x >= 5 && x < 10 && hits++', '(x - 5) >>> 0 < 5 && hits++', 'after a label'],
    ['{', 'x >= 5 && x < 10 && hits++ }', '(x - 5) >>> 0 < 5 && hits++ }', 'at the start of a block'],
    ['{ a = b }', 'x >= 5 && x < 10 && hits++', '(x - 5) >>> 0 < 5 && hits++', 'after a block'],
    ['function h() {}', 'x >= 5 && x < 10 && hits++', '(x - 5) >>> 0 < 5 && hits++', 'after a function declaration'],
    ['const h = function () {}', 'x >= 5 && x < 10 && hits++', ';(x - 5) >>> 0 < 5 && hits++', 'after a function expression'],
    ['const o = {}', 'x >= 5 && x < 10 && hits++', ';(x - 5) >>> 0 < 5 && hits++', 'after an object literal'],
    ['a = `s`', 'x >= 5 && x < 10 && hits++', ';(x - 5) >>> 0 < 5 && hits++', 'after a template literal'],
    ['a = "s"', 'x >= 5 && x < 10 && hits++', ';(x - 5) >>> 0 < 5 && hits++', 'after a string'],
    ['a = b', 'x >= 5 && x < 10 ? hits++ : 0', ';(x - 5) >>> 0 < 5 ? hits++ : 0', 'a conditional expression statement'],
    ['a = b', 'hits += x >= 5 && x < 10', '(x - 5) >>> 0 < 5', 'not at the start of the statement'],
  ];

  const run = (code: string, v: unknown, t: unknown) => {
    try {
      return String((new Function(`${code}\nreturn f;`)() as (v: unknown, t: unknown) => unknown)(v, t));
    } catch (error) {
      return `threw ${(error as Error).name}`;
    }
  };

  for (const [before, statement, fixedStatement, what] of cases) {
    it(`${what}: ${JSON.stringify(before)} then ${JSON.stringify(statement)}`, () => {
      const code = body(before, statement);
      const expected = statement.startsWith('hits +=') ? body(before, `hits += ${fixedStatement}`) : body(before, fixedStatement);
      const { fixed } = lintSyntaxOnly(code);
      expect(fixed).toBe(expected);
      // And it computes the same (the original is a valid program that does not throw).
      for (const v of [0, 4, 5, 7, 9, 10, -7, 2 ** 31]) {
        for (const t of [0, 1, 3]) {
          expect(run(code, v, t)).not.toMatch(/^threw/);
          expect(run(fixed, v, t), `v = ${v}, t = ${t}`).toBe(run(code, v, t));
        }
      }
    });
  }

  it('the same in TypeScript (typescript-eslint parser): after `b!`, not after `as T` or a type', () => {
    const ts = (before: string, statement: string) =>
      `export function f(v: number): number {\n  let hits = 0, b: unknown = 1\n  const x = v | 0\n  ${before}\n  ${statement}\n  return hits\n}`;
    for (const [before, expectSemicolon] of [
      ['', true],
      ['b = b!', true],
      ['b = b as number', false], // `as number (` is not a call: TypeScript inserts the semicolon
      ['let c: number', false],
      ['type T = number', false],
    ] as const) {
      const code = ts(before, 'x >= 5 && x < 10 && hits++');
      const fixedStatement = `${expectSemicolon ? ';' : ''}(x - 5) >>> 0 < 5 && hits++`;
      const { messages } = lintSyntaxOnlyTs(code);
      expect(messages).toHaveLength(1);
      const fix = messages[0]!.fix!;
      expect(code.slice(0, fix.range[0]) + fix.text + code.slice(fix.range[1])).toBe(ts(before, fixedStatement));
    }
  });
});

function lintSyntaxOnlyTs(code: string) {
  const linter = new Linter({ configType: 'flat' });
  return {
    messages: linter.verify(
      code,
      [
        {
          files: ['**/*.ts'],
          languageOptions: { parser: tsParser },
          plugins: { hotpath: plugin as never },
          rules: { 'hotpath/prefer-subtract-compare': 'error' },
        },
      ],
      'file.ts',
    ),
  };
}

// A sloppy-mode direct eval can declare a `var` at run time that shadows the `const` a proof
// relies on; `with` can shadow it with a property. No fix there, a suggestion naming it.
describe('eval and with: scope-based proofs do not hold', () => {
  const lintScript = (code: string) => {
    const linter = new Linter({ configType: 'flat' });
    const config = {
      languageOptions: { sourceType: 'script' as const },
      plugins: { hotpath: plugin as never },
      rules: { 'hotpath/prefer-subtract-compare': 'error' as const },
    };
    return { messages: linter.verify(code, config), fixed: linter.verifyAndFix(code, config).output };
  };
  const call = (code: string, args: unknown[]) => {
    try {
      return String((new Function(`${code}\nreturn f;`)() as (...a: unknown[]) => unknown)(...args));
    } catch (error) {
      return `threw ${(error as Error).name}`;
    }
  };

  it('eval in an enclosing sloppy function: suggestion, and `var x = 0.5` changes the result', () => {
    const code = 'function f(v, s) { const x = v | 0; return g(); function g() { eval(s); return x >= 1 && x < 3; } }';
    const { messages, fixed } = lintScript(code);
    expect(fixed).toBe(code);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.message).toMatch(/`eval\(s\)` in sloppy mode can declare a `var` at run time/);
    const s = messages[0]!.suggestions![0]!;
    const rewritten = code.slice(0, s.fix.range[0]) + s.fix.text + code.slice(s.fix.range[1]);
    expect(call(rewritten, [1, 'var x = 0.5'])).not.toBe(call(code, [1, 'var x = 0.5']));
    expect(call(rewritten, [1, 'var x = NaN'])).not.toBe(call(code, [1, 'var x = NaN']));
  });

  it('eval shadowing Math in the same function: suggestion', () => {
    const code = 'function f(v, s) { eval(s); const x = Math.imul(v, 1); return x >= 0 && x < 10; }';
    const { messages, fixed } = lintScript(code);
    expect(fixed).toBe(code);
    expect(messages[0]!.message).toMatch(/`eval\(s\)` in sloppy mode/);
    const s = messages[0]!.suggestions![0]!;
    const rewritten = code.slice(0, s.fix.range[0]) + s.fix.text + code.slice(s.fix.range[1]);
    const shadow = 'var Math = { imul: () => -0.5 }';
    expect(call(rewritten, [0, shadow])).not.toBe(call(code, [0, shadow]));
  });

  it('inside `with`: suggestion naming it', () => {
    const code = 'function f(v, o) { const x = v | 0; with (o) { return x >= 1 && x < 3; } }';
    const { messages, fixed } = lintScript(code);
    expect(fixed).toBe(code);
    expect(messages[0]!.message).toMatch(/inside `with`, a property of its object can shadow/);
    const s = messages[0]!.suggestions![0]!;
    const rewritten = code.slice(0, s.fix.range[0]) + s.fix.text + code.slice(s.fix.range[1]);
    expect(call(rewritten, [1, { x: 0.5 }])).not.toBe(call(code, [1, { x: 0.5 }]));
  });

  it('still fixed: strict code, eval only in a nested function, indirect or shadowed eval', () => {
    const fixedCases = [
      '"use strict"; function f(v, s) { eval(s); const x = v | 0; return x >= 1 && x < 3; }',
      'function f(v, s) { "use strict"; eval(s); const x = v | 0; return x >= 1 && x < 3; }',
      'function f(v, s) { const x = v | 0; function h() { eval(s); } h(); return x >= 1 && x < 3; }',
      'function f(v, s) { (0, eval)(s); eval?.(s); const x = v | 0; return x >= 1 && x < 3; }',
      'function f(v, s, eval) { eval(s); const x = v | 0; return x >= 1 && x < 3; }',
      'function f(v, o) { with (o) {} const x = v | 0; return x >= 1 && x < 3; }',
    ];
    for (const code of fixedCases) expect(lintScript(code).fixed, code).toContain('(x - 1) >>> 0 < 2');
    // Modules are strict: eval cannot add variables to the function.
    const module = 'export function f(v, s) { eval(s); const x = v | 0; return x >= 1 && x < 3; }';
    expect(lintSyntaxOnly(module).fixed).toContain('(x - 1) >>> 0 < 2');
  });
});
