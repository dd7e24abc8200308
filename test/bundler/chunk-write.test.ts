/**
 * The post-minification writer (bundler/bundle-plan.ts, chunk-scan.ts, chunk-write.ts) on
 * real output: the carrier form of a small app (test/bundler/carrier-app, what the
 * transform writes) bundled with code splitting and minified by terser, SWC, oxc
 * (Rolldown) and esbuild; the chunks written to disk beside this repository's built
 * runtime; run unsealed and sealed. The sealed run must patch every site and compute what
 * the unsealed run computes.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'acorn';
import { readRecordTable } from '../../runtime/site-format.js';
import { planBundle, relativeImport, type OutputChunk, type SiteOrigin } from '../../bundler/bundle-plan.js';
import { scanChunk } from '../../bundler/chunk-scan.js';
import { carryMap, writeChunk } from '../../bundler/chunk-write.js';
import remapping from '@jridgewell/remapping';
import { TraceMap, decodedMappings, originalPositionFor } from '@jridgewell/trace-mapping';
import MagicString from 'magic-string';
import { REPO, run } from '../e2e/harness.js';

const APP = join(REPO, 'test/bundler/carrier-app');
const EXTERNAL = ['hotpath', 'hotpath/bundler-carriers'];
const EXPECTED = { isPoolAddress: true, label: 'fast:4', slotOf: 901, isFast: 'yes' };
const SITES = new Map<string, SiteOrigin>(
  Object.entries(JSON.parse(readFileSync(join(APP, 'sites.json'), 'utf8')) as Record<string, string>).map(([token, variable], i) => [
    token,
    { module: 'src/reader.ts', line: 5 + i, column: 1, variable },
  ]),
);

const root = mkdtempSync(join(tmpdir(), 'hotpath-chunk-write-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Bundle = Array<{ fileName: string; code: string }>;

async function rollupWith(minify: 'terser' | 'swc'): Promise<Bundle> {
  const { rollup } = await import('rollup');
  const plugins = [];
  if (minify === 'terser') plugins.push(((await import('@rollup/plugin-terser')) as unknown as { default: () => never }).default()); // its types are CommonJS-shaped: `default` is the module
  else {
    const swc = await import('@swc/core');
    plugins.push({ name: 'swc-minify', renderChunk: async (code: string) => (await swc.minify(code, { module: true, compress: true, mangle: true })).code });
  }
  const bundle = await rollup({ input: join(APP, 'main.js'), external: EXTERNAL, plugins });
  const { output } = await bundle.generate({ format: 'es' });
  return output.flatMap((o) => (o.type === 'chunk' ? [{ fileName: o.fileName, code: o.code }] : []));
}

async function rolldownOxc(): Promise<Bundle> {
  const { rolldown } = await import('rolldown');
  const bundle = await rolldown({ input: join(APP, 'main.js'), external: EXTERNAL });
  const { output } = await bundle.generate({ format: 'es', minify: true });
  return output.flatMap((o) => (o.type === 'chunk' ? [{ fileName: o.fileName, code: o.code }] : []));
}

async function esbuildSplit(): Promise<Bundle> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [join(APP, 'main.js')],
    bundle: true,
    splitting: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    external: EXTERNAL,
    outdir: join(root, 'esbuild-out'),
    write: false,
  });
  return result.outputFiles.map((f) => ({ fileName: f.path.slice(join(root, 'esbuild-out').length + 1), code: f.text }));
}

const BUNDLERS: Record<string, () => Promise<Bundle>> = {
  'rollup + terser': () => rollupWith('terser'),
  'rollup + SWC minify': () => rollupWith('swc'),
  'rolldown (oxc minify)': rolldownOxc,
  'esbuild (bundle, splitting, minify)': esbuildSplit,
};

/** Writes the chunks into a folder where `hotpath` is this repository (its build/). */
function writeOut(name: string, chunks: readonly { fileName: string; code: string }[]): string {
  const dir = join(root, name.replace(/\W+/g, '-'));
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(REPO, join(dir, 'node_modules/hotpath'), 'dir');
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  for (const chunk of chunks) {
    mkdirSync(dirname(join(dir, chunk.fileName)), { recursive: true });
    writeFileSync(join(dir, chunk.fileName), chunk.code);
  }
  return dir;
}

async function runApp(dir: string, entry: string, seal: boolean) {
  const result = await run(process.execPath, [entry], { cwd: dir, env: { SEAL: seal ? '1' : '0' } });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as { values: unknown; sitesPatched: number; skipped: string[] };
}

describe.each(Object.keys(BUNDLERS))('%s', (name) => {
  it('every carrier survives minification; the written chunks are patched at boot and compute what the unwritten ones compute', async () => {
    const bundle = await BUNDLERS[name]!();
    const entry = bundle.find((c) => c.fileName === 'main.js')!;
    expect(entry, bundle.map((c) => c.fileName).join(', ')).toBeDefined();
    const tokens = bundle.flatMap((c) => {
      const scan = scanChunk(c.code);
      expect(scan.kind).toBe('scanned');
      return scan.kind === 'scanned' ? scan.carriers.filter((k) => k.kind === 'site').map((k) => k.token) : [];
    });
    expect(tokens.sort()).toEqual([...SITES.keys()].sort());

    const chunks: OutputChunk[] = bundle.map((c) => ({ ...c, format: 'esm' }));
    const result = planBundle({ chunks, sites: SITES, chunkKey: (f) => `dist/${f}` });
    expect(result.diagnostics).toEqual([]);
    expect(result.slots).toBe(SITES.size);
    const written = bundle.map((c) => ({ fileName: c.fileName, code: result.chunks.get(c.fileName)?.code ?? c.code }));
    for (const chunk of written) {
      parse(chunk.code, { ecmaVersion: 'latest', sourceType: 'module' }); // still JavaScript
      for (const prefix of ['@hotpath-site:', '@hotpath-var:', '@hotpath-note:']) expect(chunk.code).not.toContain(prefix);
    }
    const tables = written.map((c) => readRecordTable(c.code)).filter((t) => t.kind !== 'none');
    expect(tables).toHaveLength(1);
    const table = tables[0]!;
    expect(table.kind === 'table' && table.table.sites.map((s) => s.var.replace(/~2$/, '')).sort()).toEqual(
      ['src/config.ts#fast', 'src/config.ts#limit', 'src/config.ts#mode', 'src/pool.ts#poolBase', 'src/pool.ts#wide', 'src/pool.ts#limit'].sort().map((k) => k),
    );

    const plain = await runApp(writeOut(`${name} carriers`, bundle), 'main.js', false);
    expect(plain.values).toEqual(EXPECTED);
    const dir = writeOut(`${name} written`, written);
    const unsealed = await runApp(dir, 'main.js', false);
    expect(unsealed.values).toEqual(EXPECTED);
    const sealed = await runApp(dir, 'main.js', true);
    expect(sealed).toEqual({ values: EXPECTED, sitesPatched: SITES.size, skipped: [] });
  });
});

describe('names made unique in a chunk', () => {
  it('two modules declaring `limit` in one chunk register two variables; a variable no site reads is not registered', async () => {
    const bundle = await rolldownOxc();
    const result = planBundle({ chunks: bundle.map((c) => ({ ...c, format: 'esm' })), sites: SITES, chunkKey: (f) => f });
    const all = [...result.chunks.values()];
    const registered = all.flatMap((c) => c.registered).sort();
    expect(registered).toEqual(['src/config.ts#fast', 'src/config.ts#mode', 'src/pool.ts#poolBase', 'src/pool.ts#wide', ...['src/config.ts#limit', 'src/pool.ts#limit~2', 'src/config.ts#limit~2', 'src/pool.ts#limit'].filter((k) => registered.includes(k))].sort());
    expect(registered.filter((k) => k.endsWith('~2'))).toHaveLength(1);
    expect(registered.some((k) => k.includes('unread'))).toBe(false);
  });
});

describe('relativeImport', () => {
  it('spells the declaring chunk as a relative import from the reading chunk', () => {
    expect(relativeImport('app.js', 'app.js')).toBe('');
    expect(relativeImport('app.js', 'main-x.js')).toBe('./main-x.js');
    expect(relativeImport('assets/app.mjs', 'main.mjs')).toBe('../main.mjs');
    expect(relativeImport('main.mjs', 'assets/a#b.mjs')).toBe('./assets/a%23b.mjs');
  });
});

describe('scanChunk', () => {
  it('a carrier at the start of a statement is written so that it cannot continue the line before', async () => {
    const code = 'let a=1,x=2\nr(x,"@hotpath-site:m:0")\nexport{a}';
    const result = planBundle({
      chunks: [{ fileName: 'c.js', code: `import{site as r}from"hotpath/bundler-carriers";${code}`, format: 'esm' }],
      sites: new Map([['m:0', { module: 'm', line: 1, column: 1, variable: 'm#x' }]]),
      chunkKey: (f) => f,
    });
    const out = result.chunks.get('c.js')!.code;
    expect(out).toContain('\nvoid (/*@hp:0*/ (x) /*@hp:0');
    expect(result.diagnostics.map((d) => d.code)).toEqual(['HP1103']);
  });

  it('a site whose argument the minifier turned into something other than a read stays a call, with HP1102', () => {
    const code = 'import{site as r}from"hotpath/bundler-carriers";export const f=o=>r(o.a.b,"@hotpath-site:m:0");';
    const result = planBundle({ chunks: [{ fileName: 'c.js', code, format: 'esm' }], sites: new Map([['m:0', { module: 'm', line: 1, column: 1, variable: 'm#x' }]]), chunkKey: (f) => f });
    expect(result.diagnostics.map((d) => d.code)).toContain('HP1102');
    expect(result.slots).toBe(0);
  });

  it('a folded constant is written as the constant; a chunk that does not parse is reported (HP1105), never thrown', () => {
    const code = 'import{site as r}from"hotpath/bundler-carriers";export const f=()=>r(!0,`@hotpath-site:m:0`)+r(-1,"@hotpath-site:m:1");';
    const result = planBundle({ chunks: [{ fileName: 'c.js', code, format: 'esm' }], sites: new Map(), chunkKey: (f) => f });
    expect(result.chunks.get('c.js')!.code).toContain('export const f=()=>(!0)+(-1);');
    const broken = planBundle({ chunks: [{ fileName: 'b.js', code: 'r("@hotpath-var:x#y",()=>{', format: 'esm' }], sites: new Map(), chunkKey: (f) => f });
    expect(broken.diagnostics.map((d) => d.code)).toEqual(['HP1105']);
  });

  it("acorn's declaration checks with constant-time name lists: the same errors, the same carriers as acorn's own parse", () => {
    // A chunk acorn refuses stays refused (what is declared twice, what is exported undeclared), in every kind of scope.
    for (const bad of ['let a=1;let a=2;', 'function f(){}let f;', 'var a;let a;', 'let a;{var a;}', 'export{nowhere};', 'try{}catch(e){let e;}', 'function g(){let x;var x;}']) {
      const scan = scanChunk(`${bad}r(x,"@hotpath-site:m:0")`);
      expect(scan.kind, bad).toBe('unparsed');
      expect(() => parse(`${bad}r(x,"@hotpath-site:m:0")`, { ecmaVersion: 'latest', sourceType: 'module' }), bad).toThrow((scan as { reason: string }).reason);
    }
    // What acorn accepts is accepted (a var redeclared, a catch parameter shadowed by var, a function redeclared in a script's top level).
    for (const good of ['var a;var a;', 'try{}catch(e){var e;}', 'let a;export{a};']) expect(scanChunk(`${good}r(x,"@hotpath-site:m:0")`).kind, good).toBe('scanned');
    // Thousands of top-level declarations (esbuild's chunk of a 1,000-module app): every carrier found, in order.
    const many = Array.from({ length: 3000 }, (_, i) => `function f${i}(){return r(x${i},"@hotpath-site:m:${i}")}let x${i}=${i};`).join('');
    const scan = scanChunk(`import{site as r}from"hotpath/bundler-carriers";${many}export{f0};`);
    expect(scan.kind).toBe('scanned');
    const carriers = (scan as { carriers: ReadonlyArray<{ token: string }> }).carriers;
    expect(carriers.map((c) => c.token)).toEqual(Array.from({ length: 3000 }, (_, i) => `m:${i}`));
  });
});

describe('carryMap', () => {
  // A "minified chunk" with every kind of carrier, on several lines, and a bundler's map of it (a segment at every character, as from a source).
  const chunk =
    'import{site as r,register as g,note as n}from"hotpath/bundler-carriers";\nn("@hotpath-note:m");let base=1,gone=2;g("@hotpath-var:m#base",()=>base);g("@hotpath-var:m#gone",()=>gone);\n' +
    'export function f(p){return p-r(base,"@hotpath-site:m:0")+r(base,"@hotpath-site:m:1")}\nr(base,"@hotpath-site:m:2");export const k=()=>r(7,`@hotpath-site:m:3`);\n';
  const theirs = new MagicString(chunk).generateMap({ hires: true, source: 'src/m.ts', includeContent: true });
  const sites = new Map(['m:0', 'm:1', 'm:2'].map((t) => [t, { var: 'm#base', name: 'base' }] as const));

  it("answers what chaining this step's map with the bundler's answers, wherever the chained map has a segment", () => {
    const scan = scanChunk(chunk);
    if (scan.kind !== 'scanned') throw new Error('does not parse');
    const result = writeChunk(chunk, scan, { moduleKey: 'm', format: 'esm', site: (t) => sites.get(t), registration: (t) => (t === 'm#base' ? 'm#base' : undefined) }, 'm.js');
    expect(result.records).toHaveLength(3);
    const carried = new TraceMap(carryMap(chunk, result.edits!, theirs) as never);
    const chained = new TraceMap(remapping([result.map as never, theirs as never], () => null) as never);
    let compared = 0;
    decodedMappings(chained).forEach((segments, line) => {
      for (const [column] of segments) {
        const at = { line: line + 1, column };
        expect(originalPositionFor(carried, at), `${line + 1}:${column} ${result.code.split('\n')[line]!.slice(column, column + 12)}`).toEqual(originalPositionFor(chained, at));
        compared++;
      }
    });
    expect(compared).toBeGreaterThan(60);
    // The read inside each slot maps to its carrier's start, as chaining maps it.
    for (const slot of result.code.matchAll(/\(\/\*@hp:\d+\*\/ \(/g)) {
      const before = result.code.slice(0, slot.index + slot[0].length);
      const at = { line: before.split('\n').length, column: before.length - before.lastIndexOf('\n') - 1 };
      expect(originalPositionFor(carried, at)).toEqual(originalPositionFor(chained, at));
      expect(originalPositionFor(carried, at).source).toBe('src/m.ts');
    }
  });

  it('says it cannot (the caller chains the maps) when an edit replaces or writes a line break, or the chunk ends lines with \\r', () => {
    expect(carryMap('a\nb', [{ start: 0, end: 3, text: 'c' }], theirs)).toBeUndefined();
    expect(carryMap('ab', [{ start: 1, end: 1, text: '\n' }], theirs)).toBeUndefined();
    expect(carryMap('a\r\nb', [], theirs)).toBeUndefined();
    expect(carryMap('ab', [], theirs)).toMatchObject({ mappings: theirs.mappings, sources: theirs.sources });
  });
});

describe('why the carriers call hotpath/bundler-carriers, not the marker', () => {
  // hotpath bundled into the chunk: the marker is a visible identity function.
  const direct = (callee: string) =>
    `${callee}\nlet base = 0;\nexport function init(n) { base = n; }\nexport function read() { return site(base, "@hotpath-site:m:0"); }\n`;
  const visible = direct('function site(v) { return v; }');
  const opaque = direct('function marker(v) { return v; }\nconst site = globalThis[Symbol.for("hotpath.bundler-carriers")]?.site ?? marker;');

  it('terser and SWC inline a call of the marker itself, and drop the string that names the site', async () => {
    const { minify } = await import('terser');
    const swc = await import('@swc/core');
    expect((await minify(visible, { module: true })).code).not.toContain('@hotpath-site:');
    expect((await swc.minify(visible, { module: true, compress: true, mangle: true })).code).not.toContain('@hotpath-site:');
  });

  it('every minifier keeps a call of a callee it cannot see, with its string', async () => {
    const { minify } = await import('terser');
    const swc = await import('@swc/core');
    const esbuild = await import('esbuild');
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- rolldown/utils is newer than the rolldown versions hotpath supports
    const { minifySync } = await import('rolldown/experimental');
    const outputs = [
      (await minify(opaque, { module: true })).code!,
      (await swc.minify(opaque, { module: true, compress: true, mangle: true })).code,
      esbuild.transformSync(opaque, { minify: true, format: 'esm' }).code,
      minifySync('m.js', opaque).code,
    ];
    for (const code of outputs) {
      const scan = scanChunk(code);
      expect(scan.kind === 'scanned' && scan.carriers.map((c) => c.kind === 'site' && c.argument.read.kind)).toEqual(['identifier']);
    }
  });
});
