/**
 * `hotpath build` against `tsc -p` as child processes on the same projects: for a
 * program without the marker, the same files with the same bytes, the same output and
 * the same exit code (tsc's 0 / 1 / 2). Runs the built bin (npm test builds first).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');
const hotpathBin = path.join(repo, 'build/compiler/cli.js');
const tscBin = path.join(repo, 'node_modules/typescript/bin/tsc');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-cli-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function run(bin: string, args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function project(name: string, files: Record<string, string>): string {
  const dir = path.join(work, name);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[path.relative(dir, path.join(e.parentPath, e.name))] = fs.readFileSync(path.join(e.parentPath, e.name), 'utf8');
  }
  return out;
}

const tsconfig = (extra: object) =>
  JSON.stringify({ compilerOptions: { target: 'es2022', module: 'nodenext', strict: true, rootDir: 'src', declaration: true, sourceMap: true, types: [], ...extra }, include: ['src'] });

const pool = `export let poolBase = 0;\n/** @boot */\nexport function initPool(b: number) { poolBase = b; }\nexport const isPool = (p: number) => (p - poolBase) >>> 0 < 4096;\n`;
const main = `import { isPool, initPool } from './pool.js';\ninitPool(1 << 20);\nexport const inPool: boolean = isPool(5);\n`;

/** Builds `dir` with both compilers into out-tsc/ and out-hotpath/ (same depth, so maps compare equal). */
function compare(dir: string, extraArgs: string[] = []) {
  const tsc = run(tscBin, ['-p', '.', '--outDir', 'out-a', ...extraArgs], dir);
  if (fs.existsSync(path.join(dir, 'out-a'))) fs.renameSync(path.join(dir, 'out-a'), path.join(dir, 'out-tsc'));
  const hp = run(hotpathBin, ['build', '-p', '.', '--outDir', 'out-a', ...extraArgs], dir);
  if (fs.existsSync(path.join(dir, 'out-a'))) fs.renameSync(path.join(dir, 'out-a'), path.join(dir, 'out-hotpath'));
  return { tsc, hp, tscFiles: tree(path.join(dir, 'out-tsc')), hpFiles: tree(path.join(dir, 'out-hotpath')) };
}

describe('hotpath build vs tsc -p (child processes)', () => {
  it('has the built bin with its #! line (run `npm run build` first)', () => {
    expect(fs.readFileSync(hotpathBin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('no marker, no error: exit 0, same files, same bytes', () => {
    const dir = project('clean', { 'package.json': '{"type":"module"}', 'tsconfig.json': tsconfig({}), 'src/pool.ts': pool, 'src/main.ts': main });
    const { tsc, hp, tscFiles, hpFiles } = compare(dir);
    expect(tsc.status).toBe(0);
    expect(hp.status).toBe(0);
    expect(hp.stdout).toBe(tsc.stdout);
    expect(Object.keys(hpFiles).sort()).toEqual(['main.d.ts', 'main.js', 'main.js.map', 'pool.d.ts', 'pool.js', 'pool.js.map']);
    expect(hpFiles).toEqual(tscFiles);
  });

  it('a type error: exit 2 (outputs generated), same diagnostics, same bytes', () => {
    const dir = project('type-error', {
      'tsconfig.json': tsconfig({ module: 'commonjs', moduleResolution: 'bundler' }),
      'src/pool.ts': pool,
      'src/main.ts': main.replace('./pool.js', './pool') + 'export const wrong: string = 1;\n',
    });
    const { tsc, hp, tscFiles, hpFiles } = compare(dir);
    expect(tsc.status).toBe(2);
    expect(hp.status).toBe(2);
    expect(hp.stdout).toBe(tsc.stdout);
    expect(hp.stdout).toMatch(/^src\/main\.ts\(4,14\): error TS2322: /);
    expect(hpFiles).toEqual(tscFiles);
  });

  it('noEmitOnError with a type error: exit 1 (outputs skipped), no files', () => {
    const dir = project('no-emit', { 'package.json': '{"type":"module"}', 'tsconfig.json': tsconfig({ noEmitOnError: true }), 'src/main.ts': 'export const n: number = "x";\n' });
    const { tsc, hp, hpFiles } = compare(dir);
    expect(tsc.status).toBe(1);
    expect(hp.status).toBe(1);
    expect(hp.stdout).toBe(tsc.stdout);
    expect(hpFiles).toEqual({});
  });

  it('a missing project: the same error and exit code', () => {
    const tsc = run(tscBin, ['-p', 'nowhere/tsconfig.json'], work);
    const hp = run(hotpathBin, ['build', '-p', 'nowhere/tsconfig.json'], work);
    expect(tsc.status).toBe(1);
    expect(hp.status).toBe(tsc.status);
    expect(hp.stdout).toBe(tsc.stdout);
  });

  it('a marker error: HP code in tsc format, exit 2, output still generated', () => {
    const dir = project('marker-error', {
      'package.json': '{"type":"module"}',
      'tsconfig.json': tsconfig({ paths: { hotpath: [path.join(repo, 'build/runtime/marker.d.ts')] } }),
      'src/main.ts': `import { STATIC_VARIABLE_LOAD } from 'hotpath';\nexport let base = 0;\nexport function reset() { base = 0; }\nexport const read = () => STATIC_VARIABLE_LOAD(base);\n`,
    });
    const hp = run(hotpathBin, ['build', '-p', '.'], dir);
    expect(hp.status).toBe(2);
    expect(hp.stdout).toMatch(/^src\/main\.ts\(4,48\): error HP1007: STATIC_VARIABLE_LOAD at src\/main\.ts:4:27 reads `base`, which is written at src\/main\.ts:3:27 /);
    expect(fs.readFileSync(path.join(dir, 'src/main.js'), 'utf8')).toContain('STATIC_VARIABLE_LOAD(base)');
  });

  it('--version and --help exit 0; an unknown command exits 1', () => {
    const version = run(hotpathBin, ['--version'], work);
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^hotpath \d+\.\d+\.\d+ \(TypeScript \d+\.\d+\.\d+\)\n$/);
    const help = run(hotpathBin, ['build', '--help'], work);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: hotpath build');
    expect(run(hotpathBin, ['frobnicate'], work).status).toBe(1);
  });
});
