/**
 * webpack and rspack bundling hotpath: the files module.register needs on Node < 22.15.
 *
 * There the runtime registers build/runtime/hooks/offthread-loader.js (written as
 * `new URL('./hooks/offthread-loader.js', import.meta.url)`), which webpack and rspack emit
 * as an asset beside the chunks — that one file, without the modules it imports, so
 * `module.register` fails and nothing is patched (HP2014). This names the asset `.mjs`, emits
 * the loader's module graph, as the package has it, into a folder of its own beside the asset
 * (a `"type": "module"` package.json in it: the user's may say commonjs), and makes the asset
 * a re-export of the loader there.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parse } from 'acorn';

/** The file the runtime hands module.register, by path from the runtime's folder (build/runtime). */
const LOADER = 'hooks/offthread-loader.js';

export interface LoaderGraph {
  /** The loader and every module it imports, by path from the runtime's folder (posix), with their text. */
  readonly files: ReadonlyMap<string, string>;
}

/** Is `file` (a module's path) hotpath's loader: at hooks/offthread-loader.js in a runtime folder two below a package.json named hotpath? */
export function isHotpathLoader(file: unknown): file is string {
  return typeof file === 'string' && file.split(/[\\/]/).slice(-2).join('/') === LOADER && isHotpathRuntime(dirname(dirname(file)));
}

/** hotpath's loader (`loaderFile`) and the relative imports it reaches, read from disk; undefined when one cannot be read or parsed. */
export function loaderGraph(loaderFile: string): LoaderGraph | undefined {
  try {
    return readGraph(loaderFile);
  } catch {
    return undefined;
  }
}

function readGraph(loaderFile: string): LoaderGraph | undefined {
  const folder = dirname(dirname(loaderFile));
  const files = new Map<string, string>();
  const pending = [LOADER];
  while (pending.length > 0) {
    const path = pending.pop()!;
    if (files.has(path)) continue;
    const file = join(folder, ...path.split('/'));
    if (!existsSync(file)) return undefined;
    const text = readFileSync(file, 'utf8');
    files.set(path, text);
    for (const specifier of relativeImports(text)) {
      const target = relative(folder, resolve(dirname(file), specifier)).split(sep).join('/');
      if (target.startsWith('../')) return undefined; // the runtime's loader imports only from the runtime's folder
      pending.push(target);
    }
  }
  return { files };
}

/** The files to emit for a loader asset named `assetName`: the stub that replaces it, and the folder beside it. */
export function loaderAssets(assetName: string, graph: LoaderGraph): { stub: string; files: ReadonlyMap<string, string> } {
  const hash = createHash('sha256');
  for (const [path, text] of [...graph.files].sort(([a], [b]) => (a < b ? -1 : 1))) hash.update(path).update('\0').update(text).update('\0');
  const folder = `hotpath-loader-${hash.digest('hex').slice(0, 12)}`;
  const base = assetName.includes('/') ? assetName.slice(0, assetName.lastIndexOf('/') + 1) : '';
  const files = new Map<string, string>([[`${base}${folder}/package.json`, '{ "type": "module" }\n']]);
  for (const [path, text] of graph.files) files.set(`${base}${folder}/${path}`, text);
  return { stub: `export * from ${JSON.stringify(`./${folder}/${LOADER}`)};\n`, files };
}

function isHotpathRuntime(folder: string): boolean {
  const manifest = join(folder, '..', '..', 'package.json');
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'hotpath';
  } catch {
    return false;
  }
}

/** Relative specifiers of `import … from`, `export … from` and `import('…')` with a string, by parsing (acorn). */
function relativeImports(text: string): string[] {
  const out: string[] = [];
  const program = parse(text, { ecmaVersion: 'latest', sourceType: 'module' }) as unknown as { body: AstNode[] };
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    const n = node as AstNode;
    if ((n.type === 'ImportDeclaration' || n.type === 'ExportAllDeclaration' || n.type === 'ExportNamedDeclaration' || n.type === 'ImportExpression') && n.source?.type === 'Literal') {
      const value = n.source.value;
      if (typeof value === 'string' && (value.startsWith('./') || value.startsWith('../'))) out.push(value);
    }
    for (const key of Object.keys(n)) if (key !== 'type') visit((n as unknown as Record<string, unknown>)[key]);
  };
  visit(program.body);
  return out;
}

interface AstNode {
  type: string;
  source?: { type: string; value?: unknown } | null;
}

/** The parts of webpack's and rspack's compiler this uses. */
interface WebpackLikeCompiler {
  context: string;
  options: { module?: { rules?: unknown[] } };
  webpack: {
    Compilation: { PROCESS_ASSETS_STAGE_OPTIMIZE_SIZE: number };
    sources: { RawSource: new (code: string) => unknown };
    WebpackError: new (message: string) => Error;
  };
  hooks: { thisCompilation: { tap(name: string, fn: (compilation: WebpackLikeCompilation) => void): void } };
}
interface WebpackLikeCompilation {
  hooks: { processAssets: { tap(options: { name: string; stage: number }, fn: () => void): void } };
  getAssets(): ReadonlyArray<{ name: string; info: { sourceFilename?: unknown } }>;
  getAsset(name: string): unknown;
  updateAsset(name: string, source: unknown): void;
  emitAsset(name: string, source: unknown, info?: object): void;
  warnings: Error[];
}

/** `plugin`, and after minification (the files are the package's, verbatim) the loader's modules beside its asset. */
export function withLoaderAssets<P extends { apply(compiler: never): void }>(plugin: P): P {
  const apply = plugin.apply.bind(plugin) as (compiler: WebpackLikeCompiler) => void;
  (plugin as { apply(compiler: WebpackLikeCompiler): void }).apply = (compiler) => {
    // Named .mjs, the asset is an ES module whatever the package.json above the output says ("type": "commonjs", or none:
    // then Node 20 warns MODULE_TYPELESS_PACKAGE_JSON and parses it twice).
    const module = (compiler.options.module ??= {});
    (module.rules ??= []).push({ test: (file: string) => isHotpathLoader(file), type: 'asset/resource', generator: { filename: '[contenthash].mjs' } });
    apply(compiler);
    const { Compilation, sources } = compiler.webpack;
    compiler.hooks.thisCompilation.tap('hotpath-loader', (compilation) => {
      compilation.hooks.processAssets.tap({ name: 'hotpath-loader', stage: Compilation.PROCESS_ASSETS_STAGE_OPTIMIZE_SIZE + 1 }, () => {
        for (const asset of compilation.getAssets()) {
          const source = asset.info.sourceFilename;
          if (typeof source !== 'string') continue;
          const file = resolve(compiler.context, source);
          if (!isHotpathLoader(file)) continue;
          const graph = loaderGraph(file);
          if (!graph) {
            compilation.warnings.push(
              new compiler.webpack.WebpackError(
                `hotpath: ${asset.name} is ${file}, but its modules could not be read: on Node < 22.15 module.register() will fail and nothing will be patched (the boot report says HP2014; the program stays correct).`,
              ),
            );
            continue;
          }
          const { stub, files } = loaderAssets(asset.name, graph);
          for (const [name, text] of files) if (!compilation.getAsset(name)) compilation.emitAsset(name, new sources.RawSource(text), { minimized: true });
          compilation.updateAsset(asset.name, new sources.RawSource(stub));
        }
      });
    });
  };
  return plugin;
}
