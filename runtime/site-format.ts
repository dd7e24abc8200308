/**
 * The site format: the ABI between the writers (`hotpath build`, `hotpath sites`, the bundler
 * plugins) and the boot patcher. Defined here (record tables) and in slot-format.ts (slots),
 * once; docs/site-format.md describes it. Any change to what is written bumps SITE_FORMAT_VERSION.
 */

export { DEFAULT_SLOT_WIDTH, SLOT_MARKER, slotCloseText, slotOpenText } from './slot-format.js';

export const SITE_FORMAT_VERSION = 3;

/**
 * Prefix of the record-table comment; the version follows the colon. Spelled in two pieces so
 * that the runtime's own file (build/runtime/index.js, one file holding this module) does not
 * hold the prefix: a copy of the runtime loaded after seal() is not a module with a broken table.
 */
export const RECORD_TABLE_PREFIX: '/*@hotpath-sites:' = ['/*@hotpath', 'sites:'].join('-') as '/*@hotpath-sites:';

/**
 * The runtime functions that compiled code calls. The compiler injects
 * `import { <name> as <alias> } from "hotpath"` for each it uses.
 */
export const RUNTIME_API = {
  /** `registerStaticVariable(variableKey, () => value, import.meta.url | __filename)`, in the declaring module. */
  registerStaticVariable: 'registerStaticVariable',
  /** `assertBootPhase(where)`, first statement of every `@boot` function. */
  assertBootPhase: 'assertBootPhase',
  /** `noteSiteModule(moduleKey, siteCount)`, in every module with sites. */
  noteSiteModule: 'noteSiteModule',
} as const;

/** One slot's record: which variable it reads and how the compiler spelled the read. */
export interface SiteRecord {
  /** Variable key: `<declaring module key>#<declared name>`, for people (reports); the patcher looks values up by `from`. */
  readonly var: string;
  /** The local name the marker's argument used (what an ES-module slot reads). */
  readonly read: string;
  /** The name the declaring module exports it as (what a CommonJS slot reads as `<binding>.<export>`). */
  readonly export: string;
  /**
   * The declaring module's emitted file, relative to this module's emitted file
   * (`./pool.js`, `../lib/pool.cjs`); `""` when this module declares the variable.
   * Absent when the compiler could not tell where the declaring module is emitted:
   * the site then stays a load (HP2016).
   */
  readonly from?: string;
  /**
   * The specifier this module's own import of the declaring module is written with, as
   * emitted (`./pool.js`, `#pool`, `./pool`); absent when the module reaches the declaring
   * module through another one (a re-export), declares the variable itself, or the build
   * could not tell. A resolve hook that redirects by specifier or by importing module acts
   * on this import: when such a hook runs, only a site with `via` can be checked, and the
   * others stay loads (HP2017).
   */
  readonly via?: string;
}

export interface RecordTable {
  /** Module key: the source file's path relative to the project directory, `/`-separated. */
  readonly module: string;
  readonly sites: readonly SiteRecord[];
}

/** `<module key>#<name>`: how records and reports name a variable for people. */
export function variableKey(moduleKey: string, name: string): string {
  return `${moduleKey}#${name}`;
}

/**
 * `<declaring module URL>#<name>`: a variable's identity at run time, how the registry
 * keys it and how sealed values are keyed for patchSource(). The URL is the module's as
 * loaded (`import.meta.url`, or `__filename` as a file: URL), query and fragment included:
 * Node loads `./pool.js#again` as a second instance of the module, with its own variables.
 */
export function staticVariableId(moduleUrl: string, name: string): string {
  return `${moduleUrl}#${name}`;
}

/** The declared name in a variable key or id: what follows its last `#`. */
export function variableName(keyOrId: string): string {
  return keyOrId.slice(keyOrId.lastIndexOf('#') + 1);
}

/**
 * One distinct record of a table as written (format 3): `[from, via, declaring module key, declared
 * name, read, export]`, `from`/`via` null when absent. The patcher works per binding, not per site.
 */
export type TableBinding = readonly [from: string | null, via: string | null, module: string, name: string, read: string, exported: string];

/** A record table as the patcher reads it: `sites[N]` is the index in `bindings` of slot N's record. */
export interface DecodedTable {
  readonly module: string;
  readonly bindings: readonly TableBinding[];
  readonly sites: readonly number[];
}

/** Inner text of the record-table comment (without the comment delimiters). */
export function recordTableText(table: RecordTable): string {
  const bindings: TableBinding[] = [];
  const byText = new Map<string, number>();
  const sites = table.sites.map((record) => {
    const hash = record.var.lastIndexOf('#');
    const binding: TableBinding = [record.from ?? null, record.via ?? null, record.var.slice(0, Math.max(hash, 0)), record.var.slice(hash + 1), record.read, record.export];
    const text = JSON.stringify(binding);
    let index = byText.get(text);
    if (index === undefined) byText.set(text, (index = bindings.push(binding) - 1));
    return index;
  });
  // `*/` cannot occur in JSON outside strings; inside strings `\/` is a valid escape.
  const json = JSON.stringify([table.module, bindings, sites]).replaceAll('*/', '*\\/');
  return `${RECORD_TABLE_PREFIX.slice(2)}${SITE_FORMAT_VERSION} ${json}`;
}

export type ReadTableResult =
  | { readonly kind: 'none' }
  | { readonly kind: 'table'; readonly table: RecordTable }
  | { readonly kind: 'invalid'; readonly reason: string; readonly version?: string };

export type DecodeTableResult =
  | { readonly kind: 'none' }
  | { readonly kind: 'table'; readonly table: DecodedTable }
  | { readonly kind: 'invalid'; readonly reason: string; readonly version?: string };

/** Finds and decodes a module's record table, one record per site (for tools; the patcher uses decodeRecordTable()). Never throws. */
export function readRecordTable(source: string): ReadTableResult {
  const read = decodeRecordTable(source);
  if (read.kind !== 'table') return read;
  const { module, bindings, sites } = read.table;
  const records = bindings.map(([from, via, declaring, name, readName, exported]): SiteRecord => ({
    var: variableKey(declaring, name),
    read: readName,
    export: exported,
    ...(from === null ? {} : { from }),
    ...(via === null ? {} : { via }),
  }));
  return { kind: 'table', table: { module, sites: sites.map((b) => records[b]!) } };
}

/**
 * Finds and decodes a module's record table as written: per binding, not per site. Never throws.
 * `version` is set when the table is of another site format version (HP2010).
 */
export function decodeRecordTable(source: string): DecodeTableResult {
  const at = source.indexOf(RECORD_TABLE_PREFIX);
  if (at < 0) return { kind: 'none' };
  const end = source.indexOf('*/', at + RECORD_TABLE_PREFIX.length);
  if (end < 0) return { kind: 'invalid', reason: 'record table comment is not closed' };
  const space = source.indexOf(' ', at + RECORD_TABLE_PREFIX.length);
  // eslint-disable-next-line hotpath/prefer-subtract-compare -- once per module, not hot; the rule cannot see indexOf's result is an integer
  const version = source.slice(at + RECORD_TABLE_PREFIX.length, space < 0 || space > end ? end : space);
  if (version !== VERSION_TEXT) {
    return {
      kind: 'invalid',
      version,
      reason: `site format version ${version}; this runtime reads version ${SITE_FORMAT_VERSION}: rebuild the module with this version of hotpath (its sites stay loads)`,
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(source.slice(space + 1, end));
  } catch {
    return { kind: 'invalid', reason: 'record table is not valid JSON' };
  }
  if (!isDecodedTable(parsed)) return { kind: 'invalid', reason: 'record table has the wrong shape' };
  return { kind: 'table', table: { module: parsed[0], bindings: parsed[1], sites: parsed[2] } };
}

const VERSION_TEXT = String(SITE_FORMAT_VERSION);

/** Indexed loops, no iterators: this runs cold, once per module with sites, in every boot. */
function isDecodedTable(value: unknown): value is [string, TableBinding[], number[]] {
  if (!Array.isArray(value) || value.length !== 3 || typeof value[0] !== 'string') return false;
  const bindings: unknown = value[1];
  const sites: unknown = value[2];
  if (!Array.isArray(bindings) || !Array.isArray(sites)) return false;
  const count = bindings.length;
  for (let i = 0; i < count; i++) {
    const b: unknown = bindings[i];
    if (!Array.isArray(b) || b.length !== 6) return false;
    const from: unknown = b[0];
    const via: unknown = b[1];
    if ((from !== null && typeof from !== 'string') || (via !== null && typeof via !== 'string')) return false;
    if (typeof b[2] !== 'string' || typeof b[3] !== 'string' || typeof b[4] !== 'string' || typeof b[5] !== 'string') return false;
  }
  for (let i = 0; i < sites.length; i++) {
    const s: unknown = sites[i];
    // eslint-disable-next-line hotpath/prefer-subtract-compare -- s is any number here (a fraction is caught next): the rewrite would differ
    if (typeof s !== 'number' || !(s >= 0 && s < count) || (s | 0) !== s) return false;
  }
  return true;
}
