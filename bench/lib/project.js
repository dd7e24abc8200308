// Generated TypeScript projects compiled by the project's own compiler (`hotpath build`,
// build/compiler/cli.js) or by `tsc -p`, for the scenarios that measure hotpath's output.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoDir } from './harness.js';

export const hotpathCli = path.join(repoDir, 'build/compiler/cli.js');
export const tscCli = path.join(repoDir, 'node_modules/typescript/bin/tsc');
export const runtimeEntry = path.join(repoDir, 'build/runtime/index.js');

/** The compiler CLI is built and the runtime exports seal(): patched variants can run. */
export async function hotpathAvailable() {
  if (!existsSync(hotpathCli) || !existsSync(runtimeEntry)) return false;
  const runtime = await import(runtimeEntry);
  return typeof runtime.seal === 'function';
}

/**
 * Writes `files` (path relative to `dir` → text), tsconfig.json (src/ → dist/) and
 * tsconfig.tsc.json (the same, → dist-tsc/), so both compilers can build one project.
 * `commonjs: true` emits CommonJS (module commonjs, a package.json with "type": "commonjs").
 */
export function writeProject(dir, files, { commonjs = false } = {}) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tsconfig = {
    compilerOptions: {
      target: 'es2022',
      module: commonjs ? 'commonjs' : 'nodenext',
      moduleResolution: commonjs ? 'bundler' : 'nodenext',
      strict: true,
      skipLibCheck: true,
      types: [],
      rootDir: 'src',
      outDir: 'dist',
    },
    include: ['src'],
  };
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2) + '\n');
  const tscConfig = { extends: './tsconfig.json', compilerOptions: { outDir: 'dist-tsc' } };
  writeFileSync(path.join(dir, 'tsconfig.tsc.json'), JSON.stringify(tscConfig, null, 2) + '\n');
  if (commonjs) {
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'commonjs' }) + '\n');
    linkHotpath(path.dirname(dir));
  }
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}

/** `hotpath build -p <dir>/<config>` or `tsc -p …`; throws with the compiler's output on failure. */
export function compile(dir, { tool = 'hotpath', config = 'tsconfig.json', node = process.execPath } = {}) {
  const args = compileArgs(dir, { tool, config });
  const r = spawnSync(node, args, { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    throw new Error(`${tool} ${args.slice(1).join(' ')} exited ${r.status}:\n${r.stdout}${r.stderr}`.slice(0, 4000));
  }
  return r;
}

export function compileArgs(dir, { tool = 'hotpath', config = 'tsconfig.json' } = {}) {
  const project = path.join(dir, config);
  return tool === 'hotpath' ? [hotpathCli, 'build', '-p', project] : [tscCli, '-p', project];
}

/**
 * A project with its own package.json cannot reach `hotpath` by self-reference: link
 * <parent>/node_modules/hotpath to this repository, as an installed dependency would be.
 */
function linkHotpath(parent) {
  const link = path.join(parent, 'node_modules', 'hotpath');
  if (existsSync(link)) return;
  mkdirSync(path.dirname(link), { recursive: true });
  symlinkSync(repoDir, link, 'dir');
}
