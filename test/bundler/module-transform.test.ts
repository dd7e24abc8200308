/**
 * One module's transform (bundler/module-transform.ts) without a bundler: the byte prefilter
 * is a necessary condition only (a marker imported through an escaped 'hotpath' is still a
 * site; a module with neither word and no backslash is left alone), and the resolver is asked
 * only about what linking can ask (compiler/js linkSpecifiers), never about every import.
 */
import { describe, expect, it } from 'vitest';
import { transformModule, type ModuleGraph, type Resolve } from '../../bundler/module-transform.js';

function recordingResolver(): { resolve: Resolve; asked: string[] } {
  const asked: string[] = [];
  return { asked, resolve: async (specifier) => (asked.push(specifier), specifier === 'hotpath' ? 'external' : `/app/${specifier}`) };
}

describe('transformModule', () => {
  it.each([
    ['a \\u escape', String.raw`'hot\u0070ath'`],
    ['a \\x escape', String.raw`'hot\x70ath'`],
    ['a line continuation', `'hot\\\npath'`],
  ])('finds the marker imported through %s of the specifier', async (_, specifier) => {
    const code = `import { STATIC_VARIABLE_LOAD as L } from ${specifier};\nimport { base } from './config.js';\nconsole.log(L(base));\n`;
    const { resolve } = recordingResolver();
    const result = await transformModule(code, '/app/reader.js', { moduleKey: 'reader.js', resolve });
    expect(result.kind).toBe('transformed');
    if (result.kind === 'transformed') expect(result.analysis.sites).toHaveLength(1);
  });

  it('leaves a module that can hold neither a marker nor an exported variable unchanged', async () => {
    const { resolve, asked } = recordingResolver();
    const result = await transformModule(`import { f } from './f.js';\nlet x = 1;\nconsole.log(f(x));\n`, '/app/plain.js', { moduleKey: 'plain.js', resolve });
    expect(result.kind).toBe('unchanged');
    expect(asked).toEqual([]);
  });

  it('resolves the sources its sites read and its re-exports, not its other imports', async () => {
    const code =
      `import { STATIC_VARIABLE_LOAD } from 'hotpath';\nimport { base } from './config.js';\nimport * as m from './other.js';\nimport { y } from './y.js';\n` +
      `export { y };\nexport * from './all.js';\nexport const n = 1;\nexport function f(p) { return p - STATIC_VARIABLE_LOAD(base) + m.g(); }\n`;
    const { resolve, asked } = recordingResolver();
    const result = await transformModule(code, '/app/entry.js', { moduleKey: 'entry.js', resolve });
    expect(result.kind).toBe('transformed');
    expect(asked.sort()).toEqual(['./all.js', './config.js', './y.js']);
  });

  it('an entry that only imports and exports its own values resolves nothing', async () => {
    const imports = Array.from({ length: 50 }, (_, i) => `import * as m${i} from './m${i}.js';`).join('\n');
    const code = `${imports}\nexport const count = 50;\nexport function sum() { return ${Array.from({ length: 50 }, (_, i) => `m${i}.f()`).join(' + ')}; }\n`;
    const { resolve, asked } = recordingResolver();
    const result = await transformModule(code, '/app/app.js', { moduleKey: 'app.js', resolve });
    expect(result.kind).not.toBe('unchanged');
    expect(asked).toEqual([]);
  });
});

describe('transformModule with the module graph: the marker re-exported through the user\'s own modules', () => {
  /** Modules by id; the resolver names `./x.js` from /app as /app/x.js. */
  function graphOf(files: Record<string, string>): { graph: ModuleGraph; resolve: Resolve; asked: string[]; read: string[] } {
    const asked: string[] = [];
    const read: string[] = [];
    const resolve: Resolve = async (specifier) => (asked.push(specifier), specifier === 'hotpath' ? 'external' : `/app/${specifier.replace(/^\.\//, '')}`);
    const graph: ModuleGraph = {
      read: async (id) => (read.push(id), files[id.replace('/app/', '')]),
      moduleKey: (id) => id.replace('/app/', ''),
      analyses: new Map(),
    };
    return { graph, resolve, asked, read };
  }

  it('finds `load` of hp.js (`export { STATIC_VARIABLE_LOAD as load }`), and `m.load` through `export *`; a cycle ends', async () => {
    const { graph, resolve } = graphOf({
      'hp.js': "export { STATIC_VARIABLE_LOAD as load, seal } from 'hotpath';\nexport * from './markers.js';\n",
      'markers.js': "export * from './hp.js';\n",
      'config.js': 'export let base = 0;\n',
    });
    const code = "import { load } from './hp.js';\nimport * as m from './markers.js';\nimport { base } from './config.js';\nexport const f = () => load(base) + m.load(base);\n";
    const result = await transformModule(code, '/app/reader.js', { moduleKey: 'reader.js', resolve, graph });
    expect(result.kind).toBe('transformed');
    if (result.kind !== 'transformed') return;
    expect(result.analysis.sites.map((s) => s.read)).toEqual(['base', 'base']);
    expect(result.code).toContain('__hotpath_site(base, "@hotpath-site:reader.js:0") + __hotpath_site(base, "@hotpath-site:reader.js:1")');
  });

  it('a function of the same name that is not the marker stays a call; the module read for an importer is not analysed again', async () => {
    const { graph, resolve, read } = graphOf({ 'util.js': 'export function load(x) { return x * 2; }\n' });
    const code = "import { load } from './util.js';\nexport let base = 0;\nexport const f = () => load(base);\n";
    const result = await transformModule(code, '/app/reader.js', { moduleKey: 'reader.js', resolve, graph });
    expect(result.kind).toBe('transformed');
    if (result.kind === 'transformed') expect(result.analysis.sites).toEqual([]);
    expect(read).toEqual(['/app/util.js']);
    const cached = graph.analyses.get('/app/util.js');
    expect(cached?.source).toBe('export function load(x) { return x * 2; }\n');
    const own = await transformModule(cached!.source, '/app/util.js', { moduleKey: 'util.js', resolve, graph });
    expect(own.kind).not.toBe('unchanged');
    if (own.kind !== 'unchanged') expect(own.analysis).toBe((await cached!.analysed).analysis);
  });

  it('resolves nothing for calls that could be neither a site nor a top-level seal() (an app entry calling its modules with parameters)', async () => {
    const imports = Array.from({ length: 50 }, (_, i) => `import * as m${i} from './m${i}.js';`).join('\n');
    const code = `${imports}\nexport function sum(p) { return ${Array.from({ length: 50 }, (_, i) => `m${i}.f(p) + m${i}.g()`).join(' + ')}; }\n`;
    const { graph, resolve, asked, read } = graphOf({});
    const result = await transformModule(code, '/app/app.js', { moduleKey: 'app.js', resolve, graph });
    expect(result.kind).not.toBe('unchanged');
    expect(asked).toEqual([]);
    expect(read).toEqual([]);
    // A top-level call with no argument (a seal() re-exported?) and a call reading a module-level binding are asked about.
    await transformModule(`${imports}\nlet x = 1;\nm0.f(x);\nm1.boot();\n`, '/app/main.js', { moduleKey: 'main.js', resolve, graph });
    expect(asked.sort()).toEqual(['./m0.js', './m1.js']);
  });

  it('without the graph, a module with neither word nor backslash is still left alone, and nothing is read', async () => {
    const { resolve, asked } = graphOf({});
    expect((await transformModule("import { load } from './hp.js';\nconsole.log(load(1));\n", '/app/x.js', { moduleKey: 'x.js', resolve })).kind).toBe('unchanged');
    expect(asked).toEqual([]);
  });
});

describe('transformModule: the carriers under names the module does not hold', () => {
  it('a parameter named like a carrier around a site is not called: the carrier gets another name, and the module computes the same', async () => {
    const code =
      `import { STATIC_VARIABLE_LOAD } from 'hotpath';\nexport let base = 7;\n` +
      `export function f(__hotpath_site) { return STATIC_VARIABLE_LOAD(base) + __hotpath_site; }\n`;
    const result = await transformModule(code, '/app/reader.js', { moduleKey: 'reader.js', resolve: async (s) => (s === 'hotpath' ? 'external' : `/app/${s}`) });
    expect(result.kind).toBe('transformed');
    if (result.kind !== 'transformed') return;
    expect(result.code).toContain('site as __hotpath_site1');
    expect(result.code).toContain('__hotpath_site1(base, "@hotpath-site:reader.js:0")');
    // Run it: the carriers as the package has them do what the program means (identity, a registration, a note).
    const carriers = `data:text/javascript,${encodeURIComponent('export const site = (v) => v; export const register = () => {}; export const note = () => {};')}`;
    const runnable = result.code.replaceAll('"hotpath/bundler-carriers"', JSON.stringify(carriers)).replace("import { STATIC_VARIABLE_LOAD } from 'hotpath';", '');
    const mod = (await import(`data:text/javascript,${encodeURIComponent(runnable)}`)) as { f: (p: number) => number };
    expect(mod.f(1)).toBe(8);
  });
});
