/**
 * Linking analysed modules (compiler/js/analyze.ts): which binding of which module each
 * marker reads, through imports, requires and re-export chains, and what each module gets
 * (slots with their records, registrations, `@boot` guards). Pure: the caller resolves
 * specifiers (Node's resolution over a folder for `hotpath sites`, the bundler's resolver
 * for a plugin) and hands over analyses; nothing here reads a file.
 */
import path from 'node:path';
import { variableKey, type SiteRecord } from '../../runtime/site-format.js';
import { MARKER_NAME, SEAL_NAME, callText, rules } from '../../checks/marker-rules.js';
import {
  bindingOf,
  readName,
  writeDiagnostics,
  type HotpathExport,
  type JsBinding,
  type JsBootFunction,
  type JsDiagnostic,
  type JsModuleAnalysis,
  type JsSite,
} from './analyze.js';

/** One module as the linker sees it. */
export interface LinkModule {
  /** Absolute file name (what `resolve` answers with). */
  readonly fileName: string;
  /** Names the module for people (records, reports, guards): the source's path relative to the project, `/`-separated. */
  readonly moduleKey: string;
  readonly analysis: JsModuleAnalysis;
}

/** The module a specifier names from a module: a module of the program, `'external'` (a package, a builtin: outside the code being rewritten), or undefined (not found). */
export type Resolve = (specifier: string, from: LinkModule) => LinkModule | 'external' | undefined;

/** Where a marker's variable is declared. */
export interface ResolvedVariable {
  readonly module: LinkModule;
  readonly binding: JsBinding;
  /** An import or re-export on the way has a query or fragment: another instance than the file's (the record gets no `from`). */
  readonly throughQueryOrFragment: boolean;
}

type ExportResolution =
  | { readonly kind: 'binding'; readonly variable: ResolvedVariable }
  | { readonly kind: 'snapshot'; readonly where: string; readonly exportEquals: boolean }
  | { readonly kind: 'external'; readonly source: string }
  | { readonly kind: 'missing' };

const hasQueryOrFragment = (specifier: string) => /\?|.#/.test(specifier);

/** What `name` exported by `module` is: a binding of some module of the program (through re-exports), a snapshot, or outside. */
export function resolveExport(module: LinkModule, name: string, resolve: Resolve, seen = new Set<string>(), viaQuery = false): ExportResolution {
  const key = `${module.fileName}#${name}`;
  if (seen.has(key)) return { kind: 'missing' };
  seen.add(key);
  const a = module.analysis;
  if (a.format === 'commonjs') {
    const own = a.exportsProperties.get(name);
    if (own) return { kind: 'binding', variable: { module, binding: own, throughQueryOrFragment: viaQuery } };
  }
  for (const e of a.exports) {
    if (e.exported !== name) continue;
    if (e.kind === 'snapshot') return { kind: 'snapshot', where: e.where, exportEquals: a.format === 'commonjs' };
    if (e.kind === 'local') {
      const binding = a.bindings.get(e.local);
      if (!binding) continue;
      if (binding.kind === 'import') {
        // `import { x } from './a'; export { x }`: follow the import.
        const imp = a.imports.find((i) => i.local === e.local);
        if (imp) return resolveThrough(module, imp.source, imp.imported, resolve, seen, viaQuery);
      }
      return { kind: 'binding', variable: { module, binding, throughQueryOrFragment: viaQuery } };
    }
    if (e.imported !== '*') return resolveThrough(module, e.source, e.imported, resolve, seen, viaQuery);
  }
  if (name !== 'default') {
    for (const e of a.exports) {
      if (e.kind !== 'reexport' || e.exported !== '*') continue;
      const found = resolveThrough(module, e.source, name, resolve, seen, viaQuery);
      if (found.kind !== 'missing') return found;
    }
  }
  return { kind: 'missing' };
}

function resolveThrough(from: LinkModule, source: string, name: string, resolve: Resolve, seen: Set<string>, viaQuery: boolean): ExportResolution {
  const target = resolve(source, from);
  if (target === 'external') return { kind: 'external', source };
  if (!target) return { kind: 'missing' };
  return resolveExport(target, name, resolve, seen, viaQuery || hasQueryOrFragment(source));
}

/**
 * Which of a module's imports are hotpath's marker, seal or namespace, re-exports through
 * the user's own modules included (`export { STATIC_VARIABLE_LOAD as load } from 'hotpath'`,
 * `export * from 'hotpath'`): the `hotpathExport` option of analyzeJsModule for modules that
 * import from those. `runtime` is the runtime's specifier.
 */
export function hotpathExportOf(module: LinkModule, resolve: Resolve, runtime = 'hotpath'): (source: string, imported: string) => HotpathExport | undefined {
  return (source, imported) => {
    if (source === runtime) return imported === '*' ? 'namespace' : imported === MARKER_NAME ? 'marker' : imported === SEAL_NAME ? 'seal' : undefined;
    const target = resolve(source, module);
    if (!target || target === 'external') return undefined;
    return hotpathExportThrough(target, imported, resolve, runtime, new Set());
  };
}

function hotpathExportThrough(module: LinkModule, name: string, resolve: Resolve, runtime: string, seen: Set<string>): HotpathExport | undefined {
  const key = `${module.fileName}#${name}`;
  if (seen.has(key)) return undefined;
  seen.add(key);
  const viaSource = (source: string, imported: string): HotpathExport | undefined => {
    if (source === runtime) return imported === '*' ? 'namespace' : imported === MARKER_NAME ? 'marker' : imported === SEAL_NAME ? 'seal' : undefined;
    const target = resolve(source, module);
    return target && target !== 'external' ? hotpathExportThrough(target, imported, resolve, runtime, seen) : undefined;
  };
  if (name === '*') {
    // A namespace import of a module that is all of hotpath's (`export * from 'hotpath'` and nothing of its own) is hotpath's namespace.
    const exports = module.analysis.exports;
    const onlyReexports = exports.length > 0 && exports.every((e) => e.kind === 'reexport' && e.exported === '*' && viaSource(e.source, '*') === 'namespace');
    return onlyReexports ? 'namespace' : undefined;
  }
  for (const e of module.analysis.exports) {
    if (e.exported !== name) continue;
    if (e.kind === 'reexport') return viaSource(e.source, e.imported);
    if (e.kind === 'local') {
      const imp = module.analysis.imports.find((i) => i.local === e.local);
      if (imp) return viaSource(imp.source, imp.imported);
      continue; // a CommonJS `exports.x = …` of the module's own: another shape may still define x
    }
    return undefined;
  }
  for (const e of module.analysis.exports) {
    if (e.kind === 'reexport' && e.exported === '*') {
      const found = viaSource(e.source, name);
      if (found) return found;
    }
  }
  return undefined;
}

/** A site with its record: what the slot reads and which variable. */
export interface PlannedSite {
  readonly site: JsSite;
  readonly record: SiteRecord;
}

/** A registration: `registerStaticVariable(key, () => read, location)` after `binding`'s statement. */
export interface PlannedRegistration {
  readonly binding: JsBinding;
  readonly variableKey: string;
  /** How the registration reads the variable: `poolBase`, or `exports.poolBase` for a CommonJS exports property. */
  readonly read: string;
}

/** What one module gets. */
export interface ModulePlan {
  readonly module: LinkModule;
  readonly sites: readonly PlannedSite[];
  readonly registrations: readonly PlannedRegistration[];
  readonly bootFunctions: readonly JsBootFunction[];
}

export interface LinkResult {
  /** Modules with something to do, by file name. */
  readonly plans: ReadonlyMap<string, ModulePlan>;
  /** Every diagnostic: each module's own, and those linking found (on the reading site). */
  readonly diagnostics: readonly JsDiagnostic[];
}

/** The `from` of a record: the declaring module's file relative to the reader's, as a relative import spells it; `""` for the module itself. */
export function fromPath(readerFile: string, declaringFile: string): string {
  if (readerFile === declaringFile) return '';
  const relative = path.relative(path.dirname(readerFile), declaringFile).split(path.sep).join('/');
  return relative.startsWith('../') ? relative : `./${relative}`;
}

/**
 * Links every module: resolves each site's variable, applies the checks that need the
 * declaring module (HP1003 not a variable, HP1004 outside, HP1005 snapshot or ES module reading
 * CommonJS, HP1007 writes), and plans slots, records, registrations and guards.
 */
export function linkModules(modules: readonly LinkModule[], resolve: Resolve): LinkResult {
  const diagnostics: JsDiagnostic[] = [];
  const sitesOf = new Map<LinkModule, PlannedSite[]>();
  const registered = new Map<LinkModule, Map<JsBinding, PlannedRegistration>>();
  const anyMarker = modules.some((m) => m.analysis.markerCalls.length > 0);
  for (const module of modules) {
    diagnostics.push(...module.analysis.diagnostics);
    const planned: PlannedSite[] = [];
    for (const site of module.analysis.sites) {
      const result = resolveSite(module, site, resolve);
      if ('diagnostic' in result) {
        diagnostics.push(result.diagnostic);
        continue;
      }
      const { variable } = result;
      const writeProblems = writeDiagnostics(variable.module.analysis, [{ site, reader: module.analysis, binding: variable.binding }]);
      if (writeProblems.length > 0) {
        diagnostics.push(...writeProblems);
        continue;
      }
      const key = variableKey(variable.module.moduleKey, variable.binding.name);
      const record: SiteRecord = {
        var: key,
        read: module.analysis.format === 'commonjs' ? readName(site) : site.read,
        export: exportNameOf(site, variable.binding),
        ...(variable.throughQueryOrFragment ? {} : { from: fromPath(module.fileName, variable.module.fileName) }),
        ...(variable.throughQueryOrFragment ? {} : viaOf(module, site, variable.module, resolve)),
      };
      planned.push({ site, record });
      let byBinding = registered.get(variable.module);
      if (!byBinding) {
        byBinding = new Map();
        registered.set(variable.module, byBinding);
      }
      byBinding.set(variable.binding, {
        binding: variable.binding,
        variableKey: key,
        read: variable.binding.kind === 'exports-property' ? `exports.${variable.binding.name}` : variable.binding.name,
      });
    }
    if (planned.length > 0) sitesOf.set(module, planned);
  }
  const plans = new Map<string, ModulePlan>();
  for (const module of modules) {
    const sites = sitesOf.get(module) ?? [];
    const registrations = [...(registered.get(module)?.values() ?? [])].sort((a, b) => a.binding.declaration.start - b.binding.declaration.start);
    const bootFunctions = anyMarker ? module.analysis.bootFunctions : [];
    if (sites.length > 0 || registrations.length > 0 || bootFunctions.length > 0) plans.set(module.fileName, { module, sites, registrations, bootFunctions });
  }
  return { plans, diagnostics };
}

/** A record's `via`: the reader's own specifier, when its import or require names the declaring module itself (not a re-exporting one). */
function viaOf(module: LinkModule, site: JsSite, declaring: LinkModule, resolve: Resolve): { via?: string } {
  const v = site.variable;
  if ((v.kind !== 'import' && v.kind !== 'require') || declaring === module) return {};
  return resolve(v.source, module) === declaring ? { via: v.source } : {};
}

function exportNameOf(site: JsSite, binding: JsBinding): string {
  switch (site.variable.kind) {
    case 'import': return site.variable.imported;
    case 'require':
    case 'exports': return site.variable.property;
    case 'local': return binding.name;
  }
}

function diagnosticAt(module: LinkModule, site: JsSite, code: JsDiagnostic['code'], text: { message: string; hint: string }): { diagnostic: JsDiagnostic } {
  return { diagnostic: { code, category: 'error', fileName: module.analysis.fileName, start: site.argument.start, length: site.argument.end - site.argument.start, ...text } };
}

/** The variable a site reads, or the diagnostic that says why it cannot be patched. */
export function resolveSite(module: LinkModule, site: JsSite, resolve: Resolve): { variable: ResolvedVariable } | { diagnostic: JsDiagnostic } {
  const call = callText(site.where);
  const name = readName(site);
  const v = site.variable;
  let resolution: ExportResolution;
  if (v.kind === 'local' || v.kind === 'exports') {
    const binding = bindingOf(module.analysis, v);
    if (!binding) return diagnosticAt(module, site, 'HP1003', rules.unresolved(call, name));
    resolution = { kind: 'binding', variable: { module, binding, throughQueryOrFragment: false } };
  } else if (v.kind === 'require' && v.property === '*') {
    // The whole module's value: `module.exports = x` exports a snapshot (TypeScript's `export =`); anything else is a module, not a variable.
    const target = resolve(v.source, module);
    if (target === 'external') return diagnosticAt(module, site, 'HP1004', rules.outsideProgram(call, name, `'${v.source}'`));
    const snapshot = target?.analysis.exports.find((e) => e.kind === 'snapshot');
    if (snapshot?.kind === 'snapshot') return diagnosticAt(module, site, 'HP1005', rules.snapshotExport(call, name, true, snapshot.where));
    return diagnosticAt(module, site, 'HP1003', rules.notAVariable(call, name, 'a namespace or module', undefined));
  } else {
    const imported = v.kind === 'import' ? v.imported : v.property;
    resolution = resolveThrough(module, v.source, imported, resolve, new Set(), false);
  }
  switch (resolution.kind) {
    case 'missing':
      return diagnosticAt(module, site, 'HP1003', rules.unresolved(call, name));
    case 'external':
      return diagnosticAt(module, site, 'HP1004', rules.outsideProgram(call, name, `'${resolution.source}'`));
    case 'snapshot':
      return diagnosticAt(module, site, 'HP1005', rules.snapshotExport(call, name, resolution.exportEquals, resolution.where));
    case 'binding': {
      const { binding } = resolution.variable;
      const declaring = resolution.variable.module;
      if (binding.kind === 'function' || binding.kind === 'class' || binding.kind === 'import') {
        const what = binding.kind === 'function' ? 'a function' : binding.kind === 'class' ? 'a class' : 'not a variable';
        return diagnosticAt(module, site, 'HP1003', rules.notAVariable(call, name, what, binding.kind === 'import' ? undefined : binding.where));
      }
      if (binding.kind === 'using') return diagnosticAt(module, site, 'HP1003', rules.usingDeclaration(call, name, binding.where));
      if (declaring !== module && declaring.analysis.format === 'commonjs' && module.analysis.format === 'module') {
        return diagnosticAt(module, site, 'HP1005', rules.esmReadsCommonJS(call, name, binding.where));
      }
      return { variable: resolution.variable };
    }
  }
}

/**
 * Every specifier linkModules can hand a module's resolver, decided from its analysis alone:
 * the sources of its re-exports, of the imports (and requires) it exports again, and of the
 * imports and requires its sites read. A caller that resolves ahead of linking (the bundler
 * plugins: the bundler's resolver is asynchronous) resolves these and no other.
 */
export function linkSpecifiers(analysis: JsModuleAnalysis): Set<string> {
  const out = new Set<string>();
  const exportedLocals = new Set<string>();
  for (const e of analysis.exports) {
    if (e.kind === 'reexport') out.add(e.source);
    else if (e.kind === 'local') exportedLocals.add(e.local);
  }
  for (const i of analysis.imports) if (exportedLocals.has(i.local)) out.add(i.source);
  for (const site of analysis.sites) if (site.variable.kind === 'import' || site.variable.kind === 'require') out.add(site.variable.source);
  return out;
}
