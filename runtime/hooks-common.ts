/** What every module hook does with a module's source: a cheap test, then patchSource(). */
import { nodeUrlApi } from './module-url.js';
import { patchSource, type PatchSourceOptions } from './patch-source.js';
import type { HookKind, ModulePatchReport } from './report.js';
import { RECORD_TABLE_PREFIX } from './site-format.js';

export type SealedValues = ReadonlyMap<string, unknown>;
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
  values: SealedValues,
  hook: HookKind,
  options: PatchSourceOptions,
): { source: string | ArrayBufferView | ArrayBuffer; report: ModulePatchReport } {
  const started = performance.now();
  const text = typeof source === 'string' ? source : (utf8 ??= new TextDecoder()).decode(source);
  const result = patchSource(text, values, options);
  const { module, sites, patched, tableProblem } = result;
  const ms = performance.now() - started;
  const report: ModulePatchReport =
    module === undefined
      ? { url, hook, sites, patched, ...(tableProblem ? { tableProblem } : {}), ms }
      : tableProblem
        ? { url, module, hook, sites, patched, tableProblem, ms }
        : { url, module, hook, sites, patched, ms };
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
