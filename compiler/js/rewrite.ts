/**
 * Writes a module's plan (compiler/js/link.ts) into its JavaScript with magic-string: each
 * valid marker call becomes a slot, the module gets its record table and runtime import,
 * each registered variable its registration, each `@boot` function its guard — the same
 * text `hotpath build` prints, built with runtime/site-format.ts's functions (the format is
 * never spelled here). Only the marker call's own characters are replaced; the argument's
 * text is kept, so a source map still maps the read inside the slot to the argument.
 */
import MagicString, { type SourceMap } from 'magic-string';
import { DEFAULT_SLOT_WIDTH, RUNTIME_API, recordTableText, slotCloseText, slotOpenText } from '../../runtime/site-format.js';
import { freshName } from './fresh-name.js';
import type { ModulePlan } from './link.js';

export interface RewriteOptions {
  /** The runtime's specifier that rewritten code imports. Default `"hotpath"`. */
  readonly runtimeModule?: string;
  /** Inner width of a slot's closing comment. Default DEFAULT_SLOT_WIDTH. */
  readonly slotWidth?: number;
}

export interface RewriteResult {
  readonly code: string;
  /** The map from the rewritten code to the code given (chain it with the code's own map: sites.ts). */
  readonly map: SourceMap;
  readonly magicString: MagicString;
}

/** Applies `plan` to `code` (the code the plan's analysis was made of). */
export function rewriteJsModule(code: string, plan: ModulePlan, options: RewriteOptions = {}): RewriteResult {
  // The runtime's functions under names the module does not hold: a parameter of that name in a @boot function would be called instead.
  const alias = (name: string): string => freshName(code, `__hotpath_${name}`);
  const s = new MagicString(code);
  const width = options.slotWidth ?? DEFAULT_SLOT_WIDTH;
  const { analysis, moduleKey } = plan.module;
  const commonjs = analysis.format === 'commonjs';
  const used = new Set<keyof typeof RUNTIME_API>();

  plan.sites.forEach(({ site }, id) => {
    // `load(x)` → `(/*@hp:N*/ (x) /*@hp:N   */)`: the call's text around the argument is replaced, the argument kept.
    s.overwrite(site.call.start, site.argument.start, `(/*${slotOpenText(id)}*/ (`);
    s.overwrite(site.argument.end, site.call.end, `) /*${slotCloseText(id, width)}*/)`);
  });
  if (plan.sites.length > 0) used.add('noteSiteModule');

  const location = commonjs ? 'typeof __filename === "string" ? __filename : void 0' : 'import.meta.url';
  for (const r of plan.registrations) {
    used.add('registerStaticVariable');
    s.appendLeft(r.binding.statement.end, `\n${alias(RUNTIME_API.registerStaticVariable)}(${JSON.stringify(r.variableKey)}, () => ${r.read}, ${location});`);
  }

  for (const boot of plan.bootFunctions) {
    used.add('assertBootPhase');
    const guard = `${alias(RUNTIME_API.assertBootPhase)}(${JSON.stringify(boot.guardText)});`;
    const insert = boot.insert;
    if (insert.kind === 'before') s.prependRight(insert.at, `${guard}\n${insert.indent}`);
    else if (insert.kind === 'append') s.appendLeft(insert.at, `\n${insert.indent}${guard}\n${insert.closingIndent}`);
    else {
      // `=> expr` → `=> {⏎ guard;⏎ return expr;⏎}`; parenthesized when a line break follows `=>` (ASI would end the return).
      const paren = /[\n\r\u2028\u2029]/.test(code.slice(insert.arrowAt, insert.bodyStart));
      s.appendLeft(insert.arrowAt, ` {\n${insert.indent}    ${guard}\n${insert.indent}    return${paren ? ' (' : ''}`);
      s.appendLeft(insert.end, `${paren ? ')' : ''};\n${insert.indent}}`);
    }
  }

  if (used.size > 0) {
    const apis = [...used].sort();
    const specifier = JSON.stringify(options.runtimeModule ?? 'hotpath');
    const lines: string[] = [];
    if (plan.sites.length > 0) lines.push(`/*${recordTableText({ module: moduleKey, sites: plan.sites.map((p) => p.record) })}*/`);
    lines.push(commonjs
      ? `const { ${apis.map((api) => `${RUNTIME_API[api]}: ${alias(RUNTIME_API[api])}`).join(', ')} } = require(${specifier});`
      : `import { ${apis.map((api) => `${RUNTIME_API[api]} as ${alias(RUNTIME_API[api])}`).join(', ')} } from ${specifier};`);
    if (plan.sites.length > 0) lines.push(`${alias(RUNTIME_API.noteSiteModule)}(${JSON.stringify(moduleKey)}, ${plan.sites.length});`);
    const at = analysis.preambleAt;
    const atLineStart = at === 0 || code[at - 1] === '\n';
    s.prependLeft(at, `${atLineStart ? '' : '\n'}${lines.join('\n')}\n`);
  }
  return { code: s.toString(), map: s.generateMap({ hires: 'boundary', includeContent: false }), magicString: s };
}

const PASS_ALIAS = new RegExp(`^__hotpath_(?:${Object.values(RUNTIME_API).join('|')})\\d*$`);

/** Is `local` a name the pass imports the runtime's functions as (freshName's)? Code that imports the runtime so was rewritten before. */
export function isPassAlias(local: string): boolean {
  return PASS_ALIAS.test(local);
}
