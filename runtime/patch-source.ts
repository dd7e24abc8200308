/**
 * The patcher: a pure function from a module's source, its URL and the sealed values to
 * the patched source. Valid only for source that has not been compiled yet (a loader
 * hook's output); it writes nothing but literals, and only into slot regions that
 * hold exactly what the compiler wrote, so a module patched or not computes the same.
 */
import { RuntimeCode } from './codes.js';
import { encodeLiteral } from './literal.js';
import { readRecordTable, slotOpenText, staticVariableId, variableName, type SiteRecord } from './site-format.js';
import { checkSlotAt, scanOpenMarkers, type SlotCheck } from './slot-scan.js';

export type SiteOutcome =
  | { readonly site: number; readonly var: string; readonly id?: string; readonly patched: true; readonly literal: string }
  | { readonly site: number; readonly var: string; readonly id?: string; readonly patched: false; readonly code: RuntimeCode; readonly reason: string };
// `var` is the record's human-readable variable key; `id` the run-time identity it resolved to (absent when it did not).

export interface PatchSourceResult {
  /** The patched source: same length, same lines, bytes changed only inside patched regions. */
  readonly source: string;
  /** The record table's module key; absent when the module has no readable table. */
  readonly module?: string;
  /** One outcome per record, in table order. */
  readonly sites: readonly SiteOutcome[];
  readonly patched: number;
  /** Why a record table that is present was not used. */
  readonly tableProblem?: { readonly code: RuntimeCode; readonly reason: string };
}

export interface PatchSourceOptions {
  /**
   * The URL this module is loaded as: a load hook's `url`; for CommonJS its file name as a
   * file: URL. A record's `from` is resolved against it to find which loaded copy of the
   * declaring module a slot reads. Without it no site is patched (HP2016).
   */
  readonly url?: string;
  /**
   * Maps a resolved declaring-module URL to the URL that module is loaded as, as the
   * module loader would (Node: the real path, unless --preserve-symlinks). Default: as is.
   */
  readonly canonicalUrl?: (url: string) => string;
  /**
   * Asks the module loader, with every hook it runs, whether this module's import of `from`
   * reaches `declaringUrl` (what URL resolution and `canonicalUrl` gave): undefined when it
   * does, else why not, and the sites that read that module stay loads (HP2017). A hook that
   * redirects imports (a mock, an alias) would otherwise get another module's value patched
   * in. `via` is the record's `via`: the specifier this module's own import of the declaring
   * module is written with, absent when it reaches that module through another one (a
   * re-export) or the build did not record it. Called at most once per `from`, `via` and
   * call, only when a site would be patched; not called for `from: ""`. Default: no check
   * (no hook redirects).
   */
  readonly checkResolution?: (from: string, declaringUrl: string, via: string | undefined) => string | undefined;
}

const SLOT_CODES = {
  missing: RuntimeCode.slotMissing,
  ambiguous: RuntimeCode.slotAmbiguous,
  mismatch: RuntimeCode.slotMismatch,
} as const;

interface Region {
  readonly site: number;
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * A record's `from` resolved against the module's URL; `vars` caches what its variables resolve to,
 * by record `var`; `redirected` holds checkResolution()'s answers once asked, by record `via`
 * (null: not redirected).
 */
type Resolved =
  | { readonly url: string; readonly from: string; readonly vars: Map<string, Variable>; readonly redirected: Map<string | undefined, string | null> | null }
  | { readonly reason: string };

/** One variable of a declaring module, as the records of one module read it: looked up once per module. */
interface Variable {
  /** Run-time id (staticVariableId). */
  readonly id: string;
  /** Absent when `values` has no value for the id. */
  readonly encoded?: Encoded;
  /** Set when asking `values` for the id threw. */
  readonly unreadable?: string;
}

/** A sealed value and its literal (undefined: none). */
interface Encoded {
  readonly value: unknown;
  readonly literal: string | undefined;
  /** Region texts by slot width: " " + literal + padding. */
  readonly regions: string[];
}

/**
 * Per values map: each declaring module URL's variables, by record `var`, with their ids
 * and literals. A boot resolves and encodes each variable once, not once per site or per
 * module. An entry is re-checked against the map (Object.is) on every use, so a map
 * changed between calls is never served a stale literal.
 */
const variableCache = new WeakMap<ReadonlyMap<string, unknown>, Map<string, Map<string, Variable>>>();

/** What `values` holds for variable `key` (its record `var`) of the module at `url`. */
function lookUp(values: ReadonlyMap<string, unknown>, byUrl: Map<string, Map<string, Variable>>, url: string, key: string): Variable {
  let vars = byUrl.get(url);
  if (vars === undefined) byUrl.set(url, (vars = new Map()));
  let known = vars.get(key);
  if (known === undefined) vars.set(key, (known = { id: staticVariableId(url, variableName(key)) }));
  let value: unknown;
  try {
    value = values.get(known.id);
    if (value === undefined && !values.has(known.id)) return { id: known.id };
  } catch (error) {
    // A caller's map that throws (a Proxy, a subclass): this variable is unreadable, not the module.
    return { id: known.id, unreadable: `reading its value from the values map threw (${describeError(error)})` };
  }
  if (known.encoded === undefined || !Object.is(known.encoded.value, value)) {
    vars.set(key, (known = { id: known.id, encoded: { value, literal: encodeLiteral(value), regions: [] } }));
  }
  return known;
}

/** The text a slot region of `width` gets: " " + literal, padded with spaces. */
function regionText(encoded: Encoded, width: number): string {
  return (encoded.regions[width] ??= ' ' + encoded.literal!.padEnd(width - 1, ' '));
}

/**
 * Patches every slot whose variable has a value in `values` and whose slot checks out.
 * `values` is keyed by run-time identity, `<declaring module URL>#<name>` (staticVariableId).
 * Never throws: a throwing `canonicalUrl` or values map leaves the sites it was asked about
 * loads, arguments of the wrong kind the whole source.
 */
export function patchSource(source: string, values: ReadonlyMap<string, unknown>, options: PatchSourceOptions = {}): PatchSourceResult {
  // Callers are loaders written by others, in plain JavaScript too: arguments of the wrong
  // kind, or a map or options object that throws, leave the source as it is.
  if (typeof source !== 'string') return { source, sites: [], patched: 0 };
  try {
    return patchChecked(source, isValuesMap(values) ? values : NO_VALUES, options !== null && typeof options === 'object' ? options : {});
  } catch (error) {
    return { source, sites: [], patched: 0, tableProblem: { code: RuntimeCode.tableInvalid, reason: `patchSource() stopped: ${describeError(error)}` } };
  }
}

function isValuesMap(values: unknown): values is ReadonlyMap<string, unknown> {
  try {
    return values !== null && typeof values === 'object' && typeof (values as Map<string, unknown>).get === 'function' && typeof (values as Map<string, unknown>).has === 'function';
  } catch {
    return false;
  }
}

function patchChecked(source: string, values: ReadonlyMap<string, unknown>, options: PatchSourceOptions): PatchSourceResult {
  const read = readRecordTable(source);
  if (read.kind === 'none') return { source, sites: [], patched: 0 };
  if (read.kind === 'invalid') {
    const code = read.reason.startsWith('site format version') ? RuntimeCode.tableVersion : RuntimeCode.tableInvalid;
    return { source, sites: [], patched: 0, tableProblem: { code, reason: read.reason } };
  }
  const { table } = read;
  const records = table.sites;
  // Every slot's opening marker in one pass; each slot is then checked where it is.
  const markers = scanOpenMarkers(source, records.length);
  const outcomes: SiteOutcome[] = new Array(records.length);
  const regions: Region[] = [];
  const resolved = new Map<string, Resolved>(); // by `from`: a table's records mostly share a few
  let byUrl = variableCache.get(values);
  if (byUrl === undefined) variableCache.set(values, (byUrl = new Map()));
  for (let site = 0; site < records.length; site++) {
    const record = records[site]!;
    const declaring = declaringModuleUrl(record, options, resolved);
    if ('reason' in declaring) {
      outcomes[site] = { site, var: record.var, patched: false, code: RuntimeCode.unknownDeclaringModule, reason: declaring.reason };
      continue;
    }
    let variable = declaring.vars.get(record.var);
    if (variable === undefined) declaring.vars.set(record.var, (variable = lookUp(values, byUrl, declaring.url, record.var)));
    const { id, encoded } = variable;
    if (variable.unreadable !== undefined) {
      outcomes[site] = skipped(site, record, id, RuntimeCode.unreadable, `${record.var}: ${variable.unreadable}`);
      continue;
    }
    if (encoded === undefined) {
      outcomes[site] = skipped(site, record, id, RuntimeCode.notRegistered, `no sealed value for ${record.var} of ${declaring.url}`);
      continue;
    }
    const literal = encoded.literal;
    if (literal === undefined) {
      outcomes[site] = skipped(site, record, id, RuntimeCode.noLiteral, `the value of ${record.var} (${typeof encoded.value}) has no literal`);
      continue;
    }
    const open = `/*${slotOpenText(site)}*/`;
    const at = markers.first[site]!;
    const slot: SlotCheck =
      at < 0
        ? { kind: 'missing', detail: `no ${open} in the module (a minifier may have removed it)` }
        : markers.repeated[site]
          ? { kind: 'ambiguous', detail: `${open} occurs more than once` }
          : checkSlotAt(source, at, open, site, record);
    if (slot.kind !== 'slot') {
      outcomes[site] = skipped(site, record, id, SLOT_CODES[slot.kind], slot.detail);
      continue;
    }
    const width = slot.end - slot.start;
    if (literal.length + 1 > width) {
      outcomes[site] = skipped(site, record, id, RuntimeCode.tooLong, `the literal of ${record.var} is ${literal.length} characters; slot ${site} holds ${width - 1}`);
      continue;
    }
    if (declaring.redirected !== null) {
      let redirected = declaring.redirected.get(record.via);
      if (redirected === undefined) declaring.redirected.set(record.via, (redirected = checkedResolution(options, declaring.from, declaring.url, record.via)));
      if (redirected !== null) {
        outcomes[site] = skipped(site, record, id, RuntimeCode.redirected, redirected);
        continue;
      }
    }
    regions.push({ site, start: slot.start, end: slot.end, text: regionText(encoded, width) });
    outcomes[site] = { site, var: record.var, id, patched: true, literal };
  }
  if (regions.length === 0) return { source, module: table.module, sites: outcomes, patched: 0 };

  // One pass of slices, in source order (slots are numbered in source order: usually sorted already).
  if (!isSortedByStart(regions)) regions.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  let patched = 0;
  for (const region of regions) {
    if (region.start < at) {
      // Cannot happen for slots that check out (a region holds no marker); never write across one.
      const { site, var: variable, id } = outcomes[region.site]!;
      outcomes[region.site] = { site, var: variable, ...(id === undefined ? {} : { id }), patched: false, code: RuntimeCode.slotMismatch, reason: `slot ${site} overlaps another slot` };
      continue;
    }
    out += source.slice(at, region.start) + region.text;
    at = region.end;
    patched++;
  }
  out += source.slice(at);
  return { source: out, module: table.module, sites: outcomes, patched };
}

const NO_VALUES: ReadonlyMap<string, unknown> = new Map();

function describeError(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'an unprintable value';
  }
}

function skipped(site: number, record: SiteRecord, id: string, code: RuntimeCode, reason: string): SiteOutcome {
  return { site, var: record.var, id, patched: false, code, reason };
}

/** options.checkResolution(), which a loader wrote: a throw or an odd answer is a reason to leave the load. */
function checkedResolution(options: PatchSourceOptions, from: string, declaringUrl: string, via: string | undefined): string | null {
  const check = options.checkResolution;
  if (typeof check !== 'function') return null;
  try {
    const answer: unknown = check(from, declaringUrl, via);
    if (answer === undefined) return null;
    return typeof answer === 'string' ? answer : `checkResolution(${JSON.stringify(from)}) returned ${typeof answer}, not a reason or undefined`;
  } catch (error) {
    return `checking where ${JSON.stringify(from)} resolves threw (${describeError(error)})`;
  }
}

function isSortedByStart(regions: readonly Region[]): boolean {
  for (let i = 1; i < regions.length; i++) if (regions[i]!.start < regions[i - 1]!.start) return false;
  return true;
}

/** The URL of the loaded module that declares `record`'s variable: `from` resolved against this module's URL. */
function declaringModuleUrl(record: SiteRecord, options: PatchSourceOptions, cache: Map<string, Resolved>): Resolved {
  const url = typeof options.url === 'string' ? options.url : undefined;
  if (url === undefined) return { reason: `patchSource() was not given this module's URL: which loaded copy of the module declaring ${record.var} it reads is unknown` };
  const from = record.from;
  if (from === undefined) return { reason: `the record of ${record.var} has no "from": the compiler could not tell where its declaring module is emitted` };
  let resolved = cache.get(from);
  if (!resolved) {
    if (from === '') {
      resolved = { url, from, vars: new Map(), redirected: null }; // declared in this very module (as loaded, query included): no import to redirect
    } else {
      try {
        const joined = new URL(from, url).href;
        const canonical: unknown = typeof options.canonicalUrl === 'function' ? options.canonicalUrl(joined) : joined;
        resolved =
          typeof canonical === 'string'
            ? { url: canonical, from, vars: new Map(), redirected: new Map() }
            : { reason: `canonicalUrl(${JSON.stringify(joined)}) returned ${typeof canonical}, not a URL string` };
      } catch (error) {
        resolved = { reason: `cannot resolve ${JSON.stringify(from)} against ${url} (${describeError(error)})` };
      }
    }
    cache.set(from, resolved);
  }
  return resolved;
}
