/**
 * Issue 8, item 5: when a module hook or node:test's mock.module sends a reader's import of the
 * declaring module elsewhere, the patch must not write the sealed module's value: the reader
 * computes what it computes unpatched. In child processes on Node 20, 22, 24 and 26.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeCode } from '../../runtime/codes.js';
import { writeBootApp } from './boot-app.mjs';
import { nodeBinary } from './node-binary.js';

const BUILT = resolve(import.meta.dirname, '../../build/runtime/index.js');

let dir: string;
beforeAll(() => {
  if (!existsSync(BUILT)) throw new Error('build/runtime/index.js is missing: run `npm run build` (npm test does)');
  dir = writeBootApp();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Out {
  results: unknown[];
  patched: number;
  skipped: string[];
  stderr: string;
}

function redirect(node: string, args: string[], flags: string[] = [], reader?: string): Out {
  const env = reader === undefined ? process.env : { ...process.env, READER: reader };
  const result = spawnSync(node, [...flags, 'redirect.mjs', ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000, env });
  if (result.status !== 0) throw new Error(`redirect.mjs ${args.join(' ')} exited ${result.status}:\n${result.stderr}`);
  return { ...(JSON.parse(result.stdout.trim().split('\n').pop()!) as Omit<Out, 'stderr'>), stderr: result.stderr };
}

/** What free.js computes reading pool-alt.js (poolBase 5, mode "alt", big 1n): isPoolAddress(5), isPoolAddress(sealed base), describe(). */
const REDIRECTED = [true, false, 'alt:1'];
/** ... and reading the sealed pool.js (poolBase 1 << 30, "fast", -2^63). */
const SEALED = [false, true, 'fast:-9223372036854775808'];

const MOCKS = ['--experimental-test-module-mocks', '--no-warnings'];

describe.each([20, 22, 24, 26])('a redirected import of the declaring module, Node %i', (major) => {
  let node: string | undefined;
  beforeAll(() => {
    node = nodeBinary(major);
    if (!node) console.warn(`SKIPPED: npx could not fetch node@${major}; redirect tests for Node ${major} did not run`);
  });
  const sync = major >= 22;

  it('without a hook, the reader is patched (the check does not get in the way)', (ctx) => {
    if (!node) return ctx.skip(`npx could not fetch node@${major}`);
    const out = redirect(node, ['none', 'before']);
    expect(out.results).toEqual(SEALED);
    expect(out.patched).toBe(3);
    expect(out.skipped).toEqual([]);
  });

  it('a resolve hook before seal() that redirects nothing is asked, and the reader is patched', (ctx) => {
    if (!node) return ctx.skip(`npx could not fetch node@${major}`);
    const out = redirect(node, ['passthrough', 'before']);
    expect(out.results).toEqual(SEALED);
    expect(out.patched).toBe(3);
    expect(out.skipped).toEqual([]);
  });

  // (hook, when, flags): a user resolve hook before / after seal(), node:test's mock.module before / after seal()
  const cases: [string, 'before' | 'after', string[]][] = sync
    ? [
        ['registerHooks', 'before', []],
        ['registerHooks', 'after', []],
        ['mock', 'before', MOCKS],
        ['mock', 'after', MOCKS],
      ]
    : [
        ['register', 'before', []],
        ['register', 'after', []],
        // Node 20's mock.module registers its hook off-thread by a path module.register's wrapper does not see.
        ['mock', 'before', MOCKS],
        ['mock', 'after', MOCKS],
      ];
  it.for(cases)('%s %s seal(): the reader computes what it computes unpatched, and HP2017 says why', ([how, when, flags], ctx) => {
    if (!node) return ctx.skip(`npx could not fetch node@${major}`);
    const unsealed = redirect(node, [how, when, 'unsealed'], flags);
    expect(unsealed.results).toEqual(REDIRECTED);
    const sealed = redirect(node, [how, when], flags);
    expect(sealed.results).toEqual(unsealed.results);
    expect(sealed.patched).toBe(0);
    expect(sealed.skipped).toHaveLength(3);
    for (const line of sealed.skipped) expect(line.startsWith(`${RuntimeCode.redirected} `)).toBe(true);
    // A hook registered after seal() stops all patching: said once on stderr, not only in the report.
    const stopped = sealed.stderr.match(/^hotpath HP2017: .*registered after seal\(\)|^hotpath HP2017: .* was called after seal\(\)/gm) ?? [];
    if (when === 'after' && how !== 'mock') expect(stopped).toHaveLength(1);
    if (when === 'before') expect(stopped).toHaveLength(0);
    if (when === 'after' && how !== 'mock') expect(sealed.skipped[0]).toMatch(/was called after seal\(\) \(at file:.*redirect\.mjs:\d+:\d+\)|registered after seal\(\)/);
    if (when === 'before' && how !== 'mock') expect(sealed.skipped[0]).toContain('to file:');
    if (how === 'mock') expect(sealed.skipped[0]).toMatch(/node-test-mock|test_runner\/mock/);
  });
});

/**
 * The reader reaches pool.js through reexport.js (`export { … } from "./pool.js"`); the hook redirects
 * reexport.js's import of ./pool.js, by specifier and importing module. hotpath cannot ask about an
 * import it has no record of: with any hook inside its own, such sites stay loads (HP2017).
 */
describe.each([20, 22, 24, 26])('a read through a re-export, Node %i', (major) => {
  let node: string | undefined;
  beforeAll(() => {
    node = nodeBinary(major);
    if (!node) console.warn(`SKIPPED: npx could not fetch node@${major}; re-export redirect tests for Node ${major} did not run`);
  });
  const READER = './free-reexport.js';
  const hook = major >= 22 ? 'registerHooks' : 'register';

  it('without a hook, the reader is patched', (ctx) => {
    if (!node) return ctx.skip(`npx could not fetch node@${major}`);
    const out = redirect(node, ['none', 'before'], [], READER);
    expect(out.results).toEqual(SEALED);
    expect(out.patched).toBe(3);
    expect(out.skipped).toEqual([]);
  });

  it(`a redirecting hook before seal() (${hook}): the reader computes what it computes unpatched; each site HP2017, through another module`, (ctx) => {
    if (!node) return ctx.skip(`npx could not fetch node@${major}`);
    const unsealed = redirect(node, [hook, 'before', 'unsealed'], [], READER);
    expect(unsealed.results).toEqual(REDIRECTED);
    const sealed = redirect(node, [hook, 'before'], [], READER);
    expect(sealed.results).toEqual(REDIRECTED);
    expect(sealed.patched).toBe(0);
    expect(sealed.skipped).toHaveLength(3);
    for (const line of sealed.skipped) expect(line).toMatch(/^HP2017 .*through another module/);
  });

  it('a hook before seal() that redirects nothing: the values are right, and the sites stay loads (hotpath cannot ask)', (ctx) => {
    if (!node) return ctx.skip(`npx could not fetch node@${major}`);
    const out = redirect(node, ['passthrough', 'before'], [], READER);
    expect(out.results).toEqual(SEALED);
    expect(out.patched).toBe(0);
    for (const line of out.skipped) expect(line).toMatch(/^HP2017 .*through another module/);
  });
});

/**
 * A tool that replaces Module._resolveFilename before seal() (module-alias does): CommonJS readers'
 * require() goes through it, outside every hook chain. Before the fix, Node 22+ patched the sealed
 * pool's values into a reader whose require() the tool sent to cjs/pool-alt.js.
 */
describe.each([20, 22, 24, 26])('a replaced Module._resolveFilename, Node %i', (major) => {
  let node: string | undefined;
  beforeAll(() => {
    node = nodeBinary(major);
    if (!node) console.warn(`SKIPPED: npx could not fetch node@${major}; _resolveFilename tests for Node ${major} did not run`);
  });
  const alias = (args: string[]) => {
    const result = spawnSync(node!, ['cjs/alias.cjs', ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    if (result.status !== 0) throw new Error(`cjs/alias.cjs ${args.join(' ')} exited ${result.status}:\n${result.stderr}`);
    return JSON.parse(result.stdout.trim().split('\n').pop()!) as Omit<Out, 'stderr'>;
  };
  const SEALED_CJS = [false, true];
  const ALT_CJS = [true, false];

  it.for(['./free.js', './free-reexport.js'])('no tool: %s is patched', (reader, ctx) => {
    if (!node) return ctx.skip(`npx could not fetch node@${major}`);
    const out = alias(['none', reader]);
    expect(out.results).toEqual(SEALED_CJS);
    expect(out.skipped).toEqual([]);
    expect(out.patched).toBe(2);
  });

  it.for(['./free.js', './free-reexport.js'])('a tool that redirects the require of ./pool.js: %s computes what it computes unpatched, HP2017', (reader, ctx) => {
    if (!node) return ctx.skip(`npx could not fetch node@${major}`);
    expect(alias(['redirect', reader, 'unsealed']).results).toEqual(ALT_CJS);
    const out = alias(['redirect', reader]);
    expect(out.results).toEqual(ALT_CJS);
    expect(out.patched).toBe(0);
    expect(out.skipped).toHaveLength(2);
    for (const line of out.skipped) expect(line.startsWith(`${RuntimeCode.redirected} `)).toBe(true);
  });

  it('a tool that redirects nothing: a direct require is asked and patched; one through a re-export stays a load', (ctx) => {
    if (!node) return ctx.skip(`npx could not fetch node@${major}`);
    const direct = alias(['passthrough', './free.js']);
    expect(direct.results).toEqual(SEALED_CJS);
    expect(direct.patched).toBe(2);
    const through = alias(['passthrough', './free-reexport.js']);
    expect(through.results).toEqual(SEALED_CJS);
    expect(through.patched).toBe(0);
    for (const line of through.skipped) expect(line).toMatch(/^HP2017 .*through another module/);
  });
});

/**
 * A resolve hook registered before seal() and a CommonJS reader in another folder than the module whose
 * require() hotpath's hook saw last: Node 22's default CommonJS step resolves from that module, not from the
 * parentURL asked with, which kept both sites loads with a wrong reason (cjs/free.js "resolves to" ../pool.js).
 */
describe.each([22, 24, 26])('a resolve hook, a CommonJS reader in another folder, Node %i', (major) => {
  let node: string | undefined;
  beforeAll(() => {
    node = nodeBinary(major);
    if (!node) console.warn(`SKIPPED: npx could not fetch node@${major}; cross-folder tests for Node ${major} did not run`);
  });
  const crossDir = (how: string) => {
    const result = spawnSync(node!, ['cross-dir.cjs', how], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    if (result.status !== 0) throw new Error(`cross-dir.cjs ${how} exited ${result.status}:\n${result.stderr}`);
    return JSON.parse(result.stdout.trim().split('\n').pop()!) as Omit<Out, 'stderr'>;
  };

  it('a hook that redirects nothing: both sites patched, the sealed values read', (ctx) => {
    if (!node) return ctx.skip(`npx could not fetch node@${major}`);
    const out = crossDir('passthrough');
    expect(out.results).toEqual([false, true]);
    expect(out.skipped).toEqual([]);
    expect(out.patched).toBe(2);
  });

  it('a hook that sends the reader\'s ./pool.js to pool-alt.js: the reader computes what it does unpatched, HP2017', (ctx) => {
    if (!node) return ctx.skip(`npx could not fetch node@${major}`);
    const out = crossDir('redirect');
    expect(out.results).toEqual([true, false]);
    expect(out.patched).toBe(0);
    expect(out.skipped).toHaveLength(2);
    for (const line of out.skipped) expect(line.startsWith(`${RuntimeCode.redirected} `)).toBe(true);
  });
});
