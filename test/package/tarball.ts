/**
 * Helpers for the package tests: pack the built package once per test file (`npm pack`
 * into a temporary folder, as a user's registry install would get it) and install the
 * tarball into fresh temporary projects with pinned neighbours.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO, run, type ProcessResult } from '../e2e/harness.js';

export { REPO, run, type ProcessResult };

const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund'];

export interface Packed {
  readonly tarball: string;
  /** Paths inside the package, as `npm pack --json` lists them. */
  readonly files: readonly string[];
  readonly cleanup: () => void;
}

/**
 * `npm pack` of the repository. Scripts are skipped: `npm test` has just built, and the
 * `prepack` build is checked by pack.test.ts reading the manifest instead.
 */
export async function packOnce(): Promise<Packed> {
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-pack-'));
  const result = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: REPO, timeout: 120_000 });
  if (result.code !== 0) throw new Error(`npm pack failed (${result.code}):\n${result.stderr}`);
  const [info] = JSON.parse(result.stdout) as [{ filename: string; files: { path: string }[] }];
  return { tarball: join(dir, info.filename), files: info.files.map((f) => f.path), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Project {
  readonly dir: string;
  readonly install: ProcessResult;
}

/** A fresh project: package.json, `files` written, then `npm i <tarball> ...dependencies`. */
export async function installProject(
  tarball: string,
  dependencies: readonly string[],
  files: Record<string, string> = {},
  type: 'module' | 'commonjs' = 'commonjs',
): Promise<Project> {
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-consumer-'));
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type })}\n`);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  const install = await run('npm', ['install', ...NPM_FLAGS, tarball, ...dependencies], { cwd: dir, timeout: 240_000 });
  return { dir, install };
}

export function removeProject(project: Project | undefined): void {
  if (project) rmSync(project.dir, { recursive: true, force: true });
}

/** A node binary for `major` (this one, or one npx fetches); undefined when npx cannot. */
export { nodeBinary } from '../e2e/harness.js';
