// CommonJS consumers, from the packed tarball: TypeScript 5.9 and 6.0 with module commonjs,
// node16 and nodenext type-check and build a CommonJS program against hotpath's types, and
// the output runs on Node 20 and 24, where require('hotpath') loads the one ES-module copy.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installProject, nodeBinary, packOnce, removeProject, run, type Packed, type Project } from './tarball.js';

const TYPESCRIPTS = { '5.9': 'typescript@5.9.3', '6.0': 'typescript@6.0.3' } as const;
const MODULES = ['commonjs', 'node16', 'nodenext'] as const;

const MAIN = `import { registerStaticVariable, seal, STATIC_VARIABLE_LOAD, type BootReport } from 'hotpath';
declare const __filename: string;
declare const require: { resolve(id: string): string };
declare const process: { env: Record<string, string | undefined> };

let limit = 0;
limit = Number(process.env.LIMIT ?? '7');
registerStaticVariable('main#limit', () => limit, __filename);
const report: BootReport = seal();
const variable = report.variables[0];
console.log(JSON.stringify({
  read: STATIC_VARIABLE_LOAD(limit),
  sealed: report.sealed,
  variable: variable?.variable,
  value: variable?.sealed ? variable.value : null,
  runtime: require.resolve('hotpath'),
}));
`;

/**
 * One CommonJS program per module setting, in its own folder (package.json type commonjs).
 * Settings as `tsc --init` writes them, but hotpath's declarations are checked (skipLibCheck false).
 */
function consumerFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const module of MODULES) {
    files[`${module}/package.json`] = `${JSON.stringify({ type: 'commonjs' })}\n`;
    files[`${module}/tsconfig.json`] = `${JSON.stringify({
      compilerOptions: { module, target: 'es2022', strict: true, esModuleInterop: true, skipLibCheck: false, rootDir: 'src', outDir: 'dist', types: [] },
    })}\n`;
    files[`${module}/src/main.ts`] = MAIN;
  }
  // node10 resolution reads no exports map: typesVersions maps the subpaths.
  files['commonjs/src/subpaths.ts'] = "export type { HotpathTransformerOptions } from 'hotpath/compiler';\n";
  return files;
}

let packed: Packed;
const projects: Partial<Record<keyof typeof TYPESCRIPTS, Project>> = {};
let node24: string | undefined;

beforeAll(async () => {
  packed = await packOnce();
  const [ts59, ts60, node] = await Promise.all([
    installProject(packed.tarball, [TYPESCRIPTS['5.9']], consumerFiles()),
    installProject(packed.tarball, [TYPESCRIPTS['6.0']], consumerFiles()),
    nodeBinary(24),
  ]);
  projects['5.9'] = ts59;
  projects['6.0'] = ts60;
  node24 = node;
}, 300_000);
afterAll(() => {
  Object.values(projects).forEach(removeProject);
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- packed is unset when beforeAll failed
  packed?.cleanup();
});

describe.each(Object.keys(TYPESCRIPTS) as (keyof typeof TYPESCRIPTS)[])('TypeScript %s', (version) => {
  it('installs beside hotpath', () => {
    expect(projects[version]!.install.code, projects[version]!.install.stderr).toBe(0);
  });

  it.each(MODULES)('module %s: type-checks, builds, and runs on Node 20 and 24 with one runtime copy', async (module) => {
    const dir = join(projects[version]!.dir, module);
    const tsc = await run(process.execPath, [join(projects[version]!.dir, 'node_modules/typescript/bin/tsc'), '-p', dir]);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);
    const nodes: [string, string | undefined][] = [['20', process.execPath], ['24', node24]];
    for (const [major, node] of nodes) {
      if (!node) {
        console.warn(`skipped on Node ${major}: npx could not fetch node@${major}`);
        continue;
      }
      const result = await run(node, [join(dir, 'dist/main.js')], { cwd: dir });
      // main.ts is plain tsc output calling the marker after seal(): named once (HP2018), nothing else on stderr.
      const warning = /^hotpath HP2018: STATIC_VARIABLE_LOAD ran after seal\(\) in \S*main\.js: .*\n/;
      expect(result.stderr, `Node ${major}`).toMatch(warning);
      expect(result.stderr.replace(warning, ''), `Node ${major}`).toBe('');
      const out = JSON.parse(result.stdout) as Record<string, unknown>;
      expect(out, `Node ${major}`).toEqual({
        read: 7,
        sealed: true,
        variable: 'main#limit',
        value: 7,
        // Node's require() takes the `module-sync` export: the ES-module build, never build/cjs.
        runtime: join(projects[version]!.dir, 'node_modules/hotpath/build/runtime/index.js'),
      });
    }
  });
});
