/**
 * `hotpath/vite` in development (bundler/dev-transform.ts) without Vite: each site becomes a call
 * of the module's own identity function, never of the runtime's marker, and the module computes
 * what it computes untransformed — also where a line without a semicolon ends before a marker
 * (the bare `(x)` would call the line above). The note counts the sites; nothing is registered.
 * test/pack-e2e/dev.test.ts runs it in Vite's dev server, vite-node and vitest.
 */
import { describe, expect, it } from 'vitest';
import { devTransformModule } from '../../bundler/dev-transform.js';

interface Calls {
  marker: number;
  notes: unknown[][];
  registered: string[];
}

/** Runs CommonJS `code` with `hotpath` and `hotpath/bundler-carriers` stubs that record their calls; its exports and the calls. */
function runCommonJs(code: string): { exports: Record<string, unknown>; calls: Calls } {
  const calls: Calls = { marker: 0, notes: [], registered: [] };
  const modules: Record<string, unknown> = {
    hotpath: { STATIC_VARIABLE_LOAD: <T>(v: T): T => (calls.marker++, v) },
    'hotpath/bundler-carriers': {
      note: (...args: unknown[]) => void calls.notes.push(args),
      register: (key: string, read: () => unknown) => void calls.registered.push(`${key} = ${String(read())}`),
    },
  };
  const module = { exports: {} as Record<string, unknown> };
  new Function('require', 'module', 'exports', code)((id: string) => modules[id], module, module.exports);
  return { exports: module.exports, calls };
}

const SOURCE = [
  "'use strict';",
  "const hp = require('hotpath');",
  "const { STATIC_VARIABLE_LOAD: load } = require('hotpath');",
  'exports.base = 40;',
  'function next(v) { return v + 1; }',
  // No semicolon: the marker's line starts a statement of its own (ASI), it does not call `next`.
  'let chosen = next',
  'hp.STATIC_VARIABLE_LOAD(exports.base)',
  'exports.kind = typeof chosen;',
  'exports.sum = load(exports.base) + hp.STATIC_VARIABLE_LOAD(exports.base);',
  '',
].join('\n');

describe('devTransformModule', () => {
  it('writes every site as a call of the module\'s own identity: the same exports, no call of the marker, the note counts the sites', () => {
    const before = runCommonJs(SOURCE);
    expect(before.exports).toEqual({ base: 40, kind: 'function', sum: 80 });
    expect(before.calls.marker).toBe(3);

    const result = devTransformModule(SOURCE, '/app/src/reader.cjs', 'src/reader.cjs');
    expect(result).toBeDefined();
    expect(result!.code).not.toContain('STATIC_VARIABLE_LOAD(');
    const after = runCommonJs(result!.code);
    expect(after.exports).toEqual(before.exports);
    expect(after.calls.marker).toBe(0);
    expect(after.calls.notes).toEqual([['@hotpath-note:src/reader.cjs', 3]]);
    expect(after.calls.registered).toEqual([]);
  });

  it('names its identity so that no binding of the module shadows it (a user\'s own __hotpath_read in an inner scope)', () => {
    const source = [
      "'use strict';",
      "const hp = require('hotpath');",
      'exports.base = 40;',
      'function inner() { const __hotpath_read = () => 999; return hp.STATIC_VARIABLE_LOAD(exports.base) + __hotpath_read(); }',
      'exports.value = inner();',
      '',
    ].join('\n');
    const before = runCommonJs(source).exports;
    expect(before).toEqual({ base: 40, value: 1039 });
    const result = devTransformModule(source, '/app/src/shadow.cjs', 'src/shadow.cjs')!;
    expect(result.code).toContain('__hotpath_read1(');
    expect(runCommonJs(result.code).exports).toEqual(before);
  });

  it('leaves a module without a site alone: exported variables are not registered', () => {
    expect(devTransformModule("import { f } from './f.js';\nexport let x = 1;\nconsole.log(f(x));\n", '/app/src/plain.js', 'src/plain.js')).toBeUndefined();
    expect(devTransformModule("import { seal } from 'hotpath';\nexport let x = 1;\nseal();\n", '/app/src/main.js', 'src/main.js')).toBeUndefined();
  });

  it('maps the output to the source (a stack trace in development points at the line written)', () => {
    const result = devTransformModule("import { STATIC_VARIABLE_LOAD } from 'hotpath';\nexport let limit = 1;\nexport const twice = () => STATIC_VARIABLE_LOAD(limit) * 2;\n", '/app/src/m.js', 'src/m.js');
    const map = result!.map as { sources: string[]; sourcesContent: string[] };
    expect(map.sources).toEqual(['/app/src/m.js']);
    expect(map.sourcesContent[0]).toContain('STATIC_VARIABLE_LOAD(limit)');
  });
});
