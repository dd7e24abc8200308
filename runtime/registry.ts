/**
 * The registry of static variables and the boot protocol: modules register their
 * variables, boot code computes them, seal() snapshots and freezes the values and
 * installs the module hooks that patch every module loaded afterwards. The state lives
 * on globalThis so an ES-module and a CommonJS copy of this package share one registry.
 * A variable is identified by its declaring module's URL as loaded plus its name
 * (staticVariableId), so two loaded copies of one module are two variables.
 */
import { RuntimeCode } from './codes.js';
import { nodePreservesSymlinks } from './hooks/common.js';
import { installOffThreadHooks, type OffThreadHooksApi, type WorkerThreadsApi } from './hooks/offthread.js';
import { installRequireHook, type CommonJsModuleApi } from './hooks/require.js';
import { installSyncHooks, type ResolutionWatch, type SyncHooksApi } from './hooks/sync.js';
import { encodeLiteral } from './literal.js';
import { markerAfterSeal } from './marker-after-seal.js';
import { moduleUrlOf } from './module-url.js';
import { sealedPatcher, siteOutcomes, type SealedEntry, type SealedTable, type SiteOutcome } from './patch-source.js';
import { staticVariableId, variableName } from './site-format.js';
import { describeValue, formatBootReport, type BootReport, type ModulePatchReport, type NotedModule, type PatchedModule, type VariableReport } from './report.js';

interface Sealed {
  /** By staticVariableId. */
  readonly values: ReadonlyMap<string, unknown>;
  /** Every id seal() saw, sealed or not (the hooks' table has an entry for each). */
  readonly ids: ReadonlySet<string>;
  readonly variables: readonly VariableReport[];
  readonly hooks: string;
  readonly hooksProblem?: { readonly code: RuntimeCode; readonly reason: string };
  readonly sealMs: number;
  readonly calledAt: string;
}

/** One static variable: every registration of one id (one per evaluation of its module). */
interface Variable {
  /** `<module key>#<name>`, for people. */
  readonly variable: string;
  /** The declaring module's URL; absent when the registration gave no location. */
  readonly url?: string;
  readonly reads: Array<() => unknown>;
}

interface State {
  /** By staticVariableId (or, for a registration without a location, by its variable key). */
  readonly variables: Map<string, Variable>;
  /** Variable keys registered after seal() (the report's list), and their ids. */
  readonly registeredAfterSeal: string[];
  readonly idsRegisteredAfterSeal: Set<string>;
  readonly notedBeforeSeal: NotedModule[];
  readonly notedAfterSeal: NotedModule[];
  /** What the hooks recorded, in load order; a report builds each module's sites from its tally (moduleReport()). */
  readonly modules: PatchedModule[];
  sealed?: Sealed;
  drain?: () => void;
  /** Why no import can be checked any more: a module hook was registered after seal() (HP2017). */
  hookAfterSeal?: string;
  /** Modules whose STATIC_VARIABLE_LOAD calls ran after seal() (HP2018), in the order they were named. */
  readonly markerCallsAfterSeal: string[];
  /** Tells the marker after seal() that new callers may have arrived (a module was loaded). */
  rearmMarker?: () => void;
}

const STATE = Symbol.for('hotpath.runtime');
const state: State = ((globalThis as Record<symbol, State | undefined>)[STATE] ??= createState());

function createState(): State {
  const fresh: State = { variables: new Map(), registeredAfterSeal: [], idsRegisteredAfterSeal: new Set(), notedBeforeSeal: [], notedAfterSeal: [], modules: [], markerCallsAfterSeal: [] };
  // Once per process (the state is shared by every copy of the package).
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a bundled app's `process` shim may have no env
  if (typeof process === 'object' && process.env?.HOTPATH_REPORT === '1') {
    process.on('exit', () => process.stderr.write(formatBootReport(bootReport())));
  }
  return fresh;
}

class HotpathError extends Error {
  constructor(readonly code: RuntimeCode, message: string) {
    super(`${code}: ${message}`);
    this.name = 'HotpathError';
  }
}

/**
 * Called by the declaring module of each static variable (injected by the compiler):
 * `variableKey` names it for people (`src/pool.ts#poolBase`), `location` is the module's
 * own `import.meta.url` or `__filename`, which makes its identity. Without a location
 * (code compiled for site format 1) it is registered, reported and sealed, but no site
 * can tell it is the one it reads, so none is patched with it.
 */
export function registerStaticVariable(variableKey: string, read: () => unknown, location?: string): void {
  const url = moduleUrlOf(location);
  const id = url === undefined ? variableKey : staticVariableId(url, variableName(variableKey));
  // After seal() it is not sealed; if its id was (the same module evaluated again), verifyStaticVariables() compares it.
  if (state.sealed) {
    state.registeredAfterSeal.push(variableKey);
    state.idsRegisteredAfterSeal.add(id);
  }
  const known = state.variables.get(id);
  if (known) known.reads.push(read);
  else state.variables.set(id, { variable: variableKey, ...(url === undefined ? {} : { url }), reads: [read] });
}

/** First statement of every `@boot` function (injected by the compiler); `where` names the function and its location. */
export function assertBootPhase(where: string): void {
  if (!state.sealed) return;
  throw new HotpathError(
    RuntimeCode.bootAfterSeal,
    `the @boot function ${where} was called after seal(): static variables are sealed and patched code holds their values. ` +
      `Call it before seal() (sealed at ${state.sealed.calledAt}).`,
  );
}

/** Called by every module with sites when it runs (injected by the compiler). */
export function noteSiteModule(moduleKey: string, siteCount: number): void {
  (state.sealed ? state.notedAfterSeal : state.notedBeforeSeal).push({ module: moduleKey, sites: siteCount });
}

export interface SealOptions {
  /**
   * Say nothing when STATIC_VARIABLE_LOAD runs after seal() (HP2018): the marker stays the bare
   * identity, so neither stderr nor the boot report names its callers. `HOTPATH_QUIET=1` does the same.
   */
  readonly quiet?: boolean;
}

/**
 * Snapshots every registered variable, freezes the snapshot and installs the module hooks
 * that patch every module loaded from now on. Call once, at the end of boot.
 */
export function seal(options?: SealOptions): BootReport {
  const calledAt = callerOfSeal();
  if (state.sealed) {
    throw new HotpathError(
      RuntimeCode.sealTwice,
      `seal() was called a second time (at ${calledAt}); values were sealed at ${state.sealed.calledAt}. Call seal() once, at the end of boot.`,
    );
  }
  const started = performance.now();
  const values = new Map<string, unknown>();
  const variables: VariableReport[] = [];
  // The one table every hook patches with: each value encoded once, here; a variable without a
  // literal carries the code and reason its sites are skipped with (strings only: Node 20 clones it).
  const table = new Map<string, SealedEntry>();
  for (const [id, { variable, url, reads }] of state.variables) {
    const read = snapshot(reads);
    const names = { variable, id, ...(url === undefined ? {} : { url }) };
    if ('reason' in read) {
      variables.push(Object.freeze({ ...names, sealed: false as const, code: read.code, reason: read.reason }));
      table.set(id, Object.freeze({ code: read.code, reason: `${variable} was not sealed: ${read.reason}` }));
    } else {
      values.set(id, read.value);
      variables.push(Object.freeze({ ...names, sealed: true as const, value: read.value }));
      const literal = encodeLiteral(read.value);
      table.set(
        id,
        Object.freeze(literal === undefined ? { code: RuntimeCode.noLiteral, reason: `the value of ${variable} (${typeof read.value}) has no literal` } : { literal }),
      );
    }
  }
  sealQuiet = quiet(options);
  const hooks = installHooks(table);
  state.sealed = Object.freeze({ values, ids: new Set(table.keys()), variables: Object.freeze(variables), ...hooks, sealMs: performance.now() - started, calledAt });
  if (!sealQuiet) armMarker();
  return bootReport();
}

/** seal()'s quiet option or HOTPATH_QUIET=1: HP2018 and the HP2017 line for a hook registered after seal() are not printed. */
let sealQuiet = false;

function quiet(options: SealOptions | undefined): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JavaScript callers pass anything
    if (options !== null && typeof options === 'object' && options.quiet === true) return true;
  } catch {
    // an options object whose getter throws: not quiet
  }
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a bundled app's `process` shim may have no env
  return typeof process === 'object' && process.env?.HOTPATH_QUIET === '1';
}

/** From now on a marker call is a site no pass rewrote: each loaded copy's marker names its callers (HP2018). */
function armMarker(): void {
  const swaps = (globalThis as Record<symbol, Array<(m: <T>(variable: T) => T) => void> | undefined>)[Symbol.for('hotpath.marker.swaps')] ?? [];
  const swap = (marker: <T>(variable: T) => T) => {
    for (const s of swaps) s(marker);
  };
  const { rearm } = markerAfterSeal(swap, (module) => {
    state.markerCallsAfterSeal.push(module);
    try {
      process.stderr.write(
        `hotpath ${RuntimeCode.markerAfterSeal}: STATIC_VARIABLE_LOAD ran after seal() in ${module}: a marker there is a call, not a slot ` +
          `(no hotpath pass rewrote it, the pass left it a call for a build error, or a tool stripped its slot), so that site is not patched ` +
          `and still reads its variable. Build it with \`hotpath build\` and fix its HP errors; HOTPATH_QUIET=1 or seal({ quiet: true }) silences this.\n`,
      );
    } catch {
      // no stderr (another runtime): the boot report still lists the module
    }
  });
  state.rearmMarker = rearm;
}

/**
 * Where seal() was called, for messages. User code owns Error.prepareStackTrace (it may
 * return frames, not a string, or throw) and Error.stackTraceLimit: never throw for them.
 */
function callerOfSeal(): string {
  try {
    const stack: unknown = new Error().stack;
    // Lines: "Error", this function, seal(), its caller.
    const line = typeof stack === 'string' ? stack.split('\n')[3]?.trim().replace(/^at /, '') : undefined;
    if (line) return line;
  } catch {
    // fall through
  }
  return 'unknown location';
}

function snapshot(reads: ReadonlyArray<() => unknown>): { value: unknown } | { code: RuntimeCode; reason: string } {
  let value: unknown;
  for (let i = 0; i < reads.length; i++) {
    let current: unknown;
    try {
      current = reads[i]!();
    } catch (error) {
      return { code: RuntimeCode.unreadable, reason: `unreadable at seal(): ${describeError(error)}` };
    }
    if (i > 0 && !Object.is(current, value)) {
      return { code: RuntimeCode.conflicting, reason: `registered ${reads.length} times with different values (${describeValue(value)}, ${describeValue(current)})` };
    }
    value = current;
  }
  return { value };
}

function describeError(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return 'a value that cannot be shown'; // seal() must not throw because a getter threw something odd
  }
}

interface NodeApis {
  module: Partial<SyncHooksApi & OffThreadHooksApi> & CommonJsModuleApi & { syncBuiltinESMExports?(): void };
}

const watch: ResolutionWatch = { hookAfterSeal: () => state.hookAfterSeal, moduleLoaded: () => state.rearmMarker?.() };

function installHooks(table: SealedTable): Pick<Sealed, 'hooks' | 'hooksProblem'> {
  const record = (report: PatchedModule) => void state.modules.push(report);
  try {
    const getBuiltinModule = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
    if (!getBuiltinModule) {
      return { hooks: 'none', hooksProblem: { code: RuntimeCode.noHooks, reason: 'not running on Node >= 20.16 (no process.getBuiltinModule); use patchSource() in your loader' } };
    }
    const node = { module: getBuiltinModule('node:module') } as NodeApis;
    const preserveSymlinks = nodePreservesSymlinks();
    if (node.module.registerHooks) {
      installSyncHooks(node.module as SyncHooksApi, sealedPatcher(table), record, preserveSymlinks, watch);
      watchHookRegistrations(node.module);
      return { hooks: 'module.registerHooks' };
    }
    // Only the off-thread hooks need node:worker_threads, which loads node:stream with it (5–6 ms of seal() on Node 24).
    const threads = getBuiltinModule('node:worker_threads') as WorkerThreadsApi;
    if (!threads.isMainThread) {
      // Node 20 runs --require preloads on its hooks thread too: registering from there would recurse.
      return { hooks: 'none', hooksProblem: { code: RuntimeCode.noHooks, reason: 'module.register is used from the main thread only; this is a worker or Node\'s hooks thread' } };
    }
    const offThread = installOffThreadHooks(node.module as OffThreadHooksApi, threads, table, record, preserveSymlinks);
    state.drain = offThread.drain;
    installRequireHook(node.module, sealedPatcher(table), record, preserveSymlinks, watch);
    watchHookRegistrations(node.module, offThread.hookRegistered);
    return { hooks: 'module.register + require hook' };
  } catch (error) {
    return { hooks: 'none', hooksProblem: { code: RuntimeCode.noHooks, reason: `installing module hooks failed: ${describeError(error)}` } };
  }
}

/**
 * A resolve hook registered after seal() runs before hotpath's, on the specifiers modules
 * write, so where it sends an import cannot be asked before a module is patched: from the
 * first such registration on, nothing is patched (HP2017). Node's own functions are wrapped
 * (and re-exported to ES modules that imported them, syncBuiltinESMExports) to see it; a load
 * hook alone redirects nothing. If they cannot be wrapped, nothing is patched either.
 */
function watchHookRegistrations(api: NodeApis['module'], hookRegistered?: () => void): void {
  const noted = (what: string) => {
    if (state.hookAfterSeal === undefined) {
      state.hookAfterSeal =
        `${what} was called after seal() (at ${callerOutside()}): a resolve hook registered after seal() runs before hotpath's and may send ` +
        `any module's imports elsewhere, so no site is patched from then on. Register module hooks before seal()`;
      // Patching stops for the rest of the process: said once, not only in a report nobody may ask for.
      if (!sealQuiet) {
        try {
          process.stderr.write(`hotpath ${RuntimeCode.redirected}: ${state.hookAfterSeal}; HOTPATH_QUIET=1 or seal({ quiet: true }) silences this.\n`);
        } catch {
          // no stderr (another runtime): the boot report still says why
        }
      }
    }
    hookRegistered?.();
  };
  try {
    const registerHooks = api.registerHooks;
    if (typeof registerHooks === 'function') {
      api.registerHooks = function (this: unknown, hooks: Parameters<SyncHooksApi['registerHooks']>[0]) {
        let resolves = true;
        try {
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- another package's registerHooks() call passes anything
          resolves = typeof hooks?.resolve === 'function';
        } catch {
          // a getter that throws: count it as a resolve hook
        }
        if (resolves) noted('module.registerHooks() with a resolve hook');
        return registerHooks.call(this, hooks);
      };
    }
    const register = api.register;
    if (typeof register === 'function') {
      api.register = function (this: unknown, ...args: Parameters<OffThreadHooksApi['register']>) {
        noted('module.register()');
        return register.apply(this, args);
      };
    }
    api.syncBuiltinESMExports?.();
  } catch (error) {
    state.hookAfterSeal ??= `hotpath could not watch for module hooks registered after seal() (${describeError(error)}), so it patches nothing`;
    hookRegistered?.();
  }
}

/** The first frame of the stack outside this file: who called a wrapped Node function. Never throws. */
function callerOutside(): string {
  try {
    const stack: unknown = new Error().stack;
    if (typeof stack !== 'string') return 'unknown location';
    const lines = stack.split('\n').slice(1).map((l) => l.trim().replace(/^at /, ''));
    const here = lines[0]?.match(/\((.*):\d+:\d+\)$/)?.[1] ?? lines[0]?.replace(/:\d+:\d+$/, '');
    return lines.find((l) => here === undefined || !l.includes(here)) ?? 'unknown location';
  } catch {
    return 'unknown location';
  }
}

/** What a hook recorded of a module, its sites built from the tally: built when a report asks, not as modules load. */
function moduleReport(m: PatchedModule): ModulePatchReport {
  const { url, module, hook, patched, tableProblem, ms } = m;
  return { url, ...(module === undefined ? {} : { module }), hook, sites: siteOutcomes(m.tally), patched, ...(tableProblem === undefined ? {} : { tableProblem }), ms };
}

/** The boot report as of now: sealed values, modules patched so far, modules left as loads and why. */
export function bootReport(): BootReport {
  state.drain?.();
  const sealed = state.sealed;
  // The hooks' table says why a sealed variable has no literal. A variable registered after seal() is
  // not in it (HP2001 "no sealed value"): say why, here, the one case the hooks could not know at seal().
  const why = new Map<string, { code: RuntimeCode; reason: string }>();
  for (const id of state.idsRegisteredAfterSeal) {
    const v = state.variables.get(id);
    if (v && !sealed?.ids.has(id)) why.set(id, { code: RuntimeCode.notRegistered, reason: `${v.variable} of ${v.url ?? 'a module'} was registered after seal() (its module was loaded after seal()): not sealed` });
  }
  const refine = (s: SiteOutcome): SiteOutcome =>
    !s.patched && s.code === RuntimeCode.notRegistered && s.id !== undefined && why.has(s.id) ? { ...s, ...why.get(s.id)! } : s;
  const modules = state.modules.map((m) => {
    const report = moduleReport(m);
    return why.size === 0 || !report.sites.some((s) => refine(s) !== s) ? report : { ...report, sites: report.sites.map(refine) };
  });
  const seen = new Map<string, number>();
  for (const m of state.modules) if (m.module !== undefined) seen.set(m.module, (seen.get(m.module) ?? 0) + 1);
  const notPatched = state.notedAfterSeal.filter((n) => {
    const count = seen.get(n.module) ?? 0;
    seen.set(n.module, count - 1);
    return count <= 0;
  });
  let sitesPatched = 0;
  let sitesSkipped = 0;
  let patchMs = 0;
  for (const m of modules) {
    sitesPatched += m.patched;
    sitesSkipped += m.sites.length - m.patched;
    patchMs += m.ms;
  }
  return Object.freeze({
    sealed: sealed !== undefined,
    hooks: sealed?.hooks ?? 'none',
    ...(sealed?.hooksProblem ? { hooksProblem: sealed.hooksProblem } : {}),
    variables: sealed?.variables ?? [],
    modules,
    loadedBeforeSeal: [...state.notedBeforeSeal],
    notPatched,
    registeredAfterSeal: [...state.registeredAfterSeal],
    markerCallsAfterSeal: [...state.markerCallsAfterSeal],
    sitesPatched,
    sitesSkipped,
    sealMs: sealed?.sealMs ?? 0,
    patchMs,
  });
}

/** A static variable whose value changed after seal(): patched sites still hold the sealed value. */
export interface ChangedVariable {
  readonly code: RuntimeCode;
  /** `<module key>#<name>`. */
  readonly variable: string;
  /** Its run-time identity, `<declaring module URL>#<name>`. */
  readonly id: string;
  readonly sealed: unknown;
  /** The value now; absent when reading it threw (see `message`). */
  readonly current?: unknown;
  /** Patched sites that now hold a stale value, per module. */
  readonly staleSites: readonly NotedModule[];
  readonly message: string;
}

/** Lists every sealed variable whose current value is not `Object.is` the sealed one. Empty before seal(). */
export function verifyStaticVariables(): ChangedVariable[] {
  state.drain?.();
  const changed: ChangedVariable[] = [];
  let reports: ModulePatchReport[] | undefined;
  for (const v of state.sealed?.variables ?? []) {
    if (!v.sealed) continue;
    const reads = state.variables.get(v.id)?.reads ?? [];
    let current: { value: unknown } | { error: string } = { value: v.value };
    for (const read of reads) {
      try {
        current = { value: read() };
      } catch (error) {
        current = { error: describeError(error) };
      }
      if (!('value' in current) || !Object.is(current.value, v.value)) break;
    }
    if ('value' in current && Object.is(current.value, v.value)) continue;
    const staleSites: NotedModule[] = [];
    reports ??= state.modules.map(moduleReport);
    for (const m of reports) {
      const sites = m.sites.filter((s) => s.patched && s.id === v.id).length;
      if (sites) staleSites.push({ module: m.module ?? m.url, sites });
    }
    const now = 'value' in current ? describeValue(current.value) : `unreadable (${current.error})`;
    const stale = staleSites.reduce((n, m) => n + m.sites, 0);
    changed.push(
      Object.freeze({
        code: RuntimeCode.changedAfterSeal,
        variable: v.variable,
        id: v.id,
        sealed: v.value,
        ...('value' in current ? { current: current.value } : {}),
        staleSites,
        message:
          `${RuntimeCode.changedAfterSeal}: ${v.variable}${v.url ? ` (${v.url})` : ''} changed after seal(): sealed ${describeValue(v.value)}, now ${now}; ` +
          `${stale} patched site(s) in ${staleSites.length} module(s) still use ${describeValue(v.value)}` +
          `${staleSites.length ? ` (${staleSites.map((m) => `${m.module}: ${m.sites}`).join(', ')})` : ''}. ` +
          (state.idsRegisteredAfterSeal.has(v.id) ? `It was registered again after seal() (${RuntimeCode.registeredAfterSeal}): its module was evaluated again (require.cache cleared?). ` : '') +
          `Write static variables only before seal(), in module top-level code or @boot functions.`,
      }),
    );
  }
  return changed;
}
