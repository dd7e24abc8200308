/**
 * `hotpath build` in tsc's other modes, as child processes of the built CLI next to
 * `tsc`: incremental/composite single projects, `--watch`, and `-b` over two projects
 * with references (fixtures/apps/refs), flags and output compared with tsc's; then the
 * output run sealed on Node (HOTPATH_REPORT-style boot report printed by the fixture):
 * values right, sites patched, never an unregistered site after an incremental rebuild.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, REPO, TSC, run } from '../e2e/harness.js';

const root = mkdtempSync(join(tmpdir(), 'hotpath-build-modes-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ENV = { NO_COLOR: '1' };
const hotpath = (args: string[], cwd: string) => run(process.execPath, [CLI, 'build', ...args], { cwd, env: ENV });
const tsc = (args: string[], cwd: string) => run(process.execPath, [TSC, ...args], { cwd, env: ENV });

/** tsc's status lines start with the local time; the two builds run in different directories. */
const normal = (text: string, dir: string) => text.replace(/\d{1,2}:\d{2}:\d{2}(?: [AP]M)? - /g, 'TIME - ').split(dir).join('<dir>');

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !join(e.parentPath, e.name).includes('node_modules'))
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

interface Sealed {
  values: boolean[];
  source: string;
  report: { variables: Array<{ variable: string; sealed: boolean }>; modules: Array<{ module: string; sites: Array<{ var: string; patched: boolean; code?: string; literal?: string }> }> };
}

/** Runs the built entry point: seal() then import() of the module with sites. */
/** `markerCalls`: the modules where an invalid site was left a call, which the runtime names once each (HP2018). */
async function runSealed(entry: string, cwd: string, markerCalls: readonly string[] = []): Promise<Sealed> {
  const result = await run(process.execPath, [entry], { cwd });
  const named = [...result.stderr.matchAll(/^hotpath HP2018: STATIC_VARIABLE_LOAD ran after seal\(\) in (\S+):/gm)].map((m) => m[1]!);
  expect(named.map((url) => url.slice(url.lastIndexOf('/') + 1))).toEqual(markerCalls);
  expect(result.stderr.replace(/^hotpath HP2018: .*\n/gm, '')).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Sealed;
}

const sitesOf = (out: Sealed) => out.report.modules.flatMap((m) => m.sites.map((s) => ({ var: s.var, patched: s.patched, code: s.code, literal: s.literal })));

/** fixtures/apps/refs in `dir`: package.json files, node_modules/hotpath → this repository, the workspace link @demo/lib. */
function refsProject(dir: string): string {
  cpSync(join(REPO, 'fixtures/apps/refs'), dir, { recursive: true, filter: (src) => !/[\\/](dist|node_modules)$/.test(src) && !src.endsWith('.tsbuildinfo') });
  writeFileSync(join(dir, 'package.json'), '{"private":true,"type":"module"}\n');
  writeFileSync(join(dir, 'app/package.json'), '{"name":"@demo/app","private":true,"type":"module"}\n');
  writeFileSync(join(dir, 'lib/package.json'), '{"name":"@demo/lib","private":true,"type":"module","exports":{"./*":{"types":"./dist/*.d.ts","default":"./dist/*.js"}}}\n');
  mkdirSync(join(dir, 'node_modules/@demo'), { recursive: true });
  symlinkSync(REPO, join(dir, 'node_modules/hotpath'), 'dir');
  symlinkSync('../../lib', join(dir, 'node_modules/@demo/lib'), 'dir');
  // Fixed modification times, one second apart: tsc -b -v names the newest input, which must not depend on copying order.
  files(dir).forEach((file, i) => utimesSync(join(dir, file), 1_700_000_000 + i, 1_700_000_000 + i));
  return dir;
}

/** One project: lib's pool.ts and app's free.ts/main.ts side by side, `extra` compiler options. */
function singleProject(dir: string, extra: object): string {
  refsProject(dir);
  mkdirSync(join(dir, 'one/src'), { recursive: true });
  writeFileSync(join(dir, 'one/package.json'), '{"type":"module"}\n');
  const config = JSON.parse(readFileSync(join(dir, 'lib/tsconfig.json'), 'utf8')) as { compilerOptions: object };
  writeFileSync(join(dir, 'one/tsconfig.json'), JSON.stringify({ ...config, compilerOptions: { ...config.compilerOptions, composite: false, ...extra } }));
  cpSync(join(dir, 'lib/src/pool.ts'), join(dir, 'one/src/pool.ts'));
  for (const f of ['free.ts', 'main.ts']) writeFileSync(join(dir, 'one/src', f), readFileSync(join(dir, 'app/src', f), 'utf8').replace("'@demo/lib/pool'", "'./pool.js'"));
  return join(dir, 'one');
}

/** A second site in free.ts, reading poolShift (which pool.ts, not edited, must now register). */
const addShiftSite = (freeTs: string) =>
  writeFileSync(
    freeTs,
    readFileSync(freeTs, 'utf8')
      .replace('{ poolBase }', '{ poolBase, poolShift }')
      .replace('>>> 0 < 4096', '>>> STATIC_VARIABLE_LOAD(poolShift) < 4096'),
  );
/** What isPoolAddress computes for the fixture's addresses after addShiftSite (base 1 MiB, shift 4). */
const SHIFTED = [false, true, true];
const emitted = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('TSFILE: ')).map((l) => l.slice(8).replace(/^.*[\\/](?=[^\\/]+$)/, '')).sort();

describe('incremental and composite single projects', () => {
  it.concurrent.each([{ incremental: true }, { composite: true }])('%o: builds like tsc, writes the build info, re-emits what tsc re-emits plus the declaring module a new site needs (composite: then a variable made invalid, the last marker removed)', async (extra) => {
    const [hp, ts] = [singleProject(join(root, `inc-hp-${Object.keys(extra)[0]}`), extra), singleProject(join(root, `inc-tsc-${Object.keys(extra)[0]}`), extra)];
    const first = await Promise.all([hotpath(['--listEmittedFiles'], hp), tsc(['--listEmittedFiles'], ts)]);
    expect(first[0].code).toBe(0);
    expect(first[1].code).toBe(0);
    expect(emitted(first[0].stdout)).toEqual(emitted(first[1].stdout));
    expect(existsSync(join(hp, 'tsconfig.tsbuildinfo'))).toBe(true);
    expect(sitesOf(await runSealed('dist/main.js', hp))).toEqual([{ var: 'src/pool.ts#poolBase', patched: true, code: undefined, literal: '1048576' }]);

    // Nothing changed: nothing emitted, by either.
    const again = await Promise.all([hotpath(['--listEmittedFiles'], hp), tsc(['--listEmittedFiles'], ts)]);
    expect([again[0].code, emitted(again[0].stdout)]).toEqual([0, []]);
    expect([again[1].code, emitted(again[1].stdout)]).toEqual([0, []]);

    // A new site reading a variable of pool.ts, which is not edited: tsc re-emits free.js
    // (and what depends on it); hotpath also pool.js, for the registration.
    addShiftSite(join(hp, 'src/free.ts'));
    addShiftSite(join(ts, 'src/free.ts'));
    const next = await Promise.all([hotpath(['--listEmittedFiles'], hp), tsc(['--listEmittedFiles'], ts)]);
    expect(next[0].code).toBe(0);
    expect(emitted(next[1].stdout)).not.toContain('pool.js');
    expect(emitted(next[0].stdout)).toEqual([...emitted(next[1].stdout), 'pool.js'].sort());
    const out = await runSealed('dist/main.js', hp);
    expect(out.values).toEqual(SHIFTED);
    expect(sitesOf(out)).toEqual([
      { var: 'src/pool.ts#poolBase', patched: true, code: undefined, literal: '1048576' },
      { var: 'src/pool.ts#poolShift', patched: true, code: undefined, literal: '4' },
    ]);

    if (!('composite' in extra)) return; // the rest once, in the composite project

    // The variable made invalid in pool.ts (a write outside @boot, HP1007): free.js, not
    // re-emitted by tsc's builder, loses that slot; the value stays right.
    appendFileSync(join(hp, 'src/pool.ts'), 'export function bump(): void {\n  poolShift++;\n}\n');
    const invalid = await hotpath([], hp);
    expect(invalid.stdout).toMatch(/^src\/free\.ts\(\d+,\d+\): error HP1007: /m);
    expect(invalid.code).toBe(2);
    const after = await runSealed('dist/main.js', hp, ['free.js']);
    expect(after.values).toEqual(SHIFTED);
    expect(after.source).toContain('STATIC_VARIABLE_LOAD(poolShift)');
    expect(sitesOf(after)).toEqual([{ var: 'src/pool.ts#poolBase', patched: true, code: undefined, literal: '1048576' }]);

    // The last marker removed: pool.ts, not edited, loses its guard and registration, as tsc would emit it.
    writeFileSync(join(hp, 'src/free.ts'), "import { poolBase } from './pool.js';\nexport const isPoolAddress = (p: number): boolean => (p - poolBase) >>> 0 < 4096;\n");
    const plain = await hotpath(['--listEmittedFiles'], hp);
    expect(plain.code).toBe(0);
    expect(emitted(plain.stdout)).toContain('pool.js');
    expect(readFileSync(join(hp, 'dist/pool.js'), 'utf8')).not.toContain('__hotpath');
  });
});

const watch = (args: string[], cwd: string) => watchProcess(CLI, ['build', ...args], cwd);

/** A child process whose output is collected; `until(n, re)` waits for the n-th match. */
function watchProcess(script: string, args: string[], cwd: string) {
  const child = spawn(process.execPath, [script, ...args], { cwd, env: { ...process.env, ...ENV } });
  let output = '';
  const waiting: Array<() => void> = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const w of waiting.splice(0)) w();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const until = (count: number, pattern: RegExp, ms = 60_000) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${count}× ${pattern}; output:\n${output}`)), ms);
      const check = () => {
        if ((output.match(new RegExp(pattern, 'g')) ?? []).length >= count) {
          clearTimeout(timer);
          resolve(output);
        } else waiting.push(check);
      };
      check();
    });
  return { until, stop: () => child.kill(), output: () => output };
}

describe('--watch', () => {
  it.concurrent('a program without the marker: the same watch output as tsc --watch, first build and rebuild', async () => {
    const project = (d: string) => {
      const dir = singleProject(d, { listEmittedFiles: true });
      writeFileSync(join(dir, 'src/free.ts'), 'export const isPoolAddress = (p: number): boolean => p >>> 0 < 4096;\n');
      return dir;
    };
    const [hp, ts] = [project(join(root, 'watch-plain-hp')), project(join(root, 'watch-plain-tsc'))];
    const watchers = [watch(['--watch'], hp), watchProcess(TSC, ['--watch'], ts)] as const;
    const both = (n: number) => Promise.all([watchers[0].until(n, /Watching for file changes\./), watchers[1].until(n, /Watching for file changes\./)]);
    try {
      const first = await both(1);
      expect(normal(first[0], hp)).toBe(normal(first[1], ts));
      for (const dir of [hp, ts]) appendFileSync(join(dir, 'src/free.ts'), 'export const wrong: string = 1;\n');
      const second = await both(2);
      expect(normal(second[0], hp)).toBe(normal(second[1], ts));
      expect(second[0]).toMatch(/error TS2322: /);
    } finally {
      for (const w of watchers) w.stop();
    }
  });

  it.concurrent('-w: tsc status lines; an edit adding a site is rebuilt with the pass, the declaring module registering it', async () => {
    const dir = singleProject(join(root, 'watch'), {});
    const watcher = watch(['-w'], dir);
    try {
      const first = await watcher.until(1, /Found 0 errors\. Watching for file changes\./);
      expect(first).toMatch(/Starting compilation in watch mode\.\.\./);
      expect(sitesOf(await runSealed('dist/main.js', dir))).toHaveLength(1);
      addShiftSite(join(dir, 'src/free.ts'));
      const second = await watcher.until(2, /Found 0 errors\. Watching for file changes\./);
      expect(second).toMatch(/File change detected\. Starting incremental compilation\.\.\./);
      const out = await runSealed('dist/main.js', dir);
      expect(out.values).toEqual(SHIFTED);
      expect(sitesOf(out).map((s) => [s.var, s.patched])).toEqual([
        ['src/pool.ts#poolBase', true],
        ['src/pool.ts#poolShift', true],
      ]);
      // An HP error is reported in watch mode like a type error, and counted.
      appendFileSync(join(dir, 'src/pool.ts'), 'export function bump(): void {\n  poolShift++;\n}\n');
      const third = await watcher.until(1, /Found 1 error\. Watching for file changes\./);
      expect(third).toMatch(/src\/free\.ts\(\d+,\d+\): error HP1007: /);
    } finally {
      watcher.stop();
    }
  });
});

describe('-b over two projects with references (fixtures/apps/refs)', () => {
  it.concurrent('same status lines, exit codes and files as tsc -b for -v, a second run, --dry, --force, --clean', async () => {
    const [hp, ts] = [refsProject(join(root, 'b-hp')), refsProject(join(root, 'b-tsc'))];
    const both = async (args: string[]) => {
      const [h, t] = await Promise.all([hotpath(args, hp), tsc(args, ts)]);
      expect({ args, code: h.code, stdout: normal(h.stdout, hp) }).toEqual({ args, code: t.code, stdout: normal(t.stdout, ts) });
      expect(files(hp)).toEqual(files(ts));
      return h;
    };
    const built = await both(['-b', '-v']);
    expect(built.stdout).toContain("Building project '");
    await both(['--build', '--verbose']); // up to date
    appendFileSync(join(hp, 'lib/src/pool.ts'), '// edited\n');
    appendFileSync(join(ts, 'lib/src/pool.ts'), '// edited\n');
    await both(['-b', '--dry']);
    await both(['-b', '-v', '--force']);
    await both(['-b', '--clean']);
    expect(files(hp).filter((f) => f.includes('dist'))).toEqual([]);
    await both(['-b', 'app', '--dry']); // a project and its references
    await both(['-b', '--nope']);
  });

  it.concurrent('a variable of lib read in app is patched; still after lib alone is rebuilt; an HP error fails -b like a type error, every run', async () => {
    const dir = refsProject(join(root, 'b-run'));
    const build = await hotpath(['-b'], dir);
    expect(build).toMatchObject({ code: 0, stdout: '' });
    const out = await runSealed('app/dist/main.js', dir);
    expect(out.values).toEqual([false, true, false]);
    expect(out.source).toMatch(/\(\/\*@hp:0\*\/ 1048576 +\)/);
    expect(sitesOf(out)).toEqual([{ var: '../lib/src/pool.ts#poolBase', patched: true, code: undefined, literal: '1048576' }]);
    expect(out.report.variables.map((v) => [v.variable, v.sealed])).toEqual([['src/pool.ts#poolBase', true]]);

    // lib rebuilt on its own (its declarations unchanged, so app is not rebuilt by tsc -b): the registration stays.
    appendFileSync(join(dir, 'lib/src/pool.ts'), '// edited\n');
    expect(await hotpath(['-b'], dir)).toMatchObject({ code: 0, stdout: '' });
    expect(sitesOf(await runSealed('app/dist/main.js', dir))[0]).toMatchObject({ patched: true, literal: '1048576' });

    // A new site in app reading poolShift, which lib does not read: lib's output registers it.
    addShiftSite(join(dir, 'app/src/free.ts'));
    expect(await hotpath(['-b'], dir)).toMatchObject({ code: 0, stdout: '' });
    const shifted = await runSealed('app/dist/main.js', dir);
    expect(shifted.values).toEqual(SHIFTED);
    expect(sitesOf(shifted).map((s) => [s.var, s.patched])).toEqual([
      ['../lib/src/pool.ts#poolBase', true],
      ['../lib/src/pool.ts#poolShift', true],
    ]);

    // poolShift written outside @boot in lib: HP1007 in app, exit code as tsc -b gives for a type error in app.
    appendFileSync(join(dir, 'lib/src/pool.ts'), 'export function bump(): void {\n  poolShift++;\n}\n');
    const failed = await hotpath(['-b'], dir);
    expect(failed.stdout).toMatch(/^app\/src\/free\.ts\(\d+,\d+\): error HP1007: /m);
    const typeError = refsProject(join(root, 'b-type-error'));
    appendFileSync(join(typeError, 'app/src/free.ts'), 'export const wrong: string = 1;\n');
    const tscFailed = await tsc(['-b'], typeError);
    expect(tscFailed.code).not.toBe(0);
    expect(failed.code).toBe(tscFailed.code);
    // Not taken for up to date: reported again, with tsc's exit code for a second run with errors.
    const again = await hotpath(['-b'], dir);
    expect(again.stdout).toMatch(/error HP1007: /);
    const tscAgain = await tsc(['-b'], typeError);
    expect(tscAgain.stdout).toMatch(/error TS2322: /);
    expect(again.code).toBe(tscAgain.code);
    const after = await runSealed('app/dist/main.js', dir, ['free.js']);
    expect(after.values).toEqual(SHIFTED);
    expect(sitesOf(after).map((s) => [s.var, s.patched])).toEqual([['../lib/src/pool.ts#poolBase', true]]);
  });

  it.concurrent('-p app after tsc -b lib: the site in app is patched, lib registers the variable', async () => {
    const dir = refsProject(join(root, 'p-app'));
    expect(await tsc(['-b', 'lib'], dir)).toMatchObject({ code: 0, stdout: '' });
    expect(readFileSync(join(dir, 'lib/dist/pool.js'), 'utf8')).not.toContain('registerStaticVariable');
    expect(await hotpath(['-p', 'app'], dir)).toMatchObject({ code: 0, stdout: '' });
    const out = await runSealed('app/dist/main.js', dir);
    expect(out.values).toEqual([false, true, false]);
    expect(sitesOf(out)).toEqual([{ var: '../lib/src/pool.ts#poolBase', patched: true, code: undefined, literal: '1048576' }]);
  });

  it.concurrent('-b --watch: rebuilds app on an edit, with the pass and the registration in lib', async () => {
    const dir = refsProject(join(root, 'b-watch'));
    const watcher = watch(['-b', '-w'], dir);
    try {
      await watcher.until(1, /Found 0 errors\. Watching for file changes\./);
      expect(sitesOf(await runSealed('app/dist/main.js', dir))[0]).toMatchObject({ patched: true });
      addShiftSite(join(dir, 'app/src/free.ts'));
      await watcher.until(2, /Found 0 errors\. Watching for file changes\./);
      const out = await runSealed('app/dist/main.js', dir);
      expect(out.values).toEqual(SHIFTED);
      expect(sitesOf(out).every((s) => s.patched)).toBe(true);
      expect(sitesOf(out)).toHaveLength(2);
    } finally {
      watcher.stop();
    }
  });
});
