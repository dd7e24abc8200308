/**
 * Node < 22.15: `module.register` hooks do not see require(). `Module.prototype._compile`
 * receives every CommonJS module's source (required, or imported from an ES module)
 * just before V8 compiles it; wrapping it patches CommonJS loaded after seal().
 */
import { anyHookBelow } from './every-hook.js';
import { nodeCanonicalUrl, patchModule, throughAnotherModule, type Patcher } from './common.js';
import type { ResolutionWatch } from './sync.js';
import { moduleUrlOf } from '../module-url.js';
import type { PatchedModule } from '../report.js';
import { RECORD_TABLE_PREFIX } from '../site-format.js';

type Compile = (this: unknown, content: unknown, filename: string, ...rest: unknown[]) => unknown;
export interface CommonJsModuleApi {
  prototype: { _compile: Compile };
  /** What require() resolves with, including any tool's patch of it (module-alias, mocks). */
  _resolveFilename?(request: string, parent: unknown, isMain: boolean): string;
  createRequire?(path: string): { resolve?: (request: string) => string };
}

export function installRequireHook(
  Module: CommonJsModuleApi,
  patch: Patcher,
  record: (report: PatchedModule) => void,
  preserveSymlinks: boolean,
  watch: ResolutionWatch,
): void {
  const compile = Module.prototype._compile;
  const canonicalUrl = nodeCanonicalUrl(preserveSymlinks);
  // Is Module._resolveFilename Node's own, or wrapped (module-alias, a mock)? Asked once per function seen.
  let asked: { resolve: unknown; wrapped: boolean } | undefined;
  Module.prototype._compile = function (content, filename, ...rest) {
    watch.moduleLoaded?.();
    if (typeof content === 'string' && content.includes(RECORD_TABLE_PREFIX)) {
      // The module's require() resolves as Module._resolveFilename does for it: asked before its sites are patched.
      const checkResolution = (from: string, declaringUrl: string, via: string | undefined): string | undefined => {
        const after = watch.hookAfterSeal();
        if (after !== undefined) return after;
        const resolve = Module._resolveFilename;
        if (typeof resolve !== 'function') return 'Module._resolveFilename is missing: where require() resolves is unknown';
        if (asked?.resolve !== resolve) {
          const probe = `./hotpath-resolution-probe-${process.pid}-${Date.now()}.js`;
          // The reader's own require.resolve runs Module._resolveFilename below Node's frames only, unless a tool wrapped it.
          // Frames are told apart by depth, not by import.meta.url: bundled (webpack, rspack), that names the file the bundler read.
          let requireResolve: ((request: string) => string) | undefined;
          try {
            requireResolve = Module.createRequire?.(filename).resolve;
          } catch {
            requireResolve = undefined;
          }
          asked = { resolve, wrapped: typeof requireResolve !== 'function' || anyHookBelow(requireResolve, probe, undefined) };
        }
        // Node's own resolution is the compiler's; a wrapper may redirect by request text: ask the reader's own require.
        const request = asked.wrapped ? via : from;
        if (request === undefined) return throughAnotherModule(filename, declaringUrl);
        const found = moduleUrlOf(resolve.call(Module, request, this, false));
        if (found !== undefined && (found === declaringUrl || (canonicalUrl?.(found) ?? found) === declaringUrl)) return undefined;
        return `require(${JSON.stringify(request)}) from ${filename} resolves to ${found ?? 'no file'}, not the sealed ${declaringUrl}`;
      };
      // `filename` is what the module's own `__filename` is: the URL its registrations use.
      const patched = patchModule(filename, content, patch, 'require', { url: moduleUrlOf(filename), canonicalUrl, checkResolution });
      record(patched.report);
      content = patched.source;
    }
    return compile.call(this, content, filename, ...rest);
  };
}
