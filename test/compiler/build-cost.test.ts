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
