/**
 * The patcher: a pure function from a module's source, its URL and the sealed values to
 * the patched source. Valid only for source that has not been compiled yet (a loader
 * hook's output); it writes nothing but literals, and only into slot regions that
 * hold exactly what the compiler wrote, so a module patched or not computes the same.
 */
import { RuntimeCode } from './codes.js';
import { encodeLiteral } from './literal.js';
import { readRecordTable, staticVariableId, variableName, type SiteRecord } from './site-format.js';
import { checkSlotAt, markerTexts, scanOpenMarkers, type SlotCheck } from './slot-scan.js';

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
 * A record's `from` resolved against the module's URL; `vars` holds what its variables resolve to,
 * by record `var`; `redirected` holds checkResolution()'s answers once asked, by record `via`
 * (null: not redirected).
 */
type Resolved =
  | { readonly url: string; readonly from: string; readonly vars: Map<string, Variable>; readonly redirected: Map<string | undefined, string | null> | null }
  | { readonly reason: string };

/**
 * One variable of a declaring module as its sites are patched: its id, and its literal or why it
 * has none. `reason` absent with a code: the reason names the record (built per site, rarely).
 */
interface Variable {
  /** Run-time id (staticVariableId). */
  readonly id: string;
  /** The literal every site of it gets; absent when it has none. */
  readonly literal?: string;
  /** Region texts by slot width: " " + literal + padding. */
  readonly regions?: string[];
  readonly code?: RuntimeCode;
  readonly reason?: string;
  /** For HP2004 from a values map: the value's type, for the reason. */
  readonly type?: string;
}

/** A sealed variable as seal() hands it to the hooks: its literal, or the code and reason it has none. */
export type SealedEntry = { readonly literal: string } | { readonly code: RuntimeCode; readonly reason: string };

/** seal()'s one table, variable id → entry: encoded once, frozen, read by every hook. */
export type SealedTable = ReadonlyMap<string, SealedEntry>;

/** How a patcher finds the Variable for a record `var` of the declaring module at `url`. */
type LookUp = (url: string, key: string) => Variable;

/**
 * Per values map (patchSource()'s callers pass one map for many modules): each declaring module's
 * variables by record `var`, with their ids and the region texts of the literal last patched in.
 * Only what follows from the strings is kept; the value is read from the map and encoded at every
 * call, so a map changed between calls is never served a stale literal.
 */
interface KnownVariable {
  readonly id: string;
  literal?: string;
  regions?: string[];
}
const knownByValues = new WeakMap<ReadonlyMap<string, unknown>, Map<string, Map<string, KnownVariable>>>();

/** The variable `key` of the module at `url`, from a caller's values map (patchSource()): read and encoded at each call. */
function fromValues(values: ReadonlyMap<string, unknown>): LookUp {
  let byUrl = knownByValues.get(values);
  if (byUrl === undefined) knownByValues.set(values, (byUrl = new Map()));
  return (url, key) => {
    let vars = byUrl.get(url);
    if (vars === undefined) byUrl.set(url, (vars = new Map()));
    let known = vars.get(key);
    if (known === undefined) vars.set(key, (known = { id: staticVariableId(url, variableName(key)) }));
    const id = known.id;
    let value: unknown;
    try {
      value = values.get(id);
      if (value === undefined && !values.has(id)) return { id, code: RuntimeCode.notRegistered };
    } catch (error) {
      // A caller's map that throws (a Proxy, a subclass): this variable is unreadable, not the module.
      return { id, code: RuntimeCode.unreadable, reason: `${key}: reading its value from the values map threw (${describeError(error)})` };
    }
    const literal = encodeLiteral(value);
    if (literal === undefined) return { id, code: RuntimeCode.noLiteral, type: typeof value };
    if (known.literal !== literal) {
      known.literal = literal;
      known.regions = [];
    }
    return known;
  };
}

/**
 * The patcher the hooks use: patchSource() over seal()'s table. The table never changes, so what a
 * declaring module's variables resolve to, and where a relative `from` resolves from a directory,
 * are worked out once per process, not once per module.
 */
export function sealedPatcher(table: SealedTable): (source: string, options: PatchSourceOptions) => PatchSourceResult {
  const byUrl = new Map<string, Map<string, Variable>>();
  const lookUp: LookUp = (url, key) => {
    let vars = byUrl.get(url);
    if (vars === undefined) byUrl.set(url, (vars = new Map()));
    let known = vars.get(key);
    if (known === undefined) {
      const id = staticVariableId(url, variableName(key));
      const entry = table.get(id);
      known = entry === undefined ? { id, code: RuntimeCode.notRegistered } : 'literal' in entry ? { id, literal: entry.literal, regions: [] } : { id, code: entry.code, reason: entry.reason };
      vars.set(key, known);
    }
    return known;
  };
  const joined = new Map<string, string>();
  return (source, options) => {
    try {
      return patchChecked(source, lookUp, options, joined);
    } catch (error) {
      return { source, sites: [], patched: 0, tableProblem: { code: RuntimeCode.tableInvalid, reason: `patchSource() stopped: ${describeError(error)}` } };
    }
  };
}

/** The text a slot region of `width` gets: " " + literal, padded with spaces. */
function regionText(variable: Variable, width: number): string {
  return (variable.regions![width] ??= ' ' + variable.literal!.padEnd(width - 1, ' '));
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
    return patchChecked(source, fromValues(isValuesMap(values) ? values : NO_VALUES), options !== null && typeof options === 'object' ? options : {}, undefined);
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

/** `joined` caches `from` resolved against a module's directory, across calls (sealedPatcher). */
function patchChecked(source: string, lookUp: LookUp, options: PatchSourceOptions, joined: Map<string, string> | undefined): PatchSourceResult {
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
  for (let site = 0; site < records.length; site++) {
    const record = records[site]!;
    const declaring = declaringModuleUrl(record, options, resolved, joined);
    if ('reason' in declaring) {
      outcomes[site] = { site, var: record.var, patched: false, code: RuntimeCode.unknownDeclaringModule, reason: declaring.reason };
      continue;
    }
    let variable = declaring.vars.get(record.var);
    if (variable === undefined) declaring.vars.set(record.var, (variable = lookUp(declaring.url, record.var)));
    const { id, literal } = variable;
    if (literal === undefined) {
      const code = variable.code!;
      const reason =
        variable.reason ??
        (code === RuntimeCode.noLiteral ? `the value of ${record.var} (${variable.type}) has no literal` : `no sealed value for ${record.var} of ${declaring.url}`);
      outcomes[site] = skipped(site, record, id, code, reason);
      continue;
    }
    const at = markers.first[site]!;
    const { open, closeOpen } = markerTexts(site);
    const slot: SlotCheck =
      at < 0
        ? { kind: 'missing', detail: `no ${open} in the module (a minifier may have removed it)` }
        : markers.repeated[site]
          ? { kind: 'ambiguous', detail: `${open} occurs more than once` }
          : checkSlotAt(source, at, open, site, record, closeOpen);
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
    regions.push({ site, start: slot.start, end: slot.end, text: regionText(variable, width) });
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

/** Is the base URL's directory the text up to its last `/` (joinedUrl)? Native searches: cheaper cold than a regular expression. */
function isCacheableBase(url: string): boolean {
  return (
    url.startsWith('file:///') &&
    url.endsWith('js') &&
    url.indexOf('?') < 0 &&
    url.indexOf('#') < 0 &&
    url.indexOf('\\') < 0 &&
    url.indexOf('\t') < 0 &&
    url.indexOf('\n') < 0 &&
    url.indexOf('\r') < 0
  );
}

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
function declaringModuleUrl(record: SiteRecord, options: PatchSourceOptions, cache: Map<string, Resolved>, joined: Map<string, string> | undefined): Resolved {
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
        const href = joinedUrl(from, url, joined);
        const canonical: unknown = typeof options.canonicalUrl === 'function' ? options.canonicalUrl(href) : href;
        resolved =
          typeof canonical === 'string'
            ? { url: canonical, from, vars: new Map(), redirected: new Map() }
            : { reason: `canonicalUrl(${JSON.stringify(href)}) returned ${typeof canonical}, not a URL string` };
      } catch (error) {
        resolved = { reason: `cannot resolve ${JSON.stringify(from)} against ${url} (${describeError(error)})` };
      }
    }
    cache.set(from, resolved);
  }
  return resolved;
}

/**
 * `new URL(from, url).href`. A relative path resolves against the base URL's directory alone, so
 * modules of one directory share the answer (`joined`, by directory text and `from`): one URL parse
 * per directory and `from`, not per module. Only where the text up to the last `/` is the directory
 * as the URL parser sees it: a file: URL without `?`, `#`, `\` (a separator in file: URLs), tab or
 * line break, whose last segment ends in `js` (so is not a `.` or `..` segment in any spelling).
 */
function joinedUrl(from: string, url: string, joined: Map<string, string> | undefined): string {
  if (joined === undefined || !(from.startsWith('./') || from.startsWith('../')) || !isCacheableBase(url)) return new URL(from, url).href;
  const key = `${url.slice(0, url.lastIndexOf('/') + 1)}\n${from}`;
  let href = joined.get(key);
  if (href === undefined) joined.set(key, (href = new URL(from, url).href));
  return href;
}
