// With type information: which types are proof. A declared literal type is what an expression
// holds only when nothing the type checker accepts can put another value there; without
// noUncheckedIndexedAccess an element or record read past the end is typed as the element
// type but is undefined. `.length` of a real string or array and enum member accesses are
// proof always. Each case lints under both fixture projects and runs original and rewrite.
import fc from 'fast-check';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { checkedIndexProjectDir, lintTyped, typedProjectDir } from './rule-tester.js';

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

describe('literal types are no proof where an out-of-bounds read can hide behind them', () => {
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
      /`v` is not proven an integer: for NaN \(its type says integer literals, but without `noUncheckedIndexedAccess`/,
    ],
    [
      'let',
      'export function f(i: number) { const digits: (0 | 1 | 2 | 3)[] = [0, 1]; let v = digits[i]; return v >= 1 && v <= 3; }',
      [5],
      /`v` is not proven an integer: for NaN \(its type says integer literals, but without `noUncheckedIndexedAccess` an array or record element read out of bounds/,
    ],
    [
      'parameter default from an element',
      'export function f(i: number, v: 0 | 1 | 2 | 3 = ([0, 1] as (0 | 1 | 2 | 3)[])[i]) { return v >= 1 && v <= 3; }',
      [5],
      /its type says integer literals, but without `noUncheckedIndexedAccess`/,
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
      /`v` is not proven a bigint: its type says so, but without `noUncheckedIndexedAccess`/,
    ],
    [
      'enum-typed parameter (a number is assignable)',
      'enum E { A = 1, B = 5 }\nexport function f(k: E) { return k >= E.A && k < E.B; }',
      [NaN],
      /any number is assignable to a numeric enum type/,
    ],
    [
      '`.length` of a string the original may not read',
      'export function f(j: number, s: string) { const x = j & 255; return x >= 1 && x < s.length; }',
      [0, undefined],
      /`s` may be undefined .* the rewrite always, and throws a TypeError/,
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

  it('element reads stay suggestions with noUncheckedIndexedAccess too (typed `T | undefined`)', () => {
    for (const [, code] of cases.slice(0, 3)) suggested(code, checkedIndexProjectDir);
    suggested(cases[4]![1], checkedIndexProjectDir);
    suggested(cases[5]![1], checkedIndexProjectDir);
    // An enum type is never proof: any number is assignable to it without an error.
    suggested(cases[6]![1], checkedIndexProjectDir);
  });

  it('with noUncheckedIndexedAccess a literal-typed parameter is proof', () => {
    const code = 'export function f(c: 1 | 5 | 9) { return c >= 2 && c < 7; }';
    expect(lintTyped(code, checkedIndexProjectDir).fixed).toContain('(c - 2) >>> 0 < 5');
    expect(lintTyped(code, typedProjectDir).fixed).toBe(code);
  });

  it('what stays proof: `.length` of strings, arrays and tuples, enum member accesses', () => {
    const fixes = [
      'export function f(j: number, a: readonly number[]) { const i = j >>> 0; return i >= 0 && i < a.length; }',
      'export function f(j: number, t: [number, number]) { const i = j & 3; return i >= 0 && i < t.length; }',
      'export function f(s: string) { return s.length >= 2 && s.length < 5; }',
      'enum E { A = 1, B = 5 }\nexport function f(v: number) { const y = v | 0; return y >= E.A && y < E.B; }',
      'export function f(j: number) { const s = "abc"; const x = j & 255; return x >= 1 && x < s.length; }',
      // The first comparison is always true (x is never below 0): the original reads s.length too.
      'export function f(j: number, s: string) { const x = j & 255; return x >= 0 && x < s.length; }',
    ];
    for (const code of fixes) {
      const { fixed } = lintTyped(code, typedProjectDir);
      expect(fixed, code).not.toBe(code);
      expect(lintTyped(code, checkedIndexProjectDir).fixed).toBe(fixed);
    }
    // A tuple's length is taken as [0, 2^32 - 1], not its literal type (`push` is allowed on
    // tuples): against a bound beyond 2^32 - 1 - 2^31 it is no fix.
    const tuple = 'export function f(t: [number, number], j: number) { const x = j | 0; return x >= -5 && x < t.length; }';
    expect(lintTyped(tuple, typedProjectDir).fixed).toBe(tuple);
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

  it('random literal element types, spellings and bounds', () => {
    let fixes = 0;
    fc.assert(
      fc.property(program, ({ code, values, source }) => {
        for (const project of [typedProjectDir, checkedIndexProjectDir]) {
          const { fixed } = lintTyped(code, project);
          if (fixed === code) continue;
          fixes++;
          // Only a parameter's declared type, and only with noUncheckedIndexedAccess.
          expect(source).toBe('parameter');
          expect(project).toBe(checkedIndexProjectDir);
          for (const v of values) {
            expect(run(fixed, [0, v]), `${fixed} for v = ${v}`).toBe(run(code, [0, v]));
          }
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
    expect(fixes).toBeGreaterThan(3);
  });
});
