// `npm install` of the packed tarball beside each TypeScript a project may have (7, 6, 5.9,
// none; with eslint and typescript-eslint too), and one runtime registry per process whether
// the program imports hotpath, requires it, or both.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installProject, nodeBinary, packOnce, removeProject, run, type Packed, type Project } from './tarball.js';

const NEIGHBOURS = {
  'TypeScript 7': ['typescript@7.0.2'],
  'TypeScript 7 and @typescript/typescript6': ['typescript@7.0.2', '@typescript/typescript6@6.0.2'],
  'TypeScript 6.0, ESLint 10 and typescript-eslint': ['typescript@6.0.3', 'eslint@10.15.0', 'typescript-eslint@8.73.0'],
  'TypeScript 5.9': ['typescript@5.9.3'],
  'no TypeScript': [],
} as const;
type Neighbours = keyof typeof NEIGHBOURS;

// Register through one copy of the API, seal through the other: one registry sees both.
const PROBE = `
  viaRequire.registerStaticVariable('probe#answer', () => 42, FILE);
  const report = viaImport.seal();
  let again = '';
  try { viaRequire.seal(); } catch (error) { again = String(error.message).slice(0, 7); }
  console.log(JSON.stringify({
    same: viaImport === viaRequire,
    variables: report.variables.map((v) => [v.variable, v.value]),
    again,
    runtime: require.resolve('hotpath'),
  }));
`;
const PROBES = {
  'probe.cjs': `const viaRequire = require('hotpath');\nconst FILE = __filename;\nimport('hotpath').then((viaImport) => {${PROBE}});\n`,
  'probe.mjs': `import * as viaImport from 'hotpath';\nimport { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nconst viaRequire = require('hotpath');\nconst FILE = import.meta.url;\n${PROBE}`,
};

let packed: Packed;
const projects = new Map<Neighbours, Project>();

beforeAll(async () => {
  packed = await packOnce();
  const names = Object.keys(NEIGHBOURS) as Neighbours[];
  const installed = await Promise.all(names.map((name) => installProject(packed.tarball, NEIGHBOURS[name], PROBES)));
  names.forEach((name, i) => projects.set(name, installed[i]!));
}, 300_000);
afterAll(() => {
  projects.forEach(removeProject);
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- packed is unset when beforeAll failed
  packed?.cleanup();
});

describe.each(Object.keys(NEIGHBOURS) as Neighbours[])('npm install hotpath beside %s', (name) => {
  it('succeeds, with no peer conflict and no install script of hotpath', () => {
    const { install } = projects.get(name)!;
    expect(install.code, install.stderr).toBe(0);
    expect(install.stderr).not.toMatch(/ERESOLVE|peer dep|conflicting peer/i);
    expect(install.stderr).not.toMatch(/hotpath@/); // npm 11 names packages with install scripts
  });

  it('require() and import of hotpath share one runtime (Node 20)', async () => {
    const { dir } = projects.get(name)!;
    const result = await run(process.execPath, [join(dir, 'probe.cjs')], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ same: true, again: 'HP2020:' });
  });
});

describe('one registry per process', () => {
  it.each([20, 22, 24, 26])('Node %i: import and require are one module instance, no warning', async (major) => {
    const node = await nodeBinary(major);
    if (!node) {
      console.warn(`skipped: npx could not fetch node@${major}`);
      return;
    }
    const { dir } = projects.get('no TypeScript')!;
    for (const probe of Object.keys(PROBES)) {
      const result = await run(node, [join(dir, probe)], { cwd: dir });
      // No ExperimentalWarning for require(esm): Node >= 20.19 prints it only under --trace-require-module.
      expect(result.stderr, probe).toBe('');
      const out = JSON.parse(result.stdout) as { variables: [string, unknown][] };
      expect(out, probe).toEqual({
        same: true,
        variables: [['probe#answer', 42]],
        again: 'HP2020:', // seal() through require() saw the seal() done through import
        runtime: join(dir, 'node_modules/hotpath/build/runtime/index.js'),
      });
    }
  });
});
