/**
 * End to end from `npm pack`: the marker re-exported through the user's own module
 * (test/bundler/reexport-app: `export { STATIC_VARIABLE_LOAD as load, seal } from 'hotpath'` in
 * src/hp.ts, an `export *` chain in src/markers.ts, no marker imported from `hotpath` itself).
 * Rolldown, Vite 8 SSR and esbuild with the config snippets of docs/bundlers.md, and
 * `tsc` + `hotpath sites`, build it; on Node 24 every site of reader.ts is patched and the
 * values are what the unsealed program computes.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, VERSIONS, cleanUp, dependencySet, expectBuilt, nodeFor, runBin, runNode } from './harness.js';

const TIMEOUT = 420_000;
afterAll(cleanUp);

const APP = join(REPO, 'test/bundler/reexport-app');
/** What reader.ts computes with SEED=1024 (test/bundler/reexport-app/README.md), and its sites. */
const EXPECTED = { isPoolAddress: true, label: 'fast', slotOf: 145 };
const READER_SITES = 4;
/** The versions this repository tests the plugins with (its devDependencies). */
const DEV = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies;

const set = () =>
  dependencySet('reexport-marker', {
    vite: DEV.vite!,
    rolldown: DEV.rolldown!,
    esbuild: DEV.esbuild!,
    typescript: VERSIONS.typescript,
    '@types/node': VERSIONS.typesNode,
  });

/** The `file=` code blocks of docs/bundlers.md, by file name. */
const DOCS = new Map([...readFileSync(join(REPO, 'docs/bundlers.md'), 'utf8').matchAll(/^```js file=(\S+)\n([\s\S]*?)^```/gm)].map((m) => [m[1]!, m[2]!]));

interface Case {
  readonly name: string;
  /** The docs snippet the case builds with; none for `hotpath sites`. */
  readonly config?: string;
  readonly build: ReadonlyArray<{ readonly bin: string; readonly args: readonly string[] }>;
  readonly entry: string;
}

const CASES: readonly Case[] = [
  { name: 'Rolldown, minify', config: 'rolldown.config.js', build: [{ bin: 'rolldown', args: ['-c', 'rolldown.config.js'] }], entry: 'dist/main.js' },
  { name: 'Vite 8 SSR, minify: true', config: 'vite.config.js', build: [{ bin: 'vite', args: ['build', '--minify'] }], entry: 'dist/main.js' },
  { name: 'esbuild, bundle + splitting + minify', config: 'build.mjs', build: [{ bin: 'node', args: ['build.mjs'] }], entry: 'dist/main.mjs' },
  { name: 'tsc + hotpath sites', build: [{ bin: 'tsc', args: ['-p', '.'] }, { bin: 'hotpath', args: ['sites', 'dist', '--root', '.'] }], entry: 'dist/main.js' },
];

const TSCONFIG = {
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, types: ['node'], sourceMap: true, outDir: 'dist', rootDir: 'src' },
  include: ['src'],
};

describe.concurrent.each(CASES)("the marker re-exported through the user's own module: $name", (c) => {
  it('builds; on Node 24 the sealed program computes what the unsealed one does, every site of reader.ts patched', { timeout: TIMEOUT }, async (ctx) => {
    const node = await nodeFor(24);
    if (!node) return ctx.skip('npx could not fetch node@24');
    const root = await set();
    const dir = join(root, c.name.replace(/\W+/g, '-').toLowerCase());
    mkdirSync(dir, { recursive: true });
    cpSync(join(APP, 'src'), join(dir, 'src'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'e2e-reexport', private: true, type: 'module' })}\n`);
    writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
    if (c.config) writeFileSync(join(dir, c.config), DOCS.get(c.config) ?? '');
    for (const step of c.build) {
      const built = step.bin === 'node' ? await runNode(node, step.args, { cwd: dir }) : await runBin(root, step.bin, step.args, { cwd: dir, node });
      expectBuilt(built, `${step.bin} ${step.args.join(' ')}`);
      expect(built.stdout + built.stderr).not.toMatch(/HP1\d\d\d/);
    }

    const unsealed = await runNode(node, [c.entry], { cwd: dir, env: { SEED: '1024', HOTPATH_NO_SEAL: '1' } });
    expect(unsealed.code, unsealed.stderr).toBe(0);
    expect(JSON.parse(unsealed.stdout.trim().split('\n').pop()!).values).toEqual(EXPECTED);

    const sealed = await runNode(node, [c.entry], { cwd: dir, env: { SEED: '1024', HOTPATH_REPORT: '1' } });
    expect(sealed.code, sealed.stderr).toBe(0);
    const { values, report } = JSON.parse(sealed.stdout.trim().split('\n').pop()!) as {
      values: object;
      report: { sealed: boolean; sitesPatched: number; sitesSkipped: number; notPatched: unknown[]; modules: Array<{ module: string; patched: number; sites: unknown[] }> };
    };
    expect(values).toEqual(EXPECTED);
    expect(report.sealed).toBe(true);
    expect(report.notPatched).toEqual([]);
    expect(report.modules.map((m) => ({ reader: /reader/.test(m.module), patched: m.patched, sites: m.sites.length }))).toEqual([{ reader: true, patched: READER_SITES, sites: READER_SITES }]);
    expect({ patched: report.sitesPatched, skipped: report.sitesSkipped }).toEqual({ patched: READER_SITES, skipped: 0 });
  });
});
