/**
 * The site format: the ABI between `hotpath build` (which writes slots and record
 * tables) and the boot patcher (which reads them). Defined here, once; the compiler
 * imports it. Any change to what is written bumps SITE_FORMAT_VERSION.
 *
 * A slot, as emitted (READ is the compiler's read of the variable, as the TypeScript
 * printer wrote it: `poolBase` in ES modules, `pool_js_1.poolBase` in CommonJS):
 *
 *     (/*@hp:3*\/ (READ) /*@hp:3<spaces>*\/)
 *      └ open ─┘└───────── region ─────────┘
 *
 * The patcher overwrites the region, and only the region, with " " + literal and
 * spaces to the same length: the outer parentheses keep any literal (`-0`, `0/0`) one
 * operand, and no line or column moves, so source maps stay valid.
 *
 * A record table, one per module with sites, in a comment the patcher finds with
 * indexOf (no parsing, no running):
 *
 *     /*@hotpath-sites:2 {"module":"src/free.ts","sites":[{"var":"src/pool.ts#poolBase","read":"pb","export":"poolBase","from":"./pool.js"}]}*\/
 *
 * Site N of the table is the slot whose markers say `@hp:N`.
 *
 * A variable's identity at run time is the declaring module's URL as loaded
 * (`import.meta.url`, or `__filename` as a file: URL) plus its name: two loaded copies of
 * one module (an ES-module and a CommonJS build, two installed copies) are two variables.
 * A record says where its declaring module is relative to the module that holds the
 * slot (`from`); the patcher resolves it against that module's URL.
 */

import { checkSlotAt, SLOT_MARKER, type SlotCheck } from './slot-scan.js';

export const SITE_FORMAT_VERSION = 2;

/**
 * Prefix of the record-table comment; the version follows the colon. Spelled in two pieces so
 * that the runtime's own file (build/runtime/index.js, one file holding this module) does not
 * hold the prefix: a copy of the runtime loaded after seal() is not a module with a broken table.
 */
export const RECORD_TABLE_PREFIX: '/*@hotpath-sites:' = ['/*@hotpath', 'sites:'].join('-') as '/*@hotpath-sites:';

/** Default inner length of a slot's closing comment: sets how long a literal fits. */
export const DEFAULT_SLOT_WIDTH = 24;

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
   * others stay loads (HP2017). Optional within format 2: a table without it is read as
   * one that cannot be checked.
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

/** Inner text of slot `id`'s opening comment (without the comment delimiters). */
export function slotOpenText(id: number): string {
  return `${SLOT_MARKER}${id}`;
}

/** Inner text of slot `id`'s closing comment, padded with spaces to `width`. */
export function slotCloseText(id: number, width: number = DEFAULT_SLOT_WIDTH): string {
  return slotOpenText(id).padEnd(width, ' ');
}

/** Inner text of the record-table comment (without the comment delimiters). */
export function recordTableText(table: RecordTable): string {
  // `*/` cannot occur in JSON outside strings; inside strings `\/` is a valid escape.
  const json = JSON.stringify({ module: table.module, sites: table.sites }).replaceAll('*/', '*\\/');
  return `${RECORD_TABLE_PREFIX.slice(2)}${SITE_FORMAT_VERSION} ${json}`;
}

export type ReadTableResult =
  | { readonly kind: 'none' }
  | { readonly kind: 'table'; readonly table: RecordTable }
  | { readonly kind: 'invalid'; readonly reason: string };

/** Finds and decodes a module's record table. Never throws. */
export function readRecordTable(source: string): ReadTableResult {
  const at = source.indexOf(RECORD_TABLE_PREFIX);
  if (at < 0) return { kind: 'none' };
  const end = source.indexOf('*/', at + RECORD_TABLE_PREFIX.length);
  if (end < 0) return { kind: 'invalid', reason: 'record table comment is not closed' };
  const body = source.slice(at + RECORD_TABLE_PREFIX.length, end);
  const space = body.indexOf(' ');
  const version = space < 0 ? body : body.slice(0, space);
  if (version !== String(SITE_FORMAT_VERSION)) {
    return { kind: 'invalid', reason: `site format version ${version}; this runtime reads version ${SITE_FORMAT_VERSION}` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.slice(space + 1));
  } catch {
    return { kind: 'invalid', reason: 'record table is not valid JSON' };
  }
  if (!isRecordTable(parsed)) return { kind: 'invalid', reason: 'record table has the wrong shape' };
  return { kind: 'table', table: parsed };
}

function isRecordTable(value: unknown): value is RecordTable {
  if (typeof value !== 'object' || value === null) return false;
  const { module, sites } = value as { module?: unknown; sites?: unknown };
  return (
    typeof module === 'string' &&
    Array.isArray(sites) &&
    sites.every(
      (s) =>
        typeof s === 'object' &&
        s !== null &&
        typeof s.var === 'string' &&
        typeof s.read === 'string' &&
        typeof s.export === 'string' &&
        (s.from === undefined || typeof s.from === 'string') &&
        (s.via === undefined || typeof s.via === 'string'),
    )
  );
}

export type SlotLocation = SlotCheck;

/**
 * Finds slot `id` and checks that it holds exactly what the compiler wrote for
 * `site` (as static keys compare the expected bytes before patching).
 * `start`/`end` delimit the region to overwrite. (patchSource() finds every slot of a
 * module in one scan, scanOpenMarkers(), and runs the same check, checkSlotAt().)
 */
export function locateSlot(source: string, id: number, site: SiteRecord): SlotLocation {
  const open = `/*${slotOpenText(id)}*/`;
  const at = source.indexOf(open);
  if (at < 0) return { kind: 'missing', detail: `no ${open} in the module (a minifier may have removed it)` };
  if (source.indexOf(open, at + open.length) >= 0) return { kind: 'ambiguous', detail: `${open} occurs more than once` };
  return checkSlotAt(source, at, open, id, site);
}
