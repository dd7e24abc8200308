/**
 * Tools that keep one transformer across rebuilds (ts-loader, @rollup/plugin-typescript in
 * watch mode) hand it a program getter: `createHotpathTransformer(getProgram)` must analyse
 * each new program, so an edited file still gets its sites. Given a fixed, stale program
 * instead, it leaves the file unchanged (correct) and says so once. And a TypeScript that
 * did not build the program is refused with HP1012.
 */
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it, vi } from 'vitest';
import { createHotpathTransformer } from '../../compiler/index.js';

const marker = path.resolve(import.meta.dirname, '../../runtime/marker.ts');
const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, strict: true, types: [], paths: { hotpath: [marker] },
};

/** A program over in-memory `/src/*.ts` files, reusing `old` as a watch rebuild does. */
function programOf(files: Record<string, string>, old?: ts.Program): ts.Program {
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile;
  host.getSourceFile = (name, version) => (name in files ? ts.createSourceFile(name, files[name]!, version, true) : getSourceFile(name, version));
  host.fileExists = ((fileExists) => (name: string) => name in files || fileExists(name))(host.fileExists);
  return ts.createProgram({ rootNames: Object.keys(files), options, host, oldProgram: old });
}

function emitPool(program: ts.Program, transformer: ts.TransformerFactory<ts.SourceFile>): string {
  let out = '';
  program.emit(program.getSourceFile('/src/pool.ts'), (_, text) => (out = text), undefined, false, { before: [transformer] });
  return out;
}

const v1 = `import { STATIC_VARIABLE_LOAD } from 'hotpath';\nexport let poolBase = 0;\n/** @boot */\nexport function initPool(b: number) { poolBase = b; }\nexport const a = () => STATIC_VARIABLE_LOAD(poolBase);\n`;
const v2 = `${v1}export const b = () => STATIC_VARIABLE_LOAD(poolBase) + 1;\n`;
const sites = (out: string) => out.match(/\/\*@hp:\d+\*\//g)?.length ?? 0;

describe('createHotpathTransformer across rebuilds', () => {
  it('with a getter: each rebuilt program is analysed, the edit gets its sites', () => {
    let current = programOf({ '/src/pool.ts': v1 });
    const transformer = createHotpathTransformer(() => current, { typescript: ts });
    expect(sites(emitPool(current, transformer))).toBe(1);
    current = programOf({ '/src/pool.ts': v2 }, current);
    expect(sites(emitPool(current, transformer))).toBe(2);
  });

  it('with a fixed program that is stale: the file is left unchanged, and it says so once', () => {
    const first = programOf({ '/src/pool.ts': v1 });
    const transformer = createHotpathTransformer(first, { typescript: ts });
    const rebuilt = programOf({ '/src/pool.ts': v2 }, first);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const out = emitPool(rebuilt, transformer);
      emitPool(rebuilt, transformer);
      expect(sites(out)).toBe(0);
      expect(out).toContain('STATIC_VARIABLE_LOAD(poolBase) + 1');
      expect(stderr.mock.calls.map(([text]) => String(text))).toEqual([
        expect.stringMatching(/^hotpath: \/src\/pool\.ts is emitted by another program than the one createHotpathTransformer was given/),
      ]);
    } finally {
      stderr.mockRestore();
    }
  });

  it('a TypeScript whose node kinds differ from the program\'s: HP1012, not a silent no-op', () => {
    const program = programOf({ '/src/pool.ts': v1 });
    const other = { ...ts, version: '9.9.9', SyntaxKind: { ...ts.SyntaxKind, SourceFile: -1 } } as unknown as typeof ts;
    expect(() => createHotpathTransformer(program, { typescript: other })).toThrow(
      /^hotpath: error HP1012: this program was built by another TypeScript than the one the pass was given \(9\.9\.9\)/,
    );
  });

  it('not a program (a config handing over the wrong argument): HP1000 naming what it got, not a TypeError', () => {
    for (const [wrong, got] of [[undefined, 'undefined'], [null, 'null'], [{}, 'object'], [() => undefined, 'undefined']] as const) {
      expect(() => createHotpathTransformer(wrong as never)).toThrow(new RegExp(`^HP1000: createHotpathTransformer needs a ts.Program, or a function returning the current one; it got ${got}\\.`));
    }
  });
});
