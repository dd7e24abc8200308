// hotpath/eslint-plugin: the plugin object for ESLint flat config.
//   import hotpath from 'hotpath/eslint-plugin';
//   export default [hotpath.configs.recommended];
// configs.recommended needs ESLint only (JavaScript projects too); the plugin imports
// @typescript-eslint/utils for types, never at run time.
import type { TSESLint } from '@typescript-eslint/utils';
import { packageName, packageVersion } from './package-info.js';
import preferSubtractCompare from './rules/prefer-subtract-compare.js';
import validStaticVariableLoad from './rules/valid-static-variable-load.js';

const rules = {
  'prefer-subtract-compare': preferSubtractCompare,
  'valid-static-variable-load': validStaticVariableLoad,
} satisfies Record<string, TSESLint.RuleModule<string, readonly unknown[]>>;

type RuleName = keyof typeof rules;

function enabled(filter: (rule: (typeof rules)[RuleName]) => boolean): Record<string, 'error'> {
  const entries = (Object.keys(rules) as RuleName[])
    .filter((ruleName) => rules[ruleName].meta.docs?.recommended && filter(rules[ruleName]))
    .map((ruleName) => [`hotpath/${ruleName}`, 'error'] as const);
  return Object.fromEntries(entries);
}

const plugin = {
  meta: { name: `${packageName}/eslint-plugin`, version: packageVersion },
  rules,
  configs: {} as Record<'recommended' | 'recommended-type-checked', TSESLint.FlatConfig.Config>,
};

plugin.configs.recommended = {
  name: 'hotpath/recommended',
  plugins: { hotpath: plugin as unknown as TSESLint.FlatConfig.Plugin },
  // Rules that work without type information.
  rules: enabled((rule) => !rule.meta.docs?.requiresTypeChecking),
};
plugin.configs['recommended-type-checked'] = {
  name: 'hotpath/recommended-type-checked',
  plugins: { hotpath: plugin as unknown as TSESLint.FlatConfig.Plugin },
  // Needs type information: typescript-eslint's parser with parserOptions.projectService (or
  // project), and so typescript-eslint and a TypeScript it supports (5.9 - 6.0) installed.
  // Without them valid-static-variable-load cannot run (its error says what is missing);
  // configs.recommended needs neither.
  rules: enabled(() => true),
};

export default plugin;
