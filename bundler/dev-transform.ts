/**
 * What the Vite plugin does to a module in development (the dev server, its SSR module runner,
 * vite-node, vitest): no output is written, so no site can be patched — Vite's module runner
 * evaluates modules itself, and Node's module hooks never see them. Each site becomes a call of
 * the module's own identity function (what the marker computes), so a marker that runs after
 * seal() is no call of the runtime's and says nothing (HP2018 is for builds that lost their
 * sites, not for development). A call, not the bare `(x)`: the text still starts with a name,
 * so a line without a semicolon before it does not become a call of the line above. The registrations and the note stay, as in a build, so that
 * seal() seals the same variables and the boot report (HOTPATH_REPORT=1) names each module with
 * sites and what is true of it: loaded before seal() (HP2011), or run after seal() and patched by
 * no hook (HP2012). No `@boot` guard is written: development runs the code as written.
 */
import MagicString from 'magic-string';
import { analyzeJsModule } from '../compiler/js/index.js';
import { variableKey } from '../runtime/site-format.js';
import { carriersImportText, CARRIER_LOCALS, noteToken, registrationCarrierText, registrationToken } from './carrier-text.js';
import { registrable } from './module-transform.js';

/** The identity every site of a module calls in development; a declaration, so hoisted: callable before the module's first line runs. */
const READ = '__hotpath_read';
const READ_DECLARATION = `function ${READ}(value) { return value; }`;

export interface DevTransformResult {
  readonly code: string;
  readonly map: object;
}

/** `source` (JavaScript, as Vite hands it to a post plugin) in development; undefined when there is nothing to change. */
export function devTransformModule(source: string, id: string, moduleKey: string): DevTransformResult | undefined {
  // The same necessary condition as the build's transform (module-transform.ts): no marker, no export, no escape, nothing to do.
  if (!source.includes('hotpath') && !source.includes('export') && !source.includes('\\')) return undefined;
  const analysis = analyzeJsModule(source, { fileName: id });
  if (analysis.parseError !== undefined) return undefined;
  const registered = registrable(analysis);
  if (analysis.sites.length === 0 && registered.length === 0) return undefined;
  const out = new MagicString(source);
  for (const site of analysis.sites) {
    out.overwrite(site.call.start, site.argument.start, `${READ}(`);
    out.overwrite(site.argument.end, site.call.end, ')');
  }
  for (const { binding, read } of registered) {
    out.appendLeft(binding.statement.end, `\n${registrationCarrierText(read, registrationToken(variableKey(moduleKey, binding.name)))}`);
  }
  const used: Array<keyof typeof CARRIER_LOCALS> = [];
  if (analysis.sites.length > 0) used.push('note');
  if (registered.length > 0) used.push('registration');
  const format = analysis.format === 'commonjs' ? 'cjs' : 'esm';
  // The note counts the module's sites (the build's carrier leaves the count to the written record table).
  const note = analysis.sites.length > 0 ? `${CARRIER_LOCALS.note}(${JSON.stringify(noteToken(moduleKey))}, ${analysis.sites.length});` : '';
  const read = analysis.sites.length > 0 ? READ_DECLARATION : '';
  out.prependLeft(analysis.preambleAt, carriersImportText(used, format) + note + read);
  return { code: out.toString(), map: out.generateMap({ hires: 'boundary', source: id.replace(/[?#].*$/, ''), includeContent: true }) };
}
