/**
 * A module's location as the URL that names it at run time. Compiled ES modules pass
 * `import.meta.url`; CommonJS passes `__filename`, a path, which becomes a file: URL as
 * node:url's pathToFileURL writes it (so it matches what Node's hooks see).
 */

interface UrlApi {
  pathToFileURL(path: string): URL;
  fileURLToPath(url: string): string;
}

let urlApi: UrlApi | null | undefined;

/** node:url through process.getBuiltinModule (no static import: the runtime loads outside Node too). */
export function nodeUrlApi(): UrlApi | undefined {
  if (urlApi === undefined) {
    const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
    urlApi = (get?.('node:url') as UrlApi | undefined) ?? null;
  }
  return urlApi ?? undefined;
}

/** `scheme:` of two or more characters (a Windows drive letter `C:` is a path). */
const URL_SCHEME = /^[A-Za-z][A-Za-z\d+.-]+:/;

/** The URL of a module at `location` (a URL, or an absolute file path); undefined when it is neither. */
export function moduleUrlOf(location: unknown): string | undefined {
  if (typeof location !== 'string' || location === '') return undefined;
  if (URL_SCHEME.test(location)) return location;
  const api = nodeUrlApi();
  if (api) {
    try {
      return api.pathToFileURL(location).href;
    } catch {
      return undefined;
    }
  }
  if (!location.startsWith('/')) return undefined;
  // Outside Node (no node:url): what pathToFileURL does for a POSIX path, minus its rarer escapes.
  return `file://${encodeURI(location).replace(/[?#]/g, encodeURIComponent)}`;
}
