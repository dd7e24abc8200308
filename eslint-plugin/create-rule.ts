import { ESLintUtils } from '@typescript-eslint/utils';
import { docsUrl } from './package-info.js';

export interface HotpathRuleDocs {
  /** In `configs.recommended` / `configs['recommended-type-checked']`. */
  recommended?: boolean;
  /** The rule needs type information (parserOptions.projectService). */
  requiresTypeChecking?: boolean;
}

/** Rule factory of the plugin. Docs URL: the rule's page shipped in the package (docs/rules/). */
export const createRule = ESLintUtils.RuleCreator<HotpathRuleDocs>(
  docsUrl,
);
