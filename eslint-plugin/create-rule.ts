// The plugin's rule factory. Same call shape and result as typescript-eslint's
// ESLintUtils.RuleCreator, written here so the plugin loads without @typescript-eslint/utils
// (a JavaScript project with ESLint alone): that package is used for its types only.
import type { TSESLint } from '@typescript-eslint/utils';
import { docsUrl } from './package-info.js';

export interface HotpathRuleDocs {
  /** In `configs.recommended` / `configs['recommended-type-checked']`. */
  recommended?: boolean;
  /** The rule needs type information (parserOptions.projectService). */
  requiresTypeChecking?: boolean;
}

type Docs = HotpathRuleDocs & Omit<TSESLint.RuleMetaDataDocs, 'url'>;

export interface RuleDefinition<Options extends readonly unknown[], MessageIds extends string> {
  readonly name: string;
  readonly meta: { docs: Docs } & Omit<TSESLint.RuleMetaData<MessageIds, HotpathRuleDocs, Options>, 'docs'>;
  readonly create: (context: Readonly<TSESLint.RuleContext<MessageIds, Options>>, optionsWithDefault: Readonly<Options>) => TSESLint.RuleListener;
}

export type HotpathRule<Options extends readonly unknown[], MessageIds extends string> = TSESLint.RuleModule<MessageIds, Options, HotpathRuleDocs> & {
  readonly name: string;
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `second` over `first`, objects merged key by key (RuleCreator's deepMerge). */
function deepMerge(first: Record<string, unknown>, second: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...first };
  for (const [key, value] of Object.entries(second)) {
    merged[key] = key in first && isPlainObject(first[key]) && isPlainObject(value) ? deepMerge(first[key], value) : value;
  }
  return merged;
}

/** The user's options over the rule's defaults, as typescript-eslint's applyDefault does. */
export function applyDefault<Options extends readonly unknown[]>(defaults: Options, userOptions: readonly unknown[] | undefined): Options {
  const options = structuredClone(defaults) as unknown as unknown[];
  if (userOptions == null) return options as unknown as Options;
  options.forEach((option, i) => {
    const user = userOptions[i];
    if (user === undefined) return;
    options[i] = isPlainObject(user) && isPlainObject(option) ? deepMerge(option, user) : user;
  });
  return options as unknown as Options;
}

/** A rule with its docs URL (the rule's page shipped in the package, docs/rules/) and default options applied. */
export function createRule<Options extends readonly unknown[], MessageIds extends string>(
  rule: RuleDefinition<Options, MessageIds>,
): HotpathRule<Options, MessageIds> {
  const { name, meta, create } = rule;
  const defaults = (meta.defaultOptions ?? []) as unknown as Options;
  return {
    name,
    meta: { ...meta, docs: { ...meta.docs, url: docsUrl(name) } },
    create: (context) => create(context, applyDefault(defaults, context.options)),
  };
}
