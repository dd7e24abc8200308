/**
 * The plan for a whole output: which chunk registers each variable a site reads, what each
 * site's record says (`from` is the declaring chunk relative to the reading chunk, as a
 * relative import spells it), which registrations are written (only those a site reads),
 * and under which key (a declared name made unique within its chunk: two modules declaring
 * `limit` may land in one chunk, and the runtime names a variable `<chunk URL>#<name>`).
 * Pure: chunk texts and what the transforms learnt in; per-chunk results and diagnostics out.
 */
import { posix } from 'node:path';
import { variableKey, variableName } from '../runtime/site-format.js';
import { scanChunk, type ChunkParser, type ChunkScan } from './chunk-scan.js';
import { writeChunk, type ChunkFormat, type ChunkWriteResult, type SitePlan } from './chunk-write.js';
import { BundlerCode, type BundlerDiagnostic } from './codes.js';

export interface OutputChunk {
  /** Path relative to the output directory, `/`-separated (`app-DGAnUypf.js`, `assets/main.mjs`). */
  readonly fileName: string;
  readonly code: string;
  readonly format: ChunkFormat;
}

/** What the transforms learnt about one site. */
export interface SiteOrigin {
  /** Module key of the module the marker is in (for messages). */
  readonly module: string;
  /** Line and column of the marker in that module (1-based, for messages). */
  readonly line: number;
  readonly column: number;
  /** The variable key (`<declaring module key>#<declared name>`) it reads, the registration's token; undefined when the declaring module was not found. */
  readonly variable?: string;
  /** Why the variable was not found (for the HP1103 message). */
  readonly unresolved?: string;
  /** Linking rejected the site with a diagnostic (already reported): it is written as a plain read. */
  readonly rejected?: true;
}

export interface BundleInput {
  readonly chunks: readonly OutputChunk[];
  /** By site token. */
  readonly sites: ReadonlyMap<string, SiteOrigin>;
  /** How a chunk's module key is spelled (its path from the project directory). */
  readonly chunkKey: (fileName: string) => string;
  readonly slotWidth?: number;
  /** The bundler's own parser, where it has one (chunk-scan.ts). */
  readonly parser?: ChunkParser;
}

export interface BundleResult {
  /** Only the chunks that changed, by file name. */
  readonly chunks: ReadonlyMap<string, ChunkWriteResult>;
  readonly diagnostics: readonly BundlerDiagnostic[];
  /** Slots written, over every chunk. */
  readonly slots: number;
}

export function planBundle(input: BundleInput): BundleResult {
  const scans = new Map<string, ChunkScan>();
  const diagnostics: BundlerDiagnostic[] = [];
  /** Registration token → chunks that hold its carrier. */
  const registeredIn = new Map<string, string[]>();
  for (const chunk of input.chunks) {
    const scan = scanChunk(chunk.code, input.parser);
    scans.set(chunk.fileName, scan);
    if (scan.kind === 'unparsed') {
      diagnostics.push({ code: BundlerCode.chunkUnparsed, chunk: chunk.fileName, message: `${chunk.fileName} does not parse after minification (${scan.reason}): its sites stay loads. Report this with the bundler and minifier versions.` });
      continue;
    }
    for (const carrier of scan.carriers) {
      if (carrier.kind !== 'registration') continue;
      const chunks = registeredIn.get(carrier.token) ?? [];
      if (!chunks.includes(chunk.fileName)) chunks.push(chunk.fileName);
      registeredIn.set(carrier.token, chunks);
    }
  }

  // Which registrations are read, and the key each gets: its name made unique in its chunk.
  const keyOf = new Map<string, string>();
  const namesIn = new Map<string, Set<string>>();
  const keyFor = (token: string, chunk: string): string => {
    let key = keyOf.get(token);
    if (key !== undefined) return key;
    const names = namesIn.get(chunk) ?? new Set<string>();
    namesIn.set(chunk, names);
    const declared = variableName(token);
    let name = declared;
    for (let n = 2; names.has(name); n++) name = `${declared}~${n}`;
    names.add(name);
    key = variableKey(token.slice(0, token.length - declared.length - 1), name);
    keyOf.set(token, key);
    return key;
  };

  const sitePlans = new Map<string, Map<string, SitePlan | 'plain'>>();
  for (const chunk of input.chunks) {
    const scan = scans.get(chunk.fileName)!;
    if (scan.kind !== 'scanned') continue;
    const plans = new Map<string, SitePlan | 'plain'>();
    sitePlans.set(chunk.fileName, plans);
    for (const carrier of scan.carriers) {
      if (carrier.kind !== 'site' || plans.has(carrier.token)) continue;
      const origin = input.sites.get(carrier.token);
      if (origin === undefined) continue;
      if (origin.rejected) {
        plans.set(carrier.token, 'plain');
        continue;
      }
      const where = `${origin.module}:${origin.line}:${origin.column}`;
      if (origin.variable === undefined) {
        diagnostics.push({ code: BundlerCode.declaringModuleUnknown, chunk: chunk.fileName, message: `the site at ${where} reads a variable whose declaring module the plugin did not see (${origin.unresolved ?? 'not transformed'}): it stays a load. Let the plugin transform that module (its include/exclude options).` });
        plans.set(carrier.token, { var: `${origin.module}#?`, name: '?' });
        continue;
      }
      const declaredIn = registeredIn.get(origin.variable) ?? [];
      const name = variableName(origin.variable);
      if (declaredIn.length !== 1) {
        const why = declaredIn.length === 0 ? 'no chunk of the output registers it (its module is external, or was not transformed)' : `${declaredIn.length} chunks register it (${declaredIn.join(', ')})`;
        diagnostics.push({ code: BundlerCode.declaringModuleUnknown, chunk: chunk.fileName, message: `the site at ${where} reads ${origin.variable}, but ${why}: it stays a load. Bundle the declaring module once, with the plugin.` });
        plans.set(carrier.token, { var: origin.variable, name });
        continue;
      }
      const declaring = declaredIn[0]!;
      plans.set(carrier.token, { var: keyFor(origin.variable, declaring), name, from: relativeImport(chunk.fileName, declaring) });
    }
  }

  const chunks = new Map<string, ChunkWriteResult>();
  let slots = 0;
  for (const chunk of input.chunks) {
    const scan = scans.get(chunk.fileName)!;
    if (scan.kind !== 'scanned' || scan.carriers.length === 0) continue;
    const plans = sitePlans.get(chunk.fileName)!;
    const result = writeChunk(
      chunk.code,
      scan,
      {
        moduleKey: input.chunkKey(chunk.fileName),
        format: chunk.format,
        site: (token) => plans.get(token),
        registration: (token) => keyOf.get(token),
        ...(input.slotWidth === undefined ? {} : { slotWidth: input.slotWidth }),
      },
      chunk.fileName,
    );
    chunks.set(chunk.fileName, result);
    slots += result.records.length;
    for (const site of result.unwritten) {
      const origin = input.sites.get(site.token);
      const where = origin ? `${origin.module}:${origin.line}:${origin.column}` : JSON.stringify(site.token);
      diagnostics.push(
        site.reason === 'unknown-token'
          ? { code: BundlerCode.unknownCarrier, chunk: chunk.fileName, message: `${chunk.fileName} holds the site ${where}, which this build's transform did not write (a transform cache from another build?): it stays a call of the marker. Clear the bundler's cache.` }
          : { code: BundlerCode.siteNotARead, chunk: chunk.fileName, message: `after minification the site at ${where} reads ${JSON.stringify(site.text.slice(0, 60))}, not a variable: no slot can hold it, it stays a call of the marker (correct, not patched).` },
      );
    }
  }
  return { chunks, diagnostics, slots };
}

/** `to` relative to the directory of `from` (both output file names), as a relative import spells it: `./a.js`, `../b/c.js`, `""` for itself. */
export function relativeImport(from: string, to: string): string {
  if (from === to) return '';
  const relative = posix.relative(posix.dirname(from), to);
  const encoded = relative.split('/').map((segment) => (segment === '..' ? segment : encodeURIComponent(segment))).join('/');
  return encoded.startsWith('../') ? encoded : `./${encoded}`;
}
