/**
 * The ts-jest entry: `astTransformers: { before: ['hotpath/compiler'] }` and the
 * `{ path, options }` form, with real jest 30 + ts-jest 29 (cached npm install). Each
 * jest test checks that the pass ran in the code jest executes (the compiled function
 * holds the slot). In CommonJS mode the runtime is mapped to a recording CommonJS module
 * (the registration reached it): loading hotpath's ES-module runtime from Jest's CommonJS
 * mode is another part of the work (docs/integrations/commonjs.md). ES-module mode loads
 * the real runtime. `npm run build` first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badSource, consumerProject, npmInstall, poolSource, run, snippet } from './installs.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-ts-jest-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

let installDir: string;
beforeAll(() => {
  installDir = npmInstall({ typescript: '6.0.3', jest: '30.5.2', 'ts-jest': '29.4.15' });
}, 300_000);

const recorder = `const registered = (globalThis.__hotpathRegistered ??= []);
exports.registerStaticVariable = (key, read, location) => registered.push([key, read(), typeof location]);
exports.noteSiteModule = (module, n) => registered.push(['sites', module, n]);
exports.assertBootPhase = () => {};
exports.STATIC_VARIABLE_LOAD = (x) => x;
`;

const poolTest = `import { expect, test } from '@jest/globals';
import { initPool, isPool } from './pool';
test('the pass ran in the code jest runs', () => {
  initPool(4096);
  expect([isPool(4100), isPool(5)]).toEqual([true, false]);
  expect(isPool.toString()).toMatch(/\\/\\*@hp:0\\*\\/ \\(exports\\.poolBase\\) \\/\\*@hp:0 +\\*\\//);
  expect((globalThis as any).__hotpathRegistered).toEqual([['sites', 'src/pool.ts', 1], ['src/pool.ts#poolBase', 0, 'string']]);
});
`;

const plainTest = `import { expect, test } from '@jest/globals';
import { initPool, isPool } from './pool';
test('without the pass, the marker is a plain call that reads the variable', () => {
  initPool(4096);
  expect([isPool(4100), isPool(5)]).toEqual([true, false]);
  expect(isPool.toString()).toContain('STATIC_VARIABLE_LOAD)(exports.poolBase)');
  expect((globalThis as any).__hotpathRegistered).toEqual([]);
});
`;

function jestProject(name: string, transformer: unknown, tsconfigExtra: object, test: string) {
  const tsconfig = {
    compilerOptions: {
      target: 'es2022', module: 'commonjs', moduleResolution: 'node10', strict: true, types: [], ignoreDeprecations: '6.0',
      paths: { hotpath: ['./node_modules/hotpath/build/runtime/index.d.ts'] }, ...tsconfigExtra,
    },
    include: ['src'],
  };
  // docs/integrations/ts-jest.md's config, with this test's transformer entry and the recording runtime.
  const documented = JSON.parse(snippet('ts-jest.md', 'jest.config.json')) as { transform: Record<string, [string, { astTransformers: { before: unknown[] } }]> };
  const [pattern, [preset, presetOptions]] = Object.entries(documented.transform)[0]!;
  expect(presetOptions.astTransformers.before).toEqual(['hotpath/compiler']);
  const jestConfig = {
    ...documented,
    testEnvironment: 'node',
    roots: ['<rootDir>/src'],
    moduleNameMapper: { '^hotpath$': '<rootDir>/recorder.cjs' },
    transform: { [pattern]: [preset, { ...presetOptions, astTransformers: { before: [transformer] } }] },
  };
  return consumerProject(work, name, {
    'package.json': '{}',
    'tsconfig.json': JSON.stringify(tsconfig),
    'jest.config.json': JSON.stringify(jestConfig),
    'recorder.cjs': recorder,
    'src/pool.ts': poolSource,
    'src/pool.test.ts': test,
    'src/bad.ts': badSource,
  }, installDir, true);
}

/** ES-module mode, as docs/integrations/ts-jest.md says; the output imports hotpath's real runtime. */
function jestEsmProject(name: string) {
  const documented = JSON.parse(snippet('ts-jest.md', 'jest.config.json')) as { transform: Record<string, [string, object]> };
  const [pattern, [preset, presetOptions]] = Object.entries(documented.transform)[0]!;
  const jestConfig = { ...documented, testEnvironment: 'node', roots: ['<rootDir>/src'], extensionsToTreatAsEsm: ['.ts'], transform: { [pattern]: [preset, { ...presetOptions, useESM: true }] } };
  const test = `import { expect, test } from '@jest/globals';
import { initPool, isPool } from './pool';
test('the pass ran in the ES module jest runs', () => {
  initPool(4096);
  expect([isPool(4100), isPool(5)]).toEqual([true, false]);
  expect(isPool.toString()).toMatch(/\\/\\*@hp:0\\*\\/ \\(poolBase\\) \\/\\*@hp:0 +\\*\\//);
});
`;
  return consumerProject(work, name, {
    'package.json': '{"type":"module"}',
    'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'es2022', module: 'esnext', moduleResolution: 'bundler', strict: true, types: [] }, include: ['src'] }),
    'jest.config.json': JSON.stringify(jestConfig),
    'src/pool.ts': poolSource,
    'src/pool.test.ts': test,
  }, installDir, true);
}

const jest = (dir: string) => run(process.execPath, [path.join(dir, 'node_modules/jest/bin/jest.js'), '--config', 'jest.config.json', '--no-cache', '--ci'], dir);

describe('ts-jest astTransformers', () => {
  it("'hotpath/compiler': the pass runs on ts-jest's program", () => {
    const dir = jestProject('string-form', 'hotpath/compiler', {}, poolTest);
    const r = jest(dir);
    expect(r.stderr).toContain('1 passed');
    expect(r.status).toBe(0);
  });

  it('{ path, options }: the options reach the pass; an HP error in a compiled file is printed once', () => {
    const test = `import './bad';\n${poolTest.replace('@hp:0 +', `@hp:0 {${40 - 5},}`)}`;
    const dir = jestProject('object-form', { path: 'hotpath/compiler', options: { slotWidth: 40 } }, {}, test);
    const r = jest(dir);
    expect(r.stderr).toContain('1 passed');
    expect(r.status).toBe(0);
    expect(r.stderr.match(/src\/bad\.ts\(4,48\): error HP1007: STATIC_VARIABLE_LOAD at src\/bad\.ts:4:27 reads `base`/g)).toHaveLength(1);
  });

  it('ES-module mode (useESM): the pass runs, the real runtime loads', () => {
    const dir = jestEsmProject('esm');
    const r = run(process.execPath, ['--experimental-vm-modules', path.join(dir, 'node_modules/jest/bin/jest.js'), '--config', 'jest.config.json', '--no-cache', '--ci'], dir);
    expect(r.stderr).toContain('1 passed');
    expect(r.status).toBe(0);
  });

  it('isolatedModules (transpile only): says once that the pass cannot run; the markers stay plain calls', () => {
    const dir = jestProject('isolated', 'hotpath/compiler', { isolatedModules: true }, plainTest);
    const r = jest(dir);
    expect(r.stderr).toContain('1 passed');
    expect(r.status).toBe(0);
    expect(r.stderr.match(/the STATIC_VARIABLE_LOAD pass cannot run/g)).toHaveLength(1);
  });
});
