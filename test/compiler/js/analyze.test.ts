/**
 * The JavaScript-level front end's API (compiler/js/): analyzeJsModule over ES-module and
 * CommonJS output as compilers emit it, the second phase (writeDiagnostics), linking, and
 * the rewrite, checked against what `hotpath build` writes (fixtures/compiler/imported).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeJsModule, hotpathExportOf, linkModules, rewriteJsModule, writeDiagnostics, type LinkModule, type Resolve } from '../../../compiler/js/index.js';
import { readRecordTable } from '../../../runtime/site-format.js';

const fixtures = path.resolve(import.meta.dirname, '../../../fixtures/compiler');

/** Modules by file name, resolved by relative specifier; `hotpath` is external. */
function program(files: Record<string, string>, keyOf = (f: string) => f): { modules: LinkModule[]; resolve: Resolve } {
  const modules = Object.entries(files).map(([fileName, code]) => {
    const module = { fileName: `/app/${fileName}`, moduleKey: keyOf(fileName), analysis: analyzeJsModule(code, { fileName }) };
    sources.set(module, code);
    return module;
  });
  const byName = new Map(modules.map((m) => [m.fileName, m]));
  const resolve: Resolve = (specifier, from) => {
    if (!specifier.startsWith('.')) return 'external';
    const base = path.posix.join(path.posix.dirname(from.fileName), specifier.replace(/[?#].*$/, ''));
    return byName.get(base) ?? byName.get(`${base}.js`);
  };
  return { modules, resolve };
}

describe('analyzeJsModule', () => {
  it('recognises the marker by its binding: named, aliased, namespace; not a same-named local function', () => {
    const a = analyzeJsModule(
      [
        "import { STATIC_VARIABLE_LOAD, STATIC_VARIABLE_LOAD as load } from 'hotpath';",
        "import * as hp from 'hotpath';",
        "import { poolBase } from './pool.js';",
        'export const f = () => STATIC_VARIABLE_LOAD(poolBase) + load(poolBase) + hp.STATIC_VARIABLE_LOAD(poolBase);',
        'function g() { const STATIC_VARIABLE_LOAD = (x) => x + 1; return STATIC_VARIABLE_LOAD(poolBase); }',
        "export const h = () => hp['STATIC_VARIABLE_LOAD'](poolBase);",
      ].join('\n'),
      { fileName: 'free.js' },
    );
    expect(a.format).toBe('module');
    expect(a.markerCalls).toHaveLength(3);
    expect(a.sites.map((s) => s.variable)).toEqual(Array(3).fill({ kind: 'import', source: './pool.js', imported: 'poolBase', local: 'poolBase' }));
    expect(a.diagnostics).toEqual([]);
  });

  it('recognises CommonJS output: `(0, hotpath_1.STATIC_VARIABLE_LOAD)(pool_1.poolBase)` and the module\'s own `exports.x`', () => {
    const code = [
        '"use strict";',
        'Object.defineProperty(exports, "__esModule", { value: true });',
        'exports.poolBase = void 0;',
        'const hotpath_1 = require("hotpath");',
        'const pool_1 = __importStar(require("./pool"));',
        'exports.poolBase = 0;',
        'exports.f = () => (0, hotpath_1.STATIC_VARIABLE_LOAD)(pool_1.other) + (0, hotpath_1.STATIC_VARIABLE_LOAD)(exports.poolBase);',
      ].join('\n');
    const a = analyzeJsModule(code, { fileName: 'a.js' });
    expect(a.format).toBe('commonjs');
    expect(a.sites.map((s) => [s.read, s.variable])).toEqual([
      ['pool_1.other', { kind: 'require', source: './pool', property: 'other', object: 'pool_1' }],
      ['exports.poolBase', { kind: 'exports', property: 'poolBase' }],
    ]);
    // Declared (and registered after) at its first top-level value, not at the prologue's `= void 0`.
    expect(a.exportsProperties.get('poolBase')?.statement.start).toBe(code.indexOf('exports.poolBase = 0;'));
    expect(a.preambleAt).toBe(code.indexOf('const hotpath_1'));
  });

  it('reports what one module can decide, with the TypeScript pass\'s codes and words', () => {
    const a = analyzeJsModule(
      [
        "import { STATIC_VARIABLE_LOAD as load } from 'hotpath';",
        'const SIZE = 4096;',
        'export function f(p) {',
        '  const base = p * 2;',
        '  return load(base) + load(p) + load(f) + load(config.base) + load() + load?.(SIZE) + load(SIZE) + load(nowhere);',
        '}',
        'const config = { base: 1 };',
        'delete load(SIZE);',
      ].join('\n'),
      { fileName: 'm.js' },
    );
    const codes = a.diagnostics.map((d) => d.code);
    expect(codes).toEqual(['HP1003', 'HP1003', 'HP1003', 'HP1002', 'HP1001', 'HP1014', 'HP1009', 'HP1003', 'HP1013']);
    expect(a.diagnostics[0]!.message).toBe('STATIC_VARIABLE_LOAD at m.js:5:10: `base` is declared at m.js:4:9 inside a function, not at a module\'s top level');
    expect(a.diagnostics[1]!.message).toBe('STATIC_VARIABLE_LOAD at m.js:5:23: `p` is a parameter (m.js:3:19), not a module-level const/let/var');
    expect(a.diagnostics[8]!.message).toContain('is the operand of `delete`, not a read');
    // HP1009 is a warning and the site stays valid.
    expect(a.diagnostics[6]!.category).toBe('warning');
    expect(a.sites.map((s) => s.read)).toEqual(['SIZE']);
  });

  it('classifies every write: top level, @boot body, nested, after seal(), after a top-level await, in an async @boot', () => {
    const a = analyzeJsModule(
      [
        "import { seal } from 'hotpath';",
        'export let a = 0, b = 0, c = 0, d = 0, e = 0;',
        'a = 1;',
        '/** @boot */',
        'export function init(v) { a = v; const inner = () => { b = v; }; inner(); }',
        '/** @boot */',
        'export async function later(v) { c = await v; }',
        'function sealIt() { seal(); }',
        'sealIt();',
        'd = 2;',
        'await null;',
        'e = 3;',
      ].join('\n'),
      { fileName: 's.js' },
    );
    const problems = (name: string) => a.bindings.get(name)!.writes.map((w) => w.problem?.why ?? 'ok');
    expect(problems('a')).toEqual(['ok', 'ok']);
    expect(problems('b')).toEqual(["written at s.js:5:56 outside its module's top level and any /** @boot */ function"]);
    expect(problems('c')[0]).toContain('in the async function `later` (s.js:7:23) marked @boot');
    expect(problems('d')).toEqual(["written at s.js:10:1 in its module's top-level code after the call at s.js:9:1, which can reach seal(): the write runs after the values are sealed"]);
    expect(problems('e')[0]).toContain('after the top-level await at s.js:11:1');
  });

  it('never throws on code that does not parse: HP1017, nothing to rewrite', () => {
    const a = analyzeJsModule('export let = ;', { fileName: 'bad.js' });
    expect(a.parseError).toBeDefined();
    expect(a.diagnostics.map((d) => d.code)).toEqual(['HP1017']);
    expect(a.sites).toEqual([]);
  });
});

describe('writeDiagnostics (the second phase)', () => {
  it('words HP1007 on the reading site from the declaring module\'s scan', () => {
    const pool = analyzeJsModule('export let plain = 0;\nexport function set(v) { plain = v; }\n', { fileName: 'state.js' });
    const main = analyzeJsModule("import { STATIC_VARIABLE_LOAD } from 'hotpath';\nimport { plain } from './state.js';\nexport const f = () => STATIC_VARIABLE_LOAD(plain);\n", { fileName: 'main.js' });
    const [d] = writeDiagnostics(pool, [{ site: main.sites[0]!, reader: main, binding: pool.bindings.get('plain')! }]);
    expect(d).toMatchObject({ code: 'HP1007', fileName: 'main.js' });
    expect(d!.message).toBe('STATIC_VARIABLE_LOAD at main.js:3:24 reads `plain`, which is written at state.js:2:26 outside its module\'s top level and any /** @boot */ function: a patched read would miss that write');
    expect(writeDiagnostics(pool, [])).toEqual([]);
  });
});

describe('linkModules + rewriteJsModule', () => {
  it('writes what hotpath build writes for fixtures/compiler/imported (tsc\'s output without the pass as input)', () => {
    const { modules, resolve } = program(
      {
        'free.js': "import { STATIC_VARIABLE_LOAD } from 'hotpath';\nimport { poolBase } from './pool.js';\nexport function isPoolAddress(p) {\n    return (p - STATIC_VARIABLE_LOAD(poolBase)) >>> 0 < 4096;\n}\n",
        'pool.js': 'export let poolBase = 0;\n/** @boot */\nexport function initPool(base) {\n    poolBase = base;\n}\n',
      },
      (f) => `src/${f.replace(/\.js$/, '.ts')}`,
    );
    const { plans, diagnostics } = linkModules(modules, resolve);
    expect(diagnostics).toEqual([]);
    for (const name of ['free.js', 'pool.js']) {
      const module = modules.find((m) => m.fileName === `/app/${name}`)!;
      // The guard names the JavaScript position here (no source map given): line 3, not the TypeScript line 4.
      const expected = fs.readFileSync(path.join(fixtures, 'imported/expected', name), 'utf8').replace('src/pool.ts:4:17', 'pool.js:3:17');
      expect(rewriteJsModule(sourceOf(module), plans.get(module.fileName)!).code).toBe(expected);
    }
  });

  it('follows a re-export chain and a marker re-exported through the user\'s own module', () => {
    const { modules, resolve } = program({
      'pool.js': 'export let poolBase = 0;\n',
      'index.js': "export { poolBase as base } from './pool.js';\nexport { STATIC_VARIABLE_LOAD as load } from 'hotpath';\n",
      'free.js': "import { base, load } from './index.js';\nexport const f = () => load(base);\n",
    });
    // First pass: free.js's `load` is not known to be the marker until index.js is linked.
    expect(modules[2]!.analysis.markerCalls).toHaveLength(0);
    const free = modules[2]!;
    const relinked = { ...free, analysis: analyzeJsModule(sourceOf(free), { fileName: 'free.js', hotpathExport: hotpathExportOf(free, resolve) }) };
    sources.set(relinked, sourceOf(free));
    const all = [modules[0]!, modules[1]!, relinked];
    const { plans, diagnostics } = linkModules(all, resolve);
    expect(diagnostics).toEqual([]);
    const out = rewriteJsModule(sourceOf(relinked), plans.get('/app/free.js')!).code;
    expect(out).toContain('(/*@hp:0*/ (base) /*@hp:0                   */)');
    const table = readRecordTable(out);
    expect(table).toEqual({ kind: 'table', table: { module: 'free.js', sites: [{ var: 'pool.js#poolBase', read: 'base', export: 'base', from: './pool.js' }] } });
    expect(rewriteJsModule(sourceOf(modules[0]!), plans.get('/app/pool.js')!).code).toBe(
      'import { registerStaticVariable as __hotpath_registerStaticVariable } from "hotpath";\nexport let poolBase = 0;\n__hotpath_registerStaticVariable("pool.js#poolBase", () => poolBase, import.meta.url);\n',
    );
  });

  it('recognises the marker re-exported through a CommonJS module of the user\'s (tsc\'s getter re-export, `(0, markers_1.load)(x)`)', () => {
    const { modules, resolve } = program({
      'markers.js': '"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\nexports.load = void 0;\nvar hotpath_1 = require("hotpath");\nObject.defineProperty(exports, "load", { enumerable: true, get: function () { return hotpath_1.STATIC_VARIABLE_LOAD; } });\n',
      'pool.js': '"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\nexports.poolBase = void 0;\nexports.poolBase = 0;\n',
      'free.js': '"use strict";\nconst markers_1 = require("./markers");\nconst pool_1 = require("./pool");\nexports.f = () => (0, markers_1.load)(pool_1.poolBase);\n',
    });
    const free = modules[2]!;
    expect(free.analysis.markerCalls).toHaveLength(0);
    const relinked = { ...free, analysis: analyzeJsModule(sourceOf(free), { fileName: 'free.js', hotpathExport: hotpathExportOf(free, resolve) }) };
    sources.set(relinked, sourceOf(free));
    const { plans, diagnostics } = linkModules([modules[0]!, modules[1]!, relinked], resolve);
    expect(diagnostics).toEqual([]);
    expect(rewriteJsModule(sourceOf(relinked), plans.get('/app/free.js')!).code).toContain('exports.f = () => (/*@hp:0*/ (pool_1.poolBase) /*@hp:0                   */);');
    expect(rewriteJsModule(sourceOf(modules[1]!), plans.get('/app/pool.js')!).code).toContain(
      'exports.poolBase = 0;\n__hotpath_registerStaticVariable("pool.js#poolBase", () => exports.poolBase, typeof __filename === "string" ? __filename : void 0);',
    );
  });

  it('a declaring module with no site of its own gets only the runtime import and its registration', () => {
    const { modules, resolve } = program({ 'pool.js': 'export let poolBase = 0;\n', 'free.js': "import { STATIC_VARIABLE_LOAD } from 'hotpath';\nimport { poolBase } from './pool.js';\nexport const f = () => STATIC_VARIABLE_LOAD(poolBase);\n" });
    const { plans } = linkModules(modules, resolve);
    expect(rewriteJsModule(sourceOf(modules[0]!), plans.get('/app/pool.js')!).code).toBe(
      'import { registerStaticVariable as __hotpath_registerStaticVariable } from "hotpath";\nexport let poolBase = 0;\n__hotpath_registerStaticVariable("pool.js#poolBase", () => poolBase, import.meta.url);\n',
    );
  });
});

// The tests keep each module's source beside its analysis.
const sources = new WeakMap<LinkModule, string>();
function sourceOf(module: LinkModule): string {
  const known = sources.get(module);
  if (known !== undefined) return known;
  throw new Error(`no source for ${module.fileName}`);
}
