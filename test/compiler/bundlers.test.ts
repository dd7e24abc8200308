/**
 * The config snippets of docs/integrations/ts-loader.md (also its TypeScript 7 one) and
 * rollup-plugin-typescript.md, run with real webpack 5 + ts-loader 9 and rollup 4 +
 * @rollup/plugin-typescript 12 (cached npm installs): the pass runs, the sites are in the output, and the output
 * computes what the source says. `npm run build` first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerProject, npmInstall, poolSource, run, snippet } from './installs.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-bundlers-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

let installDir: string;
let ts7InstallDir: string;
beforeAll(() => {
  ts7InstallDir = npmInstall({ typescript: '7.0.2', '@typescript/typescript6': '6.0.2', 'ts-loader': '9.6.2', webpack: '5.113.0' });
  installDir = npmInstall({
    typescript: '6.0.3', 'ts-loader': '9.6.2', webpack: '5.113.0', rollup: '4.68.8', '@rollup/plugin-typescript': '12.3.1', tslib: '2.8.1',
  });
}, 300_000);

const files = {
  'package.json': '{"type":"module"}',
  'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'es2022', module: 'esnext', moduleResolution: 'bundler', strict: true, types: [] }, include: ['src'] }),
  'src/pool.ts': poolSource,
  'src/main.ts': `import { initPool, isPool } from './pool.js';\ninitPool(4096);\nconsole.log(isPool(4100), isPool(5));\n`,
};
/** Builds `dir`'s webpack.config.js as is, unminified for Node as an ES module with the runtime left external; runs the bundle. */
function expectWebpackBuild(dir: string) {
  const build = `
import webpack from 'webpack';
import config from './webpack.config.js';
const stats = await new Promise((resolve, reject) => webpack({
  ...config, mode: 'none', devtool: false, target: 'node', externals: { hotpath: 'module hotpath' },
  experiments: { outputModule: true }, output: { path: process.cwd() + '/dist', filename: 'main.js', module: true, chunkFormat: 'module' },
}, (error, stats) => (error ? reject(error) : resolve(stats))));
if (stats.hasErrors()) { console.error(stats.toString('errors-only')); process.exit(1); }
`;
  const r = run(process.execPath, ['--input-type=module', '-e', build], dir);
  expect(r.stderr.replace(/^ts-loader: Using @typescript\/typescript6@.*\n/m, '')).toBe('');
  expect(r.status).toBe(0);
  const out = fs.readFileSync(path.join(dir, 'dist/main.js'), 'utf8');
  expect(out).toMatch(slot);
  expect(out).toContain('/*@hotpath-sites:');
  expect(run(process.execPath, ['dist/main.js'], dir)).toMatchObject({ status: 0, stdout: 'true false\n' });
}

const slot = /\(\/\*@hp:0\*\/ \(poolBase\) \/\*@hp:0 +\*\/\)/;

describe('bundler configs from the docs', () => {
  it('ts-loader.md: webpack.config.js', () => {
    const dir = consumerProject(work, 'webpack', { ...files, 'webpack.config.js': snippet('ts-loader.md', 'webpack.config.js') }, installDir);
    expectWebpackBuild(dir);
  });

  it('ts-loader.md: webpack.config.js beside TypeScript 7 (compiler: @typescript/typescript6)', () => {
    const dir = consumerProject(work, 'webpack-ts7', { ...files, 'webpack.config.js': snippet('ts-loader.md', 'webpack.config.js', 'typescript-7') }, ts7InstallDir);
    expectWebpackBuild(dir);
  });

  it('rollup-plugin-typescript.md: rollup.config.js', () => {
    const dir = consumerProject(work, 'rollup', { ...files, 'rollup.config.js': snippet('rollup-plugin-typescript.md', 'rollup.config.js') }, installDir);
    const r = run(process.execPath, [path.join(dir, 'node_modules/rollup/dist/bin/rollup'), '-c', '--silent'], dir);
    expect(r.status, r.stderr).toBe(0);
    const out = fs.readFileSync(path.join(dir, 'dist/main.js'), 'utf8');
    expect(out).toMatch(slot);
    expect(out).toContain('/*@hotpath-sites:');
    // `hotpath` stays external: the real runtime (copied into node_modules) loads with the bundle.
    expect(run(process.execPath, ['dist/main.js'], dir)).toMatchObject({ status: 0, stdout: 'true false\n', stderr: '' });
  });
});
