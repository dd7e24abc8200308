/**
 * End to end from `npm pack`: fixtures/apps/packaged built by `hotpath build` beside
 * TypeScript 7 (+ @typescript/typescript6), with TypeScript 7 alone, in watch mode, in
 * build mode over project references, incremental/composite, and on TypeScript 5.9 with
 * CommonJS module settings; each output run sealed: values right, sites patched.
 * The harness (./harness.ts) installs each dependency set once; the cases run concurrently.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CELL,
  EXPECTED_VALUES,
  EXPECTED_VALUES_AFTER_EDIT,
  SITES,
  SITES_AFTER_EDIT,
  VERSIONS,
  addSite,
  baseTsconfig,
  cleanUp,
  dependencySet,
  expectBuilt,
  expectNoCrash,
  expectPatched,
  makeCase,
  nodeOrSkip,
  runBin,
  runNode,
  runSealed,
} from './harness.js';

const TIMEOUT = 420_000;
afterAll(cleanUp);

const typesNode = { '@types/node': VERSIONS.typesNode };
const cellTypescript = () => dependencySet('ts', { typescript: VERSIONS.typescript, ...typesNode });

describe.concurrent(`hotpath build from the packed tarball (TypeScript ${CELL.ts}, Node ${CELL.node})`, () => {
  it('the uncompiled program (plain tsc, the marker is the identity) computes EXPECTED_VALUES, before and after the edit', { timeout: TIMEOUT }, async (ctx) => {
    const node = await nodeOrSkip(ctx);
    const set = await cellTypescript();
    const dir = makeCase(set, 'uncompiled', { type: 'module' });
    for (const [edit, values] of [[false, EXPECTED_VALUES], [true, EXPECTED_VALUES_AFTER_EDIT]] as const) {
      if (edit) addSite(dir);
      expectBuilt(await runBin(set, 'tsc', ['-p', '.'], { cwd: dir, node }), 'tsc');
      const { output } = await runSealed(node, dir, 'dist/main.js');
      expect(output.values).toEqual(values);
      expect(Object.values(output.sources).join('\n')).not.toContain('/*@hp:');
    }
  });

  it(`TypeScript ${VERSIONS.typescript7} + @typescript/typescript6 ${VERSIONS.typescript6}: installs, hotpath build uses typescript6, output runs patched`, { timeout: TIMEOUT }, async (ctx) => {
    const node = await nodeOrSkip(ctx);
    const set = await dependencySet('ts7-ts6', { typescript: VERSIONS.typescript7, '@typescript/typescript6': VERSIONS.typescript6, ...typesNode });
    const dir = makeCase(set, 'ts7-ts6', { type: 'module' });
    expectBuilt(await runBin(set, 'hotpath', ['build'], { cwd: dir, node }), 'hotpath build');
    expectPatched(await runSealed(node, dir, 'dist/main.js'), SITES, EXPECTED_VALUES);
    // The project's own `typescript` is still 7 (its .bin/tsc is not: @typescript/typescript6's
    // dependency typescript@6 as @typescript/old links its tsc there too).
    const version = await runNode(node, ['-p', "require('typescript').version"], { cwd: dir });
    expect(version.stdout.trim()).toBe(VERSIONS.typescript7);
  });

  it(`TypeScript ${VERSIONS.typescript7} alone: installs; hotpath build exits non-zero with one HP1012 message naming @typescript/typescript6`, { timeout: TIMEOUT }, async (ctx) => {
    const node = await nodeOrSkip(ctx);
    const set = await dependencySet('ts7', { typescript: VERSIONS.typescript7, ...typesNode });
    const dir = makeCase(set, 'ts7', { type: 'module' });
    const result = await runBin(set, 'hotpath', ['build'], { cwd: dir, node });
    expectNoCrash(result);
    expect(result.code).not.toBe(0);
    const text = result.stdout + result.stderr;
    expect(text).toContain('HP1012');
    expect(text.match(/HP1012/g)).toHaveLength(1);
    expect(text).toContain('@typescript/typescript6');
    expect(existsSync(join(dir, 'dist'))).toBe(false);
    // --help and --version need no TypeScript.
    for (const args of [['build', '--help'], ['--version']]) {
      const info = await runBin(set, 'hotpath', args, { cwd: dir, node });
      expectBuilt(info, `hotpath ${args.join(' ')}`);
    }
  });

  /** `hotpath build <args>` kept running; `compilations(n)` waits for the n-th "Watching for file changes.". */
  const startWatch = (node: string, set: string, dir: string, args: string[]) => {
    const child = spawn(node, [realpathSync(join(set, 'node_modules/.bin/hotpath')), 'build', ...args, '--preserveWatchOutput'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const what = `hotpath build ${args.join(' ')}`;
    return {
      log: () => log,
      async compilations(count: number) {
        const deadline = Date.now() + 120_000;
        while ((log.match(/Watching for file changes/g) ?? []).length < count) {
          if (child.exitCode !== null) throw new Error(`${what} exited ${child.exitCode}:\n${log}`);
          if (Date.now() > deadline) throw new Error(`${what}: no compilation ${count} within 120 s:\n${log}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        expectNoCrash({ code: 0, stdout: log, stderr: '' });
        expect(log.trimEnd().split('\n').pop(), log).toMatch(/Found 0 errors\. Watching for file changes\./);
      },
      async stop() {
        child.kill();
        await exited;
      },
    };
  };

  it('hotpath build --watch: builds, an edit adding a site is rebuilt with the pass, both runs sealed and patched', { timeout: TIMEOUT }, async (ctx) => {
    const node = await nodeOrSkip(ctx);
    const set = await cellTypescript();
    const dir = makeCase(set, 'watch', { type: 'module' });
    const watch = startWatch(node, set, dir, ['--watch']);
    try {
      await watch.compilations(1);
      expectPatched(await runSealed(node, dir, 'dist/main.js'), SITES, EXPECTED_VALUES);
      addSite(dir);
      await watch.compilations(2);
      expect(readFileSync(join(dir, 'dist/reader.js'), 'utf8')).toContain('limitDigits');
      expectPatched(await runSealed(node, dir, 'dist/main.js'), SITES_AFTER_EDIT, EXPECTED_VALUES_AFTER_EDIT);
    } finally {
      await watch.stop();
    }
  });

  /** packages/config declares the variables (composite), packages/app reads them; both emit under dist/. */
  const referencedProjects = (set: string, name: string) => {
    const app = { extends: '../../tsconfig.base.json', compilerOptions: { rootDir: '.', outDir: '../../dist/app' }, include: ['src'], references: [{ path: '../config' }] };
    const config = { extends: '../../tsconfig.base.json', compilerOptions: { composite: true, rootDir: '.', outDir: '../../dist/config' }, include: ['src'] };
    const base = baseTsconfig('nodenext') as { compilerOptions: Record<string, unknown> };
    const { rootDir: _r, outDir: _o, ...baseOptions } = base.compilerOptions;
    const dir = makeCase(set, name, {
      type: 'module',
      tsconfig: { files: [], references: [{ path: 'packages/config' }, { path: 'packages/app' }] },
      files: {
        'tsconfig.base.json': JSON.stringify({ compilerOptions: baseOptions }, null, 2),
        'packages/config/tsconfig.json': JSON.stringify(config, null, 2),
        'packages/app/tsconfig.json': JSON.stringify(app, null, 2),
      },
    });
    // Move the fixture's sources into the two projects; the reader imports the config project's source path.
    const read = (f: string) => readFileSync(join(dir, 'src', f), 'utf8');
    mkdirSync(join(dir, 'packages/config/src'), { recursive: true });
    mkdirSync(join(dir, 'packages/app/src'), { recursive: true });
    writeFileSync(join(dir, 'packages/config/src/config.ts'), read('config.ts'));
    for (const f of ['reader.ts', 'main.ts']) {
      writeFileSync(join(dir, 'packages/app/src', f), read(f).replaceAll("'./config.js'", "'../../config/src/config.js'"));
    }
    rmSync(join(dir, 'src'), { recursive: true });
    return dir;
  };

  it('hotpath build -b over two referenced projects (variable declared in one, read in the other): exit 0, output runs patched', { timeout: TIMEOUT }, async (ctx) => {
    const node = await nodeOrSkip(ctx);
    const set = await cellTypescript();
    const dir = referencedProjects(set, 'build-mode');
    expectBuilt(await runBin(set, 'hotpath', ['build', '-b'], { cwd: dir, node }), 'hotpath build -b');
    expectPatched(await runSealed(node, dir, 'dist/app/src/main.js'), SITES, EXPECTED_VALUES);
    // Up to date: a second -b builds nothing and exits 0; --verbose says so as tsc -b does.
    const again = await runBin(set, 'hotpath', ['build', '-b', '--verbose'], { cwd: dir, node });
    expectBuilt(again, 'hotpath build -b --verbose');
    expect(again.stdout).toMatch(/is up to date/);
  });

  it('hotpath build -b --dry, --force, --clean print and do what tsc -b does', { timeout: TIMEOUT }, async (ctx) => {
    const node = await nodeOrSkip(ctx);
    const set = await cellTypescript();
    const ours = referencedProjects(set, 'build-flags-hotpath');
    const theirs = referencedProjects(set, 'build-flags-tsc');
    const both = async (args: string[]) => {
      const [h, t] = [await runBin(set, 'hotpath', ['build', ...args], { cwd: ours, node }), await runBin(set, 'tsc', args, { cwd: theirs, node })];
      const normal = (text: string, dir: string) => text.replaceAll(dir, '<dir>').replace(/\d\d?:\d\d:\d\d( [AP]M)?/g, '<time>');
      expectNoCrash(h);
      expect({ code: h.code, stdout: normal(h.stdout, ours), stderr: normal(h.stderr, ours) }, `hotpath build ${args.join(' ')}`).toEqual({
        code: t.code,
        stdout: normal(t.stdout, theirs),
        stderr: normal(t.stderr, theirs),
      });
    };
    await both(['-b', '--dry']);
    expect(existsSync(join(ours, 'dist'))).toBe(false);
    await both(['-b', '--verbose']);
    await both(['-b', '--verbose', '--force']);
    expectPatched(await runSealed(node, ours, 'dist/app/src/main.js'), SITES, EXPECTED_VALUES);
    await both(['-b', '--clean']);
    expect(existsSync(join(ours, 'dist/app/src/main.js'))).toBe(false);
  });

  it('hotpath build -b --watch: an edit in the reading project adds a site reading a variable of the referenced one; rebuilt, run patched', { timeout: TIMEOUT }, async (ctx) => {
    const node = await nodeOrSkip(ctx);
    const set = await cellTypescript();
    const dir = referencedProjects(set, 'build-mode-watch');
    const watch = startWatch(node, set, dir, ['-b', '--watch']);
    try {
      await watch.compilations(1);
      expectPatched(await runSealed(node, dir, 'dist/app/src/main.js'), SITES, EXPECTED_VALUES);
      addSite(join(dir, 'packages/app'), '../../config/src/config.js');
      await watch.compilations(2);
      expect(readFileSync(join(dir, 'dist/app/src/reader.js'), 'utf8')).toContain('limitDigits');
      expectPatched(await runSealed(node, dir, 'dist/app/src/main.js'), SITES_AFTER_EDIT, EXPECTED_VALUES_AFTER_EDIT);
    } finally {
      await watch.stop();
    }
  });

  it.for(['incremental', 'composite'] as const)(
    '"%s": true: build, edit the reader to add a site reading a variable no site read before, rebuild: all patched, no HP2001',
    { timeout: TIMEOUT },
    async (option, ctx) => {
      const node = await nodeOrSkip(ctx);
      const set = await cellTypescript();
      const dir = makeCase(set, option, { type: 'module', tsconfig: baseTsconfig('nodenext', { [option]: true }) });
      expectBuilt(await runBin(set, 'hotpath', ['build'], { cwd: dir, node }), 'hotpath build');
      expectPatched(await runSealed(node, dir, 'dist/main.js'), SITES, EXPECTED_VALUES);
      addSite(dir);
      expectBuilt(await runBin(set, 'hotpath', ['build'], { cwd: dir, node }), 'hotpath build (after the edit)');
      expectPatched(await runSealed(node, dir, 'dist/main.js'), SITES_AFTER_EDIT, EXPECTED_VALUES_AFTER_EDIT);
    },
  );

  it.for(['commonjs', 'node16', 'nodenext'] as const)(
    `TypeScript ${VERSIONS.typescript59}, "module": "%s", a "type": "commonjs" package: hotpath build type-checks against hotpath, output runs patched`,
    { timeout: TIMEOUT },
    async (module, ctx) => {
      const node = await nodeOrSkip(ctx);
      const set = await dependencySet('ts59', { typescript: VERSIONS.typescript59, ...typesNode });
      const dir = makeCase(set, `ts59-${module}`, { type: 'commonjs', tsconfig: baseTsconfig(module) });
      expectBuilt(await runBin(set, 'hotpath', ['build'], { cwd: dir, node }), 'hotpath build');
      expectPatched(await runSealed(node, dir, 'dist/main.js'), SITES, EXPECTED_VALUES);
    },
  );

  it(`a CommonJS entry (.cts) seals, ES modules (.mts) declare and read: one registry, output runs patched`, { timeout: TIMEOUT }, async (ctx) => {
    const node = await nodeOrSkip(ctx);
    const set = await cellTypescript();
    const dir = makeCase(set, 'mixed-formats', { type: 'commonjs', tsconfig: baseTsconfig('nodenext') });
    const src = (f: string) => join(dir, 'src', f);
    const esm = (text: string) => text.replaceAll("'./config.js'", "'./config.mjs'").replaceAll("'./reader.js'", "'./reader.mjs'");
    for (const [from, to] of [['config.ts', 'config.mts'], ['reader.ts', 'reader.mts'], ['main.ts', 'main.cts']] as const) {
      writeFileSync(src(to), esm(readFileSync(src(from), 'utf8')));
      rmSync(src(from));
    }
    expectBuilt(await runBin(set, 'hotpath', ['build'], { cwd: dir, node }), 'hotpath build');
    expectPatched(await runSealed(node, dir, 'dist/main.cjs'), SITES, EXPECTED_VALUES, 'src/reader.mts');
  });
});
