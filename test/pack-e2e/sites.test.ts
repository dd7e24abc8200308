/**
 * End to end from `npm pack`: `hotpath sites` over what TypeScript 7 (`tsc` of typescript@7,
 * the native compiler), swc, esbuild (per file, not bundled) and Babel (preset-typescript) emit
 * for test/pack-e2e/sites-app — aliased and namespace
 * marker imports, a re-export chain, number/bigint/boolean/string values, a module read
 * before seal() — run sealed on Node 22 and 24: the values are the unpatched run's, every
 * site of reader.ts is patched, early.ts is reported as loaded before seal(), and a stack
 * trace taken in reader.ts points at its TypeScript line (source maps chained).
 * A second `hotpath sites` refuses (HP1018) and changes nothing. esbuild drops the `/** @boot *\/`
 * tag unless it is a legal comment (`/** @boot @preserve *\/`): without, every site reading a
 * variable written in the @boot function is HP1007, and nothing is written.
 */
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, VERSIONS, cleanUp, dependencySet, expectBuilt, expectNoCrash, nodeOrSkip, runBin, runNode, type Output, type ProcessResult } from './harness.js';

const TIMEOUT = 420_000;
afterAll(cleanUp);

const APP = join(REPO, 'test/pack-e2e/sites-app');
/** Marker calls in sites-app/src/reader.ts (all patched) and early.ts (loaded before seal()). */
const READER_SITES = 6;
/** What the app computes with SEED=1024, worked out by hand. */
const EXPECTED = { earlyShift: 5, cube: '1073741825n', isPoolAddress: true, label: 'fast:true', slotOf: 145, where: 'src/reader.ts:27:17' };
const SWC = { '@swc/cli': '0.8.1', '@swc/core': '1.16.22' };
const devDependencies = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies;
/** esbuild and Babel as the project pins them. */
const ESBUILD = { esbuild: devDependencies.esbuild! };
const BABEL = { '@babel/core': devDependencies['@babel/core']!, '@babel/preset-typescript': devDependencies['@babel/preset-typescript']! };

/** esbuild's per-file transform of every src/*.ts (no bundle), ES modules, source maps beside. */
const ESBUILD_SCRIPT = `import { readdirSync } from 'node:fs';
import { build } from 'esbuild';

await build({ entryPoints: readdirSync('src').filter((f) => f.endsWith('.ts')).map((f) => \`src/\${f}\`), outdir: 'dist', format: 'esm', platform: 'node', sourcemap: true, logLevel: 'warning' });
`;
/** @babel/core with preset-typescript over every src/*.ts, source maps beside (sources relative to dist/). */
const BABEL_SCRIPT = `import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { transformFileAsync } from '@babel/core';

mkdirSync('dist', { recursive: true });
for (const file of readdirSync('src').filter((f) => f.endsWith('.ts'))) {
  const name = file.replace(/\\.ts$/, '.js');
  const out = await transformFileAsync(\`src/\${file}\`, { babelrc: false, configFile: false, presets: ['@babel/preset-typescript'], sourceMaps: true, sourceFileName: \`../src/\${file}\` });
  writeFileSync(\`dist/\${name}\`, \`\${out.code}\\n//# sourceMappingURL=\${name}.map\\n\`);
  writeFileSync(\`dist/\${name}.map\`, JSON.stringify({ ...out.map, file: name }));
}
`;

/** The @boot tag as a legal comment, which esbuild keeps (it drops every other comment). */
function preserveBootTags(dir: string): void {
  for (const file of readdirSync(join(dir, 'src'))) {
    const path = join(dir, 'src', file);
    writeFileSync(path, readFileSync(path, 'utf8').replaceAll('/** @boot */', '/** @boot @preserve */'));
  }
}

interface Compiler {
  readonly name: string;
  readonly type: 'module' | 'commonjs';
  readonly set: () => Promise<string>;
  readonly compile: (set: string, dir: string, node: string) => Promise<void>;
}

const ts7 = () => dependencySet('sites-ts7', { typescript: VERSIONS.typescript7, '@types/node': VERSIONS.typesNode });
const swc = () => dependencySet('sites-swc', { ...SWC, '@types/node': VERSIONS.typesNode });
const esbuild = () => dependencySet('sites-esbuild', ESBUILD);
const babel = () => dependencySet('sites-babel', BABEL);

const COMPILERS: Compiler[] = [
  {
    name: `TypeScript ${VERSIONS.typescript7} (tsgo), ES modules`,
    type: 'module',
    set: ts7,
    compile: async (set, dir, node) => expectBuilt(await runBin(set, 'tsc', ['-p', '.'], { cwd: dir, node }), 'tsc (TypeScript 7)'),
  },
  {
    name: `TypeScript ${VERSIONS.typescript7} (tsgo), CommonJS`,
    type: 'commonjs',
    set: ts7,
    compile: async (set, dir, node) => {
      const config = JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8'));
      config.compilerOptions.module = 'commonjs';
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config));
      expectBuilt(await runBin(set, 'tsc', ['-p', '.'], { cwd: dir, node }), 'tsc (TypeScript 7)');
    },
  },
  {
    name: `swc ${SWC['@swc/core']}, ES modules`,
    type: 'module',
    set: swc,
    compile: async (set, dir, node) => expectBuilt(await runBin(set, 'swc', ['src', '-d', 'dist', '--strip-leading-paths'], { cwd: dir, node }), 'swc'),
  },
  {
    name: `esbuild ${ESBUILD.esbuild}, per file, ES modules, /** @boot @preserve */`,
    type: 'module',
    set: esbuild,
    compile: async (_set, dir, node) => {
      preserveBootTags(dir);
      writeFileSync(join(dir, 'esbuild.mjs'), ESBUILD_SCRIPT);
      expectBuilt(await runNode(node, ['esbuild.mjs'], { cwd: dir }), 'esbuild');
    },
  },
  {
    name: `Babel ${BABEL['@babel/core']} + preset-typescript ${BABEL['@babel/preset-typescript']}, ES modules`,
    type: 'module',
    set: babel,
    compile: async (_set, dir, node) => {
      writeFileSync(join(dir, 'babel.mjs'), BABEL_SCRIPT);
      expectBuilt(await runNode(node, ['babel.mjs'], { cwd: dir }), 'Babel');
    },
  },
];

let caseCount = 0;
function makeAppCase(set: string, type: 'module' | 'commonjs'): string {
  const dir = join(set, `app-${caseCount++}`);
  cpSync(APP, dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'sites-app', private: true, type })}\n`);
  return dir;
}

/** Runs the built app sealed with HOTPATH_REPORT=1 and source maps on: the JSON line it prints, and the process. */
async function runApp(node: string, dir: string): Promise<{ output: Output; result: ProcessResult }> {
  const result = await runNode(node, ['--enable-source-maps', 'dist/main.js'], { cwd: dir, env: { HOTPATH_REPORT: '1', SEED: '1024' } });
  expect(result.code, `node dist/main.js exited ${result.code}\n${result.stderr}`).toBe(0);
  return { output: JSON.parse(result.stdout.trim().split('\n').pop()!) as Output, result };
}

function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of readdirSync(join(dir, 'dist'))) files[f] = readFileSync(join(dir, 'dist', f), 'utf8');
  return files;
}

function expectSitesPatched(output: Output, stderr: string): void {
  expect(output.report.sealed).toBe(true);
  expect(output.report.modules.map((m) => ({ module: m.module, patched: m.patched, sites: m.sites.length, skipped: m.sites.filter((s) => !s.patched).map((s) => `${s.var}: ${s.code}`) }))).toEqual([
    { module: 'src/reader.ts', patched: READER_SITES, sites: READER_SITES, skipped: [] },
  ]);
  expect(output.report.loadedBeforeSeal).toEqual([{ module: 'src/early.ts', sites: 1 }]);
  expect(output.report.notPatched).toEqual([]);
  const code = Object.values(output.sources).join('\n');
  expect(code).toContain('(/*@hp:0*/ 1073741824');
  expect(code).toContain('1073741824n');
  expect(code).toContain('"fast"');
  expect(code).toContain('true ');
  expect(stderr).toContain(`src/reader.ts  ${READER_SITES}/${READER_SITES} sites`);
}

describe.concurrent.each([22, 24])('hotpath sites from the packed tarball, Node %i', (major) => {
  it.for(COMPILERS)('$name + hotpath sites: values as unpatched, reader.ts patched, early.ts reported, stack at the TypeScript line; a second run refuses', { timeout: TIMEOUT }, async ({ type, set: makeSet, compile }, ctx) => {
    const node = await nodeOrSkip(ctx, major);
    const set = await makeSet();
    const dir = makeAppCase(set, type);
    await compile(set, dir, node);

    const unpatched = await runApp(node, dir);
    expect(unpatched.output.values).toEqual(EXPECTED);
    expect(Object.values(unpatched.output.sources).join('\n')).not.toContain('/*@hp:');

    const sites = await runBin(set, 'hotpath', ['sites', 'dist'], { cwd: dir, node });
    expectBuilt(sites, 'hotpath sites');
    expect(sites.stdout).toContain('hotpath sites: 7 sites in 2 module(s), 5 variable(s) registered, 1 @boot guard(s)');
    expect(sites.stderr).toBe('');

    const patched = await runApp(node, dir);
    expect(patched.output.values).toEqual(unpatched.output.values);
    expectSitesPatched(patched.output, patched.result.stderr);

    const before = snapshot(dir);
    const again = await runBin(set, 'hotpath', ['sites', 'dist'], { cwd: dir, node });
    expectNoCrash(again);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^dist\/\w+\.js: error HP1018: /);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe.concurrent.each([22, 24])(`hotpath sites over esbuild ${ESBUILD.esbuild} output with the plain /** @boot */ tag, Node %i`, (major) => {
  it('says HP1007 at every site reading a variable the dropped @boot function writes, writes nothing, exits 2; the program computes the same', { timeout: TIMEOUT }, async (ctx) => {
    const node = await nodeOrSkip(ctx, major);
    const set = await esbuild();
    const dir = makeAppCase(set, 'module');
    writeFileSync(join(dir, 'esbuild.mjs'), ESBUILD_SCRIPT);
    expectBuilt(await runNode(node, ['esbuild.mjs'], { cwd: dir }), 'esbuild');
    expect(readFileSync(join(dir, 'dist/config.js'), 'utf8')).not.toContain('@boot');
    const before = snapshot(dir);

    const sites = await runBin(set, 'hotpath', ['sites', 'dist'], { cwd: dir, node });
    expectNoCrash(sites);
    expect(sites.code).toBe(2);
    const errors = sites.stderr.match(/^src\/\w+\.ts:\d+:\d+: error HP1007: /gm) ?? [];
    expect(errors).toHaveLength(7);
    expect(sites.stdout).toContain('hotpath sites: 0 sites in 0 module(s)');
    expect(snapshot(dir)).toEqual(before);

    const run = await runApp(node, dir);
    expect(run.output.values).toEqual(EXPECTED);
  });
});
