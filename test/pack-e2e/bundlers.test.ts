/**
 * End to end from `npm pack`: the bundler plugins (hotpath/vite, rollup, rolldown, esbuild,
 * webpack, rspack), each with the config snippet of docs/bundlers.md, build test/bundler/app
 * with the bundler's defaults for a Node application (code splitting, minification), and the
 * output runs sealed on Node 22 and 24: values what the unsealed program computes (and what
 * was worked out by hand), every site of the hot chunk patched, the module that ran before
 * seal() reported, and a source-mapped stack trace pointing at the TypeScript line. The webpack and
 * rspack bundles run on Node 20 too, where the runtime registers its off-thread loader (module.register).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, VERSIONS, cleanUp, dependencySet, expectBuilt, nodeFor, runBin, runNode, type ProcessResult } from './harness.js';

const TIMEOUT = 420_000;
afterAll(cleanUp);

const APP = join(REPO, 'test/bundler/app');
/** What the app computes with SEED=1024, worked out by hand (test/bundler/app/README.md). */
const EXPECTED = { earlyShift: 5, cube: '1073741825n', isFast: 'yes', isPoolAddress: true, label: 'fast:1025:3072', slotOf: 145 };
/** STATIC_VARIABLE_LOAD calls in test/bundler/app/src/reader.ts (all run after seal()) and early.ts (before). */
const READER_SITES = 8;
const EARLY_SITES = 1;
const THROW_LINE = readFileSync(join(APP, 'src/reader.ts'), 'utf8').split('\n').findIndex((l) => l.includes("new Error('where')")) + 1;

export const BUNDLER_VERSIONS = {
  vite: '8.4.0',
  rollup: VERSIONS.rollup,
  rollupTerser: '1.0.2',
  rolldown: '1.3.3',
  esbuild: '0.28.2',
  webpack: VERSIONS.webpack,
  webpackCli: VERSIONS.webpackCli,
  rspack: '2.3.4',
  rspackCli: '2.2.8',
} as const;

/** The `file=` code blocks of docs/bundlers.md, by file name. */
function docsFiles(): Map<string, string> {
  const text = readFileSync(join(REPO, 'docs/bundlers.md'), 'utf8');
  const files = new Map<string, string>();
  for (const match of text.matchAll(/^```js file=(\S+)\n([\s\S]*?)^```/gm)) files.set(match[1]!, match[2]!);
  return files;
}
const DOCS = docsFiles();

const bundlerSet = () =>
  dependencySet('bundlers', {
    vite: BUNDLER_VERSIONS.vite,
    rollup: BUNDLER_VERSIONS.rollup,
    '@rollup/plugin-typescript': VERSIONS.rollupTypescript,
    '@rollup/plugin-terser': BUNDLER_VERSIONS.rollupTerser,
    tslib: VERSIONS.tslib,
    typescript: VERSIONS.typescript,
    rolldown: BUNDLER_VERSIONS.rolldown,
    esbuild: BUNDLER_VERSIONS.esbuild,
    webpack: BUNDLER_VERSIONS.webpack,
    'webpack-cli': BUNDLER_VERSIONS.webpackCli,
    'ts-loader': VERSIONS.tsLoader,
    '@rspack/core': BUNDLER_VERSIONS.rspack,
    '@rspack/cli': BUNDLER_VERSIONS.rspackCli,
    '@types/node': VERSIONS.typesNode,
  });

const TSCONFIG = {
  compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, skipLibCheck: true, types: ['node'], sourceMap: true, outDir: 'dist', rootDir: 'src' },
  include: ['src'],
};

interface Case {
  readonly name: string;
  readonly config: string;
  readonly bin: string;
  readonly args: readonly string[];
  /** The entry chunk, from the case folder. */
  readonly entry: string;
  /** The bundler's version, for the test name. */
  readonly version: string;
  /** The Node majors the bundle runs on (Node 20: only the CommonJS bundles, the others need Node's type stripper to build). */
  readonly nodes: readonly number[];
}

const NODES = [22, 24] as const;

const CASES: readonly Case[] = [
  { name: 'Vite 8 SSR, defaults', config: 'vite.config.js', bin: 'vite', args: ['build'], entry: 'dist/main.js', version: BUNDLER_VERSIONS.vite, nodes: NODES },
  { name: 'Vite 8 SSR, minify: true', config: 'vite.config.js', bin: 'vite', args: ['build', '--minify'], entry: 'dist/main.js', version: BUNDLER_VERSIONS.vite, nodes: NODES },
  { name: 'Rollup 4, default chunking, terser', config: 'rollup.config.js', bin: 'rollup', args: ['-c', 'rollup.config.js'], entry: 'dist/main.js', version: BUNDLER_VERSIONS.rollup, nodes: NODES },
  { name: 'Rolldown, minify', config: 'rolldown.config.js', bin: 'rolldown', args: ['-c', 'rolldown.config.js'], entry: 'dist/main.js', version: BUNDLER_VERSIONS.rolldown, nodes: NODES },
  { name: 'esbuild, bundle + splitting + minify', config: 'build.mjs', bin: 'node', args: ['build.mjs'], entry: 'dist/main.mjs', version: BUNDLER_VERSIONS.esbuild, nodes: NODES },
  { name: 'webpack 5, target node, production', config: 'webpack.config.cjs', bin: 'webpack', args: ['--config', 'webpack.config.cjs'], entry: 'dist/main.cjs', version: BUNDLER_VERSIONS.webpack, nodes: [20, 22, 24] },
  { name: 'rspack, target node, production', config: 'rspack.config.cjs', bin: 'rspack', args: ['build', '-c', 'rspack.config.cjs'], entry: 'dist/main.cjs', version: BUNDLER_VERSIONS.rspack, nodes: [20, 22, 24] },
];

function makeBundlerCase(set: string, c: Case): string {
  const dir = join(set, c.name.replace(/\W+/g, '-').toLowerCase());
  mkdirSync(dir, { recursive: true });
  cpSync(join(APP, 'src'), join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'e2e-bundled', private: true, type: 'module' })}\n`);
  writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
  const config = DOCS.get(c.config);
  if (config === undefined) throw new Error(`docs/bundlers.md has no \`\`\`js file=${c.config} block`);
  writeFileSync(join(dir, c.config), config);
  return dir;
}

interface Report {
  sealed: boolean;
  modules: Array<{ module?: string; patched: number; sites: Array<{ patched: boolean; var: string; code?: string; reason?: string }>; tableProblem?: unknown }>;
  loadedBeforeSeal: Array<{ module: string; sites: number }>;
  notPatched: Array<{ module: string; sites: number }>;
  registeredAfterSeal: string[];
  sitesPatched: number;
  sitesSkipped: number;
}
interface AppOutput {
  values: Record<string, unknown>;
  sources: Record<string, string>;
  report: Report;
}

async function runApp(node: string, dir: string, entry: string, env: Record<string, string>): Promise<{ output: AppOutput; result: ProcessResult }> {
  const result = await runNode(node, ['--enable-source-maps', entry], { cwd: dir, env: { SEED: '1024', ...env } });
  expect(result.code, `node ${entry} exited ${result.code}\n${result.stderr}`).toBe(0);
  const line = result.stdout.trim().split('\n').pop()!;
  try {
    return { output: JSON.parse(line) as AppOutput, result };
  } catch {
    throw new Error(`node ${entry} printed no JSON line:\n${result.stdout}\n${result.stderr}`);
  }
}

describe.concurrent.each(CASES)('$name ($version), from docs/bundlers.md', (c) => {
  it.for(c.nodes)(
    'builds; on Node %i the sealed bundle computes what the unsealed one does, every hot site patched, the early module reported, stack traces at the TypeScript line',
    { timeout: TIMEOUT },
    async (major, ctx) => {
      const node = await nodeFor(major);
      if (!node) return ctx.skip(`npx could not fetch node@${major}`);
      const set = await bundlerSet();
      const dir = makeBundlerCase(join(set, `node${major}`), c);
      const built = c.bin === 'node' ? await runNode(node, c.args, { cwd: dir }) : await runBin(set, c.bin, c.args, { cwd: dir, node });
      expectBuilt(built, `${c.bin} ${c.args.join(' ')}`);
      expect(built.stdout + built.stderr).not.toMatch(/HP11\d\d/);
      expect(existsSync(join(dir, c.entry)), `${c.entry} after the build`).toBe(true);

      const unsealed = await runApp(node, dir, c.entry, { HOTPATH_NO_SEAL: '1' });
      const { thrownAt: unsealedAt, ...unsealedValues } = unsealed.output.values;
      expect(unsealedValues).toEqual(EXPECTED);

      const sealed = await runApp(node, dir, c.entry, { HOTPATH_REPORT: '1' });
      const { thrownAt, ...values } = sealed.output.values;
      expect(values).toEqual(EXPECTED);
      const report = sealed.output.report;
      expect(report.sealed).toBe(true);
      const skipped = report.modules.flatMap((m) => m.sites.filter((s) => !s.patched).map((s) => `${m.module}: ${s.var} ${s.code} ${s.reason}`));
      expect(report.modules.every((m) => m.tableProblem === undefined)).toBe(true);
      expect(skipped).toEqual([]);
      expect(report.sitesPatched).toBe(READER_SITES);
      expect(report.notPatched).toEqual([]);
      expect(report.registeredAfterSeal).toEqual([]);
      expect(report.loadedBeforeSeal.reduce((n, m) => n + m.sites, 0)).toBe(EARLY_SITES);
      // The patched functions hold literals where the reads were.
      expect(sealed.output.sources.isPoolAddress).toContain('1073741824');
      expect(sealed.result.stderr).toContain('hotpath boot report: sealed');
      // Node 20 has no module.registerHooks: the runtime registers its off-thread loader, which the plugin emitted with its modules.
      expect(sealed.result.stderr).toContain(`hooks: ${major === 20 ? 'module.register + require hook' : 'module.registerHooks'}`);
      // Source maps chained through the bundler's, the minifier's and the plugin's.
      for (const at of [thrownAt, unsealedAt]) expect(String(at)).toMatch(new RegExp(`src[\\\\/]reader\\.ts:${THROW_LINE}:\\d+`));

      // What the bundle loads through Node is its chunks: a resolve hook (before seal) that sends the reader chunk's
      // require to a copy leaves every site of the copy a load (HP2017), and the values are the same.
      if (c.config.endsWith('.cjs')) {
        const chunk = readdirSync(join(dir, 'dist')).find((f) => f.endsWith('.cjs') && f !== 'main.cjs' && readFileSync(join(dir, 'dist', f), 'utf8').startsWith('/*@hotpath-sites:'))!;
        cpSync(join(dir, 'dist', chunk), join(dir, 'dist', `copy-${chunk}`));
        const to = (s: string) => `${s}.endsWith(${JSON.stringify(chunk)}) ? ${s}.replace(${JSON.stringify(chunk)}, ${JSON.stringify(`copy-${chunk}`)}) : ${s}`;
        // Node 20: no registerHooks; require() is redirected the way module-alias does it, by wrapping Module._resolveFilename.
        const redirect =
          major === 20
            ? `const Module = require('node:module');\nconst resolve = Module._resolveFilename;\nModule._resolveFilename = function (s, ...rest) { return resolve.call(this, ${to('s')}, ...rest); };\n`
            : `import { registerHooks } from 'node:module';\nregisterHooks({ resolve: (s, c, next) => next(${to('s')}, c) });\n`;
        writeFileSync(join(dir, major === 20 ? 'redirect.cjs' : 'redirect.mjs'), redirect);
        const preload = major === 20 ? ['--require', './redirect.cjs'] : ['--import', './redirect.mjs'];
        const redirected = await runNode(node, [...preload, c.entry], { cwd: dir, env: { SEED: '1024', HOTPATH_REPORT: '1' } });
        expect(redirected.code, redirected.stderr).toBe(0);
        const out = JSON.parse(redirected.stdout.trim().split('\n').pop()!) as AppOutput;
        const { thrownAt: _at, ...redirectedValues } = out.values;
        expect(redirectedValues).toEqual(EXPECTED);
        expect(out.report.sitesPatched).toBe(0);
        expect(out.report.modules.map((m) => (m as { url?: string }).url)).toEqual([expect.stringContaining(`copy-${chunk}`)]);
        for (const m of out.report.modules) for (const site of m.sites) expect(`${site.code} ${site.reason}`).toMatch(/^HP2017 /);
      }

      // Node 20 loads the off-thread loader asset as an ES module under any package.json: "type": "commonjs", or none (no warning either).
      if (c.config.endsWith('.cjs') && major === 20) {
        for (const manifest of [{ type: 'commonjs' }, {}]) {
          const other = join(dir, `as-${manifest.type ?? 'typeless'}`);
          mkdirSync(other);
          cpSync(join(dir, 'dist'), join(other, 'dist'), { recursive: true });
          writeFileSync(join(other, 'package.json'), `${JSON.stringify(manifest)}\n`);
          const { output, result } = await runApp(node, other, c.entry, { HOTPATH_REPORT: '1' });
          const { thrownAt: _at, ...otherValues } = output.values;
          expect(otherValues).toEqual(EXPECTED);
          expect(output.report.sitesPatched).toBe(READER_SITES);
          expect(result.stderr).not.toMatch(/Warning|HP2014/);
        }
      }
    },
  );
});
