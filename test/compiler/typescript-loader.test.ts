/**
 * checks/typescript.ts: which TypeScript hotpath uses. TypeScript 7 (npm `latest`) has
 * no JavaScript API; beside it `@typescript/typescript6` is picked; alone, `hotpath build`
 * says HP1012 and what to install. Real packages from npm (cached), the built CLI copied
 * into each project's node_modules as a consumer has it (`npm run build` first).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSupportedVersion, loadTypeScript } from '../../checks/typescript.js';
import { consumerProject, esmTsconfig, npmInstall, poolSource, repo, run } from './installs.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-loader-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

let ts7Alone: string;
let ts7With6: string;
beforeAll(() => {
  ts7Alone = npmInstall({ typescript: '7.0.2' });
  ts7With6 = npmInstall({ typescript: '7.0.2', '@typescript/typescript6': '6.0.2' });
}, 300_000);

const cli = (dir: string) => path.join(dir, 'node_modules/hotpath/build/compiler/cli.js');
const files = { 'package.json': '{"type":"module"}', 'tsconfig.json': esmTsconfig(), 'src/pool.ts': poolSource };

describe('loadTypeScript', () => {
  it('takes 5.9 to 6.x only', () => {
    expect(['5.9.2', '6.0.3', '6.1.0-dev'].filter(isSupportedVersion)).toEqual(['5.9.2', '6.0.3', '6.1.0-dev']);
    expect(['5.8.3', '7.0.2', '4.9.5'].filter(isSupportedVersion)).toEqual([]);
  });

  it('in this repo: typescript 6 from the project', () => {
    const load = loadTypeScript({ searchFrom: [repo] });
    expect(load.ok && [load.packageName, load.ts.version, typeof load.ts.createProgram]).toEqual(['typescript', '6.0.3', 'function']);
  });

  it('TypeScript 7 alone: HP1012, saying what was found and what to install', () => {
    const load = loadTypeScript({ searchFrom: [ts7Alone] });
    expect(load.ok).toBe(false);
    if (load.ok) return;
    expect(load.code).toBe('HP1012');
    expect(load.found).toBe('typescript 7.0.2 has no JavaScript API');
    expect(load.message).toContain('typescript 7.0.2 has no JavaScript API');
    expect(load.hint).toContain('npm i -D @typescript/typescript6');
  });

  it('TypeScript 7 with @typescript/typescript6: the side-by-side TypeScript 6', () => {
    const load = loadTypeScript({ searchFrom: [ts7With6] });
    expect(load.ok && [load.packageName, load.ts.version.split('.')[0], typeof load.ts.createProgram]).toEqual(['@typescript/typescript6', '6', 'function']);
  });

  it('nothing installed: says so', () => {
    const empty = fs.mkdtempSync(path.join(work, 'empty-'));
    const load = loadTypeScript({ searchFrom: [empty] });
    expect(!load.ok && load.found).toBe('neither typescript nor @typescript/typescript6 is installed');
  });

  it('is loaded on first use, not on import: importing hotpath/compiler loads no TypeScript', () => {
    const dir = consumerProject(work, 'import-only', { 'package.json': '{"type":"module"}' }, ts7Alone);
    const entry = pathToFileURL(path.join(dir, 'node_modules/hotpath/build/compiler/index.js')).href;
    const r = run(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(entry)}); console.log(typeof m.default, typeof m.factory, m.name)`], dir);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('function function hotpath\n');
  });
});

describe('hotpath build beside TypeScript 7', () => {
  it('TypeScript 7 alone: one HP1012 line, exit 1, nothing written, no internal error', () => {
    const dir = consumerProject(work, 'ts7-alone', files, ts7Alone);
    const r = run(process.execPath, [cli(dir), 'build', '-p', '.'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual([
      "error HP1012: no usable TypeScript: the STATIC_VARIABLE_LOAD pass needs TypeScript's JavaScript API (5.9–6.x), and typescript 7.0.2 has no JavaScript API. " +
        'Install TypeScript 6 beside your TypeScript: `npm i -D @typescript/typescript6` (or use typescript 5.9–6.x).',
      '',
    ]);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('TypeScript 7 alone: --help, build --help and --version still work', () => {
    const dir = consumerProject(work, 'ts7-help', files, ts7Alone);
    const version = run(process.execPath, [cli(dir), '--version'], dir);
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^hotpath \d+\.\d+\.\d+ \(TypeScript missing: typescript 7\.0\.2 has no JavaScript API\)\n$/);
    expect(run(process.execPath, [cli(dir), 'build', '--version'], dir).stdout).toBe(version.stdout);
    for (const args of [['--help'], ['build', '--help'], ['build', '-h']]) {
      const help = run(process.execPath, [cli(dir), ...args], dir);
      expect(help.status, args.join(' ')).toBe(0);
      expect(help.stdout).toContain('Usage: hotpath build');
    }
  });

  it('TypeScript 7 with @typescript/typescript6: builds with TypeScript 6, sites in the output', () => {
    const dir = consumerProject(work, 'ts7-with-6', files, ts7With6);
    const version = run(process.execPath, [cli(dir), '--version'], dir);
    expect(version.stdout).toMatch(/^hotpath \d+\.\d+\.\d+ \(TypeScript 6\.\d+\.\d+, from @typescript\/typescript6\)\n$/);
    expect(run(process.execPath, [cli(dir), 'build', '--version'], dir).stdout).toBe(version.stdout);
    const r = run(process.execPath, [cli(dir), 'build', '-p', '.'], dir);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = fs.readFileSync(path.join(dir, 'out/pool.js'), 'utf8');
    expect(out).toContain('/*@hotpath-sites:');
    expect(out).toMatch(/\(\/\*@hp:0\*\/ \(poolBase\) \/\*@hp:0 +\*\/\)/);
  });
});
