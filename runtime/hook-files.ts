/**
 * The two files the hooks hand Node by URL. Written here, at the runtime's root, because the
 * runtime ships both bundled (build/runtime/index.js) and one file per module (build/cjs/runtime):
 * only a module at the root has the same import.meta.url folder in both. webpack and rspack read
 * each `new URL('./…', import.meta.url)` as written and emit the file it names as an asset.
 */

/** Node < 22.15: what `module.register` runs on the hooks thread (hooks/offthread.ts). */
export function offThreadLoaderUrl(): URL {
  return new URL('./hooks/offthread-loader.js', import.meta.url);
}

/** A real ES module whose import.meta.resolve runs every resolve hook (hooks/every-hook.ts). */
export function everyHookModuleUrl(): URL {
  return new URL('./hooks/every-hook-module.mjs', import.meta.url);
}
