/**
 * End to end from `npm pack`: `hotpath/vite` in development (docs/bundlers.md "Development").
 * test/bundler/app runs, with the Vite config of docs/bundlers.md, through Vite 8's dev server
 * (`server.ssrLoadModule`, and the module runner of `createServerModuleRunner`), `vite-node`
 * and vitest 4.1 (the vitest config of docs/bundlers.md) — on this Node, 22 and 24 — and
 * computes what the built app computes (test/bundler/app/README.md), sealed and not. Nothing is
 * patched in development (Vite's module runner evaluates the modules, Node's hooks never see
 * them), and nothing says otherwise: no HP2018 on stderr, nothing on stderr at all without
 * HOTPATH_REPORT=1; with it, a report that names each module with sites as loaded before seal()
 * (HP2011) or run after it and patched by no hook (HP2012), and lists no variable (none is
 * registered in development: nothing is patched with it).
 * Without `hotpath()` in the config, each module's markers say HP2018, as any run of code no
 * pass rewrote does.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, VERSIONS, cleanUp, dependencySet, expectNoCrash, nodeOrSkip, runBin, runNode, type ProcessResult } from './harness.js';

const TIMEOUT = 420_000;
afterAll(cleanUp);

const APP = join(REPO, 'test/bundler/app');
/** What the app computes with SEED=1024, worked out by hand (test/bundler/app/README.md); bundlers.test.ts checks the built app against it. */
const EXPECTED = { earlyShift: 5, cube: '1073741825n', isFast: 'yes', isPoolAddress: true, label: 'fast:1025:3072', slotOf: 145 };
const THROW_LINE = readFileSync(join(APP, 'src/reader.ts'), 'utf8').split('\n').findIndex((l) => l.includes("new Error('where')")) + 1;

const devDependencies = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies;
/** vite and vitest as the project pins them; vite-node is not a dependency of the project. */
export const DEV_VERSIONS = { vite: devDependencies.vite!, vitest: devDependencies.vitest!, viteNode: '6.0.0' } as const;

const devSet = () => dependencySet('dev', { vite: DEV_VERSIONS.vite, vitest: DEV_VERSIONS.vitest, 'vite-node': DEV_VERSIONS.viteNode, '@types/node': VERSIONS.typesNode });

/** The `file=` code blocks of docs/bundlers.md, by file name. */
function docsFile(name: string): string {
  const text = readFileSync(join(REPO, 'docs/bundlers.md'), 'utf8');
  for (const match of text.matchAll(/^```js file=(\S+)\n([\s\S]*?)^```/gm)) if (match[1] === name) return match[2]!;
  throw new Error(`docs/bundlers.md has no \`\`\`js file=${name} block`);
}

/** Runs src/main.ts in Vite's dev server, in-process, as an SSR framework's server does. */
const SSR_LOAD_MODULE = `import { createServer } from 'vite';
const server = await createServer({ server: { middlewareMode: true, hmr: false, ws: false }, appType: 'custom', logLevel: 'error' });
await server.ssrLoadModule('/src/main.ts');
await server.close();
`;
/** The same through Vite's module runner (the environment API). */
const MODULE_RUNNER = `import { createServer, createServerModuleRunner } from 'vite';
const server = await createServer({ server: { middlewareMode: true, hmr: false, ws: false }, appType: 'custom', logLevel: 'error' });
const runner = createServerModuleRunner(server.environments.ssr, { hmr: false });
await runner.import('/src/main.ts');
await runner.close();
await server.close();
`;
/** What the dev server sends the browser for two modules (its client transform), as JSON. */
const CLIENT_TRANSFORM = `import { createServer } from 'vite';
const server = await createServer({ server: { middlewareMode: true, hmr: false, ws: false }, appType: 'custom', logLevel: 'error' });
const reader = await server.transformRequest('/src/reader.ts');
const config = await server.transformRequest('/src/config.ts');
await server.close();
console.log(JSON.stringify({ reader: reader.code, config: config.code }));
`;
/** A vitest test of the app: boot, seal(), import the hot module; the values and the boot report go to out.json. */
const VITEST_TEST = `import { writeFileSync } from 'node:fs';
import { bootReport, seal } from 'hotpath';
import { expect, test } from 'vitest';
import { initConfig } from '../src/config.js';
import { earlyShift } from '../src/early.js';
import { initLimits } from '../src/limits.js';
import { initTable } from '../src/table.js';

test('the app under vitest', async () => {
  initConfig(1024);
  initLimits(1024);
  initTable(1024);
  seal();
  const reader = await import('../src/reader.js');
  const values = { earlyShift: earlyShift(), cube: \`\${reader.cube()}n\`, isFast: reader.isFast(), isPoolAddress: reader.isPoolAddress(), label: reader.label(), slotOf: reader.slotOf() };
  expect(values).toEqual(${JSON.stringify(EXPECTED)});
  writeFileSync(process.env.OUT_FILE, JSON.stringify({ values, report: bootReport() }, (_key, value) => (typeof value === 'bigint' ? \`\${value}n\` : value)));
});
`;

interface Report {
  sealed: boolean;
  variables: Array<{ variable: string; sealed: boolean }>;
  modules: unknown[];
  loadedBeforeSeal: Array<{ module: string; sites: number }>;
  notPatched: Array<{ module: string; sites: number }>;
  markerCallsAfterSeal: string[];
  registeredAfterSeal: string[];
  sitesPatched: number;
}
interface AppOutput {
  values: Record<string, unknown>;
  report: Report;
}

function makeDevCase(set: string, name: string, withPlugin: boolean): string {
  const dir = join(set, name);
  mkdirSync(dir, { recursive: true });
  cpSync(join(APP, 'src'), join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: `e2e-${name}`, private: true, type: 'module' })}\n`);
  writeFileSync(join(dir, 'ssr-load-module.mjs'), SSR_LOAD_MODULE);
  writeFileSync(join(dir, 'module-runner.mjs'), MODULE_RUNNER);
  writeFileSync(join(dir, 'client-transform.mjs'), CLIENT_TRANSFORM);
  mkdirSync(join(dir, 'test'));
  writeFileSync(join(dir, 'test/app.test.ts'), VITEST_TEST);
  // Two test files, each sealing: vitest runs each in a process of its own (its default pool, forks, isolated).
  writeFileSync(join(dir, 'test/again.test.ts'), VITEST_TEST);
  if (withPlugin) {
    writeFileSync(join(dir, 'vite.config.js'), docsFile('vite.config.js'));
    writeFileSync(join(dir, 'vitest.config.js'), docsFile('vitest.config.js'));
  }
  return dir;
}

/** The JSON line src/main.ts prints last. */
function appOutput(result: ProcessResult, what: string): AppOutput {
  expect(result.code, `${what} exited ${result.code}\n${result.stdout}\n${result.stderr}`).toBe(0);
  const line = result.stdout.trim().split('\n').pop()!;
  try {
    return JSON.parse(line) as AppOutput;
  } catch {
    throw new Error(`${what} printed no JSON line:\n${result.stdout}\n${result.stderr}`);
  }
}

/** The report of an app run in development: sealed, nothing registered or patched, each module with sites named for what is true of it. */
function expectDevReport(report: Report): void {
  expect(report.sealed).toBe(true);
  expect(report.variables).toEqual([]);
  expect(report.sitesPatched).toBe(0);
  expect(report.modules).toEqual([]);
  expect(report.loadedBeforeSeal).toEqual([{ module: 'src/early.ts', sites: 1 }]);
  expect(report.notPatched).toEqual([{ module: 'src/reader.ts', sites: 8 }]);
  expect(report.markerCallsAfterSeal).toEqual([]);
  expect(report.registeredAfterSeal).toEqual([]);
}

/** Nothing on stderr but, with HOTPATH_REPORT=1, the boot report. */
function expectQuiet(result: ProcessResult, reported: boolean): void {
  expectNoCrash(result);
  expect(result.stderr).not.toContain('HP2018');
  if (!reported) expect(result.stderr.trim()).toBe('');
  else expect(result.stderr.trimStart()).toMatch(/^hotpath boot report: sealed/);
}

interface Runner {
  readonly name: string;
  readonly run: (set: string, dir: string, node: string, env: Record<string, string>) => Promise<ProcessResult>;
  /** Its stack traces are source-mapped to the TypeScript lines (Vite's module runner and vite-node install an interceptor; ssrLoadModule does not). */
  readonly mapsStacks: boolean;
}

const RUNNERS: readonly Runner[] = [
  { name: 'Vite dev server, server.ssrLoadModule', run: (_set, dir, node, env) => runNode(node, ['ssr-load-module.mjs'], { cwd: dir, env }), mapsStacks: false },
  { name: 'Vite dev server, createServerModuleRunner + runner.import', run: (_set, dir, node, env) => runNode(node, ['module-runner.mjs'], { cwd: dir, env }), mapsStacks: true },
  { name: `vite-node ${DEV_VERSIONS.viteNode}`, run: (set, dir, node, env) => runBin(set, 'vite-node', ['src/main.ts'], { cwd: dir, node, env }), mapsStacks: true },
];

const NODES = [Number(process.versions.node.split('.')[0]), 22, 24].filter((n, i, all) => all.indexOf(n) === i);

describe.concurrent.each(RUNNERS)(`$name (Vite ${DEV_VERSIONS.vite}), hotpath() in vite.config.js from docs/bundlers.md`, (r) => {
  it.for(NODES)('on Node %i: values of the built app, sealed or not; nothing on stderr; HOTPATH_REPORT=1 reports what is true', { timeout: TIMEOUT }, async (major, ctx) => {
    const node = await nodeOrSkip(ctx, major);
    const set = await devSet();
    const dir = makeDevCase(join(set, `node${major}`), r.name.replace(/\W+/g, '-').toLowerCase(), true);

    const unsealed = await r.run(set, dir, node, { SEED: '1024', HOTPATH_NO_SEAL: '1' });
    const { thrownAt: unsealedAt, ...unsealedValues } = appOutput(unsealed, r.name).values;
    expect(unsealedValues).toEqual(EXPECTED);
    expectQuiet(unsealed, false);

    const sealed = await r.run(set, dir, node, { SEED: '1024' });
    const { thrownAt, ...values } = appOutput(sealed, r.name).values;
    expect(values).toEqual(EXPECTED);
    expectQuiet(sealed, false);
    if (r.mapsStacks) for (const at of [thrownAt, unsealedAt]) expect(String(at)).toMatch(new RegExp(`src[\\\\/]reader\\.ts:${THROW_LINE}:\\d+`));

    const reported = await r.run(set, dir, node, { SEED: '1024', HOTPATH_REPORT: '1' });
    const output = appOutput(reported, r.name);
    expectQuiet(reported, true);
    expectDevReport(output.report);
    expect(reported.stderr).toContain('modules with sites run after seal() that no hook patched, left as loads (HP2012): 1 module\n  src/reader.ts  8 sites');
  });
});

describe(`Vite ${DEV_VERSIONS.vite} dev server, the modules it sends the browser`, () => {
  it('has every site as a call of the module\'s own identity and its note, the declaring module untouched; HOTPATH_REPORT=1 prints nothing (no runtime in the server)', { timeout: TIMEOUT }, async () => {
    const node = process.execPath;
    const set = await devSet();
    const dir = makeDevCase(join(set, 'client'), 'client', true);
    const result = await runNode(node, ['client-transform.mjs'], { cwd: dir, env: { HOTPATH_REPORT: '1' } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const { reader, config } = JSON.parse(result.stdout.trim().split('\n').pop()!) as { reader: string; config: string };
    expect(reader.match(/__hotpath_read\(/g)).toHaveLength(8 + 1); // the eight sites and the declaration
    expect(reader).not.toMatch(/\bload\(|STATIC_VARIABLE_LOAD\(/);
    expect(reader).toContain('__hotpath_note("@hotpath-note:src/reader.ts", 8)');
    expect(config).not.toContain('__hotpath');
  });
});

/** The outer vitest's variables would tell the inner one it is a worker of another run. */
const NOT_A_WORKER = { VITEST: '', VITEST_MODE: '', VITEST_POOL_ID: '', VITEST_WORKER_ID: '', TEST: '', NODE_ENV: '' };

describe(`vitest ${DEV_VERSIONS.vitest}, hotpath() in vitest.config.js from docs/bundlers.md`, () => {
  it.concurrent.for(NODES)('on Node %i: two test files each boot, seal() and compute what the built app does; no HP2018; bootReport() is true', { timeout: TIMEOUT }, async (major, ctx) => {
    const node = await nodeOrSkip(ctx, major);
    const set = await devSet();
    const dir = makeDevCase(join(set, `node${major}`), 'vitest', true);
    const result = await runBin(set, 'vitest', ['run'], { cwd: dir, node, env: { ...NOT_A_WORKER, OUT_FILE: 'out.json' } });
    expectNoCrash(result);
    expect(result.code, `vitest run exited ${result.code}\n${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(/Tests\s+2 passed/);
    expect(result.stdout + result.stderr).not.toContain('HP2018');
    const output = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as AppOutput;
    expect(output.values).toEqual(EXPECTED);
    expectDevReport(output.report);
  });

  it('with --no-isolate the two test files share one process: the second seal() throws HP2020', { timeout: TIMEOUT }, async () => {
    const node = process.execPath;
    const set = await devSet();
    const dir = makeDevCase(join(set, 'no-isolate'), 'vitest', true);
    const result = await runBin(set, 'vitest', ['run', '--no-isolate', '--maxWorkers=1'], { cwd: dir, node, env: { ...NOT_A_WORKER, OUT_FILE: 'out.json' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/Tests\s+1 failed \| 1 passed/);
    expect(result.stdout + result.stderr).toContain('HP2020: seal() was called a second time');
  });

  it('without hotpath() in the config, each module whose markers run after seal() is named once per test file (HP2018), and the values are the same', { timeout: TIMEOUT }, async () => {
    const node = process.execPath;
    const set = await devSet();
    const dir = makeDevCase(join(set, 'no-plugin'), 'vitest', false);
    const result = await runBin(set, 'vitest', ['run'], { cwd: dir, node, env: { ...NOT_A_WORKER, OUT_FILE: 'out.json' } });
    expect(result.code, `vitest run exited ${result.code}\n${result.stdout}\n${result.stderr}`).toBe(0);
    const named = (result.stdout + result.stderr).match(/hotpath HP2018: STATIC_VARIABLE_LOAD ran after seal\(\) in \S+/g) ?? [];
    expect(named.map((line) => line.replace(/.* in .*[\\/]src[\\/]/, 'src/')).sort()).toEqual(['src/early.ts:', 'src/early.ts:', 'src/reader.ts:', 'src/reader.ts:']);
    const output = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as AppOutput;
    expect(output.values).toEqual(EXPECTED);
    expect(output.report.variables).toEqual([]);
  });
});
