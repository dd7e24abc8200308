/**
 * What the program fuzzer found (docs/testing.md): each a minimal program, built and run
 * like the fuzzer's, whose one site must be patched with the values agreeing. A hole found
 * and not yet fixed is pinned here as `it.fails` (and its code in runner.ts's KNOWN_HOLES)
 * until the compiler is fixed; none is open now.
 */
import { existsSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { CLI } from '../e2e/harness.js';
import type { Program, Site, Target } from './generate.js';
import { runBatch, type BatchResult } from './runner.js';

/** One declaring module with `v0` (number, written in a @boot function) and one reader holding `site`. */
function oneSite(seed: number, target: Target, format: Program['format'], site: Omit<Site, 'variable' | 'top'>): Program {
  return {
    seed,
    format,
    target,
    relay: false,
    variables: [{ name: 'v0', kind: 'number', declaration: 'let', init: '1', writes: [{ where: 'boot', form: 'plain', value: '7' }] }],
    readers: [{ name: 'r0', routes: [{ viaRelay: false, local: 'v0' }], sites: [{ ...site, variable: 0, top: false }] }],
  };
}

const CASES = {
  // TypeScript lowers `t ||= x` below ES2021 to `t || (t = x)`, skipping x's parentheses: the slot was lost (HP2006).
  'logical assignment right side, ES2017 (was HP2006)': oneSite(900001, 'ES2017', 'esm', { code: '{ let t: unknown = 0; t ||= @@; out.push(t); }' }),
  'logical assignment right side, CommonJS ES2017 (was HP2006)': oneSite(900002, 'ES2017', 'cjs', { code: '{ let t: unknown = 1; t &&= @@; out.push(t); }' }),
  // The comment was printed inside the slot, and its line break with it (HP2008).
  'line comment after the argument (was HP2008)': oneSite(900003, 'ES2022', 'esm', { code: 'out.push(@@);', spelling: 4 }),
  'logical assignment right side, ES2022': oneSite(900004, 'ES2022', 'esm', { code: '{ let t: unknown = 0; t ||= @@; out.push(t); }' }),
  'block comment holding a parenthesis before the argument': oneSite(900005, 'ES2017', 'cjs', { code: 'out.push(@@);', spelling: 3 }),
  'comment between the marker and its call': oneSite(900006, 'ES2017', 'esm', { code: 'out.push(@@);', spelling: 7 }),
  'argument on its own line': oneSite(900007, 'ES2022', 'cjs', { code: 'out.push(@@);', spelling: 1 }),
} as const;
type Case = keyof typeof CASES;
/** Cases whose hole is open (expected to fail): none. */
const KNOWN_HOLES = new Set<Case>([]);

let result: BatchResult;
beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('build/compiler/cli.js is missing: run `npm run build` (npm test does)');
  result = await runBatch(Object.values(CASES), new Map([[20, process.execPath]]));
});

for (const name of Object.keys(CASES) as Case[]) {
  const test = KNOWN_HOLES.has(name) ? it.fails : it;
  test(`fuzzer finding: ${name} — the site is patched and the values agree`, () => {
    const seed = CASES[name].seed;
    expect(result.failures.filter((f) => f.seed === seed).map((f) => f.what)).toEqual([]);
    expect(result.unpatched.filter((u) => u.seed === seed).map((u) => u.skip)).toEqual([]);
  });
}
