/**
 * `hotpath sites <dir>`: the site pass over JavaScript any compiler emitted (tsgo, swc,
 * esbuild, Babel; ES modules and CommonJS), in place. The thin layer over compiler/js/:
 * reads the folder, tells each file's format and resolves specifiers as Node does, reads
 * existing source maps (for positions in messages and module keys, and to chain them),
 * links, rewrites, writes. Refuses to run over output it already rewrote (HP1018), so a
 * second run changes nothing.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import remapping from '@jridgewell/remapping';
import { TraceMap, originalPositionFor, type SourceMapInput } from '@jridgewell/trace-mapping';
import { DEFAULT_SLOT_WIDTH, readRecordTable } from '../../runtime/site-format.js';
import { analyzeJsModule, lineColumnOf, type JsDiagnostic, type JsModuleAnalysis, type JsModuleFormat } from './analyze.js';
import { hotpathExportOf, linkModules, type LinkModule, type Resolve } from './link.js';
import { isPassAlias, rewriteJsModule } from './rewrite.js';

export const SITES_HELP = `Usage: hotpath sites <dir> [--root <dir>] [--hotpathRuntime <module>] [--hotpathSlotWidth <n>] [--dry]

Rewrites every STATIC_VARIABLE_LOAD in the JavaScript under <dir> (.js, .mjs, .cjs; not
node_modules) into a patch site, in place, as \`hotpath build\` would: tsgo, swc, esbuild or
Babel output, ES modules or CommonJS. Existing source maps are chained.

  --root <dir>               module keys (what records and reports name) are source paths
                             relative to it; default: the current directory
  --hotpathRuntime <module>  what the rewritten code imports (default "hotpath")
  --hotpathSlotWidth <n>     inner width of a slot's closing comment (default ${DEFAULT_SLOT_WIDTH})
  --dry                      report what would change; write nothing

Exit code: 0 done (warnings only), 2 marker errors (those calls stay plain reads; the rest
is written), 1 nothing written (usage, an unreadable folder, output already rewritten).
`;

export interface SitesIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Where files are written; default fs.writeFileSync. */
  readonly writeFile?: (file: string, text: string) => void;
  readonly cwd?: string;
}

const defaultIO: SitesIO = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

interface SitesOptions {
  readonly dir: string;
  readonly root: string;
  readonly runtimeModule: string;
  readonly slotWidth: number;
  readonly dry: boolean;
}

function parseArgs(args: readonly string[], cwd: string): SitesOptions | { error: string } | 'help' {
  let dir: string | undefined;
  let root = cwd;
  let runtimeModule = 'hotpath';
  let slotWidth = DEFAULT_SLOT_WIDTH;
  let dry = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    try {
      if (arg === '-h' || arg === '--help') return 'help';
      else if (arg === '--root') root = path.resolve(cwd, value());
      else if (arg === '--hotpathRuntime') runtimeModule = value();
      else if (arg === '--hotpathSlotWidth') {
        const raw = value();
        slotWidth = Number(raw);
        // eslint-disable-next-line hotpath/prefer-subtract-compare -- argument validation: not hot, and a fraction must fail it
        if (!Number.isInteger(slotWidth) || slotWidth < 8 || slotWidth > 4096) return { error: `--hotpathSlotWidth must be an integer from 8 to 4096, got ${raw}` };
      } else if (arg === '--dry') dry = true;
      else if (arg.startsWith('-')) return { error: `unknown option ${arg}` };
      else if (dir === undefined) dir = path.resolve(cwd, arg);
      else return { error: `one folder only (got ${dir} and ${arg})` };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }
  if (dir === undefined) return { error: 'give the folder of JavaScript to rewrite, e.g. hotpath sites dist' };
  return { dir, root, runtimeModule, slotWidth, dry };
}

/**
 * Node's rule: .mjs and .cjs by extension; .js by the nearest package.json's "type"; with no
 * "type", undefined: Node (20.19+, 22.7+) detects module syntax, and so does analyzeJsModule.
 */
function formatOf(file: string, typeCache: Map<string, JsModuleFormat | undefined>): JsModuleFormat | undefined {
  if (file.endsWith('.mjs')) return 'module';
  if (file.endsWith('.cjs')) return 'commonjs';
  const visited: string[] = [];
  let format: JsModuleFormat | undefined;
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (typeCache.has(dir)) {
      format = typeCache.get(dir);
      break;
    }
    visited.push(dir);
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        const type = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { type?: unknown }).type;
        format = type === 'module' ? 'module' : type === 'commonjs' ? 'commonjs' : undefined;
      } catch {
        format = undefined;
      }
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
  for (const dir of visited) typeCache.set(dir, format);
  return format;
}

function listScripts(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.isFile() && /\.[cm]?js$/.test(entry.name)) out.push(full);
    }
  };
  visit(dir);
  return out.sort();
}

interface InputMap {
  readonly raw: SourceMapInput & { sources: (string | null)[] };
  readonly trace: TraceMap;
  /** The map's file, or undefined for an inline map. */
  readonly file?: string;
}

/** The file's own source map: inline (data: URL) or a file beside it. Undefined when there is none or it cannot be read. */
function readInputMap(file: string, analysis: JsModuleAnalysis): InputMap | undefined {
  const url = analysis.sourceMappingURL?.url;
  if (!url) return undefined;
  try {
    if (url.startsWith('data:')) {
      const comma = url.indexOf(',');
      const meta = url.slice(5, comma);
      const body = url.slice(comma + 1);
      const json = meta.endsWith(';base64') ? Buffer.from(body, 'base64').toString('utf8') : decodeURIComponent(body);
      const raw = JSON.parse(json) as InputMap['raw'];
      return { raw, trace: new TraceMap(raw, pathToFileURL(file).href) };
    }
    const mapFile = url.startsWith('file:') ? fileURLToPath(url) : path.resolve(path.dirname(file), decodeURIComponent(url));
    const raw = JSON.parse(fs.readFileSync(mapFile, 'utf8')) as InputMap['raw'];
    return { raw, trace: new TraceMap(raw, pathToFileURL(mapFile).href), file: mapFile };
  } catch {
    return undefined;
  }
}

interface FileState {
  readonly file: string;
  readonly code: string;
  readonly format: JsModuleFormat | undefined;
  readonly map?: InputMap;
  readonly moduleKey: string;
  readonly where: (offset: number) => string;
  module: LinkModule;
}

/** `hotpath sites …`: returns the exit code. */
export function runSites(args: readonly string[], io: SitesIO = defaultIO): number {
  const cwd = io.cwd ?? process.cwd();
  const parsed = parseArgs(args, cwd);
  if (parsed === 'help') {
    io.stdout(SITES_HELP);
    return 0;
  }
  if ('error' in parsed) {
    io.stderr(`error HP1000: hotpath sites: ${parsed.error}\n  hotpath sites --help lists the options.\n`);
    return 1;
  }
  const { dir, root } = parsed;
  const rel = (f: string) => path.relative(cwd, f).split(path.sep).join('/') || '.';
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    io.stderr(`error HP1000: hotpath sites: ${rel(dir)} is not a folder\n  Give the folder your compiler wrote (its outDir), e.g. hotpath sites dist.\n`);
    return 1;
  }
  const files = listScripts(dir);
  const typeCache = new Map<string, JsModuleFormat | undefined>();
  const keyOf = (f: string) => path.relative(root, f).split(path.sep).join('/');

  const states = new Map<string, FileState>();
  for (const file of files) {
    const code = fs.readFileSync(file, 'utf8');
    const format = formatOf(file, typeCache);
    const js = lineColumnOf(code);
    const jsWhere = (offset: number) => {
      const { line, column } = js(offset);
      return `${keyOf(file)}:${line}:${column}`;
    };
    const first = analyzeJsModule(code, { fileName: file, ...(format ? { format } : {}), runtimeModule: parsed.runtimeModule, where: jsWhere });
    const map = readInputMap(file, first);
    const originalSource = map ? map.trace.resolvedSources.find((s): s is string => typeof s === 'string') : undefined;
    const sourcePath = (s: string) => (s.startsWith('file:') ? fileURLToPath(s) : s);
    const moduleKey = originalSource ? keyOf(sourcePath(originalSource)) : keyOf(file);
    const where = (offset: number) => {
      const { line, column } = js(offset);
      if (map) {
        const original = originalPositionFor(map.trace, { line, column: column - 1 });
        if (original.source !== null) return `${keyOf(sourcePath(original.source))}:${original.line}:${original.column + 1}`;
      }
      return jsWhere(offset);
    };
    // Analysed again with the positions named as people know them (the TypeScript lines, when a map says).
    const analysis = map ? analyzeJsModule(code, { fileName: file, format: first.format, runtimeModule: parsed.runtimeModule, where }) : first;
    states.set(file, { file, code, format: first.format, ...(map ? { map } : {}), moduleKey, where, module: { fileName: file, moduleKey, analysis } });
  }

  // Refuse output the pass already rewrote (a record table, or an import of the runtime under the pass's names): a second run would add a second table and guard.
  const rewritten = [...states.values()].filter((st) =>
    readRecordTable(st.code).kind !== 'none' || st.module.analysis.imports.some((i) => i.source === parsed.runtimeModule && isPassAlias(i.local)));
  if (rewritten.length > 0) {
    const first = rel(rewritten[0]!.file);
    io.stderr(`${first}: error HP1018: hotpath sites: ${first}${rewritten.length > 1 ? ` and ${rewritten.length - 1} more file${rewritten.length > 2 ? 's' : ''}` : ''} already hold patch sites (hotpath build or hotpath sites ran over them); nothing was written\n` +
      '  Compile again (the compiler rewrites its output folder), then run hotpath sites once.\n');
    return 1;
  }

  const resolve: Resolve = (specifier, from) => {
    const state = states.get(from.fileName);
    if (!specifier.startsWith('.') && !specifier.startsWith('/') && !specifier.startsWith('file:')) return 'external';
    let target: string | undefined;
    try {
      if (state?.format === 'commonjs') target = createRequire(from.fileName).resolve(specifier.replace(/[?#].*$/, ''));
      else target = fileURLToPath(new URL(specifier, pathToFileURL(from.fileName)));
    } catch {
      return undefined;
    }
    const found = states.get(target);
    if (found) return found.module;
    return fs.existsSync(target) ? 'external' : undefined;
  };

  // Markers re-exported through the user's own modules: analyse the importers again, knowing them.
  for (const state of states.values()) {
    const a = state.module.analysis;
    // Only importers of a module of the program that imports or re-exports from elsewhere can reach the marker that way.
    const viaUserModule = a.imports.some((i) => {
      if (i.source === parsed.runtimeModule) return false;
      const target = resolve(i.source, state.module);
      return target !== undefined && target !== 'external' &&
        (target.analysis.imports.some((t) => t.source === parsed.runtimeModule) || target.analysis.exports.some((e) => e.kind === 'reexport'));
    });
    if (!viaUserModule) continue;
    const hotpathExport = hotpathExportOf(state.module, resolve, parsed.runtimeModule);
    state.module = { ...state.module, analysis: analyzeJsModule(state.code, { fileName: state.file, format: state.format, runtimeModule: parsed.runtimeModule, where: state.where, hotpathExport }) };
  }

  const { plans, diagnostics } = linkModules([...states.values()].map((s) => s.module), resolve);
  let errors = 0;
  let warnings = 0;
  for (const d of sortDiagnostics(diagnostics, states)) {
    const state = states.get(d.fileName);
    const at = state ? state.where(d.start) : d.fileName;
    io.stderr(`${at}: ${d.category} ${d.code}: ${d.message}\n  ${d.hint}\n`);
    if (d.category === 'error') errors++;
    else warnings++;
  }

  const write = io.writeFile ?? ((f: string, t: string) => fs.writeFileSync(f, t));
  let siteCount = 0;
  let registrations = 0;
  let guards = 0;
  for (const plan of plans.values()) {
    const state = states.get(plan.module.fileName)!;
    const out = rewriteJsModule(state.code, plan, { runtimeModule: parsed.runtimeModule, slotWidth: parsed.slotWidth });
    siteCount += plan.sites.length;
    registrations += plan.registrations.length;
    guards += plan.bootFunctions.length;
    if (parsed.dry) continue;
    let code = out.code;
    if (state.map) {
      // Chain: rewritten JS → the compiler's JS → the sources.
      const chained = remapping([out.map as unknown as SourceMapInput, state.map.raw], () => null);
      chained.file = (state.map.raw as { file?: string }).file ?? path.basename(state.file);
      const json = JSON.stringify(chained);
      if (state.map.file) write(state.map.file, json);
      else {
        const comment = state.module.analysis.sourceMappingURL!;
        const shifted = out.magicString.clone();
        shifted.overwrite(comment.range.start, comment.range.end, `//# sourceMappingURL=data:application/json;base64,${Buffer.from(json).toString('base64')}`);
        code = shifted.toString();
      }
    }
    write(state.file, code);
  }
  io.stdout(`hotpath sites: ${siteCount} site${siteCount === 1 ? '' : 's'} in ${[...plans.values()].filter((p) => p.sites.length > 0).length} module(s), ${registrations} variable(s) registered, ${guards} @boot guard(s)` +
    `${parsed.dry ? ' (dry run: nothing written)' : ''}; ${files.length - plans.size} of ${files.length} file(s) unchanged` +
    `${errors + warnings > 0 ? `; ${errors} error(s), ${warnings} warning(s)` : ''}\n`);
  return errors > 0 ? 2 : 0;
}

function sortDiagnostics(diagnostics: readonly JsDiagnostic[], states: ReadonlyMap<string, FileState>): JsDiagnostic[] {
  const order = [...states.keys()];
  return [...diagnostics].sort((a, b) => order.indexOf(a.fileName) - order.indexOf(b.fileName) || a.start - b.start);
}
