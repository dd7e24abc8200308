/**
 * The boot protocol end to end, in child processes, on Node 20 (this process's node)
 * and on Node 22, 24 and 26 (fetched with npx). Needs the built package: `npm test` builds it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeCode } from '../../runtime/codes.js';
import { writeBootApp } from './boot-app.mjs';
import { nodeBinary } from './node-binary.js';

const BUILT = resolve(import.meta.dirname, '../../build/runtime/index.js');

function run(node: string, dir: string, entry: string | string[], env: Record<string, string> = {}) {
  const result = spawnSync(node, typeof entry === 'string' ? [entry] : entry, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function runJson(node: string, dir: string, entry: string | string[]) {
  const result = run(node, dir, entry);
  if (result.status !== 0) throw new Error(`${String(entry)} exited ${result.status}:\n${result.stderr}`);
  return JSON.parse(result.stdout);
}

let dir: string;
/** The URL a module of the app is loaded as (its real path: the temp dir may sit behind a symlink). */
let url: (file: string) => string;
beforeAll(() => {
  if (!existsSync(BUILT)) throw new Error('build/runtime/index.js is missing: run `npm run build` (npm test does)');
  dir = writeBootApp();
  url = (file) => pathToFileURL(join(realpathSync(dir), file)).href;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BASE = (1 << 26) * 16;
const skipCodes = (m: { sites: { patched: boolean; code?: string }[] }) => m.sites.map((s) => (s.patched ? 'patched' : s.code));

describe.each([20, 22, 24, 26])('boot on Node %i', (major) => {
  let node: string | undefined;
  beforeAll(() => {
    node = nodeBinary(major);
    if (!node) console.warn(`SKIPPED: npx could not fetch node@${major}; boot tests for Node ${major} did not run`);
  });
  const syncHooks = major >= 22; // npx fetches the newest 22.x / 24.x, which have module.registerHooks

  it('ES modules: patches modules imported after seal(), reports the rest, and every result is right', (ctx) => {
    if (!node) return ctx.skip(`npx could not fetch node@${major}`);
    const result = run(node, dir, 'main.mjs');
    expect(result.status, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.node.startsWith(`v${major}.`)).toBe(true);
    // Where module.registerHooks exists, module.register (deprecated, DEP0205: a runtime warning on Node 26) is never called.
    if (syncHooks) expect(result.stderr).not.toMatch(/DEP0205|module\.register\(\) is deprecated/);

    // the hot function's source holds the literal, not the load
    expect(out.source).toMatch(/return \(p - \(\/\*@hp:0\*\/ 1073741824 +\)\) >>> 0 < 1048576;/);
    expect(out.source).not.toContain('(poolBase)');
    expect(out.cjsSource).toMatch(/\(\/\*@hp:0\*\/ 1073741824 +\)/); // CommonJS imported from an ES module
    expect(out.results).toEqual([true, true, false, false, 'fast:-9223372036854775808', true, true]);
    expect(out.odd).toEqual([BASE, 'symbol', 40, 7, 'n', BASE + 1]);

    expect(out.secondSeal).toMatch(new RegExp(`^${RuntimeCode.sealTwice}: seal\\(\\) was called a second time .*main\\.mjs:\\d+:\\d+.*sealed at .*main\\.mjs:\\d+:\\d+`));
    expect(out.secondSealCode).toBe(RuntimeCode.sealTwice);
    expect(out.bootAfterSeal).toMatch(new RegExp(`^${RuntimeCode.bootAfterSeal}: the @boot function initPool \\(src/pool.ts:7:17\\) was called after seal\\(\\).*Call it before seal\\(\\)`));

    const report = out.report;
    expect(report.hooks).toBe(syncHooks ? 'module.registerHooks' : 'module.register + require hook');
    const pool = (name: string) => ({ variable: `src/pool.ts#${name}`, id: `${url('pool.js')}#${name}`, url: url('pool.js') });
    expect(report.variables).toEqual([
      { ...pool('poolBase'), sealed: true, value: BASE },
      { ...pool('mode'), sealed: true, value: 'fast' },
      { ...pool('big'), sealed: true, value: '-9223372036854775808n' },
      { ...pool('weird'), sealed: true, value: 'Symbol(weird)' },
      { ...pool('label'), sealed: true, value: 'x'.repeat(40) },
      {
        variable: 'src/main.mts#late',
        id: `${url('main.mjs')}#late`,
        url: url('main.mjs'),
        sealed: false,
        code: RuntimeCode.unreadable,
        reason: expect.stringMatching(/^unreadable at seal\(\): ReferenceError: .*late/),
      },
    ]);
    // free.js and odd.js through the ES-module hook, check.cjs (imported) through the require hook on Node 20
    const seen = report.modules.map((m: { module: string; hook: string; url: string; patched: number }) => `${m.module} ${m.hook} ${m.url.split('/').pop()} ${m.patched}`);
    const esmHook = syncHooks ? 'registerHooks' : 'register';
    const cjsHook = syncHooks ? 'registerHooks' : 'require';
    expect(seen.sort()).toEqual([`src/check.cts ${cjsHook} check.cjs 1`, `src/free.ts ${esmHook} free.js 3`, `src/odd.ts ${esmHook} odd.js 1`]);
    const odd = report.modules.find((m: { module: string }) => m.module === 'src/odd.ts');
    expect(skipCodes(odd)).toEqual([
      'patched',
      RuntimeCode.noLiteral,
      RuntimeCode.tooLong,
      RuntimeCode.unreadable,
      RuntimeCode.notRegistered,
      RuntimeCode.slotMismatch,
    ]);
    expect(report.sitesPatched).toBe(3 + 1 + 1);
    expect(report.sitesSkipped).toBe(5);
    expect(report.loadedBeforeSeal).toEqual([{ module: 'src/early.ts', sites: 1 }]);
    expect(report.notPatched).toEqual([{ module: 'src/bundled.ts', sites: 1 }]);

    expect(out.verifyBefore).toEqual([]);
    expect(out.verifyAfter).toHaveLength(1);
    expect(out.verifyAfter[0]).toMatchObject({
      code: RuntimeCode.changedAfterSeal,
      variable: 'src/pool.ts#poolBase',
      id: `${url('pool.js')}#poolBase`,
      sealed: BASE,
      current: BASE + 4096,
    });
    expect([...out.verifyAfter[0].staleSites].sort((a: { module: string }, b: { module: string }) => a.module.localeCompare(b.module))).toEqual([
      { module: 'src/check.cts', sites: 1 },
      { module: 'src/free.ts', sites: 1 },
      { module: 'src/odd.ts', sites: 1 },
    ]);
    expect(out.verifyAfter[0].message).toContain(`src/pool.ts#poolBase (${url('pool.js')}) changed after seal(): sealed 1073741824, now 1073745920`);
    // stale patched code keeps the sealed value; the module loaded before seal() reads the variable
    expect(out.afterMove).toEqual([true, false]);
  });

  it('CommonJS: require() after seal() patches <binding>.<export> slots', (ctx) => {
    if (!node) return ctx.skip(`npx could not fetch node@${major}`);
    const out = runJson(node, dir, 'main.cjs');
    expect(out.source).toMatch(/\(p - \(\/\*@hp:0\*\/ 1073741824 +\)\) >>> 0 < 1048576 && \(\/\*@hp:1\*\/ "fast" +\) === "fast"/);
    expect(out.results).toEqual([true, false]);
    expect(out.bootAfterSeal).toMatch(new RegExp(`^${RuntimeCode.bootAfterSeal}: `));
    expect(out.report.modules).toMatchObject([
      { module: 'src/free.ts', patched: 2, hook: syncHooks ? 'registerHooks' : 'require' },
      { module: 'src/free.ts', patched: 0 }, // cjs-copy/free.js, below
    ]);
    expect(out.report.notPatched).toEqual([]);
    expect(out.verifyBefore).toEqual([]);
    // a second copy of the declaring module registers after seal(): reported; its variables are its own, not the sealed ones
    expect(out.report.registeredAfterSeal).toEqual(['src/pool.ts#poolBase', 'src/pool.ts#mode']);
    expect(out.verifyAfterCopy).toEqual([]);
    // its reader, loaded after seal(), reads the copy (poolBase 0): its sites stay loads, never the sealed copy's value
    expect(out.copySource).toContain('(pool_js_1.poolBase)');
    expect(out.copyResults).toEqual([false, false, 0]); // the copy's mode is "slow"
    const copyReader = out.report.modules.find((m: { url: string }) => m.url.endsWith('/cjs-copy/free.js'));
    expect(copyReader.sites.map((s: { code: string; id: string }) => [s.code, s.id])).toEqual([
      [RuntimeCode.notRegistered, `${url('cjs-copy/pool.js')}#poolBase`],
      [RuntimeCode.notRegistered, `${url('cjs-copy/pool.js')}#mode`],
    ]);
    expect(copyReader.sites[0].reason).toContain('was registered after seal()');
  });

  it('import() of CommonJS that require() already ran counts its sites once; a second evaluation is a second load', (ctx) => {
    if (!node) return ctx.skip(`npx could not fetch node@${major}`);
    const out = runJson(node, dir, 'reimport.mjs');
    const seen = (r: { modules: { module: string; patched: number }[] }) => r.modules.map((m) => `${m.module} ${m.patched}`);
    expect(out.sameModule).toBe(true); // the import() ran nothing: it is the required module
    expect(seen(out.afterImport)).toEqual(['src/free.ts 2']);
    expect(out.afterImport).toMatchObject({ sitesPatched: 2, sitesSkipped: 0, notPatched: [] });
    // require.cache cleared: cjs/free.js runs again, is patched again, and both runs are accounted for
    expect(out.again.fresh).toBe(true);
    expect(out.again.source).toMatch(/\(p - \(\/\*@hp:0\*\/ 1073741824 +\)\)/);
    expect(out.again.result).toBe(true);
    expect(seen(out.report)).toEqual(['src/free.ts 2', 'src/free.ts 2']);
    expect(out.report).toMatchObject({ sitesPatched: 4, sitesSkipped: 0, notPatched: [] });
  });

  it('two copies of one built module: each reader loaded after seal() gets its own copy\'s value (symlinks resolved like Node)', (ctx) => {
    if (!node) return ctx.skip(`npx could not fetch node@${major}`);
    const out = runJson(node, dir, 'copies.mjs');
    const A = /\(p - \(\/\*@hp:0\*\/ 1073741824 +\)\)/;
    const B = /\(p - \(\/\*@hp:0\*\/ 2147483648 +\)\)/;
    expect(out['copy-a'].source).toMatch(A);
    expect(out['copy-b'].source).toMatch(B);
    expect(out['copy-a'].results).toEqual([true, false, false]);
    expect(out['copy-b'].results).toEqual([false, true, false]);
    // copy-s/pool.js is a symlink to copy-a/pool.js: Node loads copy-a's module, so copy-s/free.js gets copy-a's value
    expect(out['copy-s'].source).toMatch(A);
    expect(out['copy-s'].results).toEqual([true, false, false]);
    // linked/ -> copy-a/: the same module as copy-a/free.js
    expect(out.linked.results).toEqual([true, false, false]);
    expect(out.report.variables.filter((v: { variable: string }) => v.variable === 'src/pool.ts#poolBase').map((v: { url: string; value: number }) => [v.url, v.value])).toEqual([
      [url('copy-a/pool.js'), BASE],
      [url('copy-b/pool.js'), 2 * BASE],
    ]);
    expect(out.report.sitesSkipped).toBe(0);
    expect(out.report.modules.map((m: { url: string; patched: number }) => [m.url, m.patched])).toEqual([
      [url('copy-a/free.js'), 3],
      [url('copy-b/free.js'), 3],
      [url('copy-s/free.js'), 3],
    ]);
  });

  it('a reader of a copy loaded after seal() keeps its loads, never another copy\'s sealed value', (ctx) => {
    if (!node) return ctx.skip(`npx could not fetch node@${major}`);
    const out = runJson(node, dir, 'copy-late.mjs');
    expect(out['copy-a'].results).toEqual([true, false, false]);
    expect(out['copy-a'].describe).toBe('fast:-9223372036854775808');
    // copy-b was never booted: poolBase 0, mode "slow", big 0n, as the unpatched code computes
    expect(out['copy-b'].source).toContain('(poolBase)');
    expect(out['copy-b'].results).toEqual([false, false, false]);
    expect(out['copy-b'].describe).toBe('slow:0');
    const b = out.report.modules.find((m: { url: string }) => m.url === url('copy-b/free.js'));
    expect(b.patched).toBe(0);
    expect(b.sites.map((s: { code: string }) => s.code)).toEqual([RuntimeCode.notRegistered, RuntimeCode.notRegistered, RuntimeCode.notRegistered]);
  });

  it('a symlinked declaring module under --preserve-symlinks is a module of its own: its reader keeps its loads', (ctx) => {
    if (!node) return ctx.skip(`npx could not fetch node@${major}`);
    const real = runJson(node, dir, 'symlinked.mjs');
    expect(real['copy-s'].results).toEqual([true, false, false]);
    expect(real.report.modules[0].patched).toBe(3);
    const preserved = runJson(node, dir, ['--preserve-symlinks', 'symlinked.mjs']);
    // Node loads copy-s/pool.js as a second, unbooted instance: poolBase 0
    expect(preserved['copy-s'].results).toEqual([false, false, false]);
    expect(preserved['copy-s'].describe).toBe('slow:0');
    expect(preserved.report.sitesPatched).toBe(0);
  });

  it('the ES-module and the CommonJS build of one source are two variables, each patched with its own value', (ctx) => {
    if (!node) return ctx.skip(`npx could not fetch node@${major}`);
    const out = runJson(node, dir, 'esm-cjs.mjs');
    expect(out.esm.source).toMatch(/\(p - \(\/\*@hp:0\*\/ 1073741824 +\)\)/);
    expect(out.cjs.source).toMatch(/\(p - \(\/\*@hp:0\*\/ 2147483648 +\)\)/);
    expect(out.esm.results).toEqual([true, false]);
    expect(out.cjs.results).toEqual([false, true]);
    expect(out.report.sitesPatched).toBe(5);
    expect(out.report.sitesSkipped).toBe(0);
  });

  it('a preload that seals (--import, --require) patches the whole main graph', (ctx) => {
    if (!node) return ctx.skip(`npx could not fetch node@${major}`);
    const esm = runJson(node, dir, ['--import', './preload.mjs', 'app.mjs']);
    expect(esm.source).toMatch(/\(p - \(\/\*@hp:0\*\/ 1073741824 +\)\)/);
    expect(esm.result).toBe(true);
    expect(esm.report).toMatchObject({ loadedBeforeSeal: [], notPatched: [], sitesPatched: 3, sitesSkipped: 0 });
    const cjs = runJson(node, dir, ['--require', './preload.cjs', 'app.cjs']);
    expect(cjs.source).toMatch(/\(p - \(\/\*@hp:0\*\/ 1073741824 +\)\)/);
    expect(cjs.result).toBe(true);
    expect(cjs.report).toMatchObject({ loadedBeforeSeal: [], notPatched: [], sitesPatched: 2, sitesSkipped: 0 });
  });

  it('HOTPATH_REPORT=1 prints the report at exit, including what the hooks did', (ctx) => {
    if (!node) return ctx.skip(`npx could not fetch node@${major}`);
    const result = run(node, dir, 'report.mjs', { HOTPATH_REPORT: '1' });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('true\n');
    const report = result.stderr.slice(result.stderr.indexOf('hotpath boot report'));
    expect(report).toContain(`hotpath boot report: sealed; hooks: ${syncHooks ? 'module.registerHooks' : 'module.register + require hook'}\n`);
    expect(report).toContain('  src/pool.ts#poolBase = 1073741824\n');
    expect(report).toContain('  src/pool.ts#big = -9223372036854775808n\n');
    expect(report).toMatch(/modules patched after seal\(\): 1, 3 of 3 sites, \d+\.\d\d ms patching/);
    expect(report).toContain(`  src/free.ts  3/3 sites [${syncHooks ? 'registerHooks' : 'register'}]\n`);
    expect(report).toContain(`modules with sites loaded before seal(), left as loads (${RuntimeCode.loadedBeforeSeal}): 1 module\n  src/early.ts  1 site\n`);
    // without the variable set, nothing is printed
    expect(run(node, dir, 'report.mjs').stderr).not.toContain('hotpath boot report');
  });
});

describe('boot without module hooks', () => {
  it('seals, reports HP2014, and leaves every site a load', () => {
    const result = run(process.execPath, dir, 'nohooks.mjs');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('hotpath boot report: sealed; hooks: none\n');
    expect(result.stdout).toContain(`  ${RuntimeCode.noHooks} not running on Node >= 20.16 (no process.getBuiltinModule); use patchSource() in your loader\n`);
    expect(result.stdout).toContain('  src/pool.ts#poolBase = 1073741824\n');
    expect(result.stdout.trim().split('\n').pop()).toBe('true true');
  });
});

describe('one declaring module evaluated twice before seal()', () => {
  it('seals neither value when they differ (HP2003), and their sites stay loads', () => {
    const out = runJson(process.execPath, dir, 'conflict.cjs');
    const pool = (name: string) => ({ variable: `src/pool.ts#${name}`, id: `${url('cjs/pool.js')}#${name}`, url: url('cjs/pool.js') });
    expect(out.report.variables).toEqual([
      { ...pool('poolBase'), sealed: false, code: RuntimeCode.conflicting, reason: 'registered 2 times with different values (1073741824, 0)' },
      { ...pool('mode'), sealed: false, code: RuntimeCode.conflicting, reason: 'registered 2 times with different values ("fast", "slow")' },
    ]);
    expect(out.source).toContain('(pool_js_1.poolBase)');
    expect(out.result).toBe(true);
    expect(out.report.modules[0].sites.map((s: { code: string }) => s.code)).toEqual([RuntimeCode.conflicting, RuntimeCode.conflicting]);
  });
});

describe('seal() under a user Error.prepareStackTrace', () => {
  // seal() names its caller from a stack trace; user code decides what `.stack` is.
  it.each([
    ['returns the frames, not a string', '(error, frames) => frames'],
    ['throws', () => '() => { throw new Error("no stacks here"); }'],
    ['returns undefined', '() => undefined'],
  ])('seals when prepareStackTrace %s, and names "unknown location" on a second seal()', (_, prepare) => {
    const script = [
      `Error.prepareStackTrace = ${typeof prepare === 'function' ? prepare() : prepare};`,
      `const { seal } = await import(${JSON.stringify(pathToFileURL(BUILT).href)});`,
      'const report = seal();',
      'let second;',
      'try { seal(); } catch (error) { second = error.message; }',
      'console.log(JSON.stringify({ sealed: report.sealed, second }));',
    ].join('\n');
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).toBe('');
    const out = JSON.parse(result.stdout);
    expect(out.sealed).toBe(true);
    expect(out.second).toMatch(/^HP2020: seal\(\) was called a second time \(at unknown location\); values were sealed at unknown location\./);
  });

  it('still names the caller with the default stack trace', () => {
    const script = [
      `const { seal } = await import(${JSON.stringify(pathToFileURL(BUILT).href)});`,
      'seal();',
      'try { seal(); } catch (error) { console.log(error.message); }',
    ].join('\n');
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(result.stdout).toMatch(/^HP2020: seal\(\) was called a second time \(at file:\/\/\/.*\[eval1\]:3:\d+\); values were sealed at file:\/\/\/.*\[eval1\]:2:\d+\./);
  });
});
