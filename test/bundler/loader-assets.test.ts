/**
 * bundler/loader-assets.ts without a bundler: the off-thread loader's module graph as the built
 * package has it (every relative import of every file in it, and nothing else), the files
 * emitted beside a webpack asset, and what is not hotpath's loader. test/pack-e2e/bundlers.test.ts
 * boots webpack and rspack bundles with them on Node 20.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isHotpathLoader, loaderAssets, loaderGraph } from '../../bundler/loader-assets.js';
import { REPO } from '../e2e/harness.js';

const LOADER = join(REPO, 'build/runtime/hooks/offthread-loader.js');
const scratch = mkdtempSync(join(tmpdir(), 'hotpath-loader-assets-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A fake package: package.json named `name`, build/runtime/ with `files`. */
function fakePackage(dir: string, name: string, files: Record<string, string>): string {
  mkdirSync(join(dir, 'build/runtime/hooks'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name }));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, 'build/runtime', file), text);
  return join(dir, 'build/runtime/hooks/offthread-loader.js');
}

describe('loaderGraph', () => {
  it("holds the built loader and every module it reaches, each relative import of each one among them", () => {
    expect(isHotpathLoader(LOADER)).toBe(true);
    const graph = loaderGraph(LOADER)!;
    expect(graph.files.get('hooks/offthread-loader.js')).toBeDefined();
    // The build writes the loader as one file (scripts/build-cjs.mjs); a loader of several modules: the fake packages below.
    for (const [path, text] of graph.files) {
      for (const match of text.matchAll(/^(?:import|export)\b[^'"]*?from\s+['"](\.\.?\/[^'"]+)['"]/gm)) expect(graph.files.has(posix.join(posix.dirname(path), match[1]!))).toBe(true);
    }
  });

  it('is no graph when a module it imports is missing; a file of that name outside a hotpath package is not the loader', () => {
    const broken = fakePackage(join(scratch, 'broken'), 'hotpath', { 'hooks/offthread-loader.js': "import { a } from './gone.js';\nexport const load = a;\n" });
    expect(isHotpathLoader(broken)).toBe(true);
    expect(loaderGraph(broken)).toBeUndefined();
    const other = fakePackage(join(scratch, 'other'), 'not-hotpath', { 'hooks/offthread-loader.js': 'export {};\n' });
    expect(isHotpathLoader(other)).toBe(false);
  });
});

describe('loaderAssets', () => {
  it('re-exports the loader from a folder beside the asset, with every module and a "type": "module" package.json', () => {
    const loader = fakePackage(join(scratch, 'ok'), 'hotpath', {
      'hooks/offthread-loader.js': "import { b } from '../b.js';\nexport const resolve = b;\n",
      'b.js': "export * from './c.js';\n",
      'c.js': 'export const b = 1;\n',
    });
    const graph = loaderGraph(loader)!;
    expect([...graph.files.keys()].sort()).toEqual(['b.js', 'c.js', 'hooks/offthread-loader.js']);
    const { stub, files } = loaderAssets('assets/0123abcd.mjs', graph);
    const folder = stub.match(/"\.\/(hotpath-loader-[0-9a-f]{12})\/hooks\/offthread-loader\.js"/)?.[1];
    expect(folder).toBeDefined();
    expect(stub).toBe(`export * from "./${folder}/hooks/offthread-loader.js";\n`);
    expect([...files.keys()].sort()).toEqual([`assets/${folder}/b.js`, `assets/${folder}/c.js`, `assets/${folder}/hooks/offthread-loader.js`, `assets/${folder}/package.json`]);
    expect(JSON.parse(files.get(`assets/${folder}/package.json`)!)).toEqual({ type: 'module' });
    expect(files.get(`assets/${folder}/c.js`)).toBe('export const b = 1;\n');
  });
});
