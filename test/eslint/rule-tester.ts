// @typescript-eslint/rule-tester wired to vitest, and the fixtures this room's tests share.
import { RuleTester } from '@typescript-eslint/rule-tester';
import tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, it } from 'vitest';
import plugin from '../../eslint-plugin/index.js';
import rule from '../../eslint-plugin/rules/prefer-subtract-compare.js';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

export { RuleTester };

// rule-tester 8.71 carries its own @typescript-eslint/utils types; the rule is built with 8.73's.
export const testedRule = rule as unknown as Parameters<RuleTester['run']>[1];

/** fixtures/rules/: golden cases (one folder each) and the tsconfig for typed runs. */
export const fixturesDir = fileURLToPath(new URL('../../fixtures/rules/', import.meta.url));
export const typedProjectDir = fileURLToPath(new URL('../../fixtures/rules/typed-project/', import.meta.url));
/** The same with noUncheckedIndexedAccess (the verdicts must not change: no value type is proof either way). */
export const checkedIndexProjectDir = fileURLToPath(new URL('../../fixtures/rules/typed-project-checked-index/', import.meta.url));

/** Syntax-only lint of a snippet with the rule on: messages, and the text after `--fix`. */
export function lintSyntaxOnly(code: string, options: Record<string, unknown> = {}) {
  const linter = new Linter({ configType: 'flat' });
  const config = {
    plugins: { hotpath: plugin as never },
    rules: { 'hotpath/prefer-subtract-compare': ['error', options] as ['error', Record<string, unknown>] },
  };
  return { messages: linter.verify(code, config), fixed: linter.verifyAndFix(code, config).output };
}

/**
 * Typed lint of a snippet as `file.ts` of a fixture project (typed-project: strict;
 * typed-project-checked-index: strict + noUncheckedIndexedAccess): messages and the text after `--fix`.
 */
export function lintTyped(code: string, projectDir: string, options: Record<string, unknown> = {}) {
  const linter = new Linter({ configType: 'flat', cwd: projectDir });
  const config = [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tsParser as never, parserOptions: { project: './tsconfig.json', tsconfigRootDir: projectDir } },
      plugins: { hotpath: plugin as never },
      rules: { 'hotpath/prefer-subtract-compare': ['error', options] as ['error', Record<string, unknown>] },
    },
  ];
  const filename = join(projectDir, 'file.ts');
  return { messages: linter.verify(code, config, filename), fixed: linter.verifyAndFix(code, config, filename).output };
}

/** The same snippet parsed as TypeScript but without a program: no type information. */
export function lintTsSyntaxOnly(code: string, options: Record<string, unknown> = {}) {
  const linter = new Linter({ configType: 'flat' });
  const config = [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tsParser as never },
      plugins: { hotpath: plugin as never },
      rules: { 'hotpath/prefer-subtract-compare': ['error', options] as ['error', Record<string, unknown>] },
    },
  ];
  return { messages: linter.verify(code, config, 'file.ts'), fixed: linter.verifyAndFix(code, config, 'file.ts').output };
}
