/**
 * Node >= 22.15 / 23.5: `module.registerHooks` runs these hooks in-thread and synchronously
 * for `import` and `require` alike. The load hook runs after the source is read and before it
 * is compiled; both affect only modules loaded after they are registered (after seal()).
 */
import { mayHaveSites, throughAnotherModule, nodeCanonicalUrl, patchModule, type ModuleSource, type Patcher } from './common.js';
import { anyHookBelow, everyHookResolver } from './every-hook.js';
import { moduleUrlOf, nodeUrlApi } from '../module-url.js';
import { framesAbove } from '../stack-frames.js';
import type { PatchedModule } from '../report.js';

interface LoadResult {
  format?: string | null;
  source?: ModuleSource;
}
interface ResolveResult {
  url: string;
}
interface ResolveContext {
  parentURL?: string;
  conditions?: readonly string[];
  importAttributes?: object;
}
type NextResolve = (specifier: string, context?: ResolveContext) => ResolveResult;
export interface SyncHooksApi {
  /** What require() resolves with, including any tool's patch of it (module-alias): asked for CommonJS readers. */
  _resolveFilename?(request: string, parent: unknown, isMain: boolean): string;
  registerHooks(hooks: {
    resolve?(specifier: string, context: ResolveContext, nextResolve: NextResolve): ResolveResult;
    load?(url: string, context: object, nextLoad: (url: string, context?: object) => LoadResult): LoadResult;
  }): unknown;
  createRequire?(path: string | URL): { cache?: Record<string, { loaded?: boolean } | undefined>; resolve?(request: string): string };
}

/**
 * Where the hooks that run around hotpath's could send an import; undefined when nowhere but
 * where Node's own resolution does. `hookAfterSeal` says why nothing can be checked any more.
 */
export interface ResolutionWatch {
  hookAfterSeal(): string | undefined;
  /** A module is being loaded after seal(): it may call the marker (registry.ts, HP2018). */
  moduleLoaded?(): void;
}

/**
 * Runs every resolve hook. A copy of the runtime without import.meta.resolve (bundled by webpack or
 * rspack; build/cjs, where scripts/build-cjs.mjs writes undefined) asks a real ES module's at seal()
 * (every-hook.ts), or is told why it cannot, and then patches nothing.
 */
const ownResolve: ((specifier: string) => string) | undefined = import.meta.resolve;

export function installSyncHooks(
  api: SyncHooksApi,
  patch: Patcher,
  record: (report: PatchedModule) => void,
  preserveSymlinks: boolean,
  watch: ResolutionWatch,
): void {
  const canonicalUrl = nodeCanonicalUrl(preserveSymlinks);
  const evaluated = evaluatedCommonJs(api);
  const resolution = resolutionCheck(watch, canonicalUrl, ownResolve ?? everyHookResolver(), api);
  api.registerHooks({
    resolve(specifier, context, nextResolve) {
      // The probe of Module._resolveFilename (resolveFilenameCheck): this frame is hotpath's, at this depth.
      if (specifier === probing.specifier) probing.depth = stackDepth();
      resolution.saw(context, nextResolve);
      return nextResolve(specifier, context);
    },
    load(url, context, nextLoad) {
      watch.moduleLoaded?.();
      const result = nextLoad(url, context);
      if ((result.format !== 'module' && result.format !== 'commonjs') || !mayHaveSites(result.source)) return result;
      // import() of a CommonJS module that require() already ran: Node reads its source again only to list
      // its exports and runs nothing from it. Not a load to patch or count (its first load was).
      if (result.format === 'commonjs' && evaluated(url)) return result;
      const kind = result.format === 'commonjs' ? 'require' : 'import';
      const checkResolution = (from: string, declaringUrl: string, via: string | undefined) => resolution.check(url, kind, from, declaringUrl, via);
      const { source, report } = patchModule(url, result.source, patch, 'registerHooks', { url, canonicalUrl, checkResolution });
      record(report);
      return source === result.source ? result : { ...result, source };
    },
  });
}

type ImportKind = 'import' | 'require';

/**
 * Does the reader at `url` reach `declaringUrl` when it imports `from`? A load hook runs before
 * the module's own imports are resolved, and what it compiles cannot be changed after, so the
 * question is asked first, twice: (1) every hook, however registered (node:test's mock.module
 * registers its own), resolves the absolute URL — what hooks that redirect by URL act on;
 * (2) the hooks registered before seal() (inside hotpath's, with Node's own resolution and
 * module.register hooks as their last step) resolve `from` from the reader, as its import is —
 * what hooks that redirect by specifier or by importing module act on. Hooks registered after
 * seal() run outside hotpath's and see the reader's own specifiers: those cannot be asked, so
 * from the first one on nothing is patched (ResolutionWatch.hookAfterSeal).
 */
function resolutionCheck(
  watch: ResolutionWatch,
  canonicalUrl: ((url: string) => string) | undefined,
  every: ((specifier: string) => string) | string,
  api: SyncHooksApi,
) {
  // The inner chain is the same function for every call of one kind; its default step differs by kind.
  const inner: Partial<Record<ImportKind, { next: NextResolve; conditions?: readonly string[] }>> = {};
  const byEveryHook = new Map<string, string | { reason: string }>();
  const hooksInside: Partial<Record<ImportKind, boolean>> = {};
  const same = (resolved: string, declaringUrl: string) =>
    resolved === declaringUrl || (!/[?#]/.test(resolved) && (canonicalUrl?.(resolved) ?? resolved) === declaringUrl);
  const requireResolution = resolveFilenameCheck(api);
  return {
    saw(context: ResolveContext, next: NextResolve): void {
      inner[context.conditions?.includes('require') ? 'require' : 'import'] = { next, conditions: context.conditions };
    },
    check(url: string, kind: ImportKind, from: string, declaringUrl: string, via: string | undefined): string | undefined {
      const after = watch.hookAfterSeal();
      if (after !== undefined) return after;
      if (typeof every === 'string') return every;
      // Asked with the URL Node's own resolution gives (the real path): what a hook that redirects by URL sees.
      let whole = byEveryHook.get(declaringUrl);
      if (whole === undefined) {
        try {
          whole = every(declaringUrl);
        } catch (error) {
          whole = { reason: `resolving ${declaringUrl} through the module hooks threw (${describeError(error)})` };
        }
        byEveryHook.set(declaringUrl, whole);
      }
      if (typeof whole !== 'string') return whole.reason;
      if (!same(whole, declaringUrl)) return `a module hook resolves ${declaringUrl} to ${whole}: this module may not read the sealed module`;
      // require() runs Module._resolveFilename, which a tool may have replaced (module-alias): outside every hook chain.
      if (kind === 'require') {
        const wrapped = requireResolution.check(url, declaringUrl, via, same);
        if (wrapped !== undefined) return wrapped;
      }
      // No resolution of this kind yet (the first CommonJS module, imported from an ES module): the other kind's
      // chain runs the same hooks, and Node's two resolutions agree on a relative file name with its extension.
      const other: ImportKind = kind === 'import' ? 'require' : 'import';
      const chain = inner[kind] ?? inner[other];
      if (chain === undefined) return `hotpath's resolve hook has not seen a resolution: where ${JSON.stringify(from)} resolves from ${url} is unknown`;
      const conditions = inner[kind] ? chain.conditions : chain.conditions?.map((c) => (c === other ? kind : c));
      // Asking costs a resolution per reader (tens of µs); with no hook inside hotpath's there is nothing to ask.
      if (!(hooksInside[inner[kind] ? kind : other] ??= anyHookInside(chain.next, conditions))) return undefined;
      // A hook may redirect by specifier text or importing module: only the reader's own import, as written, can be asked.
      if (via === undefined) return throughAnotherModule(url, declaringUrl);
      // Node 22's default CommonJS step resolves from the parent of the require() it was saved in, not from
      // parentURL: asked whether the chain finds this very module from itself, a chain that does not answers
      // nothing here. The import chain resolves from parentURL on every version.
      let asking = chain;
      let askConditions = conditions;
      if ((inner[kind] ? kind : other) === 'require' && !findsItself(chain.next, url, conditions)) {
        const esm = inner.import;
        if (esm === undefined) {
          return `on Node ${process.versions.node} hotpath cannot ask the module hooks inside its own where require(${JSON.stringify(via)}) from ${url} resolves before that module runs (Node resolves from the module whose require() it saw last); its sites stay loads. An ES-module entry (or one import() before seal()) lets hotpath ask`;
        }
        asking = esm;
        askConditions = esm.conditions?.map((c) => (c === 'import' ? 'require' : c));
      }
      let found: string;
      try {
        found = asking.next(via, { parentURL: url, conditions: askConditions, importAttributes: {} }).url;
      } catch (error) {
        return `resolving ${JSON.stringify(via)} from ${url} through the module hooks threw (${describeError(error)})`;
      }
      if (!same(found, declaringUrl)) return `a module hook resolves ${JSON.stringify(via)} from ${url} to ${found}, not the sealed ${declaringUrl}`;
      return undefined;
    },
  };
}

/** Does `next` resolve a module's own file name from that module to itself (so it resolves from parentURL)? */
function findsItself(next: NextResolve, url: string, conditions: readonly string[] | undefined): boolean {
  const name = url.slice(url.lastIndexOf('/') + 1);
  if (!url.startsWith('file:') || name === '' || /[?#]/.test(url)) return false;
  try {
    return next(`./${name}`, { parentURL: url, conditions, importAttributes: {} }).url === url;
  } catch {
    return false;
  }
}

/**
 * For a CommonJS reader: is Module._resolveFilename Node's own (asked once per function seen)? If a
 * tool replaced it, the reader's require(via) is asked through it, from the reader; a read through a
 * re-export then cannot be asked and stays a load.
 */
const probing: { specifier: string | undefined; depth: number | undefined } = { specifier: undefined, depth: undefined };

/** How many frames the stack holds here, this function's excluded. */
function stackDepth(): number | undefined {
  return framesAbove(stackDepth, Infinity)?.length;
}

function resolveFilenameCheck(api: SyncHooksApi) {
  let asked: { resolve: unknown; wrapped: boolean } | undefined;
  const urls = nodeUrlApi();
  return {
    check(url: string, declaringUrl: string, via: string | undefined, same: (resolved: string, declaringUrl: string) => boolean): string | undefined {
      const resolve = api._resolveFilename;
      if (typeof resolve !== 'function' || typeof api.createRequire !== 'function' || !urls || !url.startsWith('file:')) return undefined;
      if (asked?.resolve !== resolve) {
        const probe = `./hotpath-resolution-probe-${process.pid}-${Date.now()}.js`;
        const createRequire = api.createRequire;
        probing.specifier = probe;
        probing.depth = undefined;
        try {
          const requireResolve = createRequire(urls.fileURLToPath(url)).resolve;
          asked = { resolve, wrapped: typeof requireResolve !== 'function' || anyHookBelow(requireResolve, probe, undefined, () => probing.depth) };
        } finally {
          probing.specifier = undefined;
        }
      }
      if (!asked.wrapped) return undefined;
      if (via === undefined) return throughAnotherModule(url, declaringUrl);
      let found: string | undefined;
      try {
        found = moduleUrlOf(api.createRequire(urls.fileURLToPath(url)).resolve?.(via));
      } catch (error) {
        return `require.resolve(${JSON.stringify(via)}) from ${url} threw (${describeError(error)})`;
      }
      if (found !== undefined && same(found, declaringUrl)) return undefined;
      return `require(${JSON.stringify(via)}) from ${url} resolves to ${found ?? 'no file'} (Module._resolveFilename is replaced), not the sealed ${declaringUrl}`;
    },
  };
}

/**
 * Does a hook run between hotpath's resolve hook and Node's resolution? hotpath's frame is found by
 * depth (every-hook.ts anyHookBelow), not by import.meta.url: bundled, the runtime runs in the
 * bundle's chunk, with the user's code and hooks, and import.meta.url names the file the bundler read.
 */
function anyHookInside(next: NextResolve, conditions: readonly string[] | undefined): boolean {
  const probe = `./hotpath-resolution-probe-${process.pid}-${Date.now()}.js`;
  return anyHookBelow(next, probe, { parentURL: import.meta.url, conditions, importAttributes: {} });
}

function describeError(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'an unprintable value';
  }
}

/** Has the CommonJS module at `url` already run (it is in require.cache and loaded)? require.cache is looked up on first use, not in seal(). */
function evaluatedCommonJs(api: SyncHooksApi): (url: string) => boolean {
  let cache: Record<string, { loaded?: boolean } | undefined> | null | undefined;
  return (url) => {
    if (!url.startsWith('file:')) return false;
    const urls = nodeUrlApi();
    if (cache === undefined) {
      try {
        cache = api.createRequire?.(import.meta.url).cache ?? null;
      } catch {
        cache = null;
      }
    }
    if (!urls || !cache) return false;
    try {
      return cache[urls.fileURLToPath(url)]?.loaded === true;
    } catch {
      return false;
    }
  };
}
