/**
 * End to end from `npm pack`: fixtures/apps/packaged through the other tools people build
 * TypeScript with — ts-patch 3 and 4 (`tspc`, `ts-patch install` + `tsc`, and + `hotpath
 * build`), ts-jest (CommonJS and ESM), ts-loader (webpack 5) and @rollup/plugin-typescript —
 * each with the config snippet of its docs/integrations/<tool>.md page when that page has one.
 * Each output runs sealed: values right, sites patched.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CELL,
  EXPECTED_VALUES,
  SITES,
  VERSIONS,
  baseTsconfig,
  cleanUp,
  configSource,
  dependencySet,
  docSnippet,
  expectBuilt,
  expectNoCrash,
  expectPatched,
  makeCase,
  nodeMajorFor,
  nodeOrSkip,
  type Output,
  parseJsonc,
  type ProcessResult,
  runBin,
  runNode,
  runSealed,
} from './harness.js';

const TIMEOUT = 420_000;
afterAll(cleanUp);

const typesNode = { '@types/node': VERSIONS.typesNode };

/** A marker call the pass rejects (HP1002: not a variable name). */
const BAD_FILE = { 'src/bad.ts': "import { STATIC_VARIABLE_LOAD } from 'hotpath';\nexport const bad = (n: number): number => STATIC_VARIABLE_LOAD(n + 1);\n" };

// ---------------------------------------------------------------- ts-patch
const tsPatchSnippet = docSnippet(['ts-patch', 'tsc-plugin', 'tspc'], 'json', ['"transform"', 'hotpath/compiler']) ?? docSnippet(['ts-patch', 'tsc-plugin', 'tspc'], 'jsonc', ['"transform"', 'hotpath/compiler']);
const tsPatchPlugins: unknown = tsPatchSnippet ? parseJsonc(tsPatchSnippet.text).compilerOptions?.plugins : [{ transform: 'hotpath/compiler' }];
const tsPatchConfig = (extra: Record<string, unknown> = {}) => baseTsconfig('nodenext', { plugins: tsPatchPlugins, ...extra });

const TS_PATCH = [
  { name: 'ts-patch 3', version: VERSIONS.tsPatch3, node: nodeMajorFor(), typescript: VERSIONS.typescript },
  // ts-patch 4 needs Node >= 22.15 and TypeScript >= 6: on an older cell it runs on Node 24, TypeScript 6.0.
  { name: 'ts-patch 4', version: VERSIONS.tsPatch4, node: CELL.node >= 22 ? CELL.node : 24, typescript: CELL.ts === '5.9' ? VERSIONS.typescript60 : VERSIONS.typescript },
] as const;

/**
 * The build failed with HP1002 at src/bad.ts, once. tsc prints every diagnostic as `error TS<code>`, so
 * through ts-patch the HP code can only lead the message; the number after `TS` must then be none of
 * TypeScript's own codes (`TS1002` is "Unterminated string literal.").
 */
async function expectHpErrorReported(result: ProcessResult, set: string, node: string): Promise<void> {
  expectNoCrash(result);
  expect(result.code).not.toBe(0);
  const text = result.stdout + result.stderr;
  const lines = text.split('\n').filter((line) => line.includes('HP1002'));
  expect(lines).toHaveLength(1);
  const match = /^src\/bad\.ts\(2,\d+\): error (?:TS(\d+): )?HP1002: /.exec(lines[0]!);
  expect(match, text).not.toBeNull();
  if (match![1] !== undefined) {
    const codes = await runNode(node, ['-p', "JSON.stringify(Object.values(require('typescript').Diagnostics).map((d) => d.code))"], { cwd: set });
    expect(JSON.parse(codes.stdout) as number[], `TS${match![1]} is one of TypeScript's own codes`).not.toContain(Number(match![1]));
  }
}

const installed = new Map<string, Promise<void>>();
/** `ts-patch install` once per set: it patches the set's node_modules/typescript in place. */
function tsPatchInstall(set: string, node: string): Promise<void> {
  let done = installed.get(set);
  if (!done) {
    done = runBin(set, 'ts-patch', ['install', '-s'], { cwd: set, node }).then((r) => {
      expectBuilt(r, 'ts-patch install');
      // It must really have patched typescript (ts-patch 4 on TypeScript 5.9 exits 0 without doing so).
      expect(readFileSync(join(set, 'node_modules/typescript/lib/typescript.js'), 'utf8'), 'typescript.js patched by ts-patch').toContain('TsPatchError');
    });
    installed.set(set, done);
  }
  return done;
}

describe.concurrent.each(TS_PATCH)(`$name ($version), TypeScript $typescript, Node $node (${configSource(tsPatchSnippet, 'ts-patch')})`, ({ version, node: major, typescript }) => {
  const plain = () => dependencySet(`ts-patch-${version}`, { typescript, 'ts-patch': version, ...typesNode });
  const patched = () => dependencySet(`ts-patch-${version}-installed`, { typescript, 'ts-patch': version, ...typesNode });

  it('tspc with "plugins": [{ "transform": "hotpath/compiler" }]: exit 0, output runs patched', { timeout: TIMEOUT }, async (ctx) => {
    const node = await nodeOrSkip(ctx, major);
    const set = await plain();
    const dir = makeCase(set, 'tspc', { type: 'module', tsconfig: tsPatchConfig() });
    expectBuilt(await runBin(set, 'tspc', ['-p', '.'], { cwd: dir, node }), 'tspc');
    expectPatched(await runSealed(node, dir, 'dist/main.js'), SITES, EXPECTED_VALUES);
  });

  it('tspc: an HP error fails the build like a tsc error, with its code and file', { timeout: TIMEOUT }, async (ctx) => {
    const node = await nodeOrSkip(ctx, major);
    const set = await plain();
    const dir = makeCase(set, 'tspc-error', { type: 'module', tsconfig: tsPatchConfig(), files: BAD_FILE });
    const result = await runBin(set, 'tspc', ['-p', '.'], { cwd: dir, node });
    await expectHpErrorReported(result, set, node);
  });

  it('tspc with noEmitOnError: an HP error skips the output and exits 1, as a type error does', { timeout: TIMEOUT }, async (ctx) => {
    const node = await nodeOrSkip(ctx, major);
    const set = await plain();
    const hp = makeCase(set, 'tspc-no-emit-on-error', { type: 'module', tsconfig: tsPatchConfig({ noEmitOnError: true }), files: BAD_FILE });
    const typeError = makeCase(set, 'tspc-no-emit-on-error-ts', { type: 'module', tsconfig: tsPatchConfig({ noEmitOnError: true }), files: { 'src/bad.ts': "export const bad: number = 'x';\n" } });
    const tsc = await runBin(set, 'tspc', ['-p', '.'], { cwd: typeError, node });
    expect({ code: tsc.code, emitted: existsSync(join(typeError, 'dist')) }, 'the type error, for comparison').toEqual({ code: 1, emitted: false });
    const result = await runBin(set, 'tspc', ['-p', '.'], { cwd: hp, node });
    expectNoCrash(result);
    expect(result.stdout + result.stderr).toMatch(/^src\/bad\.ts\(2,\d+\): error .*HP1002: /m);
    expect({ code: result.code, emitted: existsSync(join(hp, 'dist')) }).toEqual({ code: 1, emitted: false });
  });

  it('ts-patch install, then tsc: exit 0, output runs patched; an HP error fails tsc', { timeout: TIMEOUT }, async (ctx) => {
    const node = await nodeOrSkip(ctx, major);
    const set = await patched();
    await tsPatchInstall(set, node);
    const dir = makeCase(set, 'installed-tsc', { type: 'module', tsconfig: tsPatchConfig() });
    expectBuilt(await runBin(set, 'tsc', ['-p', '.'], { cwd: dir, node }), 'tsc (patched by ts-patch install)');
    expectPatched(await runSealed(node, dir, 'dist/main.js'), SITES, EXPECTED_VALUES);
    const bad = makeCase(set, 'installed-tsc-error', { type: 'module', tsconfig: tsPatchConfig(), files: BAD_FILE });
    const result = await runBin(set, 'tsc', ['-p', '.'], { cwd: bad, node });
    await expectHpErrorReported(result, set, node);
  });

  it('ts-patch install, then hotpath build with the plugin configured: the pass runs once, output runs patched', { timeout: TIMEOUT }, async (ctx) => {
    const node = await nodeOrSkip(ctx, major);
    const set = await patched();
    await tsPatchInstall(set, node);
    const dir = makeCase(set, 'installed-hotpath-build', { type: 'module', tsconfig: tsPatchConfig() });
    expectBuilt(await runBin(set, 'hotpath', ['build'], { cwd: dir, node }), 'hotpath build');
    const config = readFileSync(join(dir, 'dist/config.js'), 'utf8');
    expect(config.match(/registerStaticVariable as __hotpath_registerStaticVariable/g)).toHaveLength(1);
    expect(readFileSync(join(dir, 'dist/reader.js'), 'utf8').match(/\/\*@hotpath-sites:/g)).toHaveLength(1);
    expectPatched(await runSealed(node, dir, 'dist/main.js'), SITES, EXPECTED_VALUES);
  });
});

// ---------------------------------------------------------------- ts-jest
/** The jest test: the fixture's main.ts as a test, writing what main prints to $E2E_OUT. */
const JEST_TEST = `
import { writeFileSync } from 'node:fs';
import { bootReport, seal } from 'hotpath';
import { initConfig } from '../src/config.js';

declare const test: (name: string, run: () => Promise<void>) => void;

test('fixtures/apps/packaged, sealed', async () => {
  initConfig(1024);
  seal();
  const reader: Record<string, unknown> = await import('../src/reader.js');
  const values: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  for (const name of Object.keys(reader).sort()) {
    const fn = reader[name];
    if (typeof fn !== 'function') continue;
    values[name] = fn();
    sources[name] = String(fn);
  }
  writeFileSync(process.env.E2E_OUT!, JSON.stringify({ values, sources, report: bootReport() }, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) + 'n' : v)));
});
`;

/** The docs' ts-jest config (jest.config.json); the built-in one when the docs have none. */
const jestSnippet = docSnippet(['ts-jest', 'jest'], 'json', ['astTransformers']);
const JEST_CONFIG: Record<string, any> = jestSnippet
  ? parseJsonc(jestSnippet.text)
  : { transform: { '^.+\\.ts$': ['ts-jest', { astTransformers: { before: ['hotpath/compiler'] } }] } };

/** ES-module mode as the ts-jest page says: `useESM: true` in ts-jest's options, `extensionsToTreatAsEsm`, --experimental-vm-modules. */
function esmJestConfig(config: Record<string, any>): Record<string, any> {
  const transform = Object.fromEntries(
    Object.entries(config.transform as Record<string, unknown>).map(([pattern, entry]) =>
      Array.isArray(entry) && entry[0] === 'ts-jest' ? [pattern, ['ts-jest', { ...(entry[1] as object), useESM: true }]] : [pattern, entry],
    ),
  );
  return { ...config, extensionsToTreatAsEsm: ['.ts'], transform };
}

const JEST_MODES = [
  { mode: 'CommonJS', type: 'commonjs', module: 'commonjs', config: JEST_CONFIG, extra: {} },
  { mode: 'ESM', type: 'module', module: 'nodenext', config: esmJestConfig(JEST_CONFIG), extra: { NODE_OPTIONS: '--experimental-vm-modules' } },
] as const;

describe.concurrent(`ts-jest ${VERSIONS.tsJest}, jest ${VERSIONS.jest}, TypeScript ${VERSIONS.typescript}, Node ${CELL.node} (${configSource(jestSnippet, 'ts-jest')})`, () => {
  it.for(JEST_MODES)('$mode mode with astTransformers: the test passes, values right, the pass ran on every site, the report says none was patched', { timeout: TIMEOUT }, async (jestMode, ctx) => {
    const node = await nodeOrSkip(ctx, CELL.node);
    const set = await dependencySet('ts-jest', { typescript: VERSIONS.typescript, jest: VERSIONS.jest, 'ts-jest': VERSIONS.tsJest, ...typesNode });
    // The docs' config, plus what this fixture needs: `./x.js` imports of .ts files.
    const jestConfig = { ...jestMode.config, moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' } };
    const tsconfig = baseTsconfig(jestMode.module, { rootDir: '.' }) as { include: string[] };
    tsconfig.include = ['src', 'tests'];
    const dir = makeCase(set, `ts-jest-${jestMode.mode}`, {
      type: jestMode.type,
      tsconfig,
      files: { 'jest.config.json': JSON.stringify(jestConfig, null, 2), 'tests/packaged.test.ts': JEST_TEST },
    });
    const out = join(dir, 'out.json');
    const result = await runBin(set, 'jest', ['--ci', '--no-cache'], { cwd: dir, node, env: { E2E_OUT: out, ...jestMode.extra } });
    expectNoCrash(result);
    expect(result.code, `jest exited ${result.code}\n${result.stdout}\n${result.stderr}`).toBe(0);
    const output = JSON.parse(readFileSync(out, 'utf8')) as Output;
    expect(output.values).toEqual(EXPECTED_VALUES);
    // Jest loads modules itself, past Node's module hooks: the slots are there (the pass ran),
    // and the boot report says they were not patched rather than staying silent.
    expect(Object.values(output.sources).join('\n').match(/\/\*@hp:\d+\*\//g)).toHaveLength(SITES);
    expect(output.report.notPatched).toEqual([{ module: 'src/reader.ts', sites: SITES }]);
  });
});

// ---------------------------------------------------------------- ts-loader (webpack 5)
const webpackSnippet = docSnippet(['ts-loader', 'webpack'], 'js', ['getCustomTransformers']);
const WEBPACK_FALLBACK = `import { createHotpathTransformer } from 'hotpath/compiler';

export default {
  entry: './src/main.ts',
  resolve: { extensions: ['.ts', '.js'], extensionAlias: { '.js': ['.ts', '.js'] } },
  module: {
    rules: [{ test: /\\.ts$/, loader: 'ts-loader', options: { getCustomTransformers: (program, getProgram) => ({ before: [createHotpathTransformer(getProgram ?? program)] }) } }],
  },
};
`;
/**
 * The docs' webpack config (an ES module: webpack.docs.config.mjs) inside what a Node program
 * needs: target node, unminified (a minifier drops the sites, as the page says), output dist/main.js.
 */
const WEBPACK_APP = `import path from 'node:path';
import docs from './webpack.docs.config.mjs';

export default { mode: 'development', devtool: false, target: 'node', ...docs, output: { path: path.resolve('dist'), filename: 'main.js' } };
`;
const webpackSet = () => dependencySet('ts-loader', { typescript: VERSIONS.typescript, webpack: VERSIONS.webpack, 'webpack-cli': VERSIONS.webpackCli, 'ts-loader': VERSIONS.tsLoader, ...typesNode });

describe.concurrent(`ts-loader ${VERSIONS.tsLoader}, webpack ${VERSIONS.webpack}, TypeScript ${VERSIONS.typescript}, Node ${CELL.node} (${configSource(webpackSnippet, 'ts-loader')})`, () => {
  it('getCustomTransformers: webpack builds, the bundle runs sealed, values right; bundled sites stay loads and the boot report says why, each', { timeout: TIMEOUT }, async (ctx) => {
    const node = await nodeOrSkip(ctx, CELL.node);
    const set = await webpackSet();
    const dir = makeCase(set, 'ts-loader', {
      type: 'commonjs',
      tsconfig: baseTsconfig('nodenext'),
      files: { 'webpack.docs.config.mjs': webpackSnippet?.text ?? WEBPACK_FALLBACK, 'webpack.config.mjs': WEBPACK_APP },
    });
    expectBuilt(await runBin(set, 'webpack', [], { cwd: dir, node }), 'webpack');
    const { output } = await runSealed(node, dir, 'dist/main.js');
    expect(output.values).toEqual(EXPECTED_VALUES);
    // The pass ran once on every site: each function's source holds one slot per marker.
    expect(Object.values(output.sources).join('\n').match(/\/\*@hp:\d+\*\//g)).toHaveLength(SITES);
    expectEverySiteAccountedFor(output);
  });

  it('transpileOnly (no type information for the pass): webpack builds, values right, and the build says once that the pass did not run', { timeout: TIMEOUT }, async (ctx) => {
    const node = await nodeOrSkip(ctx, CELL.node);
    const set = await webpackSet();
    const docs = (webpackSnippet?.text ?? WEBPACK_FALLBACK).replace(/options:\s*\{/, 'options: { transpileOnly: true,');
    expect(docs, 'the config has a ts-loader options object to add transpileOnly to').toContain('transpileOnly: true');
    const dir = makeCase(set, 'ts-loader-transpile-only', {
      type: 'commonjs',
      tsconfig: baseTsconfig('nodenext'),
      files: { 'webpack.docs.config.mjs': docs, 'webpack.config.mjs': WEBPACK_APP },
    });
    const build = await runBin(set, 'webpack', [], { cwd: dir, node });
    expectNoCrash(build);
    const { output } = await runSealed(node, dir, 'dist/main.js');
    expect(output.values).toEqual(EXPECTED_VALUES);
    // Markers left as calls is correct; saying nothing about it is not.
    const said = (build.stdout + build.stderr).split('\n').filter((line) => /hotpath/i.test(line) && /\b(pass|STATIC_VARIABLE_LOAD)\b/.test(line));
    expect(said, build.stdout + build.stderr).toHaveLength(1);
  });
});

/** Sites a bundle leaves as loads: every one of SITES is in the boot report, patched or skipped with its code. */
function expectEverySiteAccountedFor(output: Output): void {
  const sites = output.report.modules.flatMap((m) => m.sites);
  const unaccounted = SITES - sites.length - output.report.notPatched.reduce((n, m) => n + m.sites, 0);
  expect(unaccounted, JSON.stringify(output.report)).toBe(0);
  for (const site of sites) expect(site.patched || /^HP20\d\d$/.test(site.code ?? ''), JSON.stringify(site)).toBe(true);
}

// ---------------------------------------------------------------- @rollup/plugin-typescript
const rollupSnippet = docSnippet(['rollup', 'rollup-plugin-typescript'], 'js', ['transformers', '@rollup/plugin-typescript']);
const ROLLUP_FALLBACK = `import typescript from '@rollup/plugin-typescript';
import { createHotpathTransformer } from 'hotpath/compiler';

export default {
  input: 'src/main.ts',
  output: { dir: 'dist', format: 'es' },
  external: ['hotpath'],
  plugins: [typescript({ transformers: { before: [{ type: 'program', factory: (program, getProgram) => createHotpathTransformer(getProgram ?? program) }] } })],
};
`;
/** The docs' config with `output.preserveModules: true`, which the page names for one file per module. */
const ROLLUP_PRESERVE_MODULES = `import docs from './rollup.docs.config.mjs';

export default { ...docs, output: { ...docs.output, preserveModules: true } };
`;

describe.concurrent(`@rollup/plugin-typescript ${VERSIONS.rollupTypescript}, rollup ${VERSIONS.rollup}, TypeScript ${VERSIONS.typescript}, Node ${CELL.node} (${configSource(rollupSnippet, 'rollup')})`, () => {
  const rollupSet = () => dependencySet('rollup', { typescript: VERSIONS.typescript, rollup: VERSIONS.rollup, '@rollup/plugin-typescript': VERSIONS.rollupTypescript, tslib: VERSIONS.tslib, ...typesNode });

  it('transformers with output.preserveModules: rollup builds, the output runs sealed, values right, sites patched', { timeout: TIMEOUT }, async (ctx) => {
    const node = await nodeOrSkip(ctx, CELL.node);
    const set = await rollupSet();
    const dir = makeCase(set, 'rollup-preserve-modules', {
      type: 'module',
      tsconfig: baseTsconfig('nodenext'),
      files: { 'rollup.docs.config.mjs': rollupSnippet?.text ?? ROLLUP_FALLBACK, 'rollup.config.mjs': ROLLUP_PRESERVE_MODULES },
    });
    expectBuilt(await runBin(set, 'rollup', ['-c'], { cwd: dir, node }), 'rollup -c');
    expectPatched(await runSealed(node, dir, 'dist/main.js'), SITES, EXPECTED_VALUES);
  });

  it('transformers, the config as the page has it (chunks): rollup builds, values right, every site patched or reported', { timeout: TIMEOUT }, async (ctx) => {
    const node = await nodeOrSkip(ctx, CELL.node);
    const set = await rollupSet();
    const dir = makeCase(set, 'rollup', { type: 'module', tsconfig: baseTsconfig('nodenext'), files: { 'rollup.config.mjs': rollupSnippet?.text ?? ROLLUP_FALLBACK } });
    expectBuilt(await runBin(set, 'rollup', ['-c'], { cwd: dir, node }), 'rollup -c');
    const { output } = await runSealed(node, dir, 'dist/main.js');
    expect(output.values).toEqual(EXPECTED_VALUES);
    expect(Object.values(output.sources).join('\n').match(/\/\*@hp:\d+\*\//g)).toHaveLength(SITES);
    expectEverySiteAccountedFor(output);
  });
});
