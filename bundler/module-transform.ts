/**
 * One module's transform: compiler/js's analysis in, carriers out. Each site (a marker call
 * the front end recognised by its binding) becomes a site carrier around its own argument
 * (the argument's text and mapping kept); each module-level variable another module could
 * read (exported) or a marker here reads gets a registration carrier after its statement; a
 * module with sites gets a note; `@boot` functions get their guard (compiler/js's
 * rewriteJsModule writes those). Which registrations a site reads is decided when the output
 * is written (bundle-plan.ts): the others are dropped there.
 */
import MagicString from 'magic-string';
import remapping from '@jridgewell/remapping';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import { analyzeJsModule, lineColumnOf, linkSpecifiers, rewriteJsModule, type JsBinding, type JsModuleAnalysis } from '../compiler/js/index.js';
import { variableKey } from '../runtime/site-format.js';
import type { Resolution } from './build-state.js';
import {
  carriersImportText,
  CARRIER_LOCALS,
  noteCarrierText,
  noteToken,
  registrationCarrierText,
  registrationToken,
  siteToken,
} from './carrier-text.js';

/** The bundler's resolver: a specifier from `importer` to a module id, `external`, or undefined when not found. */
export type Resolve = (specifier: string, importer: string) => Promise<Resolution>;

export interface TransformOptions {
  readonly moduleKey: string;
  readonly resolve: Resolve;
  /** Where the bundler hands plugins TypeScript (Rolldown, esbuild): its own type stripping, with a map. */
  readonly stripTypes?: ((code: string, id: string) => Promise<{ code: string; map?: object }>) | undefined;
}

export type TransformResult =
  | { readonly kind: 'unchanged' }
  /** Nothing to write, but linking needs what it exports (re-exports, or an import it exports again). */
  | {
      readonly kind: 'analysed';
      readonly position: (offset: number) => { line: number; column: number };
      readonly analysis: JsModuleAnalysis;
      readonly resolutions: ReadonlyMap<string, Resolution>;
    }
  | {
      readonly kind: 'transformed';
      readonly code: string;
      readonly map: object;
      /** 1-based line and column in the module's source (through the type stripper's map) of an offset into the analysed code. */
      readonly position: (offset: number) => { line: number; column: number };
      readonly analysis: JsModuleAnalysis;
      readonly resolutions: ReadonlyMap<string, Resolution>;
    };

const TYPESCRIPT = /\.[cm]?tsx?$/;

export async function transformModule(source: string, id: string, options: TransformOptions): Promise<TransformResult> {
  // Cheap test first, a necessary condition, not a decision: a marker needs an import or require of
  // 'hotpath', a variable another module reads needs an export (`export`, `exports`); either can
  // hide only behind an escape in a string or identifier (`'hot\u0070ath'`, `'hot\x70ath'`, a
  // line continuation), so a module with neither word and no backslash gets no carrier.
  if (!source.includes('hotpath') && !source.includes('export') && !source.includes('\\')) return { kind: 'unchanged' };
  let code = source;
  let stripMap: object | undefined;
  const file = id.replace(/[?#].*$/, '');
  if (options.stripTypes && TYPESCRIPT.test(file)) {
    const stripped = await options.stripTypes(source, file);
    code = stripped.code;
    stripMap = stripped.map;
  }
  const position = sourcePosition(code, stripMap);
  const analysis = analyzeJsModule(code, {
    fileName: id,
    where: (offset) => {
      const { line, column } = position(offset);
      return `${options.moduleKey}:${line}:${column}`;
    },
  });
  if (analysis.parseError !== undefined) return { kind: 'unchanged' };
  const registered = registrable(analysis);
  const nothingToWrite = analysis.sites.length === 0 && registered.length === 0 && analysis.bootFunctions.length === 0;
  if (nothingToWrite && analysis.exports.length === 0) return { kind: 'unchanged' };

  // Only what linking can ask about (an app entry's thousand imports read by no site are not), all at once.
  const specifiers = [...linkSpecifiers(analysis)];
  const resolved = await Promise.all(specifiers.map((specifier) => options.resolve(specifier, file)));
  const resolutions = new Map<string, Resolution>(specifiers.map((specifier, i) => [specifier, resolved[i]]));
  if (nothingToWrite) return { kind: 'analysed', position, analysis, resolutions };

  // The @boot guards as compiler/js writes them; the carriers go into the same MagicString.
  const out: MagicString =
    analysis.bootFunctions.length > 0
      ? rewriteJsModule(code, { module: { fileName: id, moduleKey: options.moduleKey, analysis }, sites: [], registrations: [], bootFunctions: analysis.bootFunctions }).magicString
      : new MagicString(code);
  analysis.sites.forEach((site, index) => {
    out.overwrite(site.call.start, site.argument.start, `${CARRIER_LOCALS.site}(`);
    out.overwrite(site.argument.end, site.call.end, `, ${JSON.stringify(siteToken(options.moduleKey, index))})`);
  });
  for (const { binding, read } of registered) {
    out.appendLeft(binding.statement.end, `\n${registrationCarrierText(read, registrationToken(variableKey(options.moduleKey, binding.name)))}`);
  }
  const used: Array<keyof typeof CARRIER_LOCALS> = [];
  if (analysis.sites.length > 0) used.push('site', 'note');
  if (registered.length > 0) used.push('registration');
  if (used.length > 0) {
    const format = analysis.format === 'commonjs' ? 'cjs' : 'esm';
    const head = carriersImportText(used, format) + (analysis.sites.length > 0 ? noteCarrierText(noteToken(options.moduleKey)) : '');
    out.prependLeft(analysis.preambleAt, head);
  }

  const ours = out.generateMap({ hires: 'boundary', source: file, includeContent: true });
  const map = stripMap ? remapping([ours as never, stripMap as never], () => null) : ours;
  return { kind: 'transformed', code: out.toString(), map: map as object, position, analysis, resolutions };
}

/** Offsets of the analysed code as lines and columns of the module's source: through the type stripper's map when it moved code. */
function sourcePosition(code: string, stripMap: object | undefined): (offset: number) => { line: number; column: number } {
  const position = lineColumnOf(code);
  if (stripMap === undefined) return position;
  const map = new TraceMap(stripMap as never);
  return (offset) => {
    const generated = position(offset);
    const original = originalPositionFor(map, { line: generated.line, column: generated.column - 1 });
    return original.line === null ? generated : { line: original.line, column: original.column + 1 };
  };
}

/**
 * The bindings that get a registration carrier: module-level `let`/`var`/`const` that are
 * exported or read by a marker of this module; in CommonJS, `exports.<name>` properties.
 * (A marker of another module can read only an exported one.)
 */
function registrable(analysis: JsModuleAnalysis): Array<{ binding: JsBinding; read: string }> {
  const out: Array<{ binding: JsBinding; read: string }> = [];
  const seen = new Set<JsBinding>();
  const add = (binding: JsBinding | undefined, read: string) => {
    if (binding === undefined || seen.has(binding)) return;
    if (binding.kind !== 'let' && binding.kind !== 'var' && binding.kind !== 'const' && binding.kind !== 'exports-property') return;
    seen.add(binding);
    out.push({ binding, read });
  };
  for (const e of analysis.exports) if (e.kind === 'local') add(analysis.bindings.get(e.local), e.local);
  for (const site of analysis.sites) if (site.variable.kind === 'local') add(analysis.bindings.get(site.variable.name), site.variable.name);
  for (const [name, binding] of analysis.exportsProperties) add(binding, `exports.${name}`);
  return out;
}
