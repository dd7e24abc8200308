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
import {
  analyzeJsModule,
  hotpathExportOf,
  lineColumnOf,
  linkSpecifiers,
  rewriteJsModule,
  type HotpathExport,
  type JsBinding,
  type JsCallShape,
  type JsModuleAnalysis,
  type LinkModule,
} from '../compiler/js/index.js';
import { MARKER_NAME, SEAL_NAME } from '../checks/marker-rules.js';
import { variableKey } from '../runtime/site-format.js';
import type { Resolution } from './build-state.js';
import {
  carrierLocals,
  carriersImportText,
  type CarrierKind,
  noteCarrierText,
  noteToken,
  registrationCarrierText,
  registrationToken,
  siteToken,
} from './carrier-text.js';

/** The bundler's resolver: a specifier from `importer` to a module id, `external`, or undefined when not found. */
export type Resolve = (specifier: string, importer: string) => Promise<Resolution>;

/** `byNode`: stripped by Node's stripTypeScriptTypes, which every stripper here tries first (blanks for types: the same code, whoever asks). */
export type StripTypes = (code: string, id: string) => Promise<{ code: string; map?: object; byNode?: boolean }>;

export interface TransformOptions {
  readonly moduleKey: string;
  readonly resolve: Resolve;
  /** Where the bundler hands plugins TypeScript (Rolldown, esbuild): its own type stripping, with a map. */
  readonly stripTypes?: StripTypes | undefined;
  /** The other modules of the build, for markers re-exported through the user's own modules; without it only imports from `hotpath` are the marker. */
  readonly graph?: ModuleGraph | undefined;
}

/**
 * The module graph as far as a transform can see it before the bundler has transformed the
 * other modules (bundlers transform an importer before what it imports): a module the
 * bundler's resolver names is read from its file and analysed by the same front end.
 */
export interface ModuleGraph {
  /** A module's source, by the id the resolver gave; undefined when the plugin does not transform it (outside `include`) or it cannot be read. */
  readonly read: (id: string) => Promise<string | undefined>;
  readonly moduleKey: (id: string) => string;
  /** How a TypeScript file read from disk is made JavaScript where the bundler hands plugins JavaScript (the file is TypeScript); else the transform's own stripper. */
  readonly stripTypes?: StripTypes | undefined;
  /** First analyses by id, shared by the build's transforms: a module read for an importer is not analysed again when the bundler hands the same text. */
  readonly analyses: Map<string, { readonly source: string; readonly stripsTypes: boolean; readonly analysed: Promise<Analysed> }>;
}

/** A module's first analysis (imports from `hotpath` only), and which imports of its own modules it calls (what may be the marker re-exported). */
interface Analysed {
  readonly code: string;
  readonly stripMap: object | undefined;
  readonly position: (offset: number) => { line: number; column: number };
  readonly analysis: JsModuleAnalysis;
  /** `[source, imported]` of each call of an import (or a namespace member, a required property) from a module other than `hotpath`. */
  readonly calledImports: ReadonlyArray<readonly [string, string]>;
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

const RUNTIME = 'hotpath';

export async function transformModule(source: string, id: string, options: TransformOptions): Promise<TransformResult> {
  // Cheap test first, a necessary condition, not a decision: a marker needs an import or require of
  // 'hotpath' (or, with the graph, of a module of the user's that re-exports it: `import`,
  // `require`), a variable another module reads needs an export (`export`, `exports`); either can
  // hide only behind an escape in a string or identifier (`'hot\u0070ath'`, `'hot\x70ath'`, a line
  // continuation), so a module with none of these words and no backslash gets no carrier.
  const mayImport = options.graph !== undefined && (source.includes('import') || source.includes('require'));
  if (!source.includes('hotpath') && !source.includes('export') && !source.includes('\\') && !mayImport) return { kind: 'unchanged' };
  const file = id.replace(/[?#].*$/, '');
  const first = await firstAnalysis(source, id, options.moduleKey, options.stripTypes, options.graph);
  const { code, stripMap, position } = first;
  let analysis = first.analysis;
  if (analysis.parseError !== undefined) return { kind: 'unchanged' };
  if (options.graph && first.calledImports.length > 0) {
    // `import { load } from './hp.js'` where hp.js has `export { STATIC_VARIABLE_LOAD as load } from 'hotpath'`: analysed again, knowing.
    const answers = await hotpathExportsThroughGraph(file, options.moduleKey, analysis, first.calledImports, options.resolve, options.graph, options.stripTypes);
    if (answers.size > 0) {
      const hotpathExport = (s: string, imported: string) => (s === RUNTIME ? defaultHotpathExport(imported) : answers.get(queryKey(s, imported)));
      analysis = analyzeJsModule(code, { fileName: id, where: whereIn(options.moduleKey, position), hotpathExport });
    }
  }
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
  // Names the module's text does not hold: a parameter or local of that name around a site would be called instead.
  const locals = carrierLocals(code);
  analysis.sites.forEach((site, index) => {
    out.overwrite(site.call.start, site.argument.start, `${locals.site}(`);
    out.overwrite(site.argument.end, site.call.end, `, ${JSON.stringify(siteToken(options.moduleKey, index))})`);
  });
  for (const { binding, read } of registered) {
    out.appendLeft(binding.statement.end, `\n${registrationCarrierText(read, registrationToken(variableKey(options.moduleKey, binding.name)), locals)}`);
  }
  const used: CarrierKind[] = [];
  if (analysis.sites.length > 0) used.push('site', 'note');
  if (registered.length > 0) used.push('registration');
  if (used.length > 0) {
    const format = analysis.format === 'commonjs' ? 'cjs' : 'esm';
    const head = carriersImportText(used, format, locals) + (analysis.sites.length > 0 ? noteCarrierText(noteToken(options.moduleKey), locals) : '');
    out.prependLeft(analysis.preambleAt, head);
  }

  const ours = out.generateMap({ hires: 'boundary', source: file, includeContent: true });
  const map = stripMap ? remapping([ours as never, stripMap as never], () => null) : ours;
  return { kind: 'transformed', code: out.toString(), map: map, position, analysis, resolutions };
}

const queryKey = (source: string, imported: string) => `${source}\0${imported}`;

function defaultHotpathExport(imported: string): HotpathExport | undefined {
  return imported === '*' ? 'namespace' : imported === MARKER_NAME ? 'marker' : imported === SEAL_NAME ? 'seal' : undefined;
}

function whereIn(moduleKey: string, position: (offset: number) => { line: number; column: number }): (offset: number) => string {
  return (offset) => {
    const { line, column } = position(offset);
    return `${moduleKey}:${line}:${column}`;
  };
}

/** Types stripped (where the bundler hands TypeScript), analysed with imports from `hotpath` as the only marker; shared through the graph's cache. */
function firstAnalysis(source: string, id: string, moduleKey: string, stripTypes: StripTypes | undefined, graph: ModuleGraph | undefined): Promise<Analysed> {
  const stripsTypes = stripTypes !== undefined && TYPESCRIPT.test(id.replace(/[?#].*$/, ''));
  const cached = graph?.analyses.get(id);
  if (cached && cached.source === source && cached.stripsTypes === stripsTypes) return cached.analysed;
  let shareable = true;
  const analysed = (async (): Promise<Analysed> => {
    let code = source;
    let stripMap: object | undefined;
    const file = id.replace(/[?#].*$/, '');
    if (stripsTypes) {
      const stripped = await stripTypes(source, file);
      code = stripped.code;
      stripMap = stripped.map;
      shareable = stripped.byNode === true;
    }
    const position = sourcePosition(code, stripMap);
    const calledImports: Array<readonly [string, string]> = [];
    const seen = new Set<string>();
    const hotpathExport = (s: string, imported: string, call?: JsCallShape): HotpathExport | undefined => {
      if (s === RUNTIME) return defaultHotpathExport(imported);
      // Only a call that could be a site (one read of a module-level binding) or a seal() that orders this module's
      // writes (no argument, top-level code) is worth resolving for: an app entry calling a thousand functions with
      // their parameters is not. (A marker call of another shape is an error hotpath build reports; here it stays a call.)
      const worth = call !== undefined && ((call.arguments === 1 && call.readsModuleBinding) || (call.arguments === 0 && call.topLevel));
      const key = queryKey(s, imported);
      if (worth && !seen.has(key)) {
        seen.add(key);
        calledImports.push([s, imported]);
      }
      return undefined;
    };
    const analysis = analyzeJsModule(code, { fileName: id, where: whereIn(moduleKey, position), hotpathExport });
    return { code, stripMap, position, analysis, calledImports };
  })();
  // Shared only once analysed (a stripper that fails here is the transform's to report, not this cache's), and only
  // when another caller's stripper would give the same code (Node's, or none).
  if (graph) {
    analysed.then(
      (done) => {
        if (shareable) graph.analyses.set(id, { source, stripsTypes, analysed: Promise.resolve(done) });
      },
      () => undefined,
    );
  }
  return analysed;
}

/**
 * Which of the called imports are hotpath's marker or seal, through the user's own modules
 * (compiler/js hotpathExportOf, the rule `hotpath sites` uses): each source resolved by the
 * bundler's resolver, each module on the way read and analysed, its re-exports followed.
 */
async function hotpathExportsThroughGraph(
  file: string,
  moduleKey: string,
  analysis: JsModuleAnalysis,
  calledImports: ReadonlyArray<readonly [string, string]>,
  resolve: Resolve,
  graph: ModuleGraph,
  stripTypes: StripTypes | undefined,
): Promise<Map<string, HotpathExport>> {
  const modules = new Map<string, LinkModule>();
  const resolutions = new Map<string, Map<string, Resolution>>();
  const importer: LinkModule = { fileName: file, moduleKey, analysis };
  modules.set(file, importer);
  const resolveAll = async (from: string, specifiers: Iterable<string>): Promise<void> => {
    const wanted = [...new Set(specifiers)].filter((s) => s !== RUNTIME);
    const found = await Promise.all(wanted.map((s) => resolve(s, from)));
    resolutions.set(from, new Map(wanted.map((s, i) => [s, found[i]])));
    await Promise.all(found.flatMap((target) => (typeof target === 'string' && target !== 'external' ? [visit(target)] : [])));
  };
  const visit = async (id: string): Promise<void> => {
    const target = id.replace(/[?#].*$/, '');
    if (modules.has(target)) return;
    modules.set(target, { fileName: target, moduleKey: graph.moduleKey(target), analysis: EMPTY_ANALYSIS });
    const source = await graph.read(target);
    let a: JsModuleAnalysis | undefined;
    try {
      a = source === undefined ? undefined : (await firstAnalysis(source, target, graph.moduleKey(target), stripTypes ?? graph.stripTypes, graph)).analysis;
    } catch {
      a = undefined; // TypeScript this Node cannot strip: the module is not known to re-export anything
    }
    if (a === undefined || a.parseError !== undefined) return void modules.delete(target);
    modules.set(target, { fileName: target, moduleKey: graph.moduleKey(target), analysis: a });
    // What re-exports can pass on: the sources of its re-exports and of the imports it exports again.
    const exportedLocals = new Set(a.exports.flatMap((e) => (e.kind === 'local' ? [e.local] : [])));
    const onward = [...a.exports.flatMap((e) => (e.kind === 'reexport' ? [e.source] : [])), ...a.imports.filter((i) => exportedLocals.has(i.local)).map((i) => i.source)];
    if (onward.length > 0) await resolveAll(target, onward);
  };
  await resolveAll(file, calledImports.map(([source]) => source));
  const lookup = (specifier: string, from: LinkModule): LinkModule | 'external' | undefined => {
    const resolved = resolutions.get(from.fileName)?.get(specifier);
    if (resolved === undefined) return undefined;
    return resolved === 'external' ? 'external' : (modules.get(resolved.replace(/[?#].*$/, '')) ?? 'external');
  };
  const through = hotpathExportOf(importer, lookup, RUNTIME);
  const answers = new Map<string, HotpathExport>();
  for (const [source, imported] of calledImports) {
    const what = through(source, imported);
    if (what !== undefined) answers.set(queryKey(source, imported), what);
  }
  return answers;
}

const EMPTY_ANALYSIS: JsModuleAnalysis = {
  fileName: '', format: 'module', markerCalls: [], sites: [], bindings: new Map(), exportsProperties: new Map(), imports: [], exports: [], bootFunctions: [], diagnostics: [], preambleAt: 0,
};

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
