/**
 * The seam between the JavaScript-level front end (compiler/js: the markers by their import
 * binding, the variable each reads, the module's bindings, imports and exports, the
 * diagnostics) and the plugin: what one module's analysis says, in the terms the
 * transform needs. No marker is found here; compiler/js finds them.
 */
import type { ModuleDiagnostic } from './module-transform.js';

export interface MarkerFact {
  /** The whole call. */
  readonly start: number;
  readonly end: number;
  /** Its one argument. */
  readonly argumentStart: number;
  readonly argumentEnd: number;
  /** 1-based, for messages. */
  readonly line: number;
  readonly column: number;
  readonly ref: { readonly kind: 'local'; readonly name: string } | { readonly kind: 'import'; readonly specifier: string; readonly imported: string };
}

export interface ModuleFacts {
  readonly kind: 'analyzed';
  readonly format: 'esm' | 'cjs';
  /** Where the carriers' import goes: after a hashbang and the directive prologue. */
  readonly insertAt: number;
  readonly markers: readonly MarkerFact[];
  /** Module-level `let`/`var`/`const` bindings. */
  readonly variables: ReadonlySet<string>;
  /** Exported name → local name (local exports only). */
  readonly exports: ReadonlyMap<string, string>;
  /** Local name → import specifier and imported name (`*` for a namespace). */
  readonly imports: ReadonlyMap<string, { readonly specifier: string; readonly imported: string }>;
  /** `export { a as b } from "s"`: exported name → specifier and imported name. */
  readonly reexports: ReadonlyMap<string, { readonly specifier: string; readonly imported: string }>;
  /** `export * from "s"` specifiers. */
  readonly stars: readonly string[];
  /** Every specifier the above use (resolved once each). */
  readonly specifiers: readonly string[];
  readonly diagnostics: readonly ModuleDiagnostic[];
}

export type Analysis = ModuleFacts | { readonly kind: 'unparsed'; readonly reason: string };

export function analyzeForBundle(code: string, fileName: string, moduleKey: string): Analysis {
  void code;
  void moduleKey;
  return { kind: 'unparsed', reason: `${fileName}: the JavaScript front end (compiler/js, branch i9-frontend) is not merged yet` };
}
