/**
 * hotpath's own package.json, read once: its name and version (the CLI's --version, the ESLint
 * plugin's meta) and its folder (where the rule pages ship). One reader for every room.
 */
import { existsSync, readFileSync } from 'node:fs';

export interface OwnManifest {
  /** The package folder, as a file: URL ending in `/`. */
  readonly root: URL;
  readonly name: string;
  readonly version: string;
}

let found: OwnManifest | null | undefined;

/**
 * The nearest package.json above this file that names a package and its version: the repository
 * (sources), or the installed package (build/checks/). build/cjs/package.json only sets the module
 * type and has no name. undefined when there is none or it cannot be read.
 */
export function ownManifest(): OwnManifest | undefined {
  if (found !== undefined) return found ?? undefined;
  found = null;
  try {
    for (let dir = new URL('./', import.meta.url); ; dir = new URL('../', dir)) {
      const file = new URL('package.json', dir);
      if (existsSync(file)) {
        const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
        if (typeof manifest.name === 'string' && typeof manifest.version === 'string') {
          found = { root: dir, name: manifest.name, version: manifest.version };
          break;
        }
      }
      if (new URL('../', dir).href === dir.href) break;
    }
  } catch {
    // unreadable: callers say what they do without it
  }
  return found ?? undefined;
}
