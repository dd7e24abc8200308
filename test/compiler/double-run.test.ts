/**
 * The pass never runs twice on one emit, even when two copies of hotpath are loaded (a
 * ts-patch plugin resolved from the project beside `hotpath build` from elsewhere): the
 * guard lives under a `Symbol.for` key. Two real copies of the built package (`npm run
 * build` first), one program, real emits.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { consumerProject, poolSource } from './installs.js';

type Compiler = typeof import('../../compiler/index.js');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-double-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const copy = async (name: string): Promise<Compiler> => {
  const dir = consumerProject(work, name, {});
  return (await import(pathToFileURL(path.join(dir, 'node_modules/hotpath/build/compiler/index.js')).href)) as Compiler;
};
const [a, b] = await Promise.all([copy('copy-a'), copy('copy-b')]);

function programOf(files: Record<string, string>): ts.Program {
  const dir = fs.mkdtempSync(path.join(work, 'project-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
  const marker = path.join(import.meta.dirname, '../../build/runtime/marker.d.ts');
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, strict: true, types: [], noEmit: false, paths: { hotpath: [marker] } };
  return ts.createProgram({ rootNames: Object.keys(files).map((f) => path.join(dir, f)), options });
}

function emit(program: ts.Program, before: ts.TransformerFactory<ts.SourceFile>[]): string {
  let out = '';
  program.emit(undefined, (name, text) => {
    if (name.endsWith('pool.js')) out = text;
  }, undefined, false, { before });
  return out;
}

const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

describe('one pass per emit', () => {
  it('the two copies are distinct modules', () => {
    expect(a.createHotpathTransformer).not.toBe(b.createHotpathTransformer);
  });

  it('two transformers of two copies in one emit: one record table, one import, one registration', () => {
    const program = programOf({ 'pool.ts': poolSource });
    const once = emit(program, [a.createHotpathTransformer(program, { typescript: ts })]);
    expect(count(once, /\/\*@hotpath-sites:/g)).toBe(1);
    const twice = emit(program, [a.createHotpathTransformer(program, { typescript: ts }), b.createHotpathTransformer(program, { typescript: ts })]);
    expect(twice).toBe(once);
  });

  it('also with a transformer between them that rewrites the file', () => {
    const program = programOf({ 'pool.ts': poolSource });
    const rewrite: ts.TransformerFactory<ts.SourceFile> = (context) => (file) => context.factory.updateSourceFile(file, [...file.statements]);
    const out = emit(program, [a.createHotpathTransformer(program, { typescript: ts }), rewrite, b.createHotpathTransformer(program, { typescript: ts })]);
    expect(count(out, /__hotpath_registerStaticVariable\(/g)).toBe(1);
    expect(count(out, /\/\*@hp:0\*\//g)).toBe(1);
  });

  it('a second emit of the same program is transformed again (the guard is per emit, not per program)', () => {
    const program = programOf({ 'pool.ts': poolSource });
    const first = emit(program, [a.createHotpathTransformer(program, { typescript: ts })]);
    const second = emit(program, [b.createHotpathTransformer(program, { typescript: ts })]);
    expect(count(first, /\/\*@hotpath-sites:/g)).toBe(1);
    expect(second).toBe(first);
  });

  it('diagnostics are claimed once per program across copies; the ts-patch entry then adds none', () => {
    const bad = `import { STATIC_VARIABLE_LOAD } from 'hotpath';\nexport let base = 0;\nexport function reset() { base = 0; }\nexport const read = () => STATIC_VARIABLE_LOAD(base);\n`;
    const added: ts.Diagnostic[] = [];
    const extras = { ts, addDiagnostic: (d: ts.Diagnostic) => added.push(d) };

    const fresh = programOf({ 'pool.ts': bad });
    b.default(fresh, {}, extras);
    expect(added.map((d) => [d.code, d.category, ts.flattenDiagnosticMessageText(d.messageText, '\n').slice(0, 7)])).toEqual([[991007, ts.DiagnosticCategory.Error, 'HP1007:']]);
    b.default(fresh, {}, extras); // ts-patch calls the entry on every emit of the program
    expect(added).toHaveLength(1);

    const claimed = programOf({ 'pool.ts': bad });
    expect(a.claimDiagnostics(claimed)).toBe(true); // what hotpath build does before it emits
    b.default(claimed, {}, extras);
    expect(added).toHaveLength(1);
    expect(b.claimDiagnostics(claimed)).toBe(false);
  });
});
