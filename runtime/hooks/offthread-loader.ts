/**
 * Runs on Node's hooks thread (registered by offthread.ts). ES modules only:
 * CommonJS arrives here without source and is patched by the require hook instead.
 */
import { anyHookBetween, mayHaveSites, nodeCanonicalUrl, patchModule, throughAnotherModule, type ModuleSource, type Patcher } from './common.js';
import { sealedPatcher, type SealedTable } from '../patch-source.js';
import { decodeRecordTable } from '../site-format.js';
import { framesAbove } from '../stack-frames.js';

interface LoadResult {
  format?: string | null;
  source?: ModuleSource;
}
interface ResolveContext {
  parentURL?: string;
  conditions?: readonly string[];
  importAttributes?: object;
}
type NextResolve = (specifier: string, context?: ResolveContext) => Promise<{ url: string }>;
interface Port {
  postMessage(message: unknown): void;
}

let patch: Patcher = sealedPatcher(new Map());
let port: Port | undefined;
let canonicalUrl: ((url: string) => string) | undefined;
/** [0] is set by the main thread when a module hook is registered after seal() (offthread.ts). */
let hookAfterSeal: Int32Array | undefined;
/** The hooks registered before this one, and Node's resolution: the same chain for every call. */
let inner: { next: NextResolve; conditions?: readonly string[] } | undefined;
/** Does a hook registered before hotpath's run inside it (asked once: the chain is fixed)? */
let hooksInside: Promise<boolean> | undefined;
let utf8: TextDecoder | undefined;

export function initialize(data: { table: SealedTable; port: Port; preserveSymlinks: boolean; hookAfterSeal?: Int32Array }): void {
  patch = sealedPatcher(data.table);
  port = data.port;
  canonicalUrl = nodeCanonicalUrl(data.preserveSymlinks);
  hookAfterSeal = data.hookAfterSeal;
}

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<{ url: string }> {
  inner = { next: nextResolve, conditions: context.conditions };
  outerHook ??= hookAbove();
  return nextResolve(specifier, context);
}

/**
 * A hook registered after this one runs before it and calls it: node:test's mock.module registers
 * its own by a path module.register's wrapper does not see. Its frame is on the stack here (it
 * calls nextResolve before or after an await, in its own frame); with none, only Node's loader is.
 */
let outerHook: string | undefined;
const HOOKS_FILE = 'node:internal/modules/esm/hooks';
function hookAbove(): string | undefined {
  const frames = framesAbove(resolve, 32);
  if (frames === undefined) return 'the stack above hotpath\'s resolve hook could not be read';
  // Between this hook and Node's hook runner (Hooks#resolve) there is only Node's nextResolve, or another hook.
  for (const frame of frames) {
    const file = frame.getFileName?.();
    if (file !== HOOKS_FILE) return typeof file === 'string' ? file : 'a frame without a file name';
    if (frame.getFunctionName?.() === 'resolve') return undefined;
  }
  return 'Node\'s hook runner is not on the stack above hotpath\'s resolve hook';
}

export async function load(url: string, context: object, nextLoad: (url: string, context?: object) => Promise<LoadResult>): Promise<LoadResult> {
  const result = await nextLoad(url, context);
  if (result.format !== 'module' || !mayHaveSites(result.source)) return result;
  const text = typeof result.source === 'string' ? result.source : (utf8 ??= new TextDecoder()).decode(result.source);
  // Asked before patching (a hook's answer is async here; patchSource() is not): where each `from` resolves from this module.
  // With no hook that could redirect it, every answer is "not redirected": the table is not read a second time for it.
  const answers = (await anyHookMayRedirect()) ? await checkResolutions(url, text) : undefined;
  const checkResolution = (from: string, _declaringUrl: string, via: string | undefined) => answers?.get(answerKey(from, via));
  const { source, report } = patchModule(url, text, patch, 'register', { url, canonicalUrl, checkResolution });
  port?.postMessage(report);
  return source === text ? result : { ...result, source };
}

const answerKey = (from: string, via: string | undefined) => (via === undefined ? from : `${from}\n${via}`);

/** Does this module's import of each `from` reach the module Node's own resolution names? (sync.ts: the same question in-thread.) */
async function checkResolutions(url: string, text: string): Promise<Map<string, string | undefined>> {
  const answers = new Map<string, string | undefined>();
  const read = decodeRecordTable(text);
  if (read.kind !== 'table') return answers;
  for (const [from, via] of read.table.bindings) {
    const key = answerKey(from ?? '', via ?? undefined);
    if (from === null || from === '' || answers.has(key)) continue;
    answers.set(key, await checkResolution(url, from, via ?? undefined));
  }
  return answers;
}

/**
 * Could checkResolution() answer anything but "not redirected" for a `from` that resolves? Not when no
 * hook was registered after seal(), none runs above hotpath's, and none runs inside it. (A `from` that
 * does not resolve is a reason there, but patchSource() leaves its sites loads before asking: HP2016.)
 */
async function anyHookMayRedirect(): Promise<boolean> {
  if ((hookAfterSeal !== undefined && Atomics.load(hookAfterSeal, 0) !== 0) || outerHook !== undefined || inner === undefined) return true;
  return hooksInsideHotpath(inner);
}

/** Does a hook registered before hotpath's run inside it? Asked once, with a file that does not exist. */
function hooksInsideHotpath({ next, conditions }: { next: NextResolve; conditions?: readonly string[] }): Promise<boolean> {
  const probe = `./hotpath-resolution-probe-${process.pid}-${Date.now()}.js`;
  return (hooksInside ??= Promise.resolve(anyHookBetween(() => next(probe, { parentURL: import.meta.url, conditions, importAttributes: {} }), { files: [import.meta.url] })));
}

async function checkResolution(url: string, from: string, via: string | undefined): Promise<string | undefined> {
  if (hookAfterSeal !== undefined && Atomics.load(hookAfterSeal, 0) !== 0) {
    return 'a module hook was registered after seal() (module.register): it runs before hotpath\'s and may send this module\'s imports anywhere, so no site is patched from then on. Register module hooks before seal()';
  }
  if (outerHook !== undefined) {
    return `a module hook registered after seal() runs before hotpath's (${outerHook}; node:test's mock.module registers one): it may send this module's imports anywhere, so no site is patched from then on. Register module hooks and mocks before seal()`;
  }
  if (inner === undefined) return `hotpath's resolve hook has not seen a resolution: where ${JSON.stringify(from)} resolves from ${url} is unknown`;
  const chain = inner;
  const { next, conditions } = chain;
  let declaring: string;
  try {
    const joined = new URL(from, url).href;
    declaring = canonicalUrl?.(joined) ?? joined;
  } catch (error) {
    return `cannot resolve ${JSON.stringify(from)} against ${url} (${error instanceof Error ? error.message : String(error)})`;
  }
  // With no hook inside hotpath's, Node's resolution is the compiler's; else only the reader's own import can be asked.
  if (!(await hooksInsideHotpath(chain))) return undefined;
  if (via === undefined) return throughAnotherModule(url, declaring);
  let found: string;
  try {
    found = (await next(via, { parentURL: url, conditions, importAttributes: {} })).url;
  } catch (error) {
    return `resolving ${JSON.stringify(via)} from ${url} through the module hooks threw (${error instanceof Error ? error.message : String(error)})`;
  }
  const same = found === declaring || (!/[?#]/.test(found) && (canonicalUrl?.(found) ?? found) === declaring);
  return same ? undefined : `a module hook resolves ${JSON.stringify(via)} from ${url} to ${found}, not the sealed ${declaring}`;
}
