/** What every module hook does with a module's source: a cheap test, then patchSource(). */
import { nodeUrlApi } from '../module-url.js';
import type { PatchSourceOptions, TalliedPatch } from '../patch-source.js';
import type { HookKind, PatchedModule } from '../report.js';
import { RECORD_TABLE_PREFIX } from '../site-format.js';
import { callSitesOf, withStackLimit } from '../stack-frames.js';

/** patchSource() over seal()'s table, outcomes tallied (patch-source.ts sealedPatcher): what every hook patches with. */
export type Patcher = (source: string, options: PatchSourceOptions) => TalliedPatch;
export type ModuleSource = string | ArrayBufferView | ArrayBuffer | null | undefined;

/** True when the raw source holds a record table prefix; tested on the bytes, before any decoding. */
export function mayHaveSites(source: ModuleSource): source is string | ArrayBufferView | ArrayBuffer {
  if (typeof source === 'string') return source.includes(RECORD_TABLE_PREFIX);
  if (source == null) return false;
  const bytes = ArrayBuffer.isView(source)
    ? Buffer.from(source.buffer, source.byteOffset, source.byteLength)
    : Buffer.from(source);
  return bytes.indexOf(RECORD_TABLE_PREFIX, 0, 'latin1') >= 0;
}

/** One decoder for every module (decode() without streaming keeps no state between calls). */
let utf8: TextDecoder | undefined;

/**
 * Patches one module's source; returns the source to compile (the input when nothing was
 * patched) and the report. `url` is what the report shows (a URL, or a CommonJS file name);
 * `options.url` the module's URL that records' `from` resolve against.
 */
export function patchModule(
  url: string,
  source: string | ArrayBufferView | ArrayBuffer,
  patch: Patcher,
  hook: HookKind,
  options: PatchSourceOptions,
): { source: string | ArrayBufferView | ArrayBuffer; report: PatchedModule } {
  const started = performance.now();
  const text = typeof source === 'string' ? source : (utf8 ??= new TextDecoder()).decode(source);
  const result = patch(text, options);
  const { module, patched, tableProblem, tally } = result;
  const ms = performance.now() - started;
  const report: PatchedModule =
    tableProblem !== undefined
      ? { url, ...(module === undefined ? {} : { module }), hook, patched, tableProblem, ms }
      : { url, module, hook, patched, ms, tally };
  return { source: patched ? result.source : source, report };
}

interface FsApi {
  realpathSync(path: string): string;
}

/**
 * How Node names the module a relative specifier resolves to: ES-module and CommonJS
 * resolution both use the file's real path (so `import.meta.url` and `__filename` are real
 * paths), unless --preserve-symlinks. Cached: module files do not move while a process runs.
 */
export function nodeCanonicalUrl(preserveSymlinks: boolean): ((url: string) => string) | undefined {
  const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  const fs = get?.('node:fs') as FsApi | undefined;
  const urls = nodeUrlApi();
  if (preserveSymlinks || !fs || !urls) return undefined;
  const cache = new Map<string, string>();
  return (url) => {
    let real = cache.get(url);
    if (real === undefined) {
      try {
        real = url.startsWith('file:') ? urls.pathToFileURL(fs.realpathSync(urls.fileURLToPath(url))).href : url;
      } catch {
        real = url; // no such file: nothing can be loaded from it, and its id matches nothing sealed
      }
      cache.set(url, real);
    }
    return real;
  };
}

/** Is Node resolving modules by the path they were found at (--preserve-symlinks, NODE_PRESERVE_SYMLINKS=1)? */
export function nodePreservesSymlinks(): boolean {
  const proc = (globalThis as { process?: { execArgv?: string[]; env?: Record<string, string | undefined> } }).process;
  const flags = [...(proc?.execArgv ?? []), ...(proc?.env?.['NODE_OPTIONS'] ?? '').split(/\s+/)];
  return flags.includes('--preserve-symlinks') || proc?.env?.['NODE_PRESERVE_SYMLINKS'] === '1';
}


/**
 * Does any code but Node's module loader run between `self` (the caller's frame: a file of
 * hotpath's, and the function's name where hotpath's own frames can be in between) and Node's
 * own resolution? `resolveMissing` resolves a file that does not exist, which
 * makes Node's resolution throw; the error's stack, read up to `self`, holds a frame of
 * every hook it passed through. Only a stack of Node's module loader alone says no; anything
 * else (a hook's frame, a frame-less error, no error, a hook that awaited first) says yes.
 */
export interface ProbeCaller {
  /** The caller's files (URL and path). */
  readonly files: readonly string[];
  /** The caller's function name, when frames of hotpath's own hooks (same files) may run in between. */
  readonly functionName?: string;
}

export function anyHookBetween(resolveMissing: () => unknown, self: ProbeCaller): boolean | Promise<boolean> {
  let thrown: { error: unknown } | undefined;
  const taken = withStackLimit(64, () => {
    try {
      return resolveMissing();
    } catch (error) {
      thrown = { error };
      return undefined;
    }
  });
  if (taken === undefined) return true;
  if (thrown !== undefined) return !onlyLoaderFrames(thrown.error, self);
  const result = taken.value;
  // An async resolution: its error may be made after the limit is restored; too few frames read as a hook.
  if (result instanceof Promise) return result.then(() => true, (error: unknown) => !onlyLoaderFrames(error, self));
  return true;
}

/** Are the frames of `error`, from where it was made up to the caller's, all Node's module loader's (or hotpath's own)? */
function onlyLoaderFrames(error: unknown, self: ProbeCaller): boolean {
  const frames = callSitesOf(error);
  if (frames === undefined) return false;
  try {
    for (const frame of frames) {
      const file = frame.getFileName?.();
      if (typeof file === 'string' && self.files.includes(file)) {
        if (self.functionName === undefined || frame.getFunctionName?.() === self.functionName) return true;
        continue; // hotpath's own resolve hook, run by Node's resolution
      }
      if (typeof file !== 'string' || !file.startsWith('node:internal/modules/')) return false;
    }
  } catch {
    return false;
  }
  return false;
}

/** Why a site that reaches its declaring module through a re-export stays a load while a resolve hook runs inside hotpath's (HP2017). */
export function throughAnotherModule(url: string, declaringUrl: string): string {
  return (
    `a module hook registered before seal() runs inside hotpath's resolve hook, and ${url} reaches ${declaringUrl} through another module ` +
    `(a re-export) or the build did not record how it imports it: hotpath asks the hooks only about a module's own import of the declaring ` +
    `module, so it cannot tell where this one goes. Import the variable from the module that declares it to have it patched`
  );
}
