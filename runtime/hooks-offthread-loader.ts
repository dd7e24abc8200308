/**
 * Runs on Node's hooks thread (registered by hooks-offthread.ts). ES modules only:
 * CommonJS arrives here without source and is patched by the require hook instead.
 */
import { mayHaveSites, nodeCanonicalUrl, patchModule, type ModuleSource, type SealedValues } from './hooks-common.js';

interface LoadResult {
  format?: string | null;
  source?: ModuleSource;
}
interface Port {
  postMessage(message: unknown): void;
}

let values: SealedValues = new Map();
let port: Port | undefined;
let canonicalUrl: ((url: string) => string) | undefined;

export function initialize(data: { values: SealedValues; port: Port; preserveSymlinks: boolean }): void {
  values = data.values;
  port = data.port;
  canonicalUrl = nodeCanonicalUrl(data.preserveSymlinks);
}

export async function load(url: string, context: object, nextLoad: (url: string, context?: object) => Promise<LoadResult>): Promise<LoadResult> {
  const result = await nextLoad(url, context);
  if (result.format !== 'module' || !mayHaveSites(result.source)) return result;
  const { source, report } = patchModule(url, result.source, values, 'register', { url, canonicalUrl });
  port?.postMessage(report);
  return source === result.source ? result : { ...result, source };
}
