/**
 * End to end: the demo app (fixtures/apps/kfence) built with `hotpath build` and with plain
 * tsc, run patched, unpatched (allocator loaded before seal()) and uncompiled with one seed:
 * all three compute the same and KFENCE catches every planted bug kind. scripts/demo.js
 * makes the same comparison on every `npm start`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, TSC, makeProject, pool, run, type ProcessResult } from './harness.js';

interface Output {
  seed: number;
  poolBase: string;
  computed: { result: { allocations: number; frees: number; checksum: number; bugRuns: Record<string, number> }; poolBase: string; sampled: number; reports: unknown[][] };
  caught: { useAfterFree: number; doubleFree: number; overflow: number; outOfBounds: number; corruption: number };
  reports: string[];
  isKfenceAddress: string;
  bootReport: string;
}

const SEED = '20201103';
let root: string;
let builds: ProcessResult[] = [];
const outputs: Record<string, ProcessResult> = {};
const bench: Record<string, ProcessResult> = {};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'hotpath-e2e-kfence-'));
  makeProject('kfence', root, 'module');
  builds = await pool(2, [
    () => run(process.execPath, [CLI, 'build', '-p', 'tsconfig.json'], { cwd: root }),
    () => run(process.execPath, [TSC, '-p', 'tsconfig.json', '--outDir', 'dist-tsc'], { cwd: root }),
  ]);
  const env = { KFENCE_SEED: SEED, KFENCE_ITERATIONS: '30000' };
  await pool(3, [
    async () => (outputs.patched = await run(process.execPath, ['--enable-source-maps', 'dist/main.js'], { cwd: root, env })),
    async () => (outputs.unpatched = await run(process.execPath, ['--enable-source-maps', 'dist/main.js'], { cwd: root, env: { ...env, KFENCE_UNPATCHED: '1' } })),
    async () => (outputs.uncompiled = await run(process.execPath, ['--enable-source-maps', 'dist-tsc/main.js'], { cwd: root, env })),
    async () => (bench.patched = await run(process.execPath, ['dist/bench-free.js', 'patched', '8'], { cwd: root })),
    async () => (bench.unpatched = await run(process.execPath, ['dist/bench-free.js', 'unpatched', '8'], { cwd: root })),
  ]);
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const parse = (mode: string): Output => {
  const r = outputs[mode]!;
  expect(r.code, `${mode}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout) as Output;
};

describe('fixtures/apps/kfence', () => {
  it('builds with hotpath build and with tsc, without diagnostics', () => {
    expect(builds).toHaveLength(2);
    for (const b of builds) expect(b).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('computes the same patched, unpatched and uncompiled', () => {
    const patched = parse('patched');
    expect(patched.computed.result.allocations).toBeGreaterThan(30000);
    expect(parse('unpatched').computed).toEqual(patched.computed);
    expect(parse('uncompiled').computed).toEqual(patched.computed);
  });

  it('patches is_kfence_address() with the pool base chosen at boot, and reports it', () => {
    const patched = parse('patched');
    const base = String(Number(patched.poolBase));
    expect(patched.isKfenceAddress).toMatch(new RegExp(`\\(/\\*@hp:0\\*/ ${base} +\\)\\) >>> 0 < KFENCE_POOL_SIZE`));
    expect(patched.bootReport).toContain(`src/boot.ts#poolBase = ${base}\n`);
    expect(patched.bootReport).toMatch(/modules patched after seal\(\): 2, 6 of 6 sites/);
    expect(parse('unpatched').isKfenceAddress).toContain('(/*@hp:0*/ (poolBase) /*@hp:0');
    expect(parse('unpatched').bootReport).toMatch(/loaded before seal\(\), left as loads \(HP2011\): 2 modules\n {2}src\/kfence\.ts {2}5 sites\n {2}src\/slab\.ts {2}1 site\n/);
  });

  it('catches every planted bug kind with a KFENCE report naming the buggy function', () => {
    const { reports, caught, computed } = parse('patched');
    expect(reports).toHaveLength(computed.reports.length);
    expect(caught.useAfterFree).toBeGreaterThan(0);
    expect(caught.doubleFree).toBeGreaterThan(0);
    expect(caught.outOfBounds).toBeGreaterThan(0);
    expect(caught.corruption).toBeGreaterThan(0);
    expect(caught.overflow).toBeGreaterThan(0);
    expect(caught.overflow).toBeLessThanOrEqual(caught.outOfBounds + caught.corruption);
    const heads = new Set(reports.map((r) => r.split('\n')[1]));
    const allowed = [
      'BUG: KFENCE: use-after-free read in logSessionStats',
      'BUG: KFENCE: invalid free in retirePacket',
      'BUG: KFENCE: out-of-bounds write in appendTrailer',
      'BUG: KFENCE: memory corruption in retirePacket',
    ];
    for (const head of heads) expect(allowed).toContain(head);
    const uaf = reports.find((r) => r.includes('use-after-free read in'))!;
    expect(uaf).toMatch(/Use-after-free read at 0x[0-9a-f]{8} \(in kfence-#\d+\):\n logSessionStats \(src\/workload\.ts:\d+:\d+\)/);
    expect(uaf).toMatch(/allocated by task \d+ at [\d.]+s:\n openSession \(src\/workload\.ts/);
    expect(uaf).toMatch(/freed by task \d+ at [\d.]+s:\n closeSession \(src\/workload\.ts/);
    const doubleFree = reports.find((r) => r.includes('invalid free in'))!;
    expect(doubleFree).toMatch(/freed by task \d+ at [\d.]+s:\n handleMalformed \(src\/workload\.ts/);
  });

  it('bench-free.js measures the patched and the unpatched check, each in its own process', () => {
    for (const mode of ['patched', 'unpatched']) {
      expect(bench[mode]!.code, bench[mode]!.stderr).toBe(0);
      const out = JSON.parse(bench[mode]!.stdout) as { patched: boolean; freeNs: number; checkNs: number; rounds: number };
      expect(out.patched).toBe(mode === 'patched');
      expect(out.rounds).toBe(6);
      expect(out.freeNs).toBeGreaterThan(0);
      expect(out.checkNs).toBeGreaterThan(0);
    }
  });
});
