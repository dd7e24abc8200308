// hotpath/eslint-plugin: the plugin object for ESLint flat config.
//   import hotpath from 'hotpath/eslint-plugin';
//   export default [hotpath.configs.recommended];
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
  // Needs languageOptions.parserOptions.projectService (typescript-eslint's parser).
  rules: enabled(() => true),
};

export default plugin;
