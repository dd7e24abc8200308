/**
 * The ts-patch entry, `"plugins": [{ "transform": "hotpath/compiler" }]`, with real
 * ts-patch 3.3 and TypeScript 6 (cached npm installs): `tspc`, and `ts-patch install` +
 * `tsc`. HP errors fail the build as tsc errors do; with ts-patch installed, `hotpath
 * build` runs the pass once and prints each diagnostic once. `npm run build` first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeThroughNpxSync } from '../../scripts/lib/node-through-npx.js';
import { badSource, consumerProject, esmTsconfig, npmInstall, poolSource, run, snippet } from './installs.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-ts-patch-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const versions = { typescript: '6.0.3', 'ts-patch': '3.3.0' };
let live: string; // ts-patch's own compiler (tspc); typescript untouched
let patched: string; // `ts-patch install` applied to typescript
beforeAll(() => {
  live = npmInstall(versions);
  patched = npmInstall(versions, (dir) => {
    const r = run(process.execPath, [path.join(dir, 'node_modules/ts-patch/bin/ts-patch.js'), 'install'], dir);
    if (r.status !== 0) throw new Error(`ts-patch install failed: ${r.stdout}${r.stderr}`);
  });
}, 300_000);

const plugin = (entry: object = {}) => esmTsconfig({ plugins: [{ transform: 'hotpath/compiler', ...entry }] });
const project = (name: string, installDir: string, src: Record<string, string>, tsconfig = plugin()) =>
  consumerProject(work, name, { 'package.json': '{"type":"module"}', 'tsconfig.json': tsconfig, ...src }, installDir);
const tspc = (dir: string) => run(process.execPath, [path.join(dir, 'node_modules/ts-patch/bin/tspc.js'), '-p', '.'], dir);
const tsc = (dir: string) => run(process.execPath, [path.join(dir, 'node_modules/typescript/bin/tsc'), '-p', '.'], dir);
const hotpathBuild = (dir: string) => run(process.execPath, [path.join(dir, 'node_modules/hotpath/build/compiler/cli.js'), 'build', '-p', '.'], dir);
const slot = /\(\/\*@hp:0\*\/ \(poolBase\) \/\*@hp:0 +\*\/\)/;

/** Runs the output: it must load (one runtime import) and compute the same. */
const runOutput = (dir: string) =>
  run(process.execPath, ['--input-type=module', '-e', 'const m = await import("./out/pool.js"); m.initPool(4096); console.log(m.isPool(4100), m.isPool(5))'], dir);

describe('ts-patch 3.3: "transform": "hotpath/compiler"', () => {
  it('tspc: the pass runs with the plugin entry as written (docs/integrations/ts-patch.md); the output loads', () => {
    const dir = project('tspc-ok', live, { 'src/pool.ts': poolSource }, snippet('ts-patch.md', 'tsconfig.json'));
    const r = tspc(dir);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = fs.readFileSync(path.join(dir, 'out/pool.js'), 'utf8');
    expect(out).toMatch(slot);
    expect(out.match(/__hotpath_registerStaticVariable\(/g)).toHaveLength(1);
    expect(runOutput(dir).stdout).toBe('true false\n');
  });

  it('tspc: an HP error prints with its code and fails the build (exit 2, as a type error)', () => {
    const dir = project('tspc-error', live, { 'src/pool.ts': poolSource, 'src/bad.ts': badSource });
    const r = tspc(dir);
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/^src\/bad\.ts\(4,48\): error TS991007: HP1007: STATIC_VARIABLE_LOAD at src\/bad\.ts:4:27 reads `base`/);
    expect(r.stdout.match(/HP1007/g)).toHaveLength(1);
    // The bad marker stays a call (correct, not patched); the good one is a site.
    expect(fs.readFileSync(path.join(dir, 'out/bad.js'), 'utf8')).toContain('STATIC_VARIABLE_LOAD(base)');
    expect(fs.readFileSync(path.join(dir, 'out/pool.js'), 'utf8')).toMatch(slot);
  });

  it('tspc: a warning goes to stderr and does not change the exit code', () => {
    const dir = project('tspc-warning', live, {
      'src/size.ts': `import { STATIC_VARIABLE_LOAD } from 'hotpath';\nconst SIZE = 4096;\nexport const f = () => STATIC_VARIABLE_LOAD(SIZE);\n`,
    });
    const r = tspc(dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^src\/size\.ts\(3,24\): warning HP1009: /);
  });

  it('tspc: plugin entry options are used (runtimeModule, slotWidth); a bad one is an error, not a throw', () => {
    const dir = project('tspc-options', live, { 'src/pool.ts': poolSource }, plugin({ runtimeModule: '#hp', slotWidth: 40 }));
    expect(tspc(dir).status).toBe(0);
    const out = fs.readFileSync(path.join(dir, 'out/pool.js'), 'utf8');
    expect(out).toContain('from "#hp"');
    expect(out).toMatch(new RegExp(`/\\*@hp:0 {${40 - 'hp:0'.length - 1},}\\*/`));
    const bad = project('tspc-bad-options', live, { 'src/pool.ts': poolSource }, plugin({ slotWidth: 2 }));
    const r = tspc(bad);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('error TS991000: HP1000: hotpath/compiler plugin entry: "slotWidth" must be an integer from 8 to 4096; the pass did not run.');
    expect(fs.readFileSync(path.join(bad, 'out/pool.js'), 'utf8')).toContain('STATIC_VARIABLE_LOAD(poolBase)');
  });

  it('ts-patch install + tsc: the same', () => {
    const dir = project('tsc-patched', patched, { 'src/pool.ts': poolSource, 'src/bad.ts': badSource });
    const r = tsc(dir);
    expect(r.status).toBe(2);
    expect(r.stdout.match(/error TS991007: HP1007: /g)).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, 'out/pool.js'), 'utf8')).toMatch(slot);
  });

  it('ts-patch install + hotpath build: the pass runs once, the output loads, each diagnostic prints once', () => {
    const dir = project('build-patched', patched, { 'src/pool.ts': poolSource });
    const r = hotpathBuild(dir);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = fs.readFileSync(path.join(dir, 'out/pool.js'), 'utf8');
    expect(out.match(/import \{[^}]*__hotpath_registerStaticVariable/g)).toHaveLength(1);
    expect(out.match(/\/\*@hotpath-sites:/g)).toHaveLength(1);
    expect(runOutput(dir)).toMatchObject({ status: 0, stdout: 'true false\n', stderr: '' });

    fs.writeFileSync(path.join(dir, 'src/bad.ts'), badSource);
    const withError = hotpathBuild(dir);
    expect(withError.status).toBe(2);
    expect(withError.stdout.match(/HP1007/g)).toHaveLength(1);
    expect(withError.stdout).toMatch(/^src\/bad\.ts\(4,48\): error HP1007: /);
  });
});

// ts-patch 4 needs Node >= 22.15: run it on Node 22 from npx (the test says why when it cannot).
const node22 = nodeThroughNpxSync(22);
const node22Missing = node22.error === undefined ? undefined : `npx could not fetch node@22: ${node22.error.trim().split('\n').pop() ?? ''}`;

describe.skipIf(node22Missing !== undefined)(`ts-patch 4.0.1 on Node 22${node22Missing ? ` (skipped: ${node22Missing})` : ''}`, () => {
  let v4: string;
  beforeAll(() => {
    v4 = npmInstall({ typescript: '6.0.3', 'ts-patch': '4.0.1' });
  }, 300_000);

  it('tspc: sites written, HP errors fail the build with their code', () => {
    const dir = project('tspc4', v4, { 'src/pool.ts': poolSource, 'src/bad.ts': badSource });
    const r = run(node22.bin!, [path.join(dir, 'node_modules/ts-patch/bin/tspc.js'), '-p', '.'], dir);
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/^src\/bad\.ts\(4,48\): error TS991007: HP1007: /);
    expect(fs.readFileSync(path.join(dir, 'out/pool.js'), 'utf8')).toMatch(slot);
  });
});
