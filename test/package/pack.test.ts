// What `npm pack` ships: the files a consumer needs, nothing of the repository's own, maps
// that stand alone, docs URLs that lead somewhere, no install-time script.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packOnce, REPO, type Packed } from './tarball.js';

interface Manifest {
  version: string;
  license: string;
  main: string;
  types: string;
  bin: Record<string, string>;
  exports: unknown;
  typesVersions: Record<string, Record<string, string[]>>;
  scripts: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
}

let packed: Packed;
let unpacked: string;
let manifest: Manifest;

beforeAll(async () => {
  packed = await packOnce();
  unpacked = mkdtempSync(join(tmpdir(), 'hotpath-unpacked-'));
  execFileSync('tar', ['-xzf', packed.tarball, '-C', unpacked]);
  manifest = JSON.parse(readFileSync(join(unpacked, 'package/package.json'), 'utf8')) as Manifest;
});
// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- packed is unset when beforeAll failed
afterAll(() => packed?.cleanup());

const inPackage = (file: string) => join(unpacked, 'package', file);
const normal = (target: string) => posix.normalize(target);

/** Every string leaf of an exports map. */
function targets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(targets);
  return [];
}

describe('npm pack', () => {
  it('ships the license, readme, manifest and every entry point the manifest names', () => {
    for (const file of ['LICENSE', 'README.md', 'package.json']) expect(packed.files).toContain(file);
    const license = readFileSync(inPackage('LICENSE'), 'utf8');
    expect(manifest.license).toBe('MIT');
    expect(license).toMatch(/^MIT License/);
    expect(license).toContain('Copyright (c) 2026 the hotpath authors');
    const entries = [
      ...targets(manifest.exports),
      manifest.main,
      manifest.types,
      ...Object.values(manifest.bin),
      ...Object.values(manifest.typesVersions).flatMap((map) => Object.values(map).flat()),
    ];
    expect(entries.length).toBeGreaterThan(10);
    for (const entry of entries) expect(packed.files, entry).toContain(normal(entry));
    // `hotpath codegen` loads its module and the driver it runs from build/tools/codegen/ (compiler/cli.ts).
    for (const file of ['build/tools/codegen/index.js', 'build/tools/codegen/driver.mjs']) expect(packed.files).toContain(file);
    // What a shipped module imports is shipped too: a room left out of "files" (build/checks, which
    // the compiler and the ESLint plugin both import) would fail only when a consumer loads it.
    for (const file of packed.files.filter((f) => f.startsWith('build/') && /\.m?js$/.test(f))) {
      for (const [, spec] of readFileSync(inPackage(file), 'utf8').matchAll(/^(?:import|export)\b[^'";]*?\bfrom\s*['"](\.\.?\/[^'"]+)['"]/gm)) {
        expect(packed.files, `${file}: ${spec}`).toContain(normal(posix.join(posix.dirname(file), spec!)));
      }
    }
    // The CommonJS copy is CommonJS for Node and TypeScript, and has no ES-module syntax left.
    expect(JSON.parse(readFileSync(inPackage('build/cjs/package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
    for (const file of packed.files.filter((f) => f.startsWith('build/cjs/') && f.endsWith('.js'))) {
      const code = readFileSync(inPackage(file), 'utf8')
        .split('\n')
        .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line)); // comments may name import.meta
      expect(code.filter((line) => /import\.meta|^(import|export) /.test(line)), file).toEqual([]);
    }
  });

  it('ships nothing of the repository itself: no tests, fixtures, sources (docs/ examples aside), build info', () => {
    const unwanted = packed.files.filter(
      (f) =>
        /^(test|fixtures|bench|scripts|runtime|checks|compiler|eslint-plugin|bundler|tools|node_modules|\.github)\//.test(f) ||
        // Only the seven builds; tests write other output under build/ (e.g. build/codegen-real).
        (f.startsWith('build/') && !/^build\/(runtime|checks|compiler|eslint-plugin|bundler|tools|cjs)\//.test(f)) ||
        (/\.[cm]?ts$/.test(f) && !/\.d\.[cm]?ts$/.test(f) && !f.startsWith('docs/')) ||
        f.endsWith('.tsbuildinfo') ||
        /^tsconfig.*\.json$/.test(f),
    );
    expect(unwanted).toEqual([]);
  });

  it('runs no script on a consumer\'s install; builds before packing', () => {
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(manifest.scripts, hook).not.toHaveProperty(hook);
    expect(manifest.scripts.prepack).toBe('npm run build');
  });

  it('declares every peer optional', () => {
    const peers = Object.keys(manifest.peerDependencies);
    expect(peers.sort()).toEqual(['@typescript-eslint/utils', '@typescript/typescript6', 'eslint', 'typescript']);
    for (const peer of peers) expect(manifest.peerDependenciesMeta[peer]?.optional, peer).toBe(true);
  });

  it('source maps carry their sources: each one is self-contained', () => {
    const maps = packed.files.filter((f) => f.endsWith('.js.map'));
    const scripts = packed.files.filter((f) => f.endsWith('.js'));
    expect(maps.length).toBe(scripts.length);
    for (const file of maps) {
      const map = JSON.parse(readFileSync(inPackage(file), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
      expect(map.sources.length, file).toBeGreaterThan(0);
      map.sources.forEach((source, i) => {
        const shipped = packed.files.includes(normal(posix.join(posix.dirname(file), source)));
        const content = map.sourcesContent?.[i];
        expect(shipped || (typeof content === 'string' && content.length > 0), `${file}: ${source}`).toBe(true);
      });
    }
  });

  it('the ESLint plugin names the package version, and every rule\'s docs URL is a page in the package', async () => {
    const { default: plugin } = (await import(join(REPO, 'build/eslint-plugin/index.js'))) as {
      default: { meta: { version: string }; rules: Record<string, { meta: { docs?: { url?: string } } }> };
    };
    expect(plugin.meta.version).toBe(manifest.version);
    // One file per rule; a rule's helpers live in a folder of its name (rules/prefer-subtract-compare/).
    const ruleSources = readdirSync(join(REPO, 'eslint-plugin/rules')).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, ''));
    expect(Object.keys(plugin.rules).sort()).toEqual(ruleSources.sort());
    for (const [name, rule] of Object.entries(plugin.rules)) {
      const url = rule.meta.docs?.url ?? '';
      const file = relative(REPO, fileURLToPath(url)).split('\\').join('/');
      expect(file, name).toBe(`docs/rules/${name}.md`);
      expect(packed.files, name).toContain(file);
      expect(existsSync(inPackage(file))).toBe(true);
    }
  });

  it('unpacked, away from the repository, the plugin still finds its version and pages (was 0.0.0)', async () => {
    // package-info.js imports node:fs only, so it loads from the bare unpacked tarball.
    const info = (await import(pathToFileURL(inPackage('build/eslint-plugin/package-info.js')).href)) as {
      packageVersion: string;
      docsUrl(rule: string): string;
    };
    expect(info.packageVersion).toBe(manifest.version);
    for (const rule of readdirSync(join(REPO, 'eslint-plugin/rules')).filter((f) => f.endsWith('.ts'))) {
      const name = rule.replace(/\.ts$/, '');
      expect(fileURLToPath(info.docsUrl(name))).toBe(inPackage(`docs/rules/${name}.md`));
      expect(existsSync(inPackage(`docs/rules/${name}.md`)), name).toBe(true);
    }
  });
});
