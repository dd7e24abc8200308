/**
 * The carriers: what the plugin's transform writes in place of each marker, each
 * registration and each module's note, so that they reach the final chunk through every
 * minifier. Each is a call to a function of `hotpath/bundler-carriers` (whose value no
 * minifier can know, so no call is inlined or dropped) with a string naming it (strings
 * survive renaming and re-spacing). After minification the plugin finds them in each chunk
 * (chunk-scan.ts) and writes the site format in their place (chunk-write.ts).
 *
 * Unrewritten, each still computes what the program means: the site returns its argument,
 * the registration registers a variable no site is patched with, the note notes.
 */

import { freshName } from '../compiler/js/fresh-name.js';

/** The module the carriers' callees come from (bundler/carriers.ts in the package). */
export const CARRIERS_MODULE = 'hotpath/bundler-carriers';

/** What the carrier strings start with: `@hotpath-site:<module key>:<n>`, `@hotpath-var:<variable key>`, `@hotpath-note:<module key>`. */
export const CARRIER_PREFIX = {
  site: '@hotpath-site:',
  registration: '@hotpath-var:',
  note: '@hotpath-note:',
} as const;

export type CarrierKind = 'site' | 'registration' | 'note';
export type CarrierLocals = Readonly<Record<CarrierKind, string>>;

/** The local names the transform imports the carriers' callees as, unless the module holds them already (carrierLocals). */
export const CARRIER_LOCALS: CarrierLocals = {
  site: '__hotpath_site',
  registration: '__hotpath_register',
  note: '__hotpath_note',
};

/** The carriers' local names for a module whose text is `source`. */
export function carrierLocals(source: string): CarrierLocals {
  return { site: freshName(source, CARRIER_LOCALS.site), registration: freshName(source, CARRIER_LOCALS.registration), note: freshName(source, CARRIER_LOCALS.note) };
}

/** How site `index` (source order) of the module `moduleKey` is named: what follows the prefix in its carrier's string. */
export function siteName(moduleKey: string, index: number): string {
  return `${moduleKey}:${index}`;
}

/** The string of that site's carrier. */
export function siteToken(moduleKey: string, index: number): string {
  return `${CARRIER_PREFIX.site}${siteName(moduleKey, index)}`;
}

/** The token of a registration: the variable key (`<module key>#<declared name>`). */
export function registrationToken(variableKey: string): string {
  return `${CARRIER_PREFIX.registration}${variableKey}`;
}

export function noteToken(moduleKey: string): string {
  return `${CARRIER_PREFIX.note}${moduleKey}`;
}

/** `__hotpath_register("<token>", () => <local>);`: one statement, appended to the declaring module. */
export function registrationCarrierText(local: string, token: string, locals: CarrierLocals): string {
  return `${locals.registration}(${JSON.stringify(token)}, () => ${local});`;
}

/** `__hotpath_note("<token>");`: one statement in every module with sites. */
export function noteCarrierText(token: string, locals: CarrierLocals): string {
  return `${locals.note}(${JSON.stringify(token)});`;
}

/** The import a transformed module gets (only the callees it uses), on one line: `import` in an ES module, `require` in CommonJS. */
export function carriersImportText(used: readonly CarrierKind[], format: 'esm' | 'cjs', locals: CarrierLocals): string {
  const names = { site: 'site', registration: 'register', note: 'note' } as const;
  if (format === 'cjs') {
    const properties = used.map((kind) => `${names[kind]}: ${locals[kind]}`).join(', ');
    return `const { ${properties} } = require(${JSON.stringify(CARRIERS_MODULE)});`;
  }
  const specifiers = used.map((kind) => `${names[kind]} as ${locals[kind]}`).join(', ');
  return `import { ${specifiers} } from ${JSON.stringify(CARRIERS_MODULE)};`;
}
