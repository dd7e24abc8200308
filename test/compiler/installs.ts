/**
 * Real packages from npm for the integration tests (TypeScript 7, @typescript/typescript6,
 * ts-patch, ts-jest), installed once into a cache under the OS temp directory and reused;
 * and projects that get hotpath the way a consumer does: the built package (build/ and
 * package.json) copied into their node_modules, so hotpath resolves nothing from this repo.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repo = path.resolve(import.meta.dirname, '../..');
const cacheRoot = path.join(os.tmpdir(), 'hotpath-test-npm');

/** A directory whose node_modules holds exactly `dependencies` (pinned); installed on first use. */
export function npmInstall(dependencies: Record<string, string>, after?: (dir: string) => void): string {
  const key = createHash('sha256').update(JSON.stringify([dependencies, after?.toString()])).digest('hex').slice(0, 16);
  const dir = path.join(cacheRoot, key);
  const done = path.join(dir, '.installed');
  if (fs.existsSync(done)) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'cache', private: true, dependencies }));
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`npm install ${JSON.stringify(dependencies)} failed:\n${r.stderr}`);
  after?.(dir);
  fs.writeFileSync(done, '');
  return dir;
}

/**
 * A fresh project in `work` with `files`, the packages of `installDir` linked into its
 * node_modules and hotpath copied there (so hotpath's own location holds no TypeScript).
 * `hotpathBesidePackages`: copy hotpath into `installDir` instead, for tools that resolve
 * their plugins from their own (linked, so real) location, as ts-jest does.
 */
export function consumerProject(work: string, name: string, files: Record<string, string>, installDir?: string, hotpathBesidePackages = false): string {
  const dir = path.join(work, name);
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(modules, { recursive: true });
  const hotpath = path.join(hotpathBesidePackages && installDir ? path.join(installDir, 'node_modules') : modules, 'hotpath');
  fs.rmSync(hotpath, { recursive: true, force: true });
  fs.mkdirSync(hotpath);
  if (installDir) {
    for (const entry of fs.readdirSync(path.join(installDir, 'node_modules'))) {
      if (!fs.existsSync(path.join(modules, entry))) fs.symlinkSync(path.join(installDir, 'node_modules', entry), path.join(modules, entry));
    }
  }
  fs.cpSync(path.join(repo, 'build'), path.join(hotpath, 'build'), { recursive: true });
  fs.copyFileSync(path.join(repo, 'package.json'), path.join(hotpath, 'package.json'));
  return dir;
}

export function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `pool.ts`: a variable, its @boot writer and one valid site; `bad.ts`: an HP1007. */
export const poolSource = `import { STATIC_VARIABLE_LOAD } from 'hotpath';
export let poolBase = 0;
/** @boot */
export function initPool(b: number) { poolBase = b; }
export const isPool = (p: number) => (p - STATIC_VARIABLE_LOAD(poolBase)) >>> 0 < 4096;
`;
export const badSource = `import { STATIC_VARIABLE_LOAD } from 'hotpath';
export let base = 0;
export function reset() { base = 0; }
export const read = () => STATIC_VARIABLE_LOAD(base);
`;

export const esmTsconfig = (extra: object = {}) =>
  JSON.stringify({
    compilerOptions: { target: 'es2022', module: 'nodenext', strict: true, outDir: 'out', rootDir: 'src', types: [], ...extra },
    include: ['src'],
  });

/** The fenced block of a docs page whose info string says `file=<name>`. */
export function snippet(page: string, file: string, variant?: string): string {
  const text = fs.readFileSync(path.join(repo, 'docs/integrations', page), 'utf8');
  const info = `file=${file}${variant ? ` variant=${variant}` : ''}`.replace(/\./g, '\\.');
  const match = new RegExp('```\\w* ' + info + '\\n([\\s\\S]*?)```').exec(text);
  if (!match) throw new Error(`no ${info} block in docs/integrations/${page}`);
  return match[1]!;
}
