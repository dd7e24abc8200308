// Jest in CommonJS mode (its own module loader, which cannot require() an ES module) loads
// hotpath from the packed tarball: the `require` export condition gives it build/cjs. Jest's
// default transform (babel-jest, bundled) runs the test file; node_modules are not transformed.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { installProject, nodeBinary, packOnce, removeProject, run, type Packed, type Project } from './tarball.js';

const TEST = `const hotpath = require('hotpath');

test('hotpath runs under Jest', () => {
  let limit = 0;
  limit = 7;
  hotpath.registerStaticVariable('limit.test#limit', () => limit, __filename);
  const report = hotpath.seal();
  expect(report.variables.map((v) => [v.variable, v.sealed, v.value])).toEqual([['limit.test#limit', true, 7]]);
  expect(hotpath.STATIC_VARIABLE_LOAD(limit)).toBe(7);
  expect(() => hotpath.seal()).toThrow(/^HP2020:/);
  // Jest 30 refuses module.register()/registerHooks() in tests: no hooks (HP2014), loads stay loads.
  expect(report.hooksProblem?.code).toBe('HP2014');
  expect(require.resolve('hotpath')).toMatch(/node_modules[\\\\/]hotpath[\\\\/]build[\\\\/]cjs[\\\\/]runtime[\\\\/]index\\.js$/);
});
`;

let packed: Packed;
let project: Project | undefined;

beforeAll(async () => {
  packed = await packOnce();
  project = await installProject(packed.tarball, ['jest@30.5.2'], { 'limit.test.js': TEST });
}, 300_000);
afterAll(() => {
  removeProject(project);
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- packed is unset when beforeAll failed
  packed?.cleanup();
});

it.each([20, 24])('jest@30 in CommonJS mode on Node %i requires hotpath (the CommonJS copy) and seals', async (major) => {
  expect(project!.install.code, project!.install.stderr).toBe(0);
  const node = await nodeBinary(major);
  if (!node) {
    console.warn(`skipped: npx could not fetch node@${major}`);
    return;
  }
  const result = await run(node, [join(project!.dir, 'node_modules/jest/bin/jest.js'), '--ci'], { cwd: project!.dir, timeout: 120_000 });
  expect(result.stderr).toMatch(/Tests:\s+1 passed, 1 total/);
  expect(result.code, result.stderr).toBe(0);
});
