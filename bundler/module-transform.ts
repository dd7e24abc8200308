/**
 * One module's transform: the front end's analysis (compiler/js, through analysis.ts) in,
 * carriers out. Each marker call becomes a site carrier around its own argument (the
 * argument's text and mapping are kept); each module-level variable that another module
 * could read (exported) or that a marker here reads gets a registration carrier at the end;
 * a module with sites gets a note. Which registrations a site reads is decided when the
 * output is written (bundle-plan.ts): the others are dropped there.
 */
import MagicString from 'magic-string';
import remapping from '@jridgewell/remapping';
import type { ModuleRecord, SiteRecordOfTransform, VariableRef } from './build-state.js';
import {
  carriersImportText,
  CARRIER_LOCALS,
  noteCarrierText,
  noteToken,
  registrationCarrierText,
  registrationToken,
  siteToken,
} from './carrier-text.js';
import { analyzeForBundle, type ModuleFacts } from './analysis.js';
import { variableKey } from '../runtime/site-format.js';

/** The bundler's resolver: a specifier from `importer` to a module id; undefined when external or unresolved. */
export type Resolve = (specifier: string, importer: string) => Promise<string | undefined>;

export interface TransformOptions {
  readonly moduleKey: string;
  readonly resolve: Resolve;
  /** Where the bundler hands plugins TypeScript (Rolldown, esbuild): its own type stripping, with a map. */
  readonly stripTypes?: ((code: string, id: string) => Promise<{ code: string; map?: object }>) | undefined;
}

export interface ModuleDiagnostic {
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

export type TransformResult =
  | { readonly kind: 'unchanged' }
  | {
      readonly kind: 'transformed';
      readonly code: string;
      readonly map: object;
      readonly record: ModuleRecord;
      readonly sites: ReadonlyMap<string, SiteRecordOfTransform>;
      readonly diagnostics: readonly ModuleDiagnostic[];
    };

const TYPESCRIPT = /\.[cm]?tsx?$/;

export async function transformModule(source: string, id: string, options: TransformOptions): Promise<TransformResult> {
  // Cheap test first: a module that neither mentions hotpath nor exports anything has no carrier to get.
  if (!source.includes('hotpath') && !source.includes('export')) return { kind: 'unchanged' };
  let code = source;
  let stripMap: object | undefined;
  const file = id.replace(/[?#].*$/, '');
  if (options.stripTypes && TYPESCRIPT.test(file)) {
    const stripped = await options.stripTypes(source, file);
    code = stripped.code;
    stripMap = stripped.map;
  }
  const facts = analyzeForBundle(code, file, options.moduleKey);
  if (facts.kind === 'unparsed') return { kind: 'unchanged' };
  return writeCarriers(code, file, options, facts, stripMap);
}

async function writeCarriers(code: string, file: string, options: TransformOptions, facts: ModuleFacts, stripMap: object | undefined): Promise<TransformResult> {
  const registered = new Set<string>();
  for (const local of facts.exports.values()) if (facts.variables.has(local)) registered.add(local);
  for (const marker of facts.markers) if (marker.ref.kind === 'local' && facts.variables.has(marker.ref.name)) registered.add(marker.ref.name);
  if (facts.markers.length === 0 && registered.size === 0) return { kind: 'unchanged' };

  const resolved = new Map<string, string | undefined>();
  const resolveOnce = async (specifier: string) => {
    if (!resolved.has(specifier)) resolved.set(specifier, await options.resolve(specifier, file));
    return resolved.get(specifier);
  };
  for (const specifier of facts.specifiers) await resolveOnce(specifier);
  const sourceOf = (specifier: string) => resolved.get(specifier);

  const out = new MagicString(code);
  const sites = new Map<string, SiteRecordOfTransform>();
  facts.markers.forEach((marker, index) => {
    const token = siteToken(options.moduleKey, index);
    out.overwrite(marker.start, marker.argumentStart, `${CARRIER_LOCALS.site}(`);
    out.overwrite(marker.argumentEnd, marker.end, `, ${JSON.stringify(token)})`);
    const ref: VariableRef =
      marker.ref.kind === 'local' ? marker.ref : { kind: 'import', source: sourceOf(marker.ref.specifier), specifier: marker.ref.specifier, imported: marker.ref.imported };
    sites.set(token, { module: options.moduleKey, line: marker.line, column: marker.column, ref });
  });

  const used: Array<keyof typeof CARRIER_LOCALS> = [];
  if (facts.markers.length > 0) used.push('site', 'note');
  if (registered.size > 0) used.push('registration');
  const registrations = [...registered].map((local) => registrationCarrierText(local, registrationToken(variableKey(options.moduleKey, local)))).join('');
  if (registrations) out.append(`\n${registrations}`);
  // On the first line, without a line break: every line of the module stays where it was.
  const head = carriersImportText(used, facts.format) + (facts.markers.length > 0 ? noteCarrierText(noteToken(options.moduleKey)) : '');
  out.prependLeft(facts.insertAt, head);

  const ours = out.generateMap({ hires: true, source: file, includeContent: true });
  const map = stripMap ? remapping([ours as never, stripMap as never], () => null) : ours;
  const record: ModuleRecord = {
    key: options.moduleKey,
    registered,
    exports: facts.exports,
    imports: new Map([...facts.imports].map(([local, i]) => [local, { source: sourceOf(i.specifier), imported: i.imported }])),
    reexports: new Map([...facts.reexports].map(([exported, r]) => [exported, { source: sourceOf(r.specifier), imported: r.imported }])),
    stars: facts.stars.map(sourceOf),
  };
  return { kind: 'transformed', code: out.toString(), map: map as object, record, sites, diagnostics: facts.diagnostics };
}
