/**
 * End to end: fixtures/apps/multi built with `hotpath build` (ESM with module nodenext and
 * esnext, CommonJS with module commonjs) and run on Node 20, 22 and 24. The same program
 * built by plain tsc (STATIC_VARIABLE_LOAD is then the identity) and the same hotpath build
 * with everything loaded before seal() (nothing patched) must compute the same values.
 * Needs the built package (`npm test` builds it).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, REPO, TSC, makeProject, nodeBinary, pool, run, type ProcessResult } from './harness.js';

const VARIANTS = [
  { name: 'nodenext', type: 'module', format: 'esm' },
  { name: 'esnext', type: 'module', format: 'esm' },
  { name: 'commonjs', type: 'commonjs', format: 'cjs' },
] as const;
type Variant = (typeof VARIANTS)[number];
const MAJORS = [20, 22, 24] as const;
/** patched: the hotpath build as intended; preloaded: same build, every module loaded before seal(); uncompiled: plain tsc. */
const MODES = ['patched', 'preloaded', 'uncompiled'] as const;
type Mode = (typeof MODES)[number];

const BASE = 1024 * 0x100000;
const bigint = (n: bigint) => ({ bigint: String(n) });
const SHORT_TEXT = "*/'\"\\\u2028\u2029\uD800`${";
const LONG_TEXT = `${'*/ /*@hp:0*/ '.repeat(8)}</script>\n\t\0\u{1F600}\uDFFF`;

/** What the fixture computes, worked out by hand (non-JSON values tagged as main.ts's toJson does). */
const EXPECTED_VALUES = {
  isPoolAddress: [false, false, true, true, false, false, false],
  isPoolAddressViaReexport: [false, false, true, true, false, false, false],
  isPoolAddressEarly: [false, false, true, true, false, false, false],
  baseInHex: '40000000',
  heapEnd: BASE + 4096,
  zeroFacts: [true, { number: '-Infinity' }, 0],
  nanFacts: [true, false, 'number'],
  infinityFacts: [true, { number: 'Infinity' }, 0],
  wrap64: [bigint(2n ** 64n - 1n), bigint(5n)],
  wrap64Early: [bigint(2n ** 64n - 1n), bigint(5n)],
  int64Facts: [bigint(2n ** 63n), bigint(-(2n ** 63n) - 1n), bigint(2n ** 63n - 1n)],
  traceLabel: 'trace:free',
  textFacts: [11, `<${SHORT_TEXT}>`, true, 119, LONG_TEXT],
  nothingFacts: ['fallback', 'object', true],
  absentFacts: ['undefined', true, 7],
  clamp: [5, 128],
  lateFacts: [42, 84],
};

/** Every sealed variable of src/config.ts and the literal the report shows for it. */
const SEALED_LITERALS: Record<string, string> = {
  heapBase: '1073741824',
  negativeZero: '-0',
  notANumber: '0/0',
  positiveInfinity: '1/0',
  negativeInfinity: '-1/0',
  int64Min: '-9223372036854775808n',
  uint64Max: '18446744073709551615n',
  tracing: 'true',
  shortText: '"*\\x2F\\\'\\"\\\\\\u2028\\u2029\\uD800`${"',
  nothing: 'null',
  absent: 'void 0',
  limit: '128',
};

/** Functions of src/app.ts (loaded after seal()) → the variable each site reads and the literal patched in. */
const PATCHED_FUNCTIONS: Record<string, Array<[readPattern: string, literal: string]>> = {
  isPoolAddress: [['heapBase', '1073741824']],
  isPoolAddressViaReexport: [['poolBase', '1073741824']],
  zeroFacts: [['negativeZero', '-0']],
  nanFacts: [['notANumber', '0/0']],
  wrap64: [['uint64Max', '18446744073709551615n']],
  int64Facts: [['int64Min', '-9223372036854775808n']],
  // Aliased import: ESM reads the local name, CommonJS `binding.<export name>`.
  traceLabel: [['(?:traceOn|tracing)', 'true']],
  textFacts: [['shortText', SEALED_LITERALS.shortText!]],
  nothingFacts: [['nothing', 'null']],
  absentFacts: [['absent', 'void 0']],
  clamp: [['limit', '128']],
};

/** `(/*@hp:N*\/ (READ) /*@hp:N   *\/)`: an unpatched slot reading `name` (a regexp; CommonJS: `binding.name`). */
const slotReading = (name: string) => new RegExp(`\\(/\\*@hp:\\d+\\*/ \\((?:[\\w$]+\\.)?${name}\\) /\\*@hp:\\d+ *\\*/\\)`);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A patched slot: the literal and padding where the read was. */
const slotHolding = (literal: string) => new RegExp(`\\(/\\*@hp:\\d+\\*/ ${escapeRegExp(literal)} +\\)`);

interface Output {
  values: unknown;
  where: [unknown, string];
  toString: Record<string, string>;
  bootAfterSeal: { threw?: { code: unknown; error: string }; returned?: unknown };
  secondSeal: { threw?: { code: unknown; error: string }; returned?: unknown };
  verifyBeforeWrite: { returned: unknown[] };
  verifyAfterWrite: { returned: Array<{ code: string; variable: string; sealed: unknown; current: unknown; staleSites: unknown[]; message: string }> };
  report: {
    sealed: boolean;
    hooks: string;
    variables: Array<{ variable: string; sealed: boolean; value?: unknown; code?: string }>;
    modules: Array<{ module: string; hook: string; patched: number; sites: Array<{ site: number; var: string; patched: boolean; code?: string; literal?: string }> }>;
    loadedBeforeSeal: Array<{ module: string; sites: number }>;
    notPatched: unknown[];
    registeredAfterSeal: string[];
    sitesPatched: number;
    sitesSkipped: number;
  };
  reportText: string;
}

interface Run {
  readonly result: ProcessResult;
  readonly output?: Output;
}

let root: string;
const builds = new Map<string, ProcessResult>();
const runs = new Map<string, Run>();
const nodes = new Map<number, string | undefined>();
const key = (...parts: Array<string | number>) => parts.join('/');

/** The line and column of `new Error('probe')` in src/app.ts: where a source-mapped stack must point. */
function probePosition(): string {
  const lines = readFileSync(join(REPO, 'fixtures/apps/multi/src/app.ts'), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes("new Error('probe')"));
  return `src/app.ts:${line + 1}:${lines[line]!.indexOf('new Error') + 1}`;
}

/** The write config.ts's writeBehindTheCompilersBack() stands for, put into the emitted file as code built without the pass would have it. */
function plantWriteBehindTheCompilersBack(file: string, variant: Variant): void {
  const stub = 'void value; // e2e: replaced by a write after the build';
  const source = readFileSync(file, 'utf8');
  if (!source.includes(stub)) throw new Error(`${file}: the writeBehindTheCompilersBack stub is missing`);
  writeFileSync(file, source.replace(stub, variant.format === 'cjs' ? 'exports.limit = value;' : 'limit = value;'));
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('build/compiler/cli.js is missing: run `npm run build` (npm test does)');
  root = mkdtempSync(join(tmpdir(), 'hotpath-e2e-multi-'));
  const nodeLookups = Promise.all(MAJORS.map(async (major) => nodes.set(major, await nodeBinary(major))));
  for (const variant of VARIANTS) makeProject('multi', join(root, variant.name), variant.type);
  const buildTasks = VARIANTS.flatMap((variant) => [
    async () => builds.set(key(variant.name, 'hotpath'), await run(process.execPath, [CLI, 'build', '-p', `tsconfig.${variant.name}.json`], { cwd: join(root, variant.name) })),
    async () =>
      builds.set(
        key(variant.name, 'tsc'),
        await run(process.execPath, [TSC, '-p', `tsconfig.${variant.name}.json`, '--outDir', `dist-tsc/${variant.name}`], { cwd: join(root, variant.name) }),
      ),
  ]);
  await pool(2, buildTasks);
  for (const variant of VARIANTS) for (const out of ['dist', 'dist-tsc']) plantWriteBehindTheCompilersBack(join(root, variant.name, out, variant.name, 'config.js'), variant);
  await nodeLookups;

  const runTasks = MAJORS.flatMap((major) =>
    VARIANTS.flatMap((variant) =>
      MODES.map((mode) => async () => {
        const node = nodes.get(major);
        if (!node) return;
        const entry = mode === 'uncompiled' ? `dist-tsc/${variant.name}/main.js` : `dist/${variant.name}/main.js`;
        const env: Record<string, string> = { HOTPATH_REPORT: '1', MULTI_IMPORT_BEFORE_SEAL: mode === 'preloaded' ? '1' : '0' };
        const result = await run(node, ['--enable-source-maps', entry], { cwd: join(root, variant.name), env });
        let output: Output | undefined;
        try {
          output = JSON.parse(result.stdout) as Output;
        } catch {
          output = undefined;
        }
        runs.set(key(major, variant.name, mode), { result, output });
      }),
    ),
  );
  await pool(3, runTasks);
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('hotpath build of fixtures/apps/multi', () => {
  it.each(VARIANTS)('$name: builds with exit code 0 and no diagnostics, like tsc', (variant) => {
    for (const tool of ['hotpath', 'tsc']) {
      const build = builds.get(key(variant.name, tool))!;
      expect({ tool, ...build }).toEqual({ tool, code: 0, stdout: '', stderr: '' });
    }
  });
});

describe.each(MAJORS)('fixtures/apps/multi on Node %i', (major) => {
  const skipUnlessNode = (ctx: { skip: (note?: string) => void }) => {
    if (!nodes.get(major)) {
      console.warn(`SKIPPED: npx could not fetch node@${major}; e2e tests for Node ${major} did not run`);
      ctx.skip(`npx could not fetch node@${major}`);
    }
  };
  const get = (variant: Variant, mode: Mode): Output => {
    const r = runs.get(key(major, variant.name, mode));
    if (!r) throw new Error(`no run for ${key(major, variant.name, mode)}`);
    expect(r.result.code, `${mode} run exited ${r.result.code}; stderr:\n${r.result.stderr}`).toBe(0);
    return r.output!;
  };
  const syncHooks = major >= 22; // npx fetches the newest 22.x and 24.x: module.registerHooks exists there

  it.for(VARIANTS)('$name: patched, preloaded (unpatched) and uncompiled runs compute the expected values', (variant, ctx) => {
    skipUnlessNode(ctx);
    for (const mode of MODES) {
      const out = get(variant, mode);
      expect(out.values, mode).toEqual(EXPECTED_VALUES);
      expect(out.where[0], mode).toBe(BASE);
    }
  });

  it.for(VARIANTS)('$name: toString() of a patched function shows the literal; unpatched ones still read', (variant, ctx) => {
    skipUnlessNode(ctx);
    const patched = get(variant, 'patched').toString;
    for (const [fn, sites] of Object.entries(PATCHED_FUNCTIONS)) {
      for (const [variable, literal] of sites) {
        expect(patched[fn], fn).toMatch(slotHolding(literal));
        expect(patched[fn], fn).not.toMatch(slotReading(variable));
      }
    }
    // Sites that stay loads even after seal(): too long a literal, a variable registered after seal().
    expect(patched.textFacts).toMatch(slotReading('longText'));
    expect(patched.lateFacts).toMatch(slotReading('lateAnswer'));
    // A module loaded before seal() keeps its loads.
    expect(patched.isPoolAddressEarly).toMatch(slotReading('heapBase'));

    const preloaded = get(variant, 'preloaded').toString;
    for (const [fn, sites] of Object.entries(PATCHED_FUNCTIONS)) {
      for (const [variable] of sites) expect(preloaded[fn], fn).toMatch(slotReading(variable));
    }
    const uncompiled = get(variant, 'uncompiled').toString;
    // ESM: `STATIC_VARIABLE_LOAD(heapBase)`; CommonJS: `(0, hotpath_1.STATIC_VARIABLE_LOAD)(config_js_1.heapBase)`.
    expect(uncompiled.isPoolAddress).toMatch(/STATIC_VARIABLE_LOAD\)?\((?:[\w$]+\.)?heapBase\)/);
    expect(uncompiled.isPoolAddress).not.toContain('/*@hp:');
  });

  it.for(VARIANTS)('$name: the boot report lists sealed values, patched modules with site counts, skips and why, pre-seal modules', (variant, ctx) => {
    skipUnlessNode(ctx);
    const { report, reportText } = get(variant, 'patched');
    expect(report.sealed).toBe(true);
    expect(report.hooks).toBe(syncHooks ? 'module.registerHooks' : 'module.register + require hook');

    const sealed = Object.fromEntries(report.variables.map((v) => [v.variable, v]));
    expect(Object.keys(sealed).sort()).toEqual([...Object.keys(SEALED_LITERALS), 'longText'].map((n) => `src/config.ts#${n}`).sort());
    for (const [name, literal] of Object.entries(SEALED_LITERALS)) {
      expect(sealed[`src/config.ts#${name}`]!.sealed, name).toBe(true);
      expect(reportText).toContain(`  src/config.ts#${name} = ${literal}\n`);
    }

    const hook = syncHooks ? 'registerHooks' : variant.format === 'esm' ? 'register' : 'require';
    const modules = Object.fromEntries(report.modules.map((m) => [m.module, m]));
    expect(Object.keys(modules).sort()).toEqual(['src/app.ts', 'src/late.ts']);
    const app = modules['src/app.ts']!;
    expect(app.hook).toBe(hook);
    // src/app.ts has 30 marker calls; all but 3 are patched.
    expect(app.sites).toHaveLength(30);
    expect(app.patched).toBe(27);
    const skipped = app.sites.filter((s) => !s.patched).map((s) => [s.var, s.code]);
    expect(skipped).toEqual([
      ['src/config.ts#longText', 'HP2005'],
      ['src/config.ts#longText', 'HP2005'],
      ['src/late.ts#lateAnswer', 'HP2001'],
    ]);
    for (const s of app.sites.filter((s) => s.patched)) {
      const name = s.var.slice('src/config.ts#'.length);
      expect(s.literal, s.var).toBe(SEALED_LITERALS[name]);
    }
    expect(modules['src/late.ts']!.sites.map((s) => [s.var, s.patched, s.code])).toEqual([['src/late.ts#lateAnswer', false, 'HP2001']]);
    expect(report.sitesPatched).toBe(27);
    expect(report.sitesSkipped).toBe(4);
    expect(report.registeredAfterSeal).toEqual(['src/late.ts#lateAnswer']);
    expect(report.notPatched).toEqual([]);
    // Statically imported by the entry point: loaded before seal(), listed, left as loads.
    expect(report.loadedBeforeSeal).toEqual([
      { module: 'src/config.ts', sites: 1 },
      { module: 'src/early.ts', sites: 2 },
    ]);
    expect(reportText).toMatch(/modules with sites loaded before seal\(\), left as loads \(HP2011\): 2 modules\n {2}src\/config\.ts {2}1 site\n {2}src\/early\.ts {2}2 sites\n/);
    expect(reportText).toContain('site 19 (src/config.ts#longText): HP2005 the literal of src/config.ts#longText is 216 characters');
    // HOTPATH_REPORT=1 prints the same report at exit, on stderr.
    const stderr = runs.get(key(major, variant.name, 'patched'))!.result.stderr;
    expect(stderr).toContain('hotpath boot report: sealed');
    expect(stderr).toContain(`  src/app.ts  27/30 sites [${hook}]`);
  });

  it.for(VARIANTS)('$name: with every module loaded before seal(), nothing is patched and all are reported', (variant, ctx) => {
    skipUnlessNode(ctx);
    const { report } = get(variant, 'preloaded');
    expect(report.modules).toEqual([]);
    expect(report.sitesPatched).toBe(0);
    expect(report.loadedBeforeSeal.map((m) => [m.module, m.sites]).sort()).toEqual([
      ['src/app.ts', 30],
      ['src/config.ts', 1],
      ['src/early.ts', 2],
      ['src/late.ts', 1],
    ]);
    expect(report.variables.find((v) => v.variable === 'src/late.ts#lateAnswer')).toMatchObject({ sealed: true, value: 42 });
  });

  it.for(VARIANTS)('$name: a @boot call after seal() throws HP2021; a second seal() throws HP2020', (variant, ctx) => {
    skipUnlessNode(ctx);
    const out = get(variant, 'patched');
    expect(out.bootAfterSeal.threw?.code).toBe('HP2021');
    expect(out.bootAfterSeal.threw?.error).toMatch(/the @boot function initConfig \(src\/config\.ts:\d+:\d+\) was called after seal\(\)/);
    expect(out.secondSeal.threw?.code).toBe('HP2020');
    // Uncompiled, nothing guards the @boot function: the guard is the pass's.
    expect(get(variant, 'uncompiled').bootAfterSeal).toEqual({ returned: { undefined: true } });
  });

  it.for(VARIANTS)('$name: verifyStaticVariables() finds a value changed after seal() and the stale patched site', (variant, ctx) => {
    skipUnlessNode(ctx);
    const out = get(variant, 'patched');
    // NaN and -0 are sealed too: Object.is, not ===, or they would always look changed.
    expect(out.verifyBeforeWrite.returned).toEqual([]);
    expect(out.verifyAfterWrite.returned).toHaveLength(1);
    expect(out.verifyAfterWrite.returned[0]).toMatchObject({
      code: 'HP2015',
      variable: 'src/config.ts#limit',
      sealed: 128,
      current: 1,
      staleSites: [{ module: 'src/app.ts', sites: 1 }],
    });
    const preloaded = get(variant, 'preloaded');
    expect(preloaded.verifyAfterWrite.returned[0]).toMatchObject({ variable: 'src/config.ts#limit', sealed: 128, current: 1, staleSites: [] });
    expect(get(variant, 'uncompiled').verifyAfterWrite.returned).toEqual([]);
  });

  it.for(VARIANTS)('$name: a stack trace taken after a patched slot still maps to the right line and column', (variant, ctx) => {
    skipUnlessNode(ctx);
    const position = probePosition();
    for (const mode of MODES) expect(get(variant, mode).where[1], mode).toContain(position);
  });
});
