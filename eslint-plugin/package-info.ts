/** The package's name, version and rule pages, for the plugin's meta and each rule's docs URL (checks/package-info.ts reads them). */
import { ownManifest } from '../checks/package-info.js';

const manifest = ownManifest();
if (manifest === undefined) throw new Error(`hotpath/eslint-plugin: no package.json with a name and version above ${import.meta.url}`);
const { root } = manifest;

export const packageName = manifest.name;
export const packageVersion = manifest.version;

/** The rule's page as shipped in the package (docs/rules/<rule>.md). */
export function docsUrl(ruleName: string): string {
  return new URL(`docs/rules/${ruleName}.md`, root).href;
}
