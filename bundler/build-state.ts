/**
 * What one build's transforms learnt — each module's analysis (compiler/js) and how the
 * bundler resolved its specifiers — and the linking done once every module is transformed
 * (bundlers transform modules one at a time, in no fixed order, so a marker's variable,
 * maybe through a chain of re-exports, is found only when the output is written). The
 * linking and its checks are compiler/js's linkModules(); this only feeds it.
 */
import { linkModules, type JsDiagnostic, type JsModuleAnalysis, type LinkModule } from '../compiler/js/index.js';
import type { SiteOrigin } from './bundle-plan.js';
import { siteName } from './carrier-text.js';

/** How the bundler resolved a specifier: a module id, `external`, or undefined (not found). */
export type Resolution = string | undefined;

interface ModuleEntry {
  readonly link: LinkModule;
  readonly resolutions: ReadonlyMap<string, Resolution>;
  readonly position: (offset: number) => { line: number; column: number };
}

export interface LinkedDiagnostic {
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly hint: string;
  readonly id: string;
  readonly line: number;
  readonly column: number;
}

export interface LinkedBuild {
  /** By site name (carrier-text.ts siteName): every site the transforms wrote a carrier for. */
  readonly sites: Map<string, SiteOrigin>;
  readonly diagnostics: readonly LinkedDiagnostic[];
}

export class BuildState {
  private readonly modules = new Map<string, ModuleEntry>();

  /** A module's analysis, replacing what an earlier transform of it said (watch mode). */
  setModule(id: string, moduleKey: string, analysis: JsModuleAnalysis, resolutions: ReadonlyMap<string, Resolution>, position: (offset: number) => { line: number; column: number }): void {
    this.modules.set(id, { link: { fileName: id, moduleKey, analysis }, resolutions, position });
  }

  /** Marker calls the transforms turned into carriers. */
  get markerCount(): number {
    let n = 0;
    for (const { link } of this.modules.values()) n += link.analysis.sites.length;
    return n;
  }

  /** Links every module (compiler/js linkModules): each site's variable key, or why it has none; every diagnostic, with its position. */
  link(): LinkedBuild {
    const modules = [...this.modules.values()];
    const byId = new Map(modules.map((m) => [m.link.fileName, m.link]));
    const { plans, diagnostics } = linkModules(
      modules.map((m) => m.link),
      (specifier, from) => {
        const resolved = this.modules.get(from.fileName)?.resolutions.get(specifier);
        if (resolved === undefined) return undefined;
        // A module the plugin did not transform (node_modules, excluded) is outside the code it rewrites.
        return resolved === 'external' ? 'external' : (byId.get(resolved) ?? 'external');
      },
    );
    const sites = new Map<string, SiteOrigin>();
    for (const { link, position } of modules) {
      const plan = plans.get(link.fileName);
      const planned = new Map((plan?.sites ?? []).map((p) => [p.site, p.record]));
      link.analysis.sites.forEach((site, index) => {
        const { line, column } = position(site.call.start);
        const record = planned.get(site);
        sites.set(
          siteName(link.moduleKey, index),
          record ? { module: link.moduleKey, line, column, variable: record.var } : { module: link.moduleKey, line, column, rejected: true },
        );
      });
    }
    return { sites, diagnostics: diagnostics.map((d) => this.locate(d)) };
  }

  private locate(d: JsDiagnostic): LinkedDiagnostic {
    const position = this.modules.get(d.fileName)?.position(d.start) ?? { line: 1, column: 1 };
    return { code: d.code, severity: d.category, message: d.message, hint: d.hint, id: d.fileName, ...position };
  }
}
