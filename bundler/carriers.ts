/**
 * `hotpath/bundler-carriers`: the callees of the carriers the bundler plugins write
 * (bundler/carrier-text.ts). Shipped with the runtime, zero dependencies.
 *
 * Why the indirection: a minifier that can see a callee's body inlines it (terser and SWC
 * inline `STATIC_VARIABLE_LOAD(x, "…")` to `x` when hotpath is bundled, and drop the string
 * that names the site). The value read from a global symbol below is unknown to every
 * minifier, so each call and each of its arguments is kept. Nothing sets that global: the
 * callees are hotpath's own functions.
 */
import { STATIC_VARIABLE_LOAD, noteSiteModule, registerStaticVariable } from '../runtime/index.js';

interface Carriers {
  site?: <T>(variable: T, token: string) => T;
  register?: (token: string, read: () => unknown, location?: string) => void;
  note?: (moduleKey: string, siteCount?: number) => void;
}

const unknownToMinifiers = (globalThis as Record<symbol, Carriers | undefined>)[Symbol.for('hotpath.bundler-carriers')];

/** A site the plugin did not rewrite: the marker itself (it returns its argument). */
export const site: <T>(variable: T, token: string) => T = unknownToMinifiers?.site ?? STATIC_VARIABLE_LOAD;

/** A registration the plugin did not rewrite: registered without a location, so no site is patched with it. */
export const register: (key: string, read: () => unknown, location?: string) => void = unknownToMinifiers?.register ?? registerStaticVariable;

/** A note the plugin did not rewrite: noted with one site, for the boot report. */
export const note: (moduleKey: string, siteCount?: number) => void = unknownToMinifiers?.note ?? ((moduleKey, siteCount = 1) => noteSiteModule(moduleKey, siteCount));
