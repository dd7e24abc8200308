/**
 * Node >= 22.15 / 23.5: `module.registerHooks` runs this load hook in-thread and
 * synchronously for `import` and `require` alike, after the source is read and before
 * it is compiled; it affects only modules loaded after it is registered (after seal()).
 */
import { mayHaveSites, nodeCanonicalUrl, patchModule, type ModuleSource, type SealedValues } from './hooks-common.js';
import { nodeUrlApi } from './module-url.js';
import type { ModulePatchReport } from './report.js';

interface LoadResult {
  format?: string | null;
  source?: ModuleSource;
}
export interface SyncHooksApi {
  registerHooks(hooks: { load(url: string, context: object, nextLoad: (url: string, context?: object) => LoadResult): LoadResult }): unknown;
  createRequire?(path: string | URL): { cache?: Record<string, { loaded?: boolean } | undefined> };
}

export function installSyncHooks(api: SyncHooksApi, values: SealedValues, record: (report: ModulePatchReport) => void, preserveSymlinks: boolean): void {
  const canonicalUrl = nodeCanonicalUrl(preserveSymlinks);
  const evaluated = evaluatedCommonJs(api);
  api.registerHooks({
    load(url, context, nextLoad) {
      const result = nextLoad(url, context);
      if ((result.format !== 'module' && result.format !== 'commonjs') || !mayHaveSites(result.source)) return result;
      // import() of a CommonJS module that require() already ran: Node reads its source again only to list
      // its exports and runs nothing from it. Not a load to patch or count (its first load was).
      if (result.format === 'commonjs' && evaluated(url)) return result;
      const { source, report } = patchModule(url, result.source, values, 'registerHooks', { url, canonicalUrl });
      record(report);
      return source === result.source ? result : { ...result, source };
    },
  });
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
