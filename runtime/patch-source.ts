/**
 * The patcher: a pure function from a module's source, its URL and the sealed values to
 * the patched source. Valid only for source that has not been compiled yet (a loader
 * hook's output); it writes nothing but literals, and only into slot regions that
 * hold exactly what the compiler wrote, so a module patched or not computes the same.
 */
import { RuntimeCode } from './codes.js';
import { encodeLiteral } from './literal.js';
import { decodeRecordTable, staticVariableId, variableKey, type TableBinding } from './site-format.js';
import { checkSlotAt, markerTexts, scanOpenMarkers, type SlotCheck } from './slot-format.js';

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

/** A site left a load: its number, code and reason. */
export type SkippedSite = readonly [site: number, code: RuntimeCode, reason: string];

/**
 * What a patch keeps of its sites until a report asks for them (siteOutcomes()): per binding of the
 * table its id and literal, per site its binding, and the few sites left loads. Plain data: Node 20's
 * loader thread posts it to the main thread.
 */
export interface SiteTally {
  /** The table's bindings, as decoded: `[from, via, declaring module key, name, read, export]`. */
  readonly bindings: readonly TableBinding[];
  /** Per binding: the run-time id it resolved to (null: its declaring module is unknown), and its literal (null: none). */
  readonly ids: readonly (string | null)[];
  readonly literals: readonly (string | null)[];
  /** Per site: the index of its binding. */
  readonly sites: readonly number[];
  /** The sites left loads, in site order; every other site was patched. */
  readonly skipped: readonly SkippedSite[];
}

/** patchSource()'s result as the hooks keep it: the outcomes per site still tallied, not built. */
export interface TalliedPatch {
  readonly source: string;
  readonly module?: string;
  readonly patched: number;
  readonly tableProblem?: { readonly code: RuntimeCode; readonly reason: string };
  readonly tally?: SiteTally;
}

/** One outcome per site, in table order, from a tally (what patchSource() and bootReport() show). */
export function siteOutcomes(tally: SiteTally | undefined): SiteOutcome[] {
  if (tally === undefined) return [];
  const { bindings, ids, literals, sites, skipped } = tally;
  const outcomes: SiteOutcome[] = new Array<SiteOutcome>(sites.length);
  let next = 0;
  for (let site = 0; site < sites.length; site++) {
    const b = sites[site]!;
    const binding = bindings[b]!;
    const key = variableKey(binding[2], binding[3]);
    const id = ids[b] ?? null;
    const skip = skipped[next];
    if (skip !== undefined && skip[0] === site) {
      next++;
      outcomes[site] = id === null ? { site, var: key, patched: false, code: skip[1], reason: skip[2] } : { site, var: key, id, patched: false, code: skip[1], reason: skip[2] };
    } else {
      outcomes[site] = { site, var: key, id: id!, patched: true, literal: literals[b]! };
    }
  }
  return outcomes;
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

/**
 * A binding's `from` resolved against the module's URL; `vars` holds what its variables resolve to,
 * by declared name; `redirected` holds checkResolution()'s answers once asked, by record `via`
 * (null: not redirected).
 */
type Resolved =
  | { readonly url: string; readonly from: string; readonly vars: Map<string, Variable>; readonly redirected: Map<string | null, string | null> | null }
  | { readonly reason: string };

/**
 * One variable of a declaring module as its sites are patched: its id, and its literal or why it
 * has none. `reason` absent with a code: the reason names the record (built per binding, rarely).
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

/** How a patcher finds the Variable `name` (declared in the module keyed `moduleKey`) of the declaring module loaded at `url`. */
type LookUp = (url: string, moduleKey: string, name: string) => Variable;

/**
 * Per values map (patchSource()'s callers pass one map for many modules): each declaring module's
 * variables by name, with their ids and the region texts of the literal last patched in.
 * Only what follows from the strings is kept; the value is read from the map and encoded at every
 * call, so a map changed between calls is never served a stale literal.
 */
interface KnownVariable {
  readonly id: string;
  literal?: string;
  regions?: string[];
}
const knownByValues = new WeakMap<ReadonlyMap<string, unknown>, Map<string, Map<string, KnownVariable>>>();

/** The variable `name` of the module at `url`, from a caller's values map (patchSource()): read and encoded at each call. */
function fromValues(values: ReadonlyMap<string, unknown>): LookUp {
  let byUrl = knownByValues.get(values);
  if (byUrl === undefined) {
    byUrl = new Map();
    knownByValues.set(values, byUrl);
  }
  return (url, moduleKey, name) => {
    let vars = byUrl.get(url);
    if (vars === undefined) {
      vars = new Map();
      byUrl.set(url, vars);
    }
    let known = vars.get(name);
    if (known === undefined) vars.set(name, (known = { id: staticVariableId(url, name) }));
    const id = known.id;
    let value: unknown;
    try {
      value = values.get(id);
      if (value === undefined && !values.has(id)) return { id, code: RuntimeCode.notRegistered };
    } catch (error) {
      // A caller's map that throws (a Proxy, a subclass): this variable is unreadable, not the module.
      return { id, code: RuntimeCode.unreadable, reason: `${variableKey(moduleKey, name)}: reading its value from the values map threw (${describeError(error)})` };
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
 * The patcher the hooks use: patchSource() over seal()'s table, its outcomes tallied (siteOutcomes()
 * builds them when a report asks). The table never changes, so what a declaring module's variables
 * resolve to, and where a relative `from` resolves from a directory, are worked out once per process,
 * not once per module.
 */
export function sealedPatcher(table: SealedTable): (source: string, options: PatchSourceOptions) => TalliedPatch {
  const byUrl = new Map<string, Map<string, Variable>>();
  const lookUp: LookUp = (url, _moduleKey, name) => {
    let vars = byUrl.get(url);
    if (vars === undefined) {
      vars = new Map();
      byUrl.set(url, vars);
    }
    let known = vars.get(name);
    if (known === undefined) {
      const id = staticVariableId(url, name);
      const entry = table.get(id);
      known = entry === undefined ? { id, code: RuntimeCode.notRegistered } : 'literal' in entry ? { id, literal: entry.literal, regions: [] } : { id, code: entry.code, reason: entry.reason };
      vars.set(name, known);
    }
    return known;
  };
  const joined = new Map<string, string>();
  return (source, options) => {
    try {
      return patchChecked(source, lookUp, options, joined);
    } catch (error) {
      return { source, patched: 0, tableProblem: { code: RuntimeCode.tableInvalid, reason: `patchSource() stopped: ${describeError(error)}` } };
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
  let result: TalliedPatch;
  try {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JavaScript callers pass anything
    result = patchChecked(source, fromValues(isValuesMap(values) ? values : NO_VALUES), options !== null && typeof options === 'object' ? options : {}, undefined);
  } catch (error) {
    return { source, sites: [], patched: 0, tableProblem: { code: RuntimeCode.tableInvalid, reason: `patchSource() stopped: ${describeError(error)}` } };
  }
  const { module, patched, tableProblem } = result;
  return { source: result.source, ...(module === undefined ? {} : { module }), sites: siteOutcomes(result.tally), patched, ...(tableProblem ? { tableProblem } : {}) };
}

function isValuesMap(values: unknown): values is ReadonlyMap<string, unknown> {
  try {
    return values !== null && typeof values === 'object' && typeof (values as Map<string, unknown>).get === 'function' && typeof (values as Map<string, unknown>).has === 'function';
  } catch {
    return false;
  }
}

/**
 * The patch, per binding (a table's distinct records: what is resolved and looked up) and then per
 * site (what is checked and written). `joined` caches `from` resolved against a module's directory,
 * across calls (sealedPatcher).
 */
function patchChecked(source: string, lookUp: LookUp, options: PatchSourceOptions, joined: Map<string, string> | undefined): TalliedPatch {
  const read = decodeRecordTable(source);
  if (read.kind === 'none') return { source, patched: 0 };
  if (read.kind === 'invalid') {
    return { source, patched: 0, tableProblem: { code: read.version === undefined ? RuntimeCode.tableInvalid : RuntimeCode.tableVersion, reason: read.reason } };
  }
  const { module, bindings, sites } = read.table;
  const count = sites.length;
  const bindingCount = bindings.length;
  const ids: (string | null)[] = new Array<string | null>(bindingCount);
  const literals: (string | null)[] = new Array<string | null>(bindingCount);
  const variables: (Variable | undefined)[] = new Array<Variable | undefined>(bindingCount);
  const declarings: (Resolved | undefined)[] = new Array<Resolved | undefined>(bindingCount);
  /** Why a binding's sites all stay loads: [code, reason]. */
  const failures: ([RuntimeCode, string] | undefined)[] = new Array<[RuntimeCode, string] | undefined>(bindingCount);
  const resolved = new Map<string, Resolved>(); // by `from`: a table's bindings mostly share one or two
  for (let b = 0; b < bindingCount; b++) {
    const binding = bindings[b]!;
    const declaring = declaringModuleUrl(binding, options, resolved, joined);
    if ('reason' in declaring) {
      ids[b] = null;
      literals[b] = null;
      failures[b] = [RuntimeCode.unknownDeclaringModule, declaring.reason];
      continue;
    }
    const name = binding[3];
    let variable = declaring.vars.get(name);
    if (variable === undefined) declaring.vars.set(name, (variable = lookUp(declaring.url, binding[2], name)));
    ids[b] = variable.id;
    if (variable.literal === undefined) {
      literals[b] = null;
      const code = variable.code!;
      const key = variableKey(binding[2], name);
      failures[b] = [code, variable.reason ?? (code === RuntimeCode.noLiteral ? `the value of ${key} (${variable.type}) has no literal` : `no sealed value for ${key} of ${declaring.url}`)];
      continue;
    }
    literals[b] = variable.literal;
    variables[b] = variable;
    declarings[b] = declaring;
  }

  // Every slot's opening marker in one pass; each slot is then checked where it is.
  const markers = scanOpenMarkers(source, count);
  const skipped: SkippedSite[] = [];
  const starts = new Int32Array(count);
  const ends = new Int32Array(count);
  const texts: string[] = [];
  const regionSites: number[] = [];
  /** checkResolution()'s answer per binding, asked at its first site that would be patched (null: not redirected). */
  const redirects: (string | null | undefined)[] = new Array<string | null | undefined>(bindingCount);
  let regions = 0;
  for (let site = 0; site < count; site++) {
    const b = sites[site]!;
    const failure = failures[b];
    if (failure !== undefined) {
      skipped.push([site, failure[0], failure[1]]);
      continue;
    }
    const binding = bindings[b]!;
    const at = markers.first[site]!;
    const { open, closeOpen } = markerTexts(site);
    const slot: SlotCheck =
      at < 0
        ? { kind: 'missing', detail: `no ${open} in the module (a minifier may have removed it)` }
        : markers.repeated[site]
          ? { kind: 'ambiguous', detail: `${open} occurs more than once` }
          : checkSlotAt(source, at, open, site, binding[4], binding[5], closeOpen);
    if (slot.kind !== 'slot') {
      skipped.push([site, SLOT_CODES[slot.kind], slot.detail]);
      continue;
    }
    const variable = variables[b]!;
    const literal = variable.literal!;
    const width = slot.end - slot.start;
    if (literal.length + 1 > width) {
      skipped.push([site, RuntimeCode.tooLong, `the literal of ${variableKey(binding[2], binding[3])} is ${literal.length} characters; slot ${site} holds ${width - 1}`]);
      continue;
    }
    let redirected = redirects[b];
    if (redirected === undefined) {
      const declaring = declarings[b] as Extract<Resolved, { url: string }>;
      const via = binding[1];
      if (declaring.redirected === null) redirected = null;
      else {
        redirected = declaring.redirected.get(via);
        if (redirected === undefined) declaring.redirected.set(via, (redirected = checkedResolution(options, declaring.from, declaring.url, via ?? undefined)));
      }
      redirects[b] = redirected;
    }
    if (redirected !== null) {
      skipped.push([site, RuntimeCode.redirected, redirected]);
      continue;
    }
    starts[regions] = slot.start;
    ends[regions] = slot.end;
    texts.push(regionText(variable, width));
    regionSites.push(site);
    regions++;
  }
  if (regions === 0) return { source, module, patched: 0, tally: { bindings, ids, literals, sites, skipped } };

  // One pass of slices, in source order (slots are numbered in source order: usually sorted already).
  const order = sortedByStart(starts, regions);
  let out = '';
  let at = 0;
  let patched = 0;
  let overlapped = false;
  for (let k = 0; k < regions; k++) {
    const r = order === undefined ? k : order[k]!;
    const start = starts[r]!;
    if (start < at) {
      // Cannot happen for slots that check out (a region holds no marker); never write across one.
      const site = regionSites[r]!;
      skipped.push([site, RuntimeCode.slotMismatch, `slot ${site} overlaps another slot`]);
      overlapped = true;
      continue;
    }
    out += source.slice(at, start) + texts[r]!;
    at = ends[r]!;
    patched++;
  }
  out += source.slice(at);
  if (overlapped) skipped.sort((x, y) => x[0] - y[0]);
  return { source: out, module, patched, tally: { bindings, ids, literals, sites, skipped } };
}

/** undefined when the first `count` starts are in order already; else the region indexes in source order. */
function sortedByStart(starts: Int32Array, count: number): number[] | undefined {
  let sorted = true;
  for (let i = 1; i < count && sorted; i++) if (starts[i]! < starts[i - 1]!) sorted = false;
  if (sorted) return undefined;
  return Array.from({ length: count }, (_, i) => i).sort((x, y) => starts[x]! - starts[y]!);
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

/** The URL of the loaded module that declares `binding`'s variable: its `from` resolved against this module's URL. */
function declaringModuleUrl(binding: TableBinding, options: PatchSourceOptions, cache: Map<string, Resolved>, joined: Map<string, string> | undefined): Resolved {
  const url = typeof options.url === 'string' ? options.url : undefined;
  if (url === undefined) {
    return { reason: `patchSource() was not given this module's URL: which loaded copy of the module declaring ${variableKey(binding[2], binding[3])} it reads is unknown` };
  }
  const from = binding[0];
  if (from === null) return { reason: `the record of ${variableKey(binding[2], binding[3])} has no "from": the compiler could not tell where its declaring module is emitted` };
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
