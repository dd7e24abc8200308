/**
 * Helpers for the end-to-end tests: copy a fixture app into a temporary project, build it
 * with the `hotpath` CLI (and with plain tsc, for the uncompiled program), and run it in
 * child processes on Node 20, 22 and 24. Everything is asynchronous so builds and runs
 * overlap: the machine has two cores and the suite must stay well under two minutes.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isThisMajor, nodeThroughNpx } from '../../scripts/lib/node-through-npx.js';

export const REPO = resolve(import.meta.dirname, '../..');
export const CLI = join(REPO, 'build/compiler/cli.js');
export const TSC = join(REPO, 'node_modules/typescript/bin/tsc');

export interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program to its end; never rejects (the exit code is part of the result). */
export function run(file: string, args: readonly string[], options: { cwd?: string; env?: Record<string, string>; timeout?: number } = {}): Promise<ProcessResult> {
  return new Promise((done) => {
    execFile(
      file,
      args,
      { cwd: options.cwd, env: { ...process.env, ...options.env }, timeout: options.timeout ?? 60_000, maxBuffer: 16 << 20, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** At most `limit` of the tasks at a time, results in order. */
export async function pool<T>(limit: number, tasks: ReadonlyArray<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** The node binary for a major version: this process's, or one fetched by npx; undefined if npx cannot. */
export async function nodeBinary(major: number): Promise<string | undefined> {
  if (isThisMajor(major)) return process.execPath;
  return (await nodeThroughNpx(major, { timeout: 120_000 })).bin;
}

/**
 * Copies `fixture` (a folder under fixtures/apps) into `dir` as a project of its own:
 * package.json with the module type, node_modules/hotpath linked to this repository
 * (its exports point at build/), and @types linked for the type check.
 */
export function makeProject(fixture: string, dir: string, type: 'module' | 'commonjs'): void {
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  cpSync(join(REPO, 'fixtures/apps', fixture), dir, { recursive: true, filter: (src) => !/[\\/](dist|node_modules)$/.test(src) });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: `${fixture}-e2e`, private: true, type })}\n`);
  symlinkSync(REPO, join(dir, 'node_modules/hotpath'), 'dir');
  symlinkSync(join(REPO, 'node_modules/@types'), join(dir, 'node_modules/@types'), 'dir');
}
