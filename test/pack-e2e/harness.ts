/**
 * Installs hotpath the way users do: `npm pack` of this repository (built by `npm test`)
 * once into a temporary folder, then temporary projects that `npm i` the tarball and pinned
 * versions of the tools. Projects with the same dependencies share one install (a
 * "dependency set"; each case is a folder inside it, so Node's resolution finds the set's
 * node_modules); all installs share the npm cache and run `--prefer-offline`.
 *
 * The matrix cell comes from the environment: HOTPATH_E2E_TS (5.9 or 6.0: the TypeScript
 * of the cases that use `typescript` itself) and HOTPATH_E2E_NODE (the Node major that runs
 * the tools and the built programs; default this process's). scripts/test-matrix.mjs sets them.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { expect } from 'vitest';
import { REPO, nodeBinary, run, type ProcessResult } from '../e2e/harness.js';

export { REPO, run, type ProcessResult };

const TYPESCRIPT: Record<string, string> = { '5.9': '5.9.3', '6.0': '6.0.3' };
const THIS_NODE = Number(process.versions.node.split('.')[0]);

/** The matrix cell this run tests. */
export const CELL = {
  ts: process.env.HOTPATH_E2E_TS ?? '6.0',
  node: Number(process.env.HOTPATH_E2E_NODE ?? THIS_NODE),
} as const;
if (!TYPESCRIPT[CELL.ts]) throw new Error(`HOTPATH_E2E_TS=${CELL.ts}: expected one of ${Object.keys(TYPESCRIPT).join(', ')}`);

/** Every tool version the cases install, pinned. */
export const VERSIONS = {
  typescript: TYPESCRIPT[CELL.ts]!,
  typescript59: TYPESCRIPT['5.9']!,
  typescript60: TYPESCRIPT['6.0']!,
  typescript7: '7.0.2',
  typescript6: '6.0.2', // @typescript/typescript6
  typesNode: '20.19.43',
  tsPatch3: '3.3.0',
  tsPatch4: '4.0.1',
  jest: '30.5.2',
  tsJest: '29.4.15',
  webpack: '5.113.0',
  webpackCli: '6.0.1',
  tsLoader: '9.6.2',
  rollup: '4.68.8',
  rollupTypescript: '12.3.1',
  tslib: '2.9.1',
} as const;

export const FIXTURE = join(REPO, 'fixtures/apps/packaged');
/** STATIC_VARIABLE_LOAD calls in fixtures/apps/packaged/src/reader.ts, before and after addSite(). */
export const SITES = 5;
export const SITES_AFTER_EDIT = 6;
/** What the fixture computes with SEED=1024, worked out by hand (and checked against the uncompiled program). */
export const EXPECTED_VALUES = { isPoolAddress: true, label: 'fast:5', slotOf: 145 };
export const EXPECTED_VALUES_AFTER_EDIT = { ...EXPECTED_VALUES, limitDigits: 10 };
/** The line addSite() replaces with a new function and site reading `limit`, which no site read before. */
const EDIT_MARK = '// e2e: more sites';

const root = mkdtempSync(join(tmpdir(), 'hotpath-pack-e2e-'));
export const ROOT = root;

/** Removes every temporary project (call from afterAll) unless HOTPATH_E2E_KEEP=1. */
export function cleanUp(): void {
  if (process.env.HOTPATH_E2E_KEEP === '1') console.warn(`pack-e2e: kept ${root}`);
  else rmSync(root, { recursive: true, force: true });
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= make());
}

/** At most `limit` tasks at a time; the rest wait their turn (npm installs, on two cores). */
function limiter(limit: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    while (active >= limit) await new Promise<void>((go) => waiting.push(go));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
const installSlot = limiter(2);

function check(result: ProcessResult, what: string): ProcessResult {
  if (result.code !== 0) throw new Error(`${what} exited ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  return result;
}

/** The packed hotpath, once per process. */
export const tarball = once(async () => {
  if (!existsSync(join(REPO, 'build/compiler/cli.js'))) throw new Error('build/ is missing: run `npm run build` (npm test does)');
  const destination = join(root, 'pack');
  mkdirSync(destination);
  // build/ is fresh (npm test builds first); --ignore-scripts so packing does not rebuild it.
  const result = check(await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', destination], { cwd: REPO, timeout: 120_000 }), 'npm pack');
  const name = result.stdout.trim().split('\n').pop()!;
  return join(destination, name);
});

const nodes = new Map<number, Promise<string | undefined>>();
/** The node binary of a major version (npx fetches it once per process), undefined if npx cannot. */
export function nodeFor(major: number): Promise<string | undefined> {
  let node = nodes.get(major);
  if (!node) nodes.set(major, (node = nodeBinary(major)));
  return node;
}

/** The Node a case runs on: the cell's, or `atLeast` when the cell's is older (ts-patch 4 needs 22.15). */
export function nodeMajorFor(atLeast = 0): number {
  return Math.max(CELL.node, atLeast);
}

const sets = new Map<string, Promise<string>>();
/**
 * A folder with hotpath (from the tarball) and `dependencies` installed; one install per
 * distinct `name` + dependencies. `name` separates sets a case changes in place (ts-patch install).
 */
export function dependencySet(name: string, dependencies: Record<string, string>): Promise<string> {
  const id = `${name} ${JSON.stringify(dependencies)}`;
  let set = sets.get(id);
  if (!set) {
    set = installSlot(async () => {
      const dir = join(root, `set-${name}-${sets.size}`);
      mkdirSync(dir, { recursive: true });
      const hotpath = await tarball();
      writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: `e2e-${name}`, private: true, dependencies: { hotpath: `file:${hotpath}`, ...dependencies } }, null, 2)}\n`);
      const args = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];
      if (process.env.HOTPATH_E2E_NPM_CACHE) args.push('--cache', process.env.HOTPATH_E2E_NPM_CACHE);
      check(await run('npm', args, { cwd: dir, timeout: 300_000 }), `npm install in ${name} (${JSON.stringify(dependencies)})`);
      return dir;
    });
    sets.set(id, set);
  }
  return set;
}

export interface ProjectOptions {
  readonly type: 'module' | 'commonjs';
  /** tsconfig.json as an object (written as JSON) or as text (a snippet from the docs). */
  readonly tsconfig?: object | string;
  /** More files, path → contents. */
  readonly files?: Readonly<Record<string, string>>;
}

/** A case folder inside a dependency set: the fixture's src/, its package.json (no dependencies: the set's are found above). */
export function makeCase(set: string, name: string, options: ProjectOptions): string {
  const dir = join(set, name);
  mkdirSync(dir, { recursive: true });
  cpSync(join(FIXTURE, 'src'), join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: `e2e-${name}`, private: true, type: options.type })}\n`);
  const tsconfig = options.tsconfig ?? baseTsconfig(options.type === 'module' ? 'nodenext' : 'commonjs');
  writeFileSync(join(dir, 'tsconfig.json'), typeof tsconfig === 'string' ? tsconfig : `${JSON.stringify(tsconfig, null, 2)}\n`);
  for (const [file, text] of Object.entries(options.files ?? {})) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

/** The fixture's compiler options for a `module` setting. */
export function baseTsconfig(module: 'nodenext' | 'node16' | 'commonjs', extra: Record<string, unknown> = {}): object {
  return {
    compilerOptions: {
      target: 'ES2022',
      module,
      ...(module === 'commonjs' ? {} : { moduleResolution: module }),
      strict: true,
      skipLibCheck: true,
      types: ['node'],
      rootDir: 'src',
      outDir: 'dist',
      ...extra,
    },
    include: ['src'],
  };
}

/** Adds a function with one more site to the case's src/reader.ts; it reads `limit`, which no site read before. */
export function addSite(dir: string, configModule = './config.js'): void {
  const file = join(dir, 'src/reader.ts');
  const source = readFileSync(file, 'utf8');
  if (!source.includes(EDIT_MARK)) throw new Error(`${file}: the line ${EDIT_MARK} is missing`);
  const added = [
    `import { limit } from '${configModule}';`,
    'export function limitDigits(): number {',
    '  return String(STATIC_VARIABLE_LOAD(limit)).length;',
    '}',
  ].join('\n');
  writeFileSync(file, source.replace(EDIT_MARK, added));
}

/** The environment a tool or program runs with: the chosen node first on PATH, so `#!/usr/bin/env node` and child tools use it too. */
function envFor(node: string, env: Record<string, string> = {}): Record<string, string> {
  return { PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}`, NO_COLOR: '1', FORCE_COLOR: '0', ...env };
}

/** Runs an installed bin (`tsc`, `hotpath`, `tspc`, `jest`, …) of the set, under `node`, in `dir`. */
export function runBin(set: string, bin: string, args: readonly string[], options: { cwd: string; node: string; env?: Record<string, string>; timeout?: number }): Promise<ProcessResult> {
  const script = realpathSync(join(set, 'node_modules/.bin', bin));
  return run(options.node, [script, ...args], { cwd: options.cwd, env: envFor(options.node, options.env), timeout: options.timeout ?? 180_000 });
}

/** Runs a node script in `dir`. */
export function runNode(node: string, args: readonly string[], options: { cwd: string; env?: Record<string, string>; timeout?: number }): Promise<ProcessResult> {
  return run(node, args, { cwd: options.cwd, env: envFor(node, options.env), timeout: options.timeout ?? 120_000 });
}

export interface Output {
  values: Record<string, unknown>;
  sources: Record<string, string>;
  report: {
    sealed: boolean;
    hooks: string;
    modules: Array<{ module: string; hook: string; patched: number; sites: Array<{ site: number; var: string; patched: boolean; code?: string; literal?: string }> }>;
    loadedBeforeSeal: Array<{ module: string; sites: number }>;
    notPatched: Array<{ module: string; sites: number }>;
    registeredAfterSeal: string[];
    sitesPatched: number;
    sitesSkipped: number;
  };
}

/** Runs the built entry sealed with HOTPATH_REPORT=1; fails the test unless it exits 0 with the JSON line. */
export async function runSealed(node: string, dir: string, entry: string): Promise<{ output: Output; result: ProcessResult }> {
  const result = await runNode(node, [entry], { cwd: dir, env: { HOTPATH_REPORT: '1', SEED: '1024' } });
  expect(result.code, `node ${entry} exited ${result.code}\n${result.stderr}`).toBe(0);
  let output: Output;
  try {
    output = JSON.parse(result.stdout.trim().split('\n').pop()!) as Output;
  } catch {
    throw new Error(`node ${entry} printed no JSON line:\n${result.stdout}\n${result.stderr}`);
  }
  return { output, result };
}

const UNPATCHED_SLOT = /\(\/\*@hp:\d+\*\/ \((?:[\w$]+\.)?\w+\) \/\*@hp:\d+ *\*\/\)/;
const PATCHED_SLOT = /\(\/\*@hp:\d+\*\/ [^()]+? +\)/g;

/** Values right, every site of src/reader.ts patched, none left a load, the report printed at exit. */
export function expectPatched(run: { output: Output; result: ProcessResult }, sites: number, values: Record<string, unknown>, reader = 'src/reader.ts'): void {
  const { output, result } = run;
  expect(output.values).toEqual(values);
  expect(output.report.sealed).toBe(true);
  expect(output.report.notPatched).toEqual([]);
  expect(output.report.loadedBeforeSeal).toEqual([]);
  expect(output.report.registeredAfterSeal).toEqual([]);
  expect(output.report.modules.map((m) => ({ module: m.module, patched: m.patched, sites: m.sites.length, skipped: m.sites.filter((s) => !s.patched).map((s) => `${s.var}: ${s.code}`) }))).toEqual([
    { module: reader, patched: sites, sites, skipped: [] },
  ]);
  expect({ patched: output.report.sitesPatched, skipped: output.report.sitesSkipped }).toEqual({ patched: sites, skipped: 0 });
  const code = Object.values(output.sources).join('\n');
  expect(code).not.toMatch(UNPATCHED_SLOT);
  expect(code.match(PATCHED_SLOT) ?? []).toHaveLength(sites);
  expect(result.stderr).toContain('hotpath boot report: sealed');
  expect(result.stderr).toContain(`${reader}  ${sites}/${sites} sites`);
}

/** No tool output may show an internal error or a stack trace of hotpath's. */
/** The cell's (or `major`'s) node binary, or a skip that says why. */
export async function nodeOrSkip(ctx: { skip: (note?: string) => void }, major: number = CELL.node): Promise<string> {
  const node = await nodeFor(major);
  if (!node) {
    console.warn(`SKIPPED: npx could not fetch node@${major}`);
    ctx.skip(`npx could not fetch node@${major}`);
  }
  return node!;
}

/** A tool's run succeeded: exit 0, no crash. */
export function expectBuilt(result: ProcessResult, what: string): void {
  expectNoCrash(result);
  expect(result.code, `${what} exited ${result.code}\n${result.stdout}\n${result.stderr}`).toBe(0);
}

export function expectNoCrash(result: ProcessResult): void {
  const text = result.stdout + result.stderr;
  expect(text).not.toMatch(/internal error|Debug Failure|TypeError|ReferenceError|^\s+at .*node_modules[\\/]hotpath[\\/]/m);
}

export interface DocSnippet {
  /** docs/integrations/<page>.md */
  readonly page: string;
  readonly text: string;
}

/**
 * The first fenced block of `lang` in docs/integrations/ that contains every string of
 * `mustContain`: the pages named in `pages` first, then the others. Undefined when no page
 * has one (the case then uses its own config, and says so in its name).
 */
export function docSnippet(pages: readonly string[], lang: string, mustContain: readonly string[]): DocSnippet | undefined {
  const dir = join(REPO, 'docs/integrations');
  if (!existsSync(dir)) return undefined;
  const all = readdirSync(dir).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3)).sort();
  const order = [...pages.filter((p) => all.includes(p)), ...all.filter((p) => !pages.includes(p))];
  const fence = /^```(\w*)[^\n]*\n([\s\S]*?)^```/gm;
  for (const page of order) {
    for (const match of readFileSync(join(dir, `${page}.md`), 'utf8').matchAll(fence)) {
      if (match[1] === lang && mustContain.every((m) => match[2]!.includes(m))) return { page: `docs/integrations/${page}.md`, text: match[2]! };
    }
  }
  return undefined;
}

/** For a test's name: where its config came from. */
export function configSource(snippet: DocSnippet | undefined, what: string): string {
  return snippet ? `config from ${snippet.page}` : `no ${what} snippet in docs/integrations/: built-in config`;
}

/** Parses a JSON-with-comments tsconfig snippet (comments, trailing commas) into an object. */
export function parseJsonc(text: string): Record<string, any> {
  const noComments = text.replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (_m, str: string | undefined) => str ?? '');
  return JSON.parse(noComments.replace(/,(\s*[}\]])/g, '$1'));
}
