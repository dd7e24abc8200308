/**
 * The bundler plugins, one unplugin factory for every bundler (thin adapters over the pure
 * parts: module-transform.ts, build-state.ts, bundle-plan.ts).
 *
 * - `transform`: each module's markers become site carriers, its module-level variables
 *   registration carriers (carrier-text.ts); what it imports and exports is recorded.
 * - after minification — Rollup, Vite, Rolldown: `generateBundle` (every `renderChunk`,
 *   terser's and the built-in minifiers', has run; checked in test/bundler); esbuild: `onEnd`,
 *   over the output files; webpack, rspack: `processAssets` after the minimize stage —
 *   the carriers in each final chunk become the site format, and the chunk's source map
 *   is chained with the bundler's.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import remapping from '@jridgewell/remapping';
import type { PartialMessage } from 'esbuild';
import { createUnplugin, type UnpluginBuildContext, type UnpluginContext, type UnpluginContextMeta, type UnpluginFactory, type UnpluginOptions } from 'unplugin';
import { BuildState, type LinkedDiagnostic } from './build-state.js';
import { CARRIERS_MODULE } from './carrier-text.js';
import { planBundle, type OutputChunk } from './bundle-plan.js';
import type { ChunkParser } from './chunk-scan.js';
import { carryMap, type ChunkFormat, type ChunkWriteResult } from './chunk-write.js';
import { BundlerCode, formatDiagnostic, type BundlerDiagnostic } from './codes.js';
import { transformModule, type ModuleGraph, type Resolve } from './module-transform.js';

export interface HotpathPluginOptions {
  /** Project directory: module keys are paths from it. Default: the bundler's root (Vite), else process.cwd(). */
  readonly root?: string;
  /** Modules to transform, by id (default: every .js/.mjs/.cjs/.jsx/.ts/.mts/.cts/.tsx module outside node_modules). */
  readonly include?: (id: string) => boolean;
  /** Width of each slot's closing comment (runtime/site-format.ts DEFAULT_SLOT_WIDTH by default). */
  readonly slotWidth?: number;
}

const SCRIPT = /\.[cm]?[jt]sx?$/;
export const defaultInclude = (id: string): boolean => SCRIPT.test(id.replace(/[?#].*$/, '')) && !id.includes(`${sep}node_modules${sep}`) && !id.includes('/node_modules/') && !id.startsWith('\0');

type Reporter = (diagnostic: BundlerDiagnostic) => void;

export const hotpathUnpluginFactory: UnpluginFactory<HotpathPluginOptions | undefined, false> = (options = {}, meta) => {
  let root = resolve(options.root ?? process.cwd());
  const include = options.include ?? defaultInclude;
  const state = new BuildState();
  const moduleKey = (id: string): string => {
    const file = id.replace(/[?#].*$/, '');
    const rel = isAbsolute(file) ? relative(root, file) : file;
    return rel.split(sep).join('/');
  };

  /** Writes the site format into the output chunks; reports what it could not do, each message once. */
  const finish = (
    chunks: readonly OutputChunk[],
    chunkKey: (fileName: string) => string,
    report: Reporter,
    reportLinked: (d: LinkedDiagnostic) => void,
    parser?: ChunkParser,
  ): ReadonlyMap<string, ChunkWriteResult> => {
    const linked = state.link();
    for (const d of linked.diagnostics) reportLinked(d);
    const result = planBundle({
      chunks,
      sites: linked.sites,
      chunkKey,
      ...(options.slotWidth === undefined ? {} : { slotWidth: options.slotWidth }),
      ...(parser ? { parser } : {}),
    });
    const seen = new Set<string>();
    const once = (d: BundlerDiagnostic) => {
      const text = formatDiagnostic(d);
      if (!seen.has(text)) {
        seen.add(text);
        report(d);
      }
    };
    result.diagnostics.forEach(once);
    // A chunk that does not parse is HP1105's to name; HP1101 would blame a plugin for removing the sites.
    if (state.markerCount > 0 && result.slots === 0 && !result.diagnostics.some((d) => d.code === BundlerCode.chunkUnparsed)) {
      once({
        code: BundlerCode.noSlotInOutput,
        message:
          `hotpath rewrote ${state.markerCount} STATIC_VARIABLE_LOAD call(s), but no chunk of the output holds a site: nothing will be patched at boot (the program stays correct). ` +
          'A plugin that runs after hotpath may have removed them, or hotpath ran only in part of the build. Put hotpath() in the plugins of the build that writes the output (docs/bundlers.md).',
      });
    }
    return result.chunks;
  };

  // The modules a transform's imports name, read from their files: markers re-exported through the user's own modules.
  const graph: ModuleGraph = {
    read: async (id) => (include(id) ? readFile(id.replace(/[?#].*$/, ''), 'utf8').catch(() => undefined) : undefined),
    moduleKey,
    stripTypes: async (code, id) => {
      const stripped = stripWithNode(code, id);
      if (stripped !== undefined) return { code: stripped, byNode: true };
      // Node < 22.13 (or TypeScript its stripper refuses): oxc's, which Vite 8 and Rolldown install; elsewhere this throws and the module is not known to re-export the marker.
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- rolldown/utils is newer than the rolldown versions this supports
      const { transformSync } = await import('rolldown/experimental');
      return { code: transformSync(id, code).code };
    },
    analyses: new Map(),
  };

  const transform: UnpluginOptions['transform'] = {
    filter: { id: { include: SCRIPT } },
    async handler(this: UnpluginBuildContext & UnpluginContext & { resolve?: unknown }, code: string, id: string) {
      if (!include(id)) return null;
      const result = await transformModule(code, id, {
        moduleKey: moduleKey(id),
        resolve: resolverFor(this, meta),
        stripTypes: typeStripperFor(this, meta),
        graph,
      });
      if (result.kind === 'unchanged') return null;
      state.setModule(id, moduleKey(id), result.analysis, result.resolutions, result.position);
      if (result.kind === 'analysed') return null;
      return { code: result.code, map: result.map as never };
    },
  };

  return {
    name: 'hotpath',
    enforce: 'post',
    transform,
    vite: {
      // The build's half; in development (the dev server, vite-node, vitest) vite.ts adds hotpath:dev (dev-transform.ts).
      apply: 'build',
      configResolved(config: { root: string }) {
        if (options.root === undefined) root = config.root;
      },
      resolveId: carriersLikeRuntime,
      generateBundle(outputOptions, bundle) {
        rollupFinish.call(this, outputOptions, bundle);
      },
    },
    rollup: {
      resolveId: carriersLikeRuntime,
      generateBundle(outputOptions, bundle) {
        rollupFinish.call(this, outputOptions, bundle);
      },
    },
    rolldown: {
      resolveId: carriersLikeRuntime as never,
      generateBundle(outputOptions, bundle) {
        rollupFinish.call(this, outputOptions as never, bundle as never);
      },
    },
    esbuild: {
      setup(build) {
        build.initialOptions.metafile = true;
        build.onEnd((result) => {
          const options = build.initialOptions;
          const format: ChunkFormat = options.format === 'esm' ? 'esm' : 'cjs';
          const cwd = options.absWorkingDir ?? process.cwd();
          const outdir = options.outdir ? resolve(cwd, options.outdir) : options.outfile ? dirname(resolve(cwd, options.outfile)) : cwd;
          // Returned from onEnd, esbuild reports them (and fails the build on an error).
          const errors: PartialMessage[] = [];
          const warnings: PartialMessage[] = [];
          const report: Reporter = (d) => void warnings.push({ id: d.code, text: formatDiagnostic(d) });
          const reportLinked = (d: LinkedDiagnostic) =>
            void (d.severity === 'error' ? errors : warnings).push({ id: d.code, text: linkedText(d), location: { file: d.id, line: d.line, column: d.column - 1 } });
          const messages = () => (errors.length + warnings.length > 0 ? { errors, warnings } : undefined);
          if (result.outputFiles) {
            const files = result.outputFiles;
            const chunks = files.filter((f) => SCRIPT.test(f.path)).map((f) => ({ fileName: toPosix(relative(outdir, f.path)), code: f.text, format }));
            const written = finish(chunks, (f) => moduleKey(join(outdir, f)), report, reportLinked);
            for (let i = 0; i < files.length; i++) {
              const file = files[i]!;
              const change = written.get(toPosix(relative(outdir, file.path)));
              if (!change) continue;
              const before = file.text;
              files[i] = outputFile(file.path, change.code);
              const mapIndex = files.findIndex((f) => f.path === `${file.path}.map`);
              if (mapIndex >= 0) files[mapIndex] = outputFile(`${file.path}.map`, chainMap(change, before, files[mapIndex]!.text));
            }
            return messages();
          }
          const outputs = Object.keys(result.metafile?.outputs ?? {}).map((p) => resolve(cwd, p)).filter((p) => SCRIPT.test(p) && existsSync(p));
          const chunks = outputs.map((p) => ({ fileName: toPosix(relative(outdir, p)), code: readFileSync(p, 'utf8'), format }));
          const written = finish(chunks, (f) => moduleKey(join(outdir, f)), report, reportLinked);
          for (const [i, path] of outputs.entries()) {
            const change = written.get(toPosix(relative(outdir, path)));
            if (!change) continue;
            writeFileSync(path, change.code);
            if (existsSync(`${path}.map`)) writeFileSync(`${path}.map`, chainMap(change, chunks[i]!.code, readFileSync(`${path}.map`, 'utf8')));
          }
          return messages();
        });
      },
    },
    webpack(compiler) {
      webpackLikeFinish(compiler as unknown as WebpackLikeCompiler);
    },
    rspack(compiler) {
      webpackLikeFinish(compiler as unknown as WebpackLikeCompiler);
    },
  };

  /** The carriers module is external exactly when `hotpath` is (Rollup without a resolver, Vite's SSR externals, `external: ['hotpath']`). */
  async function carriersLikeRuntime(
    this: { resolve: (source: string, importer?: string, options?: object) => Promise<{ id: string; external?: boolean | string } | null> },
    source: string,
    importer: string | undefined,
  ): Promise<{ id: string; external: true } | null> {
    if (source !== CARRIERS_MODULE) return null;
    const runtime = await this.resolve('hotpath', importer, { skipSelf: true });
    return runtime === null || runtime.external ? { id: CARRIERS_MODULE, external: true } : null;
  }

  function rollupFinish(
    this: { warn: (w: { code: string; message: string }) => void; error: (e: { code: string; message: string }) => never; parse?: (code: string) => unknown },
    outputOptions: { format?: string; dir?: string; file?: string },
    bundle: Record<string, { type: string; fileName: string; code?: string; map?: unknown; sourcemapFileName?: string | null; source?: string | Uint8Array }>,
  ): void {
    const format: ChunkFormat = outputOptions.format === 'es' || outputOptions.format === 'esm' || outputOptions.format === 'module' || outputOptions.format === undefined ? 'esm' : 'cjs';
    const outdir = resolve(outputOptions.dir ?? (outputOptions.file ? dirname(outputOptions.file) : root));
    const chunks = Object.values(bundle).flatMap((o) => (o.type === 'chunk' ? [{ fileName: o.fileName, code: o.code!, format }] : []));
    const errors: string[] = [];
    const written = finish(
      chunks,
      (f) => moduleKey(join(outdir, f)),
      (d) => this.warn({ code: d.code, message: formatDiagnostic(d) }),
      (d) => (d.severity === 'error' ? errors.push(linkedText(d)) : this.warn({ code: d.code, message: linkedText(d) })),
      typeof this.parse === 'function' ? (code) => this.parse!(code) as never : undefined,
    );
    if (errors.length > 0) this.error({ code: 'HOTPATH', message: errors.join('\n') });
    for (const [fileName, change] of written) {
      const chunk = bundle[fileName]!;
      const before = chunk.code!;
      chunk.code = change.code;
      if (chunk.map) {
        const chained = JSON.parse(chainMap(change, before, chunk.map)) as object;
        chunk.map = Object.assign(chunk.map, chained);
        const asset = chunk.sourcemapFileName ? bundle[chunk.sourcemapFileName] : bundle[`${fileName}.map`];
        if (asset?.type === 'asset') asset.source = JSON.stringify(chained);
      }
    }
  }

  function webpackLikeFinish(compiler: WebpackLikeCompiler): void {
    const { Compilation, sources } = compiler.webpack;
    compiler.hooks.thisCompilation.tap('hotpath', (compilation) => {
      compilation.hooks.processAssets.tap({ name: 'hotpath', stage: Compilation.PROCESS_ASSETS_STAGE_OPTIMIZE_SIZE + 1 }, () => {
        const format: ChunkFormat = compiler.options.output?.module ? 'esm' : 'cjs';
        const outdir = compiler.options.output?.path ?? root;
        const names = compilation.getAssets().map((a) => a.name).filter((n) => SCRIPT.test(n));
        const originals = new Map(names.map((name) => [name, compilation.getAsset(name)!.source.sourceAndMap()]));
        const chunks = names.map((name) => ({ fileName: name, code: String(originals.get(name)!.source), format }));
        const report: Reporter = (d) => compilation.warnings.push(new compiler.webpack.WebpackError(formatDiagnostic(d)));
        const reportLinked = (d: LinkedDiagnostic) => (d.severity === 'error' ? compilation.errors : compilation.warnings).push(new compiler.webpack.WebpackError(linkedText(d)));
        const written = finish(chunks, (f) => moduleKey(join(outdir, f)), report, reportLinked);
        for (const [name, change] of written) {
          const original = originals.get(name)!;
          const source =
            original.map && change.map
              ? new sources.SourceMapSource(change.code, name, change.map, String(original.source), original.map, true)
              : new sources.RawSource(change.code);
          compilation.updateAsset(name, source);
        }
      });
    });
  }
};

/** The parts of webpack's and rspack's compiler this plugin uses. */
interface WebpackLikeCompiler {
  webpack: {
    Compilation: { PROCESS_ASSETS_STAGE_OPTIMIZE_SIZE: number };
    sources: { SourceMapSource: new (code: string, name: string, map: object, original: string, originalMap: object, removeOriginalSource: boolean) => unknown; RawSource: new (code: string) => unknown };
    WebpackError: new (message: string) => Error;
  };
  options: { output?: { module?: boolean; path?: string } };
  hooks: { thisCompilation: { tap(name: string, fn: (compilation: WebpackLikeCompilation) => void): void } };
}
interface WebpackLikeCompilation {
  hooks: { processAssets: { tap(options: { name: string; stage: number }, fn: () => void): void } };
  getAssets(): ReadonlyArray<{ name: string }>;
  getAsset(name: string): { source: { sourceAndMap(): { source: string | Buffer; map: object | null } } } | undefined;
  updateAsset(name: string, source: unknown): void;
  warnings: Error[];
  errors: Error[];
}

/** A front-end diagnostic as a bundler message: code, message (it names file:line:col), what to do. */
function linkedText(d: LinkedDiagnostic): string {
  return `${d.code}: ${d.message}\n  ${d.hint}`;
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

/** The written chunk's map: the bundler's (minified chunk → sources) moved through the edits (chunk-write.ts carryMap), else chained with this step's map. */
function chainMap(change: ChunkWriteResult, before: string, theirs: object | string): string {
  const carried = change.edits ? carryMap(before, change.edits, theirs) : undefined;
  if (carried) return JSON.stringify(carried);
  if (!change.map) return typeof theirs === 'string' ? theirs : JSON.stringify(theirs);
  const inner: unknown = typeof theirs === 'string' ? JSON.parse(theirs) : theirs;
  return JSON.stringify(remapping([change.map as never, inner as never], () => null));
}

function outputFile(path: string, text: string): { path: string; contents: Uint8Array; hash: string; text: string } {
  const contents = Buffer.from(text, 'utf8');
  return { path, contents, hash: '', text };
}

/** How a module's import specifiers resolve, through the bundler's own resolver. */
function resolverFor(context: UnpluginBuildContext & { resolve?: unknown }, _meta: UnpluginContextMeta): Resolve {
  if (typeof context.resolve === 'function') {
    const rollupResolve = context.resolve as (source: string, importer: string) => Promise<{ id: string; external?: boolean | string } | null>;
    return async (specifier, importer) => {
      const found = await rollupResolve.call(context, specifier, importer);
      return found === null ? undefined : found.external ? 'external' : found.id;
    };
  }
  const native = context.getNativeBuildContext?.();
  if (native?.framework === 'esbuild') {
    return async (specifier, importer) => {
      const found = await native.build.resolve(specifier, { kind: 'import-statement', resolveDir: dirname(importer), importer });
      return found.errors.length > 0 ? undefined : found.external ? 'external' : found.path;
    };
  }
  if ((native?.framework === 'webpack' || native?.framework === 'rspack') && native.loaderContext) {
    const resolveWith = (native.loaderContext as unknown as { getResolve: (o: object) => (context: string, request: string) => Promise<string | false> }).getResolve({ dependencyType: 'esm' });
    return async (specifier, importer) => {
      try {
        const found = await resolveWith(dirname(importer), specifier);
        return found === false ? 'external' : found;
      } catch {
        return undefined;
      }
    };
  }
  return () => Promise.resolve(undefined);
}

/**
 * Where the bundler hands plugins TypeScript (Rolldown, esbuild), the types are stripped
 * first. Node's own stripper (node:module stripTypeScriptTypes, Node >= 22.13) replaces types
 * with spaces: every offset stays, and so do the comments the front end reads (`@boot`).
 * Without it (or for TypeScript it cannot strip: enums, namespaces), the bundler's transform
 * (oxc keeps comments; esbuild drops them, so its `@boot` functions are not seen: HP1007).
 */
function typeStripperFor(context: UnpluginBuildContext, meta: UnpluginContextMeta): ((code: string, id: string) => Promise<{ code: string; map?: object }>) | undefined {
  const native = meta.framework === 'esbuild' ? context.getNativeBuildContext?.() : undefined;
  if (meta.framework !== 'rolldown' && native?.framework !== 'esbuild') return undefined;
  return async (code, id) => {
    const stripped = stripWithNode(code, id);
    if (stripped !== undefined) return { code: stripped, byNode: true };
    if (native?.framework === 'esbuild') {
      const loader = /\.[cm]?tsx$/.test(id) ? 'tsx' : 'ts';
      const out = await native.build.esbuild.transform(code, { loader, sourcemap: 'external', sourcefile: id });
      return { code: out.code, map: JSON.parse(out.map) as object };
    }
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- rolldown/utils is newer than the rolldown versions this supports
    const { transformSync } = await import('rolldown/experimental');
    const out = transformSync(id, code, { sourcemap: true });
    return { code: out.code, ...(out.map ? { map: out.map } : {}) };
  };
}

function stripWithNode(code: string, id: string): string | undefined {
  if (/\.[cm]?tsx$/.test(id)) return undefined; // JSX is not for Node's stripper
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- process.getBuiltinModule is not in every Node this runs on
  const nodeModule = process.getBuiltinModule?.('node:module') as { stripTypeScriptTypes?: (code: string, options?: object) => string } | undefined;
  if (typeof nodeModule?.stripTypeScriptTypes !== 'function') return undefined;
  try {
    return nodeModule.stripTypeScriptTypes(code, { mode: 'strip' });
  } catch {
    return undefined;
  }
}

export const hotpathUnplugin = createUnplugin(hotpathUnpluginFactory);
