/**
 * `hotpath/bundler-carriers`: the callees of the carriers the bundler plugins write
 * (bundler/carrier-text.ts). Shipped with the runtime, zero dependencies.
 *
 * Why the indirection: a minifier that can see a callee's body inlines it (terser and SWC
 * inline `STATIC_VARIABLE_LOAD(x, "…")` to `x` when hotpath is bundled, and drop the string
 * that names the site). The value read from a global symbol below is unknown to every
 * minifier, so each call and each of its arguments is kept. Nothing sets that global: the
 * callees are hotpath's own functions. Zero dependencies (carrier-text.ts imports nothing).
 */
import { STATIC_VARIABLE_LOAD, noteSiteModule, registerStaticVariable } from '../runtime/index.js';
import { CARRIER_PREFIX } from './carrier-text.js';

interface Carriers {
  site?: <T>(variable: T, token: string) => T;
  register?: (token: string, read: () => unknown, location?: string) => void;
  note?: (moduleKey: string, siteCount?: number) => void;
}

const unknownToMinifiers = (globalThis as Record<symbol, Carriers | undefined>)[Symbol.for('hotpath.bundler-carriers')];

/** A site the plugin did not rewrite: the marker itself (it returns its argument). */
export const site: <T>(variable: T, token: string) => T = unknownToMinifiers?.site ?? STATIC_VARIABLE_LOAD;

/** A registration the plugin did not rewrite: registered without a location (so no site is patched with it), under its variable key. */
export const register: (key: string, read: () => unknown, location?: string) => void =
  unknownToMinifiers?.register ?? ((key, read, location) => registerStaticVariable(withoutPrefix(key, CARRIER_PREFIX.registration), read, location));

/** A note the plugin did not rewrite: noted with one site, under the module key, for the boot report. */
export const note: (moduleKey: string, siteCount?: number) => void =
  unknownToMinifiers?.note ?? ((moduleKey, siteCount = 1) => noteSiteModule(withoutPrefix(moduleKey, CARRIER_PREFIX.note), siteCount));

function withoutPrefix(text: string, prefix: string): string {
  return text.startsWith(prefix) ? text.slice(prefix.length) : text;
}
