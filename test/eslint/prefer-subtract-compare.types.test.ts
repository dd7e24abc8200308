// With type information: which types are proof. No value's type is (issue 8 #14): TypeScript
// accepts programs where a literal-, string-, array- or bigint-typed value holds something
// else (an element read past the end, a read before assignment, an assertion, `any`). The one
// type fact trusted is a member of an enum only its own file reaches; `.length` is proven by
// syntax. Each case lints under both fixture projects and runs original and rewrite.
import fc from 'fast-check';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { checkedIndexProjectDir, lintTsSyntaxOnly, lintTyped, typedProjectDir } from './rule-tester.js';

function compile(code: string): (...args: unknown[]) => unknown {
  const js = ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
  return new Function(`${js.replace(/^export /gm, '')}\nreturn f;`)() as (...args: unknown[]) => unknown;
}

function run(code: string, args: unknown[]): string {
  try {
    return String(compile(code)(...args));
  } catch (error) {
    return `threw ${(error as Error).name}`;
  }
}

/**
 * The one report's suggestion applied, and its message. With the `bigint` option on, for the
 * bigint case (the option changes nothing for number checks).
 */
function suggested(code: string, projectDir: string) {
  const { messages, fixed } = lintTyped(code, projectDir, { bigint: true });
  expect(messages, code).toHaveLength(1);
  expect(fixed, 'no autofix').toBe(code);
  const s = messages[0]!.suggestions?.[0];
  expect(s, messages[0]!.message).toBeDefined();
  return { message: messages[0]!.message, rewritten: code.slice(0, s!.fix.range[0]) + s!.fix.text + code.slice(s!.fix.range[1]) };
}

describe('types are no proof: an out-of-bounds read, a missing value or an assertion can hide behind them', () => {
  const cases: [string, string, unknown[], RegExp][] = [
    // [what, code, a counterexample's arguments, message]
    [
      'element read',
      'export function f(i: number) { const digits: (0 | 1 | 2 | 3)[] = [0, 1, 2, 3]; const v = digits[i]; return v >= 1 && v <= 3; }',
      [5],
      /element read out of bounds gives undefined/,
    ],
    [
      'destructuring',
      'export function f(i: number) { const digits: (0 | 1 | 2 | 3)[] = [0, 1]; const [, , v] = digits; return v >= 1 && v <= 3; }',
      [0],
      /`v` is not proven an integer: for NaN \(its type says integer literals, but a type is no proof/,
    ],
    [
      'let',
      'export function f(i: number) { const digits: (0 | 1 | 2 | 3)[] = [0, 1]; let v = digits[i]; return v >= 1 && v <= 3; }',
      [5],
      /`v` is not proven an integer: for NaN \(its type says integer literals, but a type is no proof: a binding read before its assignment, an array hole or an element read past the end/,
    ],
    [
      'parameter default from an element',
      'export function f(i: number, v: 0 | 1 | 2 | 3 = ([0, 1] as (0 | 1 | 2 | 3)[])[i]) { return v >= 1 && v <= 3; }',
      [5],
      /its type says integer literals, but a type is no proof/,
    ],
    [
      'record lookup',
      'export function f(k: number) { const m: Record<string, 1 | 2 | 3> = { a: 1 }; const v = m[String(k)]; return v >= 1 && v < 3; }',
      [5],
      /element read out of bounds gives undefined/,
    ],
    [
      'bigint element read (TypeError)',
      'export function f(i: number) { const a: (1n | 2n | 3n)[] = [1n, 2n]; const v = a[i]; return v >= 1n && v <= 3n; }',
      [5],
      /`v` is not proven a bigint: its type says so, but a type is no proof/,
    ],
    [
      'enum-typed parameter (a number is assignable)',
      'enum E { A = 1, B = 5 }\nexport function f(k: E) { return k >= E.A && k < E.B; }',
      [NaN],
      /any number is assignable to a numeric enum type/,
    ],
    [
      '`.length` of a string parameter (any object with a length, through an assertion)',
      'export function f(j: number, s: string) { const x = j & 255; return x >= 1 && x < s.length; }',
      [0, { length: Infinity }],
      /`s.length` is not proven a finite integer: for Infinity/,
    ],
    [
      'a literal-typed parameter (any value through an assertion)',
      'export function f(c: 1 | 5 | 9) { return c >= 2 && c < 7; }',
      [1.5],
      /`c` is not proven an integer: for NaN \(its type says integer literals, but a type is no proof/,
    ],
  ];
  for (const [what, code, args, message] of cases) {
    it(`${what}: a suggestion naming it, and the counterexample differs`, () => {
      const s = suggested(code, typedProjectDir);
      expect(s.message).toMatch(message);
      expect(run(s.rewritten, args)).not.toBe(run(code, args));
    });
  }

  it('with default options the bigint case is not reported at all', () => {
    const code = cases.find(([what]) => what.startsWith('bigint'))![1];
    expect(lintTyped(code, typedProjectDir, { bigint: true }).messages).toHaveLength(1);
    expect(lintTyped(code, typedProjectDir).messages).toHaveLength(0);
    expect(lintTyped(code, checkedIndexProjectDir).messages).toHaveLength(0);
  });

  it('noUncheckedIndexedAccess changes nothing: every case is a suggestion there too', () => {
    for (const [what, code, args] of cases) {
      if (what.startsWith('bigint')) continue;
      const s = suggested(code, checkedIndexProjectDir);
      expect(run(s.rewritten, args)).not.toBe(run(code, args));
    }
  });

  it('what is proof: `.length` of const string and array literals (syntax), members of an enum only its file reaches', () => {
    const fixes = [
      'enum E { A = 1, B = 5 }\nexport function f(v: number) { const y = v | 0; return y >= E.A && y < E.B; }',
      'const enum E { A = 1, B = 5 }\nexport function f(v: number) { const y = v & 7; return y >= E.A && y <= E.B; }',
      'export function f(j: number) { const s = "abc"; const x = j & 255; return x >= 1 && x < s.length; }',
      'export function f(j: number) { const s = `abc${j}`; const x = j & 255; return x >= 0 && x < s.length; }',
      'export function f(j: number) { const a = [1, 2, 3]; const i = j >>> 0; return i >= 0 && i < a.length; }',
    ];
    for (const code of fixes) {
      const { fixed } = lintTyped(code, typedProjectDir);
      expect(fixed, code).not.toBe(code);
      expect(lintTyped(code, checkedIndexProjectDir).fixed).toBe(fixed);
    }
    // Not from the types: `i >= 0` is always true for i in [0, 2^32), so both forms read the
    // bound once, after i, and compare i with it (any value, getter or not).
    for (const code of [
      'export function f(j: number, a: readonly number[]) { const i = j >>> 0; return i >= 0 && i < a.length; }',
      'export function f(j: number, t: [number, number]) { const i = j & 3; return i >= 0 && i < t.length; }',
    ]) {
      expect(lintTyped(code, typedProjectDir).fixed).toContain('i >>> 0 < ');
      expect(lintTsSyntaxOnly(code).fixed).toContain('i >>> 0 < ');
    }
    // Written `hi > x`, hi runs between the two reads of x: a getter there could grow x's array.
    const S = 'const S = [1, 2];\nexport function f(o: { n: number }) { return S.length >= 0 && o.n > S.length; }';
    expect(lintTsSyntaxOnly(S).fixed).toBe(S);
    const notProof = [
      // Types of values: a caller can pass anything through an assertion or `any`.
      'export function f(j: number, a: readonly number[]) { const i = j >>> 0; return i >= 1 && i < a.length; }',
      'export function f(j: number, t: [number, number]) { const i = j & 3; return i >= 1 && i < t.length; }',
      'export function f(s: string) { return s.length >= 2 && s.length < 5; }',
      // An enum other modules (export), other names (alias) or writes reach.
      'export enum E { A = 1, B = 5 }\nexport function f(v: number) { const y = v | 0; return y >= E.A && y < E.B; }',
      'enum E { A = 1, B = 5 }\nexport { E };\nexport function f(v: number) { const y = v | 0; return y >= E.A && y < E.B; }',
      'enum E { A = 1, B = 5 }\nconst F = E;\nexport function f(v: number) { const y = v | 0; return y >= F.A && y < F.B; }',
      'enum E { A = 1, B = 5 }\nexport function g() { (E as { A: number }).A = 0.5; }\nexport function f(v: number) { const y = v | 0; return y >= E.A && y < E.B; }',
      'enum E { A = 1, B = 5 }\nexport function g() { [E.A] = [0.5] as never; }\nexport function f(v: number) { const y = v | 0; return y >= E.A && y < E.B; }',
      'declare enum E { A = 1, B = 5 }\nexport function f(v: number) { const y = v | 0; return y >= E.A && y < E.B; }',
    ];
    for (const code of notProof) {
      for (const project of [typedProjectDir, checkedIndexProjectDir]) {
        const { messages, fixed } = lintTyped(code, project);
        expect(messages, code).toHaveLength(1);
        expect(fixed, code).toBe(code);
      }
    }
  });
});

describe('typed autofixes are equivalent, also past the end of arrays (property)', () => {
  // Element types of integer literals, read at any index: never fixed without proof; every
  // fix (under either project) equals the original for in-bounds and out-of-bounds indices.
  const literals = fc.uniqueArray(fc.integer({ min: -5, max: 20 }), { minLength: 1, maxLength: 4 });
  const TEMPLATES = ['v >= LO && v < HI', 'v >= LO && v <= HI', 'v > LO && v < HI', 'v < LO || v >= HI', 'LO <= v && v <= HI'];
  const lit = (n: number) => (n < 0 ? `(${n})` : String(n));
  const program = fc
    .record({
      values: literals,
      template: fc.constantFrom(...TEMPLATES),
      lo: fc.integer({ min: -6, max: 10 }),
      size: fc.integer({ min: 1, max: 12 }),
      source: fc.constantFrom('element', 'parameter', 'destructured'),
    })
    .map(({ values, template, lo, size, source }) => {
      const type = values.map(String).join(' | ');
      const check = template.replaceAll('LO', lit(lo)).replaceAll('HI', lit(lo + size));
      const decl =
        source === 'element'
          ? `const a: (${type})[] = [${values.join(', ')}]; const v = a[i];`
          : source === 'destructured'
            ? `const a: (${type})[] = [${values.join(', ')}]; const [, v] = a;`
            : '';
      const params = source === 'parameter' ? `i: number, v: ${type}` : 'i: number';
      return { code: `export function f(${params}) { ${decl} return ${check}; }`, values, source };
    });

  it('random literal element types, spellings and bounds: reported, never fixed', () => {
    let reports = 0;
    fc.assert(
      fc.property(program, ({ code, values, source }) => {
        for (const project of [typedProjectDir, checkedIndexProjectDir]) {
          const { messages, fixed } = lintTyped(code, project);
          reports += messages.length;
          // A literal type is no proof, with noUncheckedIndexedAccess or without.
          expect(fixed, code).toBe(code);
        }
        if (source !== 'parameter') {
          for (const i of [0, 1, values.length, 99]) {
            const original = run(code, [i]);
            expect(original).not.toMatch(/threw/);
          }
        }
      }),
      { numRuns: 40, seed: 20261125 },
    );
    expect(reports).toBeGreaterThan(40);
  });
});
