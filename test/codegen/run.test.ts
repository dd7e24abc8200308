import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CODEGEN_EXIT, runCodegen } from '../../tools/codegen/index.js';
import { patchSource } from '../../runtime/patch-source.js';

const docs = fileURLToPath(new URL('../../fixtures/codegen/pool/', import.meta.url));
// Addresses inside the pool, below it and above it: feedback for every branch.
const MIXED = ['--args', '[1073741840]', '--args', '[12288]', '--args', '[1342177280]'];

async function codegen(args: string[]): Promise<{ exit: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const exit = await runCodegen(args, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { exit, out, err };
}

describe(`hotpath codegen on this node (${process.version})`, () => {
  it('prints the optimised code of the function, with the hole check of the module let', async (ctx) => {
    const before = readdirSync(docs);
    const r = await codegen([`${docs}pool-let.mjs`, 'isPoolAddress', ...MIXED]);
    if (r.exit === CODEGEN_EXIT.cannotPrint) ctx.skip(`this node build cannot print code: ${r.err.trim()}`);
    expect(r.err).toBe('');
    expect(r.exit).toBe(CODEGEN_EXIT.ok);
    expect(r.out).toMatch(/^; isPoolAddress: TURBOFAN\w* code/);
    expect(r.out).toContain('return a >= poolBase && a < poolBase + POOL_SIZE;');
    expect(r.out).toMatch(/\nInstructions \(size = \d+\)\n0x/);
    expect(r.out).toContain('(root (the_hole_value))');
    expect(r.out).not.toContain('Source positions');
    expect(readdirSync(docs)).toEqual(before); // nothing written beside the module
  });

  it('shows no hole check once the slots are patched', async (ctx) => {
    const r = await codegen([`${docs}pool-patched.mjs`, 'isPoolAddress', ...MIXED]);
    if (r.exit === CODEGEN_EXIT.cannotPrint) ctx.skip(`this node build cannot print code: ${r.err.trim()}`);
    expect(r.exit).toBe(CODEGEN_EXIT.ok);
    expect(r.out).toMatch(/^; isPoolAddress: TURBOFAN/);
    expect(r.out).not.toContain('the_hole_value');
  });

  it('says which functions the module exports when the name is wrong', async () => {
    const r = await codegen([`${docs}pool-let.mjs`, 'isPoolAdress']);
    expect(r.exit).toBe(CODEGEN_EXIT.failed);
    expect(r.err).toMatch(/isPoolAdress is not an exported function of the module; its exported functions: initPool, isPoolAddress, isPoolAddressSub/);
  });
});

describe('fixtures/codegen/pool', () => {
  it('pool-patched.mjs is exactly what patchSource makes of pool-slots.mjs', () => {
    const slots = readFileSync(`${docs}pool-slots.mjs`, 'utf8');
    const result = patchSource(slots, new Map([['file:///pool-slots.mjs#poolBase', 0x40000000]]), { url: 'file:///pool-slots.mjs' });
    expect(result.patched).toBe(3);
    expect(readFileSync(`${docs}pool-patched.mjs`, 'utf8')).toBe(result.source);
  });
});

describe('hotpath codegen options (real runs)', () => {
  const fixtures = fileURLToPath(new URL('fixtures/', import.meta.url));

  it('imports --boot first and calls the function with the arguments of --driver', async (ctx) => {
    const r = await codegen([`${fixtures}scale.mjs`, 'scaleSum', '--boot', `${fixtures}boot.mjs`, '--driver', `${fixtures}scale-driver.mjs`, '--calls', '200']);
    if (r.exit === CODEGEN_EXIT.cannotPrint) ctx.skip(`this node build cannot print code: ${r.err.trim()}`);
    expect(r.err).toBe('');
    expect(r.exit).toBe(CODEGEN_EXIT.ok);
    expect(r.out).toMatch(/^; scaleSum: TURBOFAN/);
  });

  it('fails with the module error when --boot is missing', async () => {
    const r = await codegen([`${fixtures}scale.mjs`, 'scaleSum']);
    expect(r.exit).toBe(CODEGEN_EXIT.failed);
    expect(r.err).toMatch(/could not import .*scale\.mjs: Error: boot\.mjs did not run before scale\.mjs/);
  });

  it('finds a CommonJS export and says when it chose the arguments', async (ctx) => {
    const r = await codegen([`${fixtures}anon.cjs`, 'twice', '--calls', '200']);
    if (r.exit === CODEGEN_EXIT.cannotPrint) ctx.skip(`this node build cannot print code: ${r.err.trim()}`);
    expect(r.exit).toBe(CODEGEN_EXIT.ok);
    expect(r.out).toMatch(/^; twice: TURBOFAN/);
    expect(r.err).toMatch(/no --args given; called twice with small integers 0\.\.999/);
  });
});

describe('hotpath codegen from the build', () => {
  it('the built CLI finds its driver beside the built module (tools/codegen/driver.mjs is copied to build/)', (ctx) => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const cli = `${root}build/compiler/cli.js`;
    expect(existsSync(`${root}build/tools/codegen/driver.mjs`), 'run npm run build first (npm test does)').toBe(true);
    const r = spawnSync(process.execPath, [cli, 'codegen', `${docs}pool-let.mjs`, 'isPoolAddress', ...MIXED], { encoding: 'utf8' });
    if (r.status === CODEGEN_EXIT.cannotPrint) ctx.skip(`this node build cannot print code: ${r.stderr.trim()}`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(CODEGEN_EXIT.ok);
    expect(r.stdout).toMatch(/^; isPoolAddress: TURBOFAN\w* code/);
  });
});

describe('fixtures/codegen/real: built by hotpath build, patched by seal()', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const cli = `${root}build/compiler/cli.js`;
  const out = `${root}build/codegen-real/`;
  const ARGS = ['--args', '[1073741840]', '--args', '[12288]', '--args', '[1342177280]'];

  it('reads the imported let and const from Cells until sealed; patched with both marked, no hole check is left', async (ctx) => {
    expect(existsSync(cli), 'build/compiler/cli.js is missing: run npm run build first (npm test does)').toBe(true);
    execFileSync(process.execPath, [cli, 'build', '-p', `${root}fixtures/codegen/real/tsconfig.json`], { stdio: 'pipe' });
    const unsealed = await codegen([`${out}check.js`, 'isPoolAddressSub', '--boot', `${out}boot-unsealed.js`, ...ARGS]);
    if (unsealed.exit === CODEGEN_EXIT.cannotPrint) ctx.skip(`this node build cannot print code: ${unsealed.err.trim()}`);
    expect(unsealed.out).toContain('(/*@hp:2*/ (poolBase) /*@hp:2');
    expect(unsealed.out.match(/<Cell value= (\d+)>/g)).toEqual(['<Cell value= 1073741824>', '<Cell value= 2097152>']);
    expect(unsealed.out.match(/the_hole_value/g)).toHaveLength(2);

    const patched = await codegen([`${out}check.js`, 'isPoolAddressSub', '--boot', `${out}boot.js`, ...ARGS]);
    expect(patched.out).toContain('(/*@hp:2*/ 1073741824 ');
    expect(patched.out.match(/<Cell value= (\d+)>/g)).toEqual(['<Cell value= 2097152>']);

    const both = await codegen([`${out}check-size.js`, 'isPoolAddressSub', '--boot', `${out}boot.js`, ...ARGS]);
    expect(both.exit).toBe(CODEGEN_EXIT.ok);
    expect(both.out).toContain('(/*@hp:1*/ 2097152 ');
    expect(both.out).not.toContain('Cell');
    expect(both.out).not.toContain('the_hole_value');
  });
});
