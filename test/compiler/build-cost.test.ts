/**
 * What the build-time shortcuts (issue 10) must not change: a call is resolved only when its
 * name can be the marker's or an alias's, so every alias spelling must still be found, and a
 * program with JavaScript sources (aliases declared by require()) resolves every call.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { checkMarkers } from '../../compiler/index.js';

const marker = path.resolve(import.meta.dirname, '../../build/runtime/marker.d.ts');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-build-cost-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const files: Record<string, string> = {
  'package.json': '{ "type": "module" }\n',
  'src/config.ts': 'export let a = 0;\n/** @boot */\nexport function configure(): void {\n  a = 1;\n}\n',
  'src/reexport.ts': "export { STATIC_VARIABLE_LOAD as grab } from 'hotpath';\n",
  'src/reader.ts': [
    "import * as m from './reexport.js';",
    "import { STATIC_VARIABLE_LOAD as load } from 'hotpath';",
    "import { a } from './config.js';",
    'declare const out: { log(x: number): void };',
    'export const x = (): number => load(a) + m.grab(a);',
    'export const y = (): void => out.log(a);',
    '// `load` shadowed: the name is a candidate, the call is resolved and is not the marker',
    'export function z(load: (n: number) => number): number {',
    '  return load(a);',
    '}',
    '',
  ].join('\n'),
  'src/old.cjs': "const { STATIC_VARIABLE_LOAD: take } = require('hotpath');\nconst { a } = require('./config.js');\nexports.z = () => take(a);\n",
};
for (const [name, text] of Object.entries(files)) {
  fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  fs.writeFileSync(path.join(dir, name), text);
}

function programOf(allowJs: boolean): ts.Program {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    rootDir: path.join(dir, 'src'),
    outDir: path.join(dir, 'out'),
    types: [],
    lib: ['lib.es2022.d.ts'],
    skipLibCheck: true,
    allowJs,
    checkJs: allowJs,
    paths: { hotpath: [marker] },
  };
  const rootNames = ['config.ts', 'reexport.ts', 'reader.ts', ...(allowJs ? ['old.cjs'] : [])].map((f) => path.join(dir, 'src', f));
  return ts.createProgram({ rootNames, options });
}

const sitesOf = (program: ts.Program, name: string) => {
  const file = program.getSourceFile(path.join(dir, 'src', name))!;
  const result = checkMarkers(program, file, { projectDirectory: dir, typescript: ts });
  return { sites: result.sites.map((s) => `${s.call.getText(file)} -> ${s.variableKey}`), calls: result.markerCalls.length, diagnostics: result.diagnostics.map((d) => d.code) };
};

describe('which calls the marker checks resolve', () => {
  it.each([false, true])('finds the marker under an import alias and as a re-exported member (allowJs: %s)', (allowJs) => {
    const program = programOf(allowJs);
    expect(program.getSemanticDiagnostics()).toEqual([]);
    expect(sitesOf(program, 'reader.ts')).toEqual({ sites: ['load(a) -> src/config.ts#a', 'm.grab(a) -> src/config.ts#a'], calls: 2, diagnostics: [] });
  });

  it('finds it under a name only require() declares, in a program with JavaScript sources', () => {
    expect(sitesOf(programOf(true), 'old.cjs')).toEqual({ sites: ['take(a) -> src/config.ts#a'], calls: 1, diagnostics: [] });
  });
});

describe('which files the marker checks walk (names grown along aliases, and a byte test)', () => {
  // Read before the files that give them their names (an alias of an alias of the marker), or
  // spelling a name only through escapes: each must still be found.
  const more: Record<string, string> = {
    // Read first, g-cycle-1.ts has g-cycle-2.ts (its alias's alias) come before it in the program.
    'src/g-cycle-1.ts': "import './g-cycle-2.js';\nexport { STATIC_VARIABLE_LOAD as hold } from 'hotpath';\n",
    'src/g-cycle-2.ts': "import './g-cycle-1.js';\nexport { hold as keep } from './g-cycle-1.js';\n",
    'src/a-late.ts': "import { keep } from './g-cycle-2.js';\nimport { a } from './config.js';\nexport const late = (): number => keep(a);\n",
    'src/c-escaped.ts': "import { gr\\u0061b } from './reexport.js';\nimport { a } from './config.js';\nexport const escaped = (): number => gr\\u0061b(a);\n",
    'src/d-default.ts': "import { STATIC_VARIABLE_LOAD } from 'hotpath';\nexport default STATIC_VARIABLE_LOAD;\n",
    'src/e-by-default.ts': "import pick from './d-default.js';\nimport { a } from './config.js';\nexport const picked = (): number => pick(a);\n",
    'src/f-none.ts': "import { a } from './config.js';\nexport const plain = (): number => a + 1;\n",
  };
  for (const [name, text] of Object.entries(more)) fs.writeFileSync(path.join(dir, name), text);
  const program = (() => {
    const base = programOf(false);
    const rootNames = [...Object.keys(more).map((f) => path.join(dir, f)), ...base.getRootFileNames()];
    return ts.createProgram({ rootNames, options: base.getCompilerOptions() });
  })();

  it('type-checks', () => {
    expect(program.getSemanticDiagnostics()).toEqual([]);
  });

  it.each([
    ['a-late.ts', 'keep(a) -> src/config.ts#a'],
    ['e-by-default.ts', 'pick(a) -> src/config.ts#a'],
  ])('finds the site of %s', (name, site) => {
    expect(sitesOf(program, name)).toEqual({ sites: [site], calls: 1, diagnostics: [] });
  });

  it('finds a callee spelt only with escapes', () => {
    // Alone with its aliases: no other name of the program (`m`, `pick`) occurs in its text.
    const base = programOf(false);
    const alone = ts.createProgram({ rootNames: ['config.ts', 'reexport.ts', 'c-escaped.ts'].map((f) => path.join(dir, 'src', f)), options: base.getCompilerOptions() });
    expect(alone.getSemanticDiagnostics()).toEqual([]);
    expect(sitesOf(alone, 'c-escaped.ts')).toEqual({ sites: ['gr\\u0061b(a) -> src/config.ts#a'], calls: 1, diagnostics: [] });
  });

  it('finds nothing in a file that names no marker', () => {
    expect(sitesOf(program, 'f-none.ts')).toEqual({ sites: [], calls: 0, diagnostics: [] });
  });
});
