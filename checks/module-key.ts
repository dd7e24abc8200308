/**
 * Module keys: a module named by its path relative to the project directory, `/`-separated
 * (`src/pool.ts`). Sites and registrations name a variable `<module key>#<name>`
 * (runtime/site-format.ts variableKey), and messages name positions `<module key>:line:col`.
 */
import path from 'node:path';
import type * as ts from 'typescript';
import type { MarkerCheckOptions } from './diagnostic.js';

/** The project directory module keys are relative to. */
export function projectDirectoryOf(program: ts.Program, options?: MarkerCheckOptions): string {
  if (options?.projectDirectory) return path.resolve(options.projectDirectory);
  const config = program.getCompilerOptions().configFilePath;
  return typeof config === 'string' ? path.dirname(config) : program.getCurrentDirectory();
}

/** Module key: `fileName` relative to `projectDirectory`, `/`-separated. */
export function moduleKeyOf(fileName: string, projectDirectory: string): string {
  // Asked for every site (its declaring module) and every reported position: computed once per file.
  let byFile = moduleKeys.get(projectDirectory);
  if (!byFile) moduleKeys.set(projectDirectory, (byFile = new Map<string, string>()));
  let key = byFile.get(fileName);
  if (key === undefined) {
    if (byFile.size >= 100_000) byFile.clear(); // a long-lived process (an editor) keeps no more than this
    byFile.set(fileName, (key = path.relative(projectDirectory, fileName).split(path.sep).join('/')));
  }
  return key;
}

const moduleKeys = new Map<string, Map<string, string>>();
