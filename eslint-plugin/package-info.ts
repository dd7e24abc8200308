import { existsSync, readFileSync } from 'node:fs';

interface Manifest {
  readonly name: string;
  readonly version: string;
}

/**
 * The package root: the nearest folder above this file whose package.json names a package.
 * Sources run from eslint-plugin/ (tests), the build from build/eslint-plugin/ (also installed
 * from a tarball, where eslint-plugin/ sources are not shipped); build/cjs/package.json only
 * sets the module type and has no name.
 */
function findPackageRoot(): { root: URL; manifest: Manifest } {
  for (let dir = new URL('./', import.meta.url); ; dir = new URL('../', dir)) {
    const file = new URL('package.json', dir);
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as Partial<Manifest>;
      if (typeof manifest.name === 'string' && typeof manifest.version === 'string') return { root: dir, manifest: manifest as Manifest };
    }
    if (new URL('../', dir).href === dir.href) throw new Error(`hotpath/eslint-plugin: no package.json with a name and version above ${import.meta.url}`);
  }
}

const { root, manifest } = findPackageRoot();

export const packageName = manifest.name;
export const packageVersion = manifest.version;

/** The rule's page as shipped in the package (docs/rules/<rule>.md). */
export function docsUrl(ruleName: string): string {
  return new URL(`docs/rules/${ruleName}.md`, root).href;
}
