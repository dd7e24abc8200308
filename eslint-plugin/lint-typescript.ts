/**
 * The TypeScript typescript-eslint built the lint program with, for the plugin's rules: the
 * one loader (checks/typescript.ts), searching from typescript-estree's location first
 * (it requires `typescript` from there). Loaded once per process, on the first file linted
 * with type information; never on import, so the plugin loads without TypeScript.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { builtWith, loadTypeScript, type TypeScript, type TypeScriptLoad } from '../checks/typescript.js';

/** Where typescript-eslint's typescript-estree is, from the project and from hotpath. */
function typescriptEstreeDirectories(): string[] {
  const chains = [
    ['@typescript-eslint/typescript-estree'],
    ['@typescript-eslint/parser', '@typescript-eslint/typescript-estree'],
    ['typescript-eslint', '@typescript-eslint/parser', '@typescript-eslint/typescript-estree'],
  ];
  const found: string[] = [];
  for (const base of [path.join(process.cwd(), 'noop.js'), import.meta.filename]) {
    for (const chain of chains) {
      let from = base;
      try {
        for (const name of chain) from = createRequire(from).resolve(name);
      } catch {
        continue;
      }
      if (!found.includes(path.dirname(from))) found.push(path.dirname(from));
    }
  }
  return found;
}

let load: TypeScriptLoad | undefined;

/** The loader's answer, searched once per process. */
export function lintTypeScriptLoad(): TypeScriptLoad {
  return (load ??= loadTypeScript({ searchFrom: [...typescriptEstreeDirectories(), process.cwd(), import.meta.dirname] }));
}

/** The TypeScript that built `program`, or undefined when the one found is not it (node kinds differ). */
export function typescriptOf(program: { getSourceFiles(): readonly { kind: number }[] }): TypeScript | undefined {
  const found = lintTypeScriptLoad();
  return found.ok && builtWith(found.ts, program) ? found.ts : undefined;
}
