/**
 * One module's transform (bundler/module-transform.ts) without a bundler: the byte prefilter
 * is a necessary condition only (a marker imported through an escaped 'hotpath' is still a
 * site; a module with neither word and no backslash is left alone), and the resolver is asked
 * only about what linking can ask (compiler/js linkSpecifiers), never about every import.
 */
import { describe, expect, it } from 'vitest';
import { transformModule, type Resolve } from '../../bundler/module-transform.js';

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
