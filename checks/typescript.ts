/**
 * The one place hotpath loads TypeScript, for its two adapters: the compiler (compiler/)
 * and the ESLint plugin (eslint-plugin/lint-typescript.ts, which searches from
 * typescript-eslint's location first). The checks of this room never call it: they get the
 * instance as a parameter (createMarkerChecks(ts)). The pass needs TypeScript's JavaScript
 * API (5.9–6.x): `typescript` when it is in that range, else `@typescript/typescript6`
 * (TypeScript 6 beside TypeScript 7, whose `typescript` package has no JavaScript API).
 * Looked up from the project first (the current directory), then from hotpath's own
 * location. Loaded on first use, never on import: the ESLint plugin and `hotpath --help`
 * work without any TypeScript.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type TypeScript = typeof import('typescript');

/** The packages tried, in order, in each directory. */
export const TYPESCRIPT_PACKAGES = ['typescript', '@typescript/typescript6'] as const;

export type TypeScriptLoad =
  | { readonly ok: true; readonly ts: TypeScript; readonly packageName: string; readonly path: string }
  | {
      readonly ok: false;
      readonly code: 'HP1012';
      /** What was found: `typescript 7.0.2 has no JavaScript API`. */
      readonly found: string;
      readonly message: string;
      readonly hint: string;
    };

export interface TypeScriptLoadOptions {
  /** Directories to resolve from, in order. Default: the current directory, then hotpath's own location. */
  readonly searchFrom?: readonly string[];
}

const ownDirectory = path.dirname(fileURLToPath(import.meta.url));
const loads = new Map<string, TypeScriptLoad>();

/** Is `version` one whose JavaScript API the pass is written for (5.9 to 6.x)? */
export function isSupportedVersion(version: string): boolean {
  const [major, minor] = version.split('.').map(Number) as [number, number];
  return (major === 5 && minor >= 9) || major === 6;
}

/** What was found in one place, and why it does not do. */
interface Rejected {
  readonly packageName: string;
  readonly version: string;
  readonly why: string;
}

/** Loads TypeScript once per search path; never throws: a failure is an HP1012 result. */
export function loadTypeScript(options: TypeScriptLoadOptions = {}): TypeScriptLoad {
  const searchFrom = options.searchFrom ?? [process.cwd(), ownDirectory];
  const key = searchFrom.join('\0');
  let load = loads.get(key);
  if (!load) loads.set(key, (load = findTypeScript(searchFrom)));
  return load;
}

function findTypeScript(searchFrom: readonly string[]): TypeScriptLoad {
  const rejected: Rejected[] = [];
  const seen = new Set<string>();
  for (const directory of searchFrom) {
    const require = createRequire(path.join(directory, 'noop.js'));
    for (const packageName of TYPESCRIPT_PACKAGES) {
      let resolved: string;
      try {
        resolved = require.resolve(packageName);
      } catch {
        continue; // not installed here
      }
      if (seen.has(resolved)) continue;
      seen.add(resolved);
      let module: Partial<TypeScript>;
      try {
        module = require(resolved) as Partial<TypeScript>;
      } catch (error) {
        rejected.push({ packageName, version: 'unknown', why: `does not load (${error instanceof Error ? error.message.split('\n', 1)[0] : String(error)})` });
        continue;
      }
      const version = typeof module.version === 'string' ? module.version : 'unknown';
      if (typeof module.createProgram !== 'function' || typeof module.transform !== 'function') {
        rejected.push({ packageName, version, why: 'has no JavaScript API' });
      } else if (!isSupportedVersion(version)) {
        rejected.push({ packageName, version, why: 'is outside 5.9–6.x' });
      } else {
        return { ok: true, ts: module as TypeScript, packageName, path: resolved };
      }
    }
  }
  const found = rejected.length === 0
    ? 'neither typescript nor @typescript/typescript6 is installed'
    : rejected.map((r) => `${r.packageName} ${r.version} ${r.why}`).join('; ');
  return {
    ok: false,
    code: 'HP1012',
    found,
    message: `no usable TypeScript: the STATIC_VARIABLE_LOAD pass needs TypeScript's JavaScript API (5.9–6.x), and ${found}`,
    hint: 'Install TypeScript 6 beside your TypeScript: `npm i -D @typescript/typescript6` (or use typescript 5.9–6.x).',
  };
}

/** Thrown where a TypeScript instance is required and none is usable; carries HP1012. */
export class TypeScriptUnavailableError extends Error {
  readonly code = 'HP1012';
  constructor(message: string, readonly hint: string) {
    super(`hotpath: error HP1012: ${message}. ${hint}`);
    this.name = 'TypeScriptUnavailableError';
  }
}

/** The loaded TypeScript, or a TypeScriptUnavailableError saying what was found and what to install. */
export function requireTypeScript(options?: TypeScriptLoadOptions): TypeScript {
  const load = loadTypeScript(options);
  if (!load.ok) throw new TypeScriptUnavailableError(load.message, load.hint);
  return load.ts;
}

/**
 * Was `program` built by this TypeScript? Node kinds are numbers that move between
 * versions, so a pass run with another version's API misreads every node.
 */
export function builtWith(ts: TypeScript, program: { getSourceFiles(): readonly { kind: number }[] }): boolean {
  const file = program.getSourceFiles()[0];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-comparison -- another TypeScript's kind is a plain number: comparing it with this one's is the test
  return file === undefined || file.kind === ts.SyntaxKind.SourceFile;
}
