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

/**
 * What the lint helpers below run, and as which file: unless told, this checkout's plugin
 * source, its `prefer-subtract-compare`, as `file.ts` (of the project, for a typed lint).
 * rule-docs.test.ts passes the built plugin (build/eslint-plugin/) and either rule.
 */
export interface LintTarget {
  plugin?: object;
  rule?: string;
  file?: string;
}

/** The plugin and the one rule on; without `options`, the rule's defaults (a rule with no options takes none). */
function ruleConfig(options: Record<string, unknown> | undefined, target: LintTarget) {
  return {
    plugins: { hotpath: (target.plugin ?? plugin) as never },
    rules: { [`hotpath/${target.rule ?? 'prefer-subtract-compare'}`]: options === undefined ? ('error' as const) : (['error', options] as ['error', Record<string, unknown>]) },
  };
}

/** Syntax-only lint of a snippet with the rule on: messages, and the text after `--fix`. */
export function lintSyntaxOnly(code: string, options?: Record<string, unknown>, target: LintTarget = {}) {
  const linter = new Linter({ configType: 'flat' });
  const config = ruleConfig(options, target);
  return { messages: linter.verify(code, config), fixed: linter.verifyAndFix(code, config).output };
}

/**
 * Typed lint of a snippet as `file.ts` (target.file) of a fixture project (typed-project: strict;
 * typed-project-checked-index: strict + noUncheckedIndexedAccess): messages and the text after `--fix`.
 */
export function lintTyped(code: string, projectDir: string, options?: Record<string, unknown>, target: LintTarget = {}) {
  const linter = new Linter({ configType: 'flat', cwd: projectDir });
  const config = [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tsParser as never, parserOptions: { project: './tsconfig.json', tsconfigRootDir: projectDir } },
      ...ruleConfig(options, target),
    },
  ];
  const filename = join(projectDir, target.file ?? 'file.ts');
  return { messages: linter.verify(code, config, filename), fixed: linter.verifyAndFix(code, config, filename).output };
}

/** The same snippet parsed as TypeScript but without a program: no type information. */
export function lintTsSyntaxOnly(code: string, options?: Record<string, unknown>, target: LintTarget = {}) {
  const linter = new Linter({ configType: 'flat' });
  const config = [{ files: ['**/*.ts'], languageOptions: { parser: tsParser as never }, ...ruleConfig(options, target) }];
  const filename = target.file ?? 'file.ts';
  return { messages: linter.verify(code, config, filename), fixed: linter.verifyAndFix(code, config, filename).output };
}
