/**
 * The import rules between rooms (docs/ARCHITECTURE.md): what ships to production, runtime/,
 * imports nothing outside itself, so it has no dependency and never loads typescript; nor does
 * tools/codegen/. The marker checks are one room, checks/, that the compiler and the ESLint
 * plugin both import and that imports neither; TypeScript is passed into them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : /\.m?[tj]s$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path.join(dir, e.name)] : [],
  );
}

/** Every import of `room`'s files: `file: specifier`, and where it leads (a repository path, or the package name). */
function importsOf(room: string, read: (text: string) => string[] = specifiers): { from: string; spec: string; target: string }[] {
  return sourceFiles(room).flatMap((file) =>
    read(readFileSync(path.join(root, file), 'utf8')).map((spec) => ({
      from: `${file}: ${spec}`,
      spec,
      target: spec.startsWith('.') ? path.normalize(path.join(path.dirname(file), spec)) : spec,
    })),
  );
}

/** Imports of `room`'s files that leave it, other than node: built-ins. */
function importsLeaving(room: string): string[] {
  return importsOf(room)
    .filter(({ spec, target }) => !spec.startsWith('node:') && !target.startsWith(`${room}${path.sep}`))
    .map(({ from }) => from);
}

/** Imports of `room`'s files that lead into one of `rooms`. */
function importsInto(room: string, rooms: readonly string[]): string[] {
  return importsOf(room)
    .filter(({ target }) => rooms.some((r) => target.startsWith(`${r}${path.sep}`)))
    .map(({ from }) => from);
}

/** What a file loads when it runs: specifiers() less what tsc erases (`import type`, `export type`, `typeof import(…)`). */
function valueSpecifiers(text: string): string[] {
  return specifiers(text.replace(/^\s*(?:import|export)\s+type\b[^'";]*?\bfrom\s*['"][^'"]+['"]/gm, '').replace(/\btypeof\s+import\s*\(/g, 'typeof '));
}

/** Every module specifier a file names: static imports and re-exports, import(), require(), getBuiltinModule(). */
function specifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:\\])\/\/.*$/gm, '$1');
  const found: string[] = [];
  for (const re of [/^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm, /^\s*import\s*['"]([^'"]+)['"]/gm, /\b(?:import|require|getBuiltinModule)\s*\(\s*['"]([^'"]+)['"]/g]) {
    for (const m of code.matchAll(re)) found.push(m[1]!);
  }
  return found;
}

describe('rooms', () => {
  it('runtime/ imports only its own modules and node: built-ins', () => {
    expect(sourceFiles('runtime').length).toBeGreaterThan(10);
    expect(importsLeaving('runtime')).toEqual([]);
  });

  it('tools/codegen/ (a V8 viewer, no TypeScript) imports only its own modules and node: built-ins', () => {
    expect(sourceFiles(path.join('tools', 'codegen')).length).toBeGreaterThan(1);
    expect(importsLeaving(path.join('tools', 'codegen'))).toEqual([]);
  });

  it('checks/ (the marker checks, rules and TypeScript loader) imports neither compiler/ nor eslint-plugin/: only itself, node: built-ins, the site format and typescript\'s types', () => {
    expect(sourceFiles('checks').length).toBeGreaterThan(5);
    const outside = importsLeaving('checks').filter((i) => !i.endsWith(': ../runtime/site-format.js') && !i.endsWith(': typescript'));
    expect(outside).toEqual([]);
    expect(importsOf('checks', valueSpecifiers).filter(({ spec }) => spec === 'typescript').map(({ from }) => from)).toEqual([]);
  });

  it('the checks get TypeScript passed in: no module of checks/ loads the loader (they name its type only)', () => {
    // checks/typescript.ts is for the adapters (compiler/, eslint-plugin/); the checks name only its type.
    const loaderUsers = importsOf('checks', valueSpecifiers).filter(({ target }) => target === path.join('checks', 'typescript.js'));
    expect(loaderUsers.map(({ from }) => from)).toEqual([]);
    expect(importsOf('checks').filter(({ target }) => target === path.join('checks', 'typescript.js')).length).toBeGreaterThan(3);
  });

  it('compiler/ and eslint-plugin/ import the checks from checks/, never each other\'s modules', () => {
    expect(importsInto('eslint-plugin', ['compiler', 'bundler', 'tools'])).toEqual([]);
    expect(importsInto('compiler', ['eslint-plugin', 'bundler'])).toEqual([]);
    for (const room of ['compiler', 'eslint-plugin']) expect(importsInto(room, ['checks']).length, room).toBeGreaterThan(0);
  });

  it('the specifier reader sees what the rule is about (a room test that reads nothing proves nothing)', () => {
    expect(specifiers(`import { a } from '../compiler/x.js';\nexport * from "./y.js";\nconst t = await import('typescript');\nrequire("z");\n// import q from 'commented';`)).toEqual([
      '../compiler/x.js',
      './y.js',
      'typescript',
      'z',
    ]);
    expect(valueSpecifiers(`import type * as ts from 'typescript';\nexport type { A } from './a.js';\nimport { type B, c } from './b.js';\ntype T = typeof import('typescript');`)).toEqual(['./b.js']);
  });
});
