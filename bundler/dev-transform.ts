/**
 * What the Vite plugin does to a module in development (the dev server, its SSR module runner,
 * vite-node, vitest): no output is written, so no site can be patched — Vite's module runner
 * evaluates modules itself, and Node's module hooks never see them. Each site becomes a call of
 * the module's own identity function (what the marker computes), so a marker that runs after
 * seal() is no call of the runtime's and says nothing (HP2018 is for builds that lost their
 * sites, not for development). A call, not the bare `(x)`: the text still starts with a name,
 * so a line without a semicolon before it does not become a call of the line above.
 *
 * A module with sites notes itself, so that the boot report (HOTPATH_REPORT=1) names it and what
 * is true of it: loaded before seal() (HP2011), or run after seal() and patched by no hook
 * (HP2012). Nothing else is written: no registration (which of a module's exports a site reads
 * is known only by linking the whole app, as a build does; registering every export would list
 * variables that are none), no `@boot` guard. Development runs the code as written.
 */
import MagicString from 'magic-string';
import { analyzeJsModule } from '../compiler/js/index.js';
import { freshName } from '../compiler/js/fresh-name.js';
import { carrierLocals, carriersImportText, noteToken } from './carrier-text.js';

export interface DevTransformResult {
  readonly code: string;
  readonly map: object;
}

/** `source` (JavaScript, as Vite hands it to a post plugin) in development; undefined when it has no site. */
export function devTransformModule(source: string, id: string, moduleKey: string): DevTransformResult | undefined {
  // The build's necessary condition for a marker (module-transform.ts): the word, or an escape that can spell it.
  if (!source.includes('hotpath') && !source.includes('\\')) return undefined;
  const analysis = analyzeJsModule(source, { fileName: id });
  if (analysis.parseError !== undefined || analysis.sites.length === 0) return undefined;
  const out = new MagicString(source);
  // The identity every site calls in development, a name the source does not hold (nothing can shadow it);
  // a declaration, so hoisted: callable before the module's first line runs.
  const read = freshName(source, '__hotpath_read');
  const locals = carrierLocals(source);
  for (const site of analysis.sites) {
    out.overwrite(site.call.start, site.argument.start, `${read}(`);
    out.overwrite(site.argument.end, site.call.end, ')');
  }
  const format = analysis.format === 'commonjs' ? 'cjs' : 'esm';
  // The note counts the module's sites (the build's carrier leaves the count to the written record table).
  const note = `${locals.note}(${JSON.stringify(noteToken(moduleKey))}, ${String(analysis.sites.length)});`;
  out.prependLeft(analysis.preambleAt, carriersImportText(['note'], format, locals) + note + `function ${read}(value) { return value; }`);
  return { code: out.toString(), map: out.generateMap({ hires: 'boundary', source: id.replace(/[?#].*$/, ''), includeContent: true }) };
}
