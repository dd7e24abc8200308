/**
 * Node >= 22.15 / 23.5: `module.registerHooks` runs this load hook in-thread and
 * synchronously for `import` and `require` alike, after the source is read and before
 * it is compiled; it affects only modules loaded after it is registered (after seal()).
 */
import { mayHaveSites, nodeCanonicalUrl, patchModule, type ModuleSource, type SealedValues } from './hooks-common.js';
import type { ModulePatchReport } from './report.js';

interface LoadResult {
  format?: string | null;
  source?: ModuleSource;
}
export interface SyncHooksApi {
  registerHooks(hooks: { load(url: string, context: object, nextLoad: (url: string, context?: object) => LoadResult): LoadResult }): unknown;
}

export function installSyncHooks(api: SyncHooksApi, values: SealedValues, record: (report: ModulePatchReport) => void, preserveSymlinks: boolean): void {
  const canonicalUrl = nodeCanonicalUrl(preserveSymlinks);
  api.registerHooks({
    load(url, context, nextLoad) {
      const result = nextLoad(url, context);
      if ((result.format !== 'module' && result.format !== 'commonjs') || !mayHaveSites(result.source)) return result;
      const { source, report } = patchModule(url, result.source, values, 'registerHooks', { url, canonicalUrl });
      record(report);
      return source === result.source ? result : { ...result, source };
    },
  });
}
