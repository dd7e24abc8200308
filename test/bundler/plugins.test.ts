/**
 * The plugins inside this repository (no install): Rolldown and esbuild build
 * test/bundler/app with hotpath() from bundler/, beside this repository's built runtime.
 * What the end-to-end tests (test/pack-e2e/bundlers.test.ts) do not reach: the build-time
 * diagnostics (HP1007 fails the build, HP1101 when a later plugin drops the carriers), the
 * chained source map of a written slot, and that every code is documented.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import { afterAll, describe, expect, it } from 'vitest';
import { BundlerCode } from '../../bundler/codes.js';
import hotpathRolldown from '../../bundler/rolldown.js';
import { REPO, run } from '../e2e/harness.js';

const APP = join(REPO, 'test/bundler/app');
/** Node >= 22.13 strips TypeScript keeping comments (node:module stripTypeScriptTypes). */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- process.getBuiltinModule is not in every Node this runs on
const nodeStripsTypes = typeof (process.getBuiltinModule?.('node:module') as { stripTypeScriptTypes?: unknown } | undefined)?.stripTypeScriptTypes === 'function';
const root = mkdtempSync(join(tmpdir(), 'hotpath-plugins-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function project(name: string, files: Record<string, string> = {}, app = APP): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(REPO, join(dir, 'node_modules/hotpath'), 'dir');
  cpSync(join(app, 'src'), join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

async function rolldownBuild(dir: string, plugins: unknown[] = [], pluginsBefore: unknown[] = []) {
  const { rolldown } = await import('rolldown');
  const warnings: string[] = [];
  const bundle = await rolldown({
    input: join(dir, 'src/main.ts'),
    cwd: dir,
    platform: 'node',
    external: ['hotpath'],
    plugins: [...pluginsBefore, hotpathRolldown({ root: dir }), ...plugins] as never,
    onLog: (level, log) => {
          if (level === 'warn') warnings.push(log.message);
        },
  });
  const { output } = await bundle.write({ dir: join(dir, 'dist'), format: 'es', minify: true, sourcemap: true });
  return { output, warnings };
}

describe('hotpath/rolldown', () => {
  it('writes every site of the hot chunk; the slot maps back to the marker in the TypeScript source', async () => {
    const dir = project('sourcemap');
    const { output, warnings } = await rolldownBuild(dir);
    expect(warnings.filter((w) => w.includes('HP1'))).toEqual([]);
    const reader = output.find((o) => o.type === 'chunk' && o.fileName.startsWith('reader'))!;
    expect(reader.type).toBe('chunk');
    const code = readFileSync(join(dir, 'dist', reader.fileName), 'utf8');
    const map = new TraceMap(readFileSync(join(dir, 'dist', `${reader.fileName}.map`), 'utf8'));
    const source = readFileSync(join(dir, 'src/reader.ts'), 'utf8').split('\n');
    const slots = [...code.matchAll(/\(\/\*@hp:(\d+)\*\/ \(/g)];
    expect(slots).toHaveLength(8);
    for (const slot of slots) {
      const read = slot.index + slot[0].length; // the read inside the slot
      const before = code.slice(0, read);
      const line = before.split('\n').length;
      const column = read - (before.lastIndexOf('\n') + 1);
      const original = originalPositionFor(map, { line, column });
      expect(original.source).toMatch(/src\/reader\.ts$/);
      expect(source[original.line! - 1]).toMatch(/STATIC_VARIABLE_LOAD|load\(/);
    }
  });

  it('a write outside @boot code fails the build with HP1007, at the reading site', async () => {
    const dir = project('hp1007');
    writeFileSync(join(dir, 'src/limits.ts'), 'export let limit = 0;\nexport function initLimits(seed: number): void {\n  limit = seed + 1;\n}\n');
    await expect(rolldownBuild(dir)).rejects.toThrow(/HP1007: STATIC_VARIABLE_LOAD at src\/reader\.ts:\d+:\d+ reads `limit`, which is written at src\/limits\.ts:3:3 /);
  });

  it('a plugin after hotpath that drops the carriers: HP1101 once, the bundle still correct', async () => {
    const dir = project('hp1101');
    const dropCarriers = {
      name: 'drop-carriers',
      renderChunk(code: string) {
        return code.replaceAll('@hotpath-site:', 'gone:');
      },
    };
    const { warnings } = await rolldownBuild(dir, [dropCarriers]);
    const codes = warnings.map((w) => /HP1\d{3}/.exec(w)?.[0]).filter(Boolean);
    expect(codes).toEqual([BundlerCode.noSlotInOutput]);
  });

  it('a chunk that another plugin left unparsable: HP1105 names it, and no HP1101 blames a plugin for dropping the sites', async () => {
    const dir = project('hp1105');
    // After the minifier, before hotpath's output step (generateBundle, in plugin order).
    const breakChunk = {
      name: 'break-chunk',
      generateBundle(_options: unknown, bundle: Record<string, { type: string; code: string }>) {
        for (const chunk of Object.values(bundle)) if (chunk.type === 'chunk') chunk.code += '\n)(';
      },
    };
    const { warnings } = await rolldownBuild(dir, [], [breakChunk]);
    const codes = [...new Set(warnings.map((w) => /HP1\d{3}/.exec(w)?.[0]).filter(Boolean))];
    expect(codes).toEqual([BundlerCode.chunkUnparsed]);
  });
});

describe('hotpath/esbuild', () => {
  it(`write: false — the output files the build returns hold the sites, their maps chained${nodeStripsTypes ? '' : " (this Node has no stripTypeScriptTypes: HP1007, as documented)"}`, async () => {
    const esbuild = await import('esbuild');
    const { default: hotpathEsbuild } = await import('../../bundler/esbuild.js');
    const dir = project('esbuild-in-memory');
    const build = esbuild.build({
      entryPoints: [join(dir, 'src/main.ts')],
      absWorkingDir: dir,
      bundle: true,
      splitting: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      external: ['hotpath'],
      outdir: join(dir, 'dist'),
      sourcemap: true,
      write: false,
      logLevel: 'silent',
      plugins: [hotpathEsbuild({ root: dir })],
    });
    if (!nodeStripsTypes) {
      // Documented (docs/bundlers.md): without Node's stripper esbuild's transform drops the `@boot` comments; the errors fail the build.
      await expect(build).rejects.toThrow(/HP1007/);
      return;
    }
    const result = await build;
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => w.text)).toEqual([]);
    const reader = result.outputFiles.find((f) => /reader-\w+\.js$/.test(f.path))!;
    expect(reader.text.match(/\(\/\*@hp:\d+\*\/ \(/g)).toHaveLength(8);
    const map = new TraceMap(result.outputFiles.find((f) => f.path === `${reader.path}.map`)!.text);
    const at = reader.text.indexOf('(/*@hp:0*/ (') + '(/*@hp:0*/ ('.length;
    const original = originalPositionFor(map, { line: 1 + reader.text.slice(0, at).split('\n').length - 1, column: at - (reader.text.lastIndexOf('\n', at) + 1) });
    expect(original.source).toMatch(/src\/reader\.ts$/);
  });
});

describe("the marker re-exported through the user's own module (test/bundler/reexport-app)", () => {
  const REEXPORT_APP = join(REPO, 'test/bundler/reexport-app');
  /** What reader.ts computes with SEED=1024 (test/bundler/reexport-app/README.md); 4 sites, all through hp.ts and markers.ts. */
  const VALUES = { isPoolAddress: true, label: 'fast', slotOf: 145 };
  const SITES = 4;

  async function runSealed(dir: string, entry: string) {
    const result = await run(process.execPath, [entry], { cwd: dir, env: { HOTPATH_REPORT: '1', SEED: '1024' } });
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout.trim().split('\n').pop()!) as { values: object; report: { sitesPatched: number; sitesSkipped: number; modules: Array<{ module: string; patched: number }> } };
  }

  function expectAllPatched(output: Awaited<ReturnType<typeof runSealed>>): void {
    expect(output.values).toEqual(VALUES);
    expect(output.report.modules.map((m) => [m.module, m.patched])).toEqual([[expect.stringMatching(/reader[^/]*\.m?js$/), SITES]]);
    expect({ patched: output.report.sitesPatched, skipped: output.report.sitesSkipped }).toEqual({ patched: SITES, skipped: 0 });
  }

  it('hotpath/rolldown: every site of reader.ts written and patched, the same values as unsealed', async () => {
    const dir = project('reexport-rolldown', {}, REEXPORT_APP);
    const { output, warnings } = await rolldownBuild(dir);
    expect(warnings.filter((w) => w.includes('HP1'))).toEqual([]);
    const reader = output.find((o) => o.type === 'chunk' && o.fileName.startsWith('reader'))!;
    expect(readFileSync(join(dir, 'dist', reader.fileName), 'utf8').match(/\(\/\*@hp:\d+\*\/ \(/g)).toHaveLength(SITES);
    const main = output.find((o) => o.type === 'chunk' && o.fileName.startsWith('main'))!;
    expectAllPatched(await runSealed(dir, join('dist', main.fileName)));
    const unsealed = await run(process.execPath, [join('dist', main.fileName)], { cwd: dir, env: { HOTPATH_NO_SEAL: '1', SEED: '1024' } });
    expect(JSON.parse(unsealed.stdout).values).toEqual(VALUES);
  });

  it.runIf(nodeStripsTypes)('hotpath/esbuild (bundle, splitting, minify): the same', async () => {
    const esbuild = await import('esbuild');
    const { default: hotpathEsbuild } = await import('../../bundler/esbuild.js');
    const dir = project('reexport-esbuild', {}, REEXPORT_APP);
    const result = await esbuild.build({
      entryPoints: [join(dir, 'src/main.ts')], absWorkingDir: dir, bundle: true, splitting: true, minify: true, format: 'esm', platform: 'node',
      external: ['hotpath'], outdir: join(dir, 'dist'), sourcemap: true, logLevel: 'silent', plugins: [hotpathEsbuild({ root: dir })],
    });
    expect(result.warnings.map((w) => w.text)).toEqual([]);
    expectAllPatched(await runSealed(dir, 'dist/main.js'));
  });

  it("hotpath/vite (SSR, minify): Vite hands the plugin JavaScript; hp.ts is read from its file and its types stripped", async () => {
    const { build } = await import('vite');
    const { default: hotpathVite } = await import('../../bundler/vite.js');
    const dir = project('reexport-vite', {}, REEXPORT_APP);
    await build({ configFile: false, root: dir, logLevel: 'silent', plugins: [hotpathVite()], build: { ssr: 'src/main.ts', minify: true, outDir: 'dist', rolldownOptions: { external: ['hotpath'] } } });
    expectAllPatched(await runSealed(dir, 'dist/main.js'));
  });
});

describe('docs/bundlers.md', () => {
  it('documents every build-time code, each under its own heading', () => {
    const page = readFileSync(join(REPO, 'docs/bundlers.md'), 'utf8');
    for (const code of Object.values(BundlerCode)) expect(page).toMatch(new RegExp(`^### ${code} — `, 'm'));
    const documented = [...page.matchAll(/^### (HP\d+) — /gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.values(BundlerCode).sort());
  });

  it('has one config snippet per bundler, each one a pack-e2e case builds', () => {
    const page = readFileSync(join(REPO, 'docs/bundlers.md'), 'utf8');
    const files = [...page.matchAll(/^```js file=(\S+)$/gm)].map((m) => m[1]);
    expect(files).toEqual(['vite.config.js', 'rollup.config.js', 'rolldown.config.js', 'build.mjs', 'webpack.config.cjs', 'rspack.config.cjs', 'vitest.config.js']);
    const e2e = readFileSync(join(REPO, 'test/pack-e2e/bundlers.test.ts'), 'utf8');
    for (const file of files.slice(0, -1)) expect(e2e).toContain(`config: '${file}'`);
    // The "Development" section's vitest config: test/pack-e2e/dev.test.ts runs vitest with it.
    expect(readFileSync(join(REPO, 'test/pack-e2e/dev.test.ts'), 'utf8')).toContain("docsFile('vitest.config.js')");
    expect(readdirSync(join(REPO, 'bundler')).filter((f) => ['vite.ts', 'rollup.ts', 'rolldown.ts', 'esbuild.ts', 'webpack.ts', 'rspack.ts'].includes(f))).toHaveLength(6);
  });
});
