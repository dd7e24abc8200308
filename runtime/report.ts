/** The boot report: what seal() froze and what the module hooks patched. Types and text only. */
import { RuntimeCode } from './codes.js';
import { encodeLiteral } from './literal.js';
import type { SiteOutcome, SiteTally } from './patch-source.js';

/**
 * One static variable at seal(): `variable` names it for people (`<module key>#<name>`),
 * `id` is its run-time identity (`<declaring module URL>#<name>`, the key of sealed
 * values), `url` its declaring module's URL (absent for a registration without one).
 */
export type VariableReport =
  | { readonly variable: string; readonly id: string; readonly url?: string; readonly sealed: true; readonly value: unknown }
  | { readonly variable: string; readonly id: string; readonly url?: string; readonly sealed: false; readonly code: RuntimeCode; readonly reason: string };

/** What a module hook did with one module that carries a record table. */
export interface ModulePatchReport {
  /** The module's URL (ES-module hooks) or file name (require hook). */
  readonly url: string;
  /** The record table's module key; absent when the table could not be read. */
  readonly module?: string;
  readonly hook: HookKind;
  readonly sites: readonly SiteOutcome[];
  readonly patched: number;
  readonly tableProblem?: { readonly code: RuntimeCode; readonly reason: string };
  /** Time spent reading the table and patching, in ms. */
  readonly ms: number;
}

/**
 * What a hook records of one module as it loads: a ModulePatchReport whose sites are still tallied
 * (bootReport() builds them, siteOutcomes()). Plain data: Node 20's loader thread posts it.
 */
export interface PatchedModule {
  readonly url: string;
  readonly module?: string;
  readonly hook: HookKind;
  readonly patched: number;
  readonly tableProblem?: { readonly code: RuntimeCode; readonly reason: string };
  readonly ms: number;
  readonly tally?: SiteTally;
}

export type HookKind = 'registerHooks' | 'register' | 'require';

export interface NotedModule {
  readonly module: string;
  readonly sites: number;
}

export interface BootReport {
  readonly sealed: boolean;
  /** The hooks seal() installed, e.g. `module.registerHooks`; `none` before seal() or when none could be. */
  readonly hooks: string;
  readonly hooksProblem?: { readonly code: RuntimeCode; readonly reason: string };
  readonly variables: readonly VariableReport[];
  /** Modules the hooks saw after seal(), in load order. */
  readonly modules: readonly ModulePatchReport[];
  readonly loadedBeforeSeal: readonly NotedModule[];
  /** Modules with sites that ran after seal() but that no hook patched (HP2012). */
  readonly notPatched: readonly NotedModule[];
  /** Variables registered after seal() (HP2013): not sealed, their sites stay loads. */
  readonly registeredAfterSeal: readonly string[];
  /** Modules (file names, URLs) whose STATIC_VARIABLE_LOAD calls ran after seal() (HP2018): no pass rewrote them. */
  readonly markerCallsAfterSeal: readonly string[];
  readonly sitesPatched: number;
  readonly sitesSkipped: number;
  /** Time spent in seal() and in patching modules, in ms. */
  readonly sealMs: number;
  readonly patchMs: number;
}

const ms = (n: number) => `${n.toFixed(2)} ms`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A value as the report shows it: its literal, or its type when it has none. */
export function describeValue(value: unknown): string {
  return encodeLiteral(value) ?? `<${typeof value}, no literal>`;
}

/** The report as text, one fact per line (what HOTPATH_REPORT=1 prints). */
export function formatBootReport(report: BootReport): string {
  const lines: string[] = [];
  const unsealed = report.variables.filter((v) => !v.sealed).length;
  lines.push(`hotpath boot report: ${report.sealed ? 'sealed' : 'seal() was not called'}; hooks: ${report.hooks}`);
  if (report.hooksProblem) lines.push(`  ${report.hooksProblem.code} ${report.hooksProblem.reason}`);
  lines.push(`static variables: ${report.variables.length - unsealed} sealed${unsealed ? `, ${unsealed} not sealed` : ''}`);
  // Two loaded copies of one module declare variables of one name: say which copy is which.
  const count = new Map<string, number>();
  for (const v of report.variables) count.set(v.variable, (count.get(v.variable) ?? 0) + 1);
  for (const v of report.variables) {
    const name = count.get(v.variable)! > 1 ? `${v.variable} (${v.url ?? 'no module URL'})` : v.variable;
    lines.push(v.sealed ? `  ${name} = ${describeValue(v.value)}` : `  ${name}  ${v.code} ${v.reason}`);
  }
  lines.push(
    `modules patched after seal(): ${report.modules.length}, ${report.sitesPatched} of ${report.sitesPatched + report.sitesSkipped} sites, ` +
      `${ms(report.patchMs)} patching (seal() ${ms(report.sealMs)})`,
  );
  for (const m of report.modules) {
    const name = m.module ?? m.url;
    if (m.tableProblem) {
      lines.push(`  ${name}  ${m.tableProblem.code} ${m.tableProblem.reason}`);
      continue;
    }
    lines.push(`  ${name}  ${m.patched}/${plural(m.sites.length, 'site')} [${m.hook}]`);
    for (const s of m.sites) if (!s.patched) lines.push(`    site ${s.site} (${s.var}): ${s.code} ${s.reason}`);
  }
  const noted = (title: string, code: RuntimeCode, list: readonly NotedModule[]) => {
    if (list.length === 0) return;
    lines.push(`${title} (${code}): ${plural(list.length, 'module')}`);
    for (const m of list) lines.push(`  ${m.module}  ${plural(m.sites, 'site')}`);
  };
  noted('modules with sites loaded before seal(), left as loads', RuntimeCode.loadedBeforeSeal, report.loadedBeforeSeal);
  noted('modules with sites run after seal() that no hook patched, left as loads', RuntimeCode.notPatched, report.notPatched);
  if (report.registeredAfterSeal.length) {
    lines.push(`variables registered after seal(), not sealed (${RuntimeCode.registeredAfterSeal}): ${report.registeredAfterSeal.join(', ')}`);
  }
  if (report.markerCallsAfterSeal.length) {
    lines.push(`STATIC_VARIABLE_LOAD ran after seal() in modules no pass rewrote (${RuntimeCode.markerAfterSeal}): ${plural(report.markerCallsAfterSeal.length, 'module')}`);
    for (const m of report.markerCallsAfterSeal) lines.push(`  ${m}`);
  }
  return lines.join('\n') + '\n';
}
