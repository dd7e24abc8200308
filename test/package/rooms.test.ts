/**
 * The import rules between rooms (docs/ARCHITECTURE.md): what ships to production, runtime/,
 * imports nothing outside itself, so it has no dependency and never loads typescript; nor does
 * tools/codegen/.
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

/** Imports of `room`'s files that leave it, other than node: built-ins. */
function importsLeaving(room: string): string[] {
  const outside: string[] = [];
  for (const file of sourceFiles(room)) {
    for (const spec of specifiers(readFileSync(path.join(root, file), 'utf8'))) {
      if (spec.startsWith('node:')) continue;
      const target = spec.startsWith('.') ? path.normalize(path.join(path.dirname(file), spec)) : spec;
      if (!target.startsWith(`${room}${path.sep}`)) outside.push(`${file}: ${spec}`);
    }
  }
  return outside;
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

  it('the specifier reader sees what the rule is about (a room test that reads nothing proves nothing)', () => {
    expect(specifiers(`import { a } from '../compiler/x.js';\nexport * from "./y.js";\nconst t = await import('typescript');\nrequire("z");\n// import q from 'commented';`)).toEqual([
      '../compiler/x.js',
      './y.js',
      'typescript',
      'z',
    ]);
  });
});
