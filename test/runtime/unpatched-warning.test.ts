/**
 * Issue 9, item 4: never silent. An app whose markers no pass rewrote (built with plain tsc),
 * sealed, computes what it computes unsealed and names each module whose marker calls ran
 * after seal() once on stderr (HP2018); HOTPATH_QUIET=1 or seal({ quiet: true }) silences it;
 * the same app built with `hotpath build` and patched prints nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeCode } from '../../runtime/codes.js';
import { nodeBinary } from './node-binary.js';

const REPO = resolve(import.meta.dirname, '../..');
const TSC = join(REPO, 'node_modules/typescript/bin/tsc');
const HOTPATH = join(REPO, 'build/compiler/cli.js');

const FILES: Record<string, string> = {
  'src/pool.ts': 'export let poolBase = 0;\n/** @boot */\nexport function initPool(heapSize: number): void {\n  poolBase = heapSize * 16;\n}\n',
  // hot: called a million times
  'src/free.ts':
    "import { STATIC_VARIABLE_LOAD } from 'hotpath';\nimport { poolBase } from './pool.js';\n" +
    'export function isPoolAddress(p: number): boolean {\n  return (p - STATIC_VARIABLE_LOAD(poolBase)) >>> 0 < 1048576;\n}\n',
  // warm: loaded after free.ts's loop, called 100,000 times
  'src/count.ts':
    "import { STATIC_VARIABLE_LOAD as load } from 'hotpath';\nimport { poolBase } from './pool.js';\n" +
    'export function offset(p: number): number {\n  return p - load(poolBase);\n}\n',
  // cold: loaded late and called once
  'src/rare.ts':
    "import * as hp from 'hotpath';\nimport { poolBase } from './pool.js';\n" + 'export function base(): number {\n  return hp.STATIC_VARIABLE_LOAD(poolBase);\n}\n',
  'src/main.ts':
    "import { seal } from 'hotpath';\nimport { initPool } from './pool.js';\n" +
    'declare const process: { argv: string[] };\n' +
    'const how = process.argv[2];\n' +
    'initPool(1 << 26);\n' +
    "if (how === 'quiet-option') seal({ quiet: true });\nelse if (how !== 'unsealed') seal();\n" +
    "const { isPoolAddress } = await import('./free.js');\n" +
    'let hits = 0;\nfor (let i = 0; i < 1_000_000; i++) if (isPoolAddress((1 << 30) + ((i * 3) & 0x1fffff))) hits++;\n' +
    "const { offset } = await import('./count.js');\n" +
    'let sum = 0;\nfor (let i = 0; i < 100_000; i++) sum = (sum + offset((1 << 30) + i)) | 0;\n' +
    "const { base } = await import('./rare.js');\n" +
    'console.log(JSON.stringify({ hits, sum, base: base() }));\n',
};

let dir: string;
beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'hotpath-unpatched-')));
  for (const [name, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  const options = { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, skipLibCheck: true, types: [], rootDir: 'src' };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...options, outDir: 'tsc' }, include: ['src'] }));
  writeFileSync(join(dir, 'tsconfig.hotpath.json'), JSON.stringify({ compilerOptions: { ...options, outDir: 'hotpath' }, include: ['src'] }));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO, join(dir, 'node_modules', 'hotpath'), 'dir');
  for (const [tool, config] of [[TSC, 'tsconfig.json'], [HOTPATH, 'tsconfig.hotpath.json']] as const) {
    const built = spawnSync(process.execPath, tool === TSC ? [tool, '-p', config] : [tool, 'build', '-p', config], { cwd: dir, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`${tool} -p ${config} exited ${built.status}:\n${built.stdout}${built.stderr}`);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(node: string, out: 'tsc' | 'hotpath', how: string, env: Record<string, string> = {}) {
  const result = spawnSync(node, [`${out}/main.js`, how], { cwd: dir, encoding: 'utf8', env: { ...process.env, HOTPATH_QUIET: '', ...env }, timeout: 60_000 });
  if (result.status !== 0) throw new Error(`${out}/main.js ${how} exited ${result.status}:\n${result.stderr}`);
  return { values: JSON.parse(result.stdout), stderr: result.stderr };
}

/** What main.ts computes, patched or not: a million addresses on both sides of the pool, 100,000 offsets, the base. */
const EXPECTED = {
  hits: Array.from({ length: 1_000_000 }, (_, i) => (i * 3) & 0x1fffff).filter((o) => o < 1 << 20).length,
  sum: Array.from({ length: 100_000 }, (_, i) => i).reduce((s, i) => (s + i) | 0, 0),
  base: (1 << 26) * 16,
};

/** The modules HP2018 named on stderr, one entry per line. */
const named = (stderr: string) => [...stderr.matchAll(new RegExp(`^hotpath ${RuntimeCode.markerAfterSeal}: STATIC_VARIABLE_LOAD ran after seal\\(\\) in (\\S+):`, 'gm'))].map((m) => m[1]);

describe.each([20, 24, 26])('markers no pass rewrote, Node %i', (major) => {
  let node: string | undefined;
  beforeAll(() => {
    node = nodeBinary(major);
    if (!node) console.warn(`SKIPPED: npx could not fetch node@${major}; HP2018 tests for Node ${major} did not run`);
  });
  const url = (file: string) => pathToFileURL(join(dir, file)).href;

  it('plain tsc output, sealed: computes what it computes unsealed, and names each calling module once', (ctx) => {
    if (!node) return ctx.skip(`npx could not fetch node@${major}`);
    const unsealed = run(node, 'tsc', 'unsealed');
    expect(unsealed.values).toEqual(EXPECTED);
    expect(named(unsealed.stderr)).toEqual([]);
    const sealed = run(node, 'tsc', 'sealed');
    expect(sealed.values).toEqual(unsealed.values);
    // count.js and rare.js start calling after free.js spent the budget of looked-at calls: their loads restore it
    // where the load hook runs in-thread (Node >= 22.15). Node 20 loads ES modules on its hooks thread: only the
    // once-per-tick look can name them there, if a tick falls in between (docs/codes.md#hp2018).
    const modules = named(sealed.stderr);
    if (major >= 22) expect(modules).toEqual([url('tsc/free.js'), url('tsc/count.js'), url('tsc/rare.js')]);
    else expect(modules[0]).toBe(url('tsc/free.js'));
    expect(new Set(modules).size).toBe(modules.length);
    expect([url('tsc/free.js'), url('tsc/count.js'), url('tsc/rare.js')]).toEqual(expect.arrayContaining(modules));
    expect(sealed.stderr).toContain('Build it with `hotpath build` and fix its HP errors; HOTPATH_QUIET=1 or seal({ quiet: true }) silences this.');
  });

  it('HOTPATH_QUIET=1 and seal({ quiet: true }) silence it; the values stay the same', (ctx) => {
    if (!node) return ctx.skip(`npx could not fetch node@${major}`);
    for (const out of [run(node, 'tsc', 'sealed', { HOTPATH_QUIET: '1' }), run(node, 'tsc', 'quiet-option')]) {
      expect(out.values).toEqual(EXPECTED);
      expect(out.stderr).not.toContain(RuntimeCode.markerAfterSeal);
    }
  });

  it('the same app built with hotpath build and patched prints nothing', (ctx) => {
    if (!node) return ctx.skip(`npx could not fetch node@${major}`);
    const patched = run(node, 'hotpath', 'sealed', { HOTPATH_REPORT: '1' });
    expect(patched.values).toEqual(EXPECTED);
    expect(patched.stderr).not.toContain(RuntimeCode.markerAfterSeal);
    expect(patched.stderr).toMatch(/modules patched after seal\(\): 3, 3 of 3 sites/);
  });
});
