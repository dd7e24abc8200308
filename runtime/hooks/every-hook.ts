/**
 * Two things the check of runtime/hooks/sync.ts needs that a bundled copy of the runtime does
 * not get from import.meta: a function that runs every resolve hook, and which stack frame is
 * hotpath's own. webpack and rspack bundle hotpath's ES modules into CommonJS chunks, where
 * `import.meta.resolve` is compiled to undefined and `import.meta.url` to the file the bundler
 * read (under node_modules, at build time), not the chunk that runs.
 */
import { everyHookModuleUrl } from '../hook-files.js';
import { nodeUrlApi } from '../module-url.js';
import { callSitesOf, withStackLimit } from '../stack-frames.js';

type Resolve = (specifier: string) => string;
interface NodeModuleApi {
  createRequire(path: string | URL): (id: string) => unknown;
}

/**
 * import.meta.resolve of the real ES module every-hook-module.mjs, loaded by Node's own
 * require (require(esm): Node >= 20.19, 22.12), or why there is none. Its URL (hook-files.ts) is
 * written so that webpack and rspack emit the file beside the chunks and point the URL at it
 * there; unbundled, it is the file beside this one. Called once, at seal(), before hotpath's hooks
 * are registered (the load is not one of the program's loads after seal()).
 */
export function everyHookResolver(): Resolve | string {
  let url: URL;
  try {
    url = everyHookModuleUrl();
  } catch (error) {
    return `this copy of hotpath cannot ask the module hooks where imports resolve: it has no resolver of its own (bundled or CommonJS), and no URL for every-hook-module.mjs (${describeError(error)})`;
  }
  try {
    const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
    const nodeModule = get?.('node:module') as NodeModuleApi | undefined;
    if (typeof nodeModule?.createRequire !== 'function') return 'this copy of hotpath cannot ask the module hooks where imports resolve: it has no resolver of its own (bundled or CommonJS), and no node:module createRequire to load every-hook-module.mjs';
    const path = nodeUrlApi()?.fileURLToPath(url.href);
    if (path === undefined) return 'this copy of hotpath cannot ask the module hooks where imports resolve: it has no resolver of its own (bundled or CommonJS), and no node:url to load every-hook-module.mjs';
    const loaded = nodeModule.createRequire(url)(path) as { resolve?: unknown } | null;
    const resolve = loaded?.resolve;
    if (typeof resolve === 'function') return resolve as Resolve;
    return `this copy of hotpath cannot ask the module hooks where imports resolve: ${url.href} exports no resolve function`;
  } catch (error) {
    return `this copy of hotpath cannot ask the module hooks where imports resolve: it has no resolver of its own (bundled or CommonJS), and loading ${url.href} with require() failed (${describeError(error)})`;
  }
}

/**
 * Does any code but Node's module loader run between hotpath's call of `resolve` and Node's
 * own resolution? `resolve` (the next step of the resolve chain) is asked for `missing`, a file
 * that does not exist, so Node's resolution throws. hotpath's frame in that error's stack is found by depth, not by file name: in a bundle
 * the user's hooks and hotpath share one file. The frames below the caller's, counted from the
 * bottom of a stack taken in the same call, must all be Node's module loader's. Anything else
 * (a hook's frame, a frame-less error, no error, stacks that do not line up) says yes.
 * `ownDepth` says how deep hotpath's own resolve hook was when it saw `missing` (its stack's
 * length): that one frame is hotpath's, not another hook's (sync.ts resolveFilenameCheck).
 */
export function anyHookBelow<C>(resolve: (specifier: string, context: C) => unknown, missing: string, context: C, ownDepth?: () => number | undefined): boolean {
  try {
    // Only the limit changes while the hooks run; the frames are read afterwards (stack-frames.ts).
    const taken = withStackLimit(Infinity, () => probe(resolve, missing, context));
    if (taken?.value === undefined) return true;
    const here = callSitesOf(taken.value.here);
    const thrown = callSitesOf(taken.value.thrown);
    if (here === undefined || thrown === undefined) return true;
    // `here` is [probe, its callers…]; `thrown` is [loader…, hooks…, probe, its callers…].
    const below = thrown.length - here.length;
    if (below < 0) return true;
    const depth = ownDepth?.();
    const own = depth === undefined ? -1 : thrown.length - depth;
    for (let i = 0; i < thrown.length; i++) {
      const file = thrown[i]!.getFileName?.();
      if (i < below) {
        if (i === own) continue;
        if (typeof file !== 'string' || !file.startsWith('node:internal/modules/')) return true;
      } else if (file !== here[i - below]!.getFileName?.()) {
        return true;
      }
    }
    return false;
  } catch {
    return true;
  }
}

/** Two errors made in one frame: one here, and what resolving `missing` threw; undefined when it did not throw. */
function probe<C>(resolve: (specifier: string, context: C) => unknown, missing: string, context: C): { here: Error; thrown: unknown } | undefined {
  const here = new Error();
  try {
    resolve(missing, context); // called from this frame, not through a closure: the frame below it is the resolver's
    return undefined;
  } catch (error) {
    return { here, thrown: error };
  }
}

function describeError(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'an unprintable value';
  }
}
