import { existsSync, readFileSync } from 'node:fs';

// Sources run from eslint-plugin/ (tests), the build from build/eslint-plugin/: the package
// root is one or two levels up.
const root = ['../', '../../']
  .map((up) => new URL(up, import.meta.url))
  .find((dir) => existsSync(new URL('package.json', dir)) && existsSync(new URL('eslint-plugin', dir)));

const manifest = root
  ? (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { name: string; version: string })
  : { name: 'hotpath', version: '0.0.0' };

export const packageName = manifest.name;
export const packageVersion = manifest.version;

/** The rule's page as shipped in the package (docs/rules/<rule>.md). */
export function docsUrl(ruleName: string): string {
  return new URL(`docs/rules/${ruleName}.md`, root ?? import.meta.url).href;
}
