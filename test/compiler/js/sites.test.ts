/**
 * `hotpath sites <dir>` (compiler/js/sites.ts) over real folders: source maps chained (a
 * `.map` beside the file and an inline one), a second run refused (HP1018), `--dry`, the
 * CommonJS shapes of esbuild and swc, the exit codes. Runs in-process with runSites.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { runSites } from '../../../compiler/js/sites.js';
import { patchSource } from '../../../runtime/patch-source.js';
import { staticVariableId } from '../../../runtime/site-format.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-sites-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

let count = 0;
function project(files: Record<string, string>): string {
  const dir = path.join(work, `p${count++}`);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

function sites(dir: string, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = runSites(['dist', ...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: dir });
  return { code, stdout, stderr };
}

const POOL = 'export let poolBase = 0;\n\n/** @boot */\nexport function initPool(base: number): void {\n  poolBase = base;\n}\n';
const FREE = "import { STATIC_VARIABLE_LOAD } from 'hotpath';\nimport { poolBase } from './pool.js';\n\nexport function isPoolAddress(p: number): boolean {\n  return (p - STATIC_VARIABLE_LOAD(poolBase)) >>> 0 < 4096;\n}\n";

/** TypeScript 6 emits src/ into dist/ without the pass. */
function compile(dir: string, options: ts.CompilerOptions): void {
  const rootNames = fs.readdirSync(path.join(dir, 'src')).map((f) => path.join(dir, 'src', f));
  const program = ts.createProgram({
    rootNames,
    options: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, rootDir: path.join(dir, 'src'), outDir: path.join(dir, 'dist'), types: [], noResolve: true, noLib: true, ...options },
  });
  program.emit();
}

/** Where `offset` of `code` maps to through `map`. */
function mapped(code: string, offset: number, map: TraceMap) {
  const before = code.slice(0, offset).split('\n');
  return originalPositionFor(map, { line: before.length, column: before[before.length - 1]!.length });
}

describe('hotpath sites', () => {
  it.each([
    ['a .map file beside each output', { sourceMap: true }],
    ['an inline map', { inlineSourceMap: true }],
  ] as const)('chains %s: the slot\'s read and the lines after the added ones still map to the TypeScript source', (_what, options) => {
    const dir = project({ 'package.json': '{ "type": "module" }', 'src/pool.ts': POOL, 'src/free.ts': FREE });
    compile(dir, options);
    const r = sites(dir);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe('hotpath sites: 1 site in 1 module(s), 1 variable(s) registered, 1 @boot guard(s); 0 of 2 file(s) unchanged\n');
    const code = fs.readFileSync(path.join(dir, 'dist/free.js'), 'utf8');
    const comment = code.slice(code.lastIndexOf('//# sourceMappingURL=') + '//# sourceMappingURL='.length).trim();
    const raw = comment.startsWith('data:')
      ? JSON.parse(Buffer.from(comment.slice(comment.indexOf(',') + 1), 'base64').toString('utf8'))
      : JSON.parse(fs.readFileSync(path.join(dir, 'dist', comment), 'utf8'));
    const map = new TraceMap(raw, path.join(dir, 'dist', 'free.js.map'));
    // The read inside the slot maps to the argument of the marker call: src/free.ts line 5, column 35 (0-based 34).
    const read = code.indexOf('(poolBase)') + 1;
    expect(mapped(code, read, map)).toMatchObject({ line: 5, column: 35, source: expect.stringMatching(/src\/free\.ts$/) });
    // `export function isPoolAddress` is line 4 of the source, three lines further down in the output.
    expect(mapped(code, code.indexOf('export function'), map)).toMatchObject({ line: 4, column: 0 });
    expect(code.indexOf('export function')).toBeGreaterThan(code.indexOf('__hotpath_noteSiteModule("src/free.ts", 1)'));
    // The record names the sources as hotpath build does, and the site patches.
    expect(code.startsWith('/*@hotpath-sites:3 ["src/free.ts",[["./pool.js","./pool.js","src/pool.ts","poolBase","poolBase","poolBase"]],[0]]*/\n')).toBe(true);
    const url = new URL(`file://${path.join(dir, 'dist/free.js')}`).href;
    const values = new Map([[staticVariableId(new URL('./pool.js', url).href, 'poolBase'), 1 << 30]]);
    expect(patchSource(code, values, { url }).source).toContain('(/*@hp:0*/ 1073741824                             )');
  });

  it('refuses a second run (HP1018) and writes nothing; --dry writes nothing either', () => {
    const dir = project({ 'package.json': '{ "type": "module" }', 'src/pool.ts': POOL, 'src/free.ts': FREE });
    compile(dir, {});
    const emitted = fs.readFileSync(path.join(dir, 'dist/free.js'), 'utf8');
    const dry = sites(dir, '--dry');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('(dry run: nothing written)');
    expect(fs.readFileSync(path.join(dir, 'dist/free.js'), 'utf8')).toBe(emitted);
    expect(sites(dir).code).toBe(0);
    const once = fs.readFileSync(path.join(dir, 'dist/free.js'), 'utf8');
    const again = sites(dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      'dist/free.js: error HP1018: hotpath sites: dist/free.js and 1 more file already hold patch sites (hotpath build or hotpath sites ran over them); nothing was written\n' +
        '  Compile again (the compiler rewrites its output folder), then run hotpath sites once.\n',
    );
    expect(fs.readFileSync(path.join(dir, 'dist/free.js'), 'utf8')).toBe(once);
  });

  it('exit 2 with file:line:col diagnostics for marker errors; the rest is written', () => {
    const dir = project({
      'package.json': '{ "type": "module" }',
      'src/pool.ts': `${POOL}export function reset(): void { poolBase = 0; }\n`,
      'src/free.ts': `${FREE}export const size = () => STATIC_VARIABLE_LOAD();\n`,
    });
    compile(dir, { sourceMap: true });
    const r = sites(dir);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter((l) => /^\S/.test(l))).toEqual([
      'src/free.ts:5:36: error HP1007: STATIC_VARIABLE_LOAD at src/free.ts:5:15 reads `poolBase`, which is written at src/pool.ts:7:33 outside its module\'s top level and any /** @boot */ function: a patched read would miss that write',
      'src/free.ts:7:27: error HP1001: STATIC_VARIABLE_LOAD at src/free.ts:7:27 has 0 arguments; it takes exactly one',
    ]);
    // Both calls stay calls; the @boot guard is still written (the program uses the marker).
    expect(fs.readFileSync(path.join(dir, 'dist/free.js'), 'utf8')).not.toContain('/*@hp:');
    expect(fs.readFileSync(path.join(dir, 'dist/pool.js'), 'utf8')).toContain('__hotpath_assertBootPhase("initPool (src/pool.ts:4:17)");');
  });

  it("esbuild's CommonJS shape (`__export(x_exports, { x: () => x })`, `import_pool.x`): sites, a registration of the local", () => {
    const dir = project({
      'dist/pool.js': [
        'var pool_exports = {};',
        '__export(pool_exports, {',
        '  initPool: () => initPool,',
        '  poolBase: () => poolBase',
        '});',
        'module.exports = __toCommonJS(pool_exports);',
        'let poolBase = 0;',
        '/** @boot */',
        'function initPool(base) {',
        '  poolBase = base;',
        '}',
        '',
      ].join('\n'),
      'dist/free.js': [
        'var import_hotpath = require("hotpath");',
        'var import_pool = require("./pool.js");',
        'const isPool = (p) => (p - (0, import_hotpath.STATIC_VARIABLE_LOAD)(import_pool.poolBase)) >>> 0 < 4096;',
        'module.exports = { isPool };',
        '',
      ].join('\n'),
    });
    const r = sites(dir);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const free = fs.readFileSync(path.join(dir, 'dist/free.js'), 'utf8');
    expect(free).toContain('(p - (/*@hp:0*/ (import_pool.poolBase) /*@hp:0                   */)) >>> 0');
    expect(free).toContain('[["./pool.js","./pool.js","dist/pool.js","poolBase","poolBase","poolBase"]]');
    const pool = fs.readFileSync(path.join(dir, 'dist/pool.js'), 'utf8');
    expect(pool).toContain('let poolBase = 0;\n__hotpath_registerStaticVariable("dist/pool.js#poolBase", () => poolBase, typeof __filename === "string" ? __filename : void 0);');
    expect(pool).toContain('function initPool(base) {\n  __hotpath_assertBootPhase("initPool (dist/pool.js:9:10)");\n  poolBase = base;');
  });

  it("swc's CommonJS output drops an exported function's /** @boot */: HP1007 (docs/compiler.md); a function exported by specifier keeps it", () => {
    const swcOut = (bootComment: string) => [
      '"use strict";',
      'Object.defineProperty(exports, "__esModule", {',
      '    value: true',
      '});',
      'function _export(target, all) {',
      '    for(var name in all)Object.defineProperty(target, name, {',
      '        enumerable: true,',
      '        get: Object.getOwnPropertyDescriptor(all, name).get',
      '    });',
      '}',
      '_export(exports, {',
      '    get initPool () {',
      '        return initPool;',
      '    },',
      '    get poolBase () {',
      '        return poolBase;',
      '    }',
      '});',
      'const _hotpath = require("hotpath");',
      'let poolBase = 0;',
      `${bootComment}function initPool(base) {`,
      '    poolBase = base;',
      '}',
      'const isPool = (p)=>p - (0, _hotpath.STATIC_VARIABLE_LOAD)(poolBase) >>> 0 < 4096;',
      '',
    ].join('\n');
    const lost = project({ 'dist/pool.js': swcOut('') });
    const r = sites(lost);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('dist/pool.js:24:60: error HP1007: STATIC_VARIABLE_LOAD at dist/pool.js:24:25 reads `poolBase`, which is written at dist/pool.js:22:5 outside its module\'s top level and any /** @boot */ function');
    const kept = project({ 'dist/pool.js': swcOut('/** @boot */ ') });
    expect(sites(kept)).toMatchObject({ code: 0, stderr: '' });
    expect(fs.readFileSync(path.join(kept, 'dist/pool.js'), 'utf8')).toContain('(/*@hp:0*/ (poolBase) /*@hp:0                   */)');
  });

  it('usage errors: no folder, not a folder, an unknown option (HP1000, exit 1)', () => {
    const dir = project({ 'x.txt': '' });
    let stderr = '';
    const io = { stdout: () => {}, stderr: (t: string) => (stderr += t), cwd: dir };
    expect(runSites([], io)).toBe(1);
    expect(runSites(['nowhere'], io)).toBe(1);
    expect(runSites(['.', '--frobnicate'], io)).toBe(1);
    expect(stderr.split('\n').filter((l) => l.startsWith('error'))).toEqual([
      'error HP1000: hotpath sites: give the folder of JavaScript to rewrite, e.g. hotpath sites dist',
      'error HP1000: hotpath sites: nowhere is not a folder',
      'error HP1000: hotpath sites: unknown option --frobnicate',
    ]);
  });
});
