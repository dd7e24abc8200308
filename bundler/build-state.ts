/**
 * What one build's transforms learnt, and the linking done once every module is
 * transformed: bundlers transform modules one at a time and in no fixed order, so a
 * marker's variable (an import, maybe through a chain of re-exports) is found only when the
 * output is written. Pure: module facts in, site origins out.
 */
import { variableKey } from '../runtime/site-format.js';
import type { SiteOrigin } from './bundle-plan.js';

/** How a marker names its variable, before linking. */
export type VariableRef =
  | { readonly kind: 'local'; readonly name: string }
  /** `imported` is the export name (`default` too); `source` the import's resolved module id, undefined when it did not resolve. */
  | { readonly kind: 'import'; readonly source: string | undefined; readonly specifier: string; readonly imported: string };

export interface ModuleRecord {
  /** Module key: path from the project directory, `/`-separated. */
  readonly key: string;
  /** Module-level variable declarations (`let`, `var`, `const`) that got a registration carrier. */
  readonly registered: ReadonlySet<string>;
  /** Exported name → local name, for local exports (`export let x`, `export { x as y }`). */
  readonly exports: ReadonlyMap<string, string>;
  /** Local name → where it is imported from (an export re-exporting an import goes through this). */
  readonly imports: ReadonlyMap<string, { readonly source: string | undefined; readonly imported: string }>;
  /** `export { a as b } from "s"`: exported name → source and imported name. */
  readonly reexports: ReadonlyMap<string, { readonly source: string | undefined; readonly imported: string }>;
  /** `export * from "s"`: resolved sources. */
  readonly stars: readonly (string | undefined)[];
}

export interface SiteRecordOfTransform {
  readonly module: string;
  readonly line: number;
  readonly column: number;
  readonly ref: VariableRef;
}

export class BuildState {
  readonly modules = new Map<string, ModuleRecord>();
  /** By site token. */
  readonly sites = new Map<string, SiteRecordOfTransform & { readonly moduleId: string }>();

  /** A module's facts, replacing what an earlier transform of it said (watch mode). */
  setModule(id: string, record: ModuleRecord, sites: ReadonlyMap<string, SiteRecordOfTransform>): void {
    for (const [token, site] of this.sites) if (site.moduleId === id) this.sites.delete(token);
    this.modules.set(id, record);
    for (const [token, site] of sites) this.sites.set(token, { ...site, moduleId: id });
  }

  get markerCount(): number {
    return this.sites.size;
  }

  /** Every site's origin, its variable linked through imports and re-exports to the declaring module. */
  origins(): Map<string, SiteOrigin> {
    const origins = new Map<string, SiteOrigin>();
    for (const [token, site] of this.sites) {
      const found = this.link(site.moduleId, site.ref);
      const base = { module: site.module, line: site.line, column: site.column };
      origins.set(token, 'variable' in found ? { ...base, variable: found.variable } : { ...base, unresolved: found.reason });
    }
    return origins;
  }

  /** The variable key a reference names, following imports and re-exports (a cycle or a missing module ends it). */
  link(moduleId: string, ref: VariableRef): { variable: string } | { reason: string } {
    const seen = new Set<string>();
    let at = moduleId;
    let current: VariableRef = ref;
    for (;;) {
      const module = this.modules.get(at);
      if (module === undefined) return { reason: `${at} was not transformed by the plugin` };
      if (current.kind === 'local') {
        if (module.registered.has(current.name)) return { variable: variableKey(module.key, current.name) };
        const imported = module.imports.get(current.name);
        if (imported === undefined) return { reason: `${current.name} is not a module-level variable of ${module.key}` };
        current = { kind: 'import', source: imported.source, specifier: imported.source ?? '?', imported: imported.imported };
        continue;
      }
      if (current.source === undefined) return { reason: `the import ${JSON.stringify(current.specifier)} of ${module.key} did not resolve` };
      const step = `${current.source}\0${current.imported}`;
      if (seen.has(step)) return { reason: `the exports of ${current.source} form a cycle` };
      seen.add(step);
      const target = this.modules.get(current.source);
      if (target === undefined) return { reason: `${current.source} was not transformed by the plugin (external, or excluded)` };
      at = current.source;
      const local = target.exports.get(current.imported);
      if (local !== undefined) {
        current = { kind: 'local', name: local };
        continue;
      }
      const reexport = target.reexports.get(current.imported);
      if (reexport !== undefined) {
        current = { kind: 'import', source: reexport.source, specifier: reexport.source ?? '?', imported: reexport.imported };
        continue;
      }
      const imported = current.imported;
      const viaStar = target.stars.find((source) => source !== undefined && this.exportsName(source, imported, new Set()));
      if (viaStar === undefined) return { reason: `${target.key} has no export ${JSON.stringify(imported)}` };
      current = { kind: 'import', source: viaStar, specifier: viaStar, imported };
    }
  }

  private exportsName(id: string, name: string, seen: Set<string>): boolean {
    if (seen.has(id)) return false;
    seen.add(id);
    const module = this.modules.get(id);
    if (module === undefined) return false;
    if (module.exports.has(name) || module.reexports.has(name)) return true;
    return module.stars.some((source) => source !== undefined && this.exportsName(source, name, seen));
  }
}
