/** Builds a fixtures/compiler/<case> folder in memory with `hotpath build`, as the golden test does. */
import path from 'node:path';
import { runBuild } from '../../compiler/build.js';

export const fixturesDir = path.resolve(import.meta.dirname, '../../fixtures/compiler');

export interface CaseBuild {
  /** Emitted files by path relative to the case's expected/ (its outDir). */
  readonly outputs: Map<string, string>;
  /** What the CLI printed, then `exit code: N`. */
  readonly diagnostics: string;
  readonly exitCode: number;
}

export function buildCase(dir: string): CaseBuild {
  const outputs = new Map<string, string>();
  let stdout = '';
  const exitCode = runBuild(['-p', dir], {
    write: (text) => (stdout += text),
    currentDirectory: dir,
    isTTY: false,
    writeFile: (name, text) => outputs.set(path.relative(path.join(dir, 'expected'), name).split(path.sep).join('/'), text),
  });
  return { outputs, diagnostics: `${stdout}exit code: ${exitCode}\n`, exitCode };
}
