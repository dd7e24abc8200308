// Golden cases: one folder per case in fixtures/rules/prefer-subtract-compare/<case>/ —
// input.ts, case.json (expected verdict with type information — `typed` under
// fixtures/rules/typed-project (strict), `typedCheckedIndex` under
// fixtures/rules/typed-project-checked-index (strict + noUncheckedIndexedAccess; same as
// `typed` when absent) — and without (`syntaxOnly`), options) and
// rewritten.ts (the text after the fix or the suggestion; rewritten.syntax-only.ts when the
// syntax-only run rewrites differently, e.g. a bigint check it cannot tell from a number one).
// A case.json `counterexample` (an expression over the module's names) is evaluated after the
// input and after the rewrite: the two must differ (the suggestion's reason is real).
// Adding a case = adding a folder.
import ts from 'typescript';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { RuleTester, checkedIndexProjectDir, fixturesDir, testedRule, typedProjectDir } from './rule-tester.js';

type Expect = 'fix' | 'suggest' | 'none' | 'no-fix';
interface CaseFile {
  description: string;
  typed: Expect;
  typedCheckedIndex?: Expect;
  syntaxOnly: Expect;
  options: Record<string, unknown>;
  /** 'script' for sloppy-mode cases (default: module). */
  sourceType?: 'script' | 'module';
  /** An expression whose value differs between input.ts and rewritten.ts when both run. */
  counterexample?: string;
}

const casesDir = join(fixturesDir, 'prefer-subtract-compare');
const cases = readdirSync(casesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => {
    const dir = join(casesDir, d.name);
    const read = (f: string) => readFileSync(join(dir, f), 'utf8');
    return {
      name: d.name,
      spec: JSON.parse(read('case.json')) as CaseFile,
      input: read('input.ts'),
      rewritten: existsSync(join(dir, 'rewritten.ts')) ? read('rewritten.ts') : undefined,
      rewrittenSyntaxOnly: existsSync(join(dir, 'rewritten.syntax-only.ts')) ? read('rewritten.syntax-only.ts') : undefined,
    };
  });

function split(mode: 'typed' | 'typedCheckedIndex' | 'syntaxOnly') {
  const valid = [];
  const invalid = [];
  for (const c of cases) {
    const expected = mode === 'typedCheckedIndex' ? (c.spec.typedCheckedIndex ?? c.spec.typed) : c.spec[mode];
    const base = {
      name: `${c.name}: ${c.spec.description}`,
      code: c.input,
      options: [c.spec.options] as const,
      ...(c.spec.sourceType
        ? { languageOptions: { sourceType: c.spec.sourceType, parserOptions: { sourceType: c.spec.sourceType } } }
        : {}),
    };
    if (expected === 'none') {
      valid.push(base);
      continue;
    }
    const rewritten = mode === 'syntaxOnly' ? (c.rewrittenSyntaxOnly ?? c.rewritten) : c.rewritten;
    if (expected !== 'no-fix' && rewritten === undefined) throw new Error(`${c.name}: rewritten.ts is missing`);
    invalid.push({
      ...base,
      output: expected === 'fix' ? rewritten! : null,
      errors: [
        expected === 'fix'
          ? { messageId: 'rangeCheck' as const }
          : expected === 'suggest'
            ? {
                messageId: 'rangeCheckUnproven' as const,
                suggestions: [{ messageId: 'suggestRewrite' as const, output: rewritten! }],
              }
            : { messageId: 'rangeCheckNoFix' as const },
      ],
    });
  }
  return { valid, invalid };
}

it('finds the golden cases (an empty case folder would pass every run vacuously)', () => {
  expect(cases.length).toBeGreaterThan(0);
});

/** Runs a case's module text (TypeScript, exports kept local) and returns `expression`'s value. */
function evaluate(code: string, expression: string): string {
  const js = ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
  try {
    return String(new Function(`${js.replace(/^export /gm, '')}\nreturn (${expression});`)());
  } catch (error) {
    return `threw ${(error as Error).name}`;
  }
}

for (const c of cases.filter((c) => c.spec.counterexample !== undefined)) {
  it(`${c.name}: the counterexample \`${c.spec.counterexample}\` differs between the input and the rewrite`, () => {
    expect(c.rewritten).toBeDefined();
    expect(evaluate(c.rewritten!, c.spec.counterexample!)).not.toBe(evaluate(c.input, c.spec.counterexample!));
  });
}

new RuleTester({
  languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: typedProjectDir } },
}).run('prefer-subtract-compare golden cases (type information)', testedRule, split('typed'));

new RuleTester({
  languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: checkedIndexProjectDir } },
}).run('prefer-subtract-compare golden cases (type information, noUncheckedIndexedAccess)', testedRule, split('typedCheckedIndex'));

new RuleTester().run('prefer-subtract-compare golden cases (syntax only)', testedRule, split('syntaxOnly'));
