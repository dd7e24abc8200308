/**
 * Node < 22.15: `module.register` hooks do not see require(). `Module.prototype._compile`
 * receives every CommonJS module's source (required, or imported from an ES module)
 * just before V8 compiles it; wrapping it patches CommonJS loaded after seal().
 */
import { nodeCanonicalUrl, patchModule, type SealedValues } from './hooks-common.js';
import { moduleUrlOf } from './module-url.js';
import type { ModulePatchReport } from './report.js';
import { RECORD_TABLE_PREFIX } from './site-format.js';

type Compile = (this: unknown, content: unknown, filename: string, ...rest: unknown[]) => unknown;
export interface CommonJsModuleApi {
  prototype: { _compile: Compile };
}

export function installRequireHook(
  Module: CommonJsModuleApi,
  values: SealedValues,
  record: (report: ModulePatchReport) => void,
  preserveSymlinks: boolean,
): void {
  const compile = Module.prototype._compile;
  const canonicalUrl = nodeCanonicalUrl(preserveSymlinks);
  Module.prototype._compile = function (content, filename, ...rest) {
    if (typeof content === 'string' && content.includes(RECORD_TABLE_PREFIX)) {
      // `filename` is what the module's own `__filename` is: the URL its registrations use.
      const patched = patchModule(filename, content, values, 'require', { url: moduleUrlOf(filename), canonicalUrl });
      record(patched.report);
      content = patched.source;
    }
    return compile.call(this, content, filename, ...rest);
  };
}
