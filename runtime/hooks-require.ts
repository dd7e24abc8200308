/**
 * Node < 22.15: `module.register` hooks do not see require(). `Module.prototype._compile`
 * receives every CommonJS module's source (required, or imported from an ES module)
 * just before V8 compiles it; wrapping it patches CommonJS loaded after seal().
 */
import { nodeCanonicalUrl, patchModule, type SealedValues } from './hooks-common.js';
import type { ResolutionWatch } from './hooks-sync.js';
import { moduleUrlOf } from './module-url.js';
import type { ModulePatchReport } from './report.js';
import { RECORD_TABLE_PREFIX } from './site-format.js';

type Compile = (this: unknown, content: unknown, filename: string, ...rest: unknown[]) => unknown;
export interface CommonJsModuleApi {
  prototype: { _compile: Compile };
  /** What require() resolves with, including any tool's patch of it (module-alias, mocks). */
  _resolveFilename?(request: string, parent: unknown, isMain: boolean): string;
}

export function installRequireHook(
  Module: CommonJsModuleApi,
  values: SealedValues,
  record: (report: ModulePatchReport) => void,
  preserveSymlinks: boolean,
  watch: ResolutionWatch,
): void {
  const compile = Module.prototype._compile;
  const canonicalUrl = nodeCanonicalUrl(preserveSymlinks);
  Module.prototype._compile = function (content, filename, ...rest) {
    watch.moduleLoaded?.();
    if (typeof content === 'string' && content.includes(RECORD_TABLE_PREFIX)) {
      // The module's require() resolves as Module._resolveFilename does for it: asked before its sites are patched.
      const checkResolution = (from: string, declaringUrl: string): string | undefined => {
        const after = watch.hookAfterSeal();
        if (after !== undefined) return after;
        if (typeof Module._resolveFilename !== 'function') return 'Module._resolveFilename is missing: where require() resolves is unknown';
        const found = moduleUrlOf(Module._resolveFilename(from, this, false));
        if (found !== undefined && (found === declaringUrl || (canonicalUrl?.(found) ?? found) === declaringUrl)) return undefined;
        return `require(${JSON.stringify(from)}) from ${filename} resolves to ${found ?? 'no file'}, not the sealed ${declaringUrl}`;
      };
      // `filename` is what the module's own `__filename` is: the URL its registrations use.
      const patched = patchModule(filename, content, values, 'require', { url: moduleUrlOf(filename), canonicalUrl, checkResolution });
      record(patched.report);
      content = patched.source;
    }
    return compile.call(this, content, filename, ...rest);
  };
}
