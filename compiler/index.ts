/**
 * `hotpath/compiler`: the STATIC_VARIABLE_LOAD pass as a library, and the entry shapes
 * other tools load it by (docs/integrations/):
 * - default export: a ts-patch program transformer, `"plugins": [{ "transform": "hotpath/compiler" }]`;
 * - `name`, `version`, `factory`: a ts-jest `astTransformers` entry.
 */
import path from 'node:path';
import type * as ts from 'typescript';
import type { HotpathDiagnostic, MarkerCheckOptions, MarkerCheckResult } from '../checks/diagnostic.js';
import { createMarkerChecks } from '../checks/marker-checks.js';
import type { BootFunction } from '../checks/tags.js';
import { requireTypeScript, type TypeScript } from '../checks/typescript.js';
import { hotpathDiagnosticsOf, packageVersion, toTscPrintedDiagnostic, tscCodeOf } from './build.js';
import { claimDiagnostics, createHotpathTransformer, type HotpathTransformerOptions } from './transformer.js';

export type { HotpathDiagnostic, MarkerCheckOptions, MarkerCheckResult, MarkerSite } from '../checks/diagnostic.js';
export { createMarkerChecks, type MarkerChecks } from '../checks/marker-checks.js';
export { BOOT_TAG, DIAGNOSTIC_CODES, MARKER_TAG, type HotpathDiagnosticCode } from '../checks/marker-rules.js';
export { moduleKeyOf, projectDirectoryOf } from '../checks/module-key.js';
export type { BootFunction } from '../checks/tags.js';
export { loadTypeScript, requireTypeScript, TypeScriptUnavailableError, type TypeScript, type TypeScriptLoad } from '../checks/typescript.js';
export {
  createHotpathTransformer,
  claimDiagnostics,
  planProgram,
  emittedPathBetween,
  type HotpathTransformerOptions,
} from './transformer.js';
export {
  runBuild,
  formatDiagnostic,
  hotpathDiagnosticsOf,
  hotpathVersion,
  toTsDiagnostic,
  toTscPrintedDiagnostic,
  tscCodeOf,
  DiagnosticCategory,
  ExitStatus,
  type BuildIO,
} from './build.js';

// The checks with the TypeScript hotpath loads (checks/typescript.ts), or options.typescript:
// the library's callers need not pass one; createMarkerChecks(ts) binds them to another.

export function checkMarkers(program: ts.Program, sourceFile: ts.SourceFile, options?: MarkerCheckOptions): MarkerCheckResult {
  return createMarkerChecks(options?.typescript ?? requireTypeScript()).checkMarkers(program, sourceFile, options);
}
export const hasTag = (node: ts.Node, tag: string): boolean => createMarkerChecks(requireTypeScript()).hasTag(node, tag);
export const isBootFunction = (node: ts.Node): node is BootFunction => createMarkerChecks(requireTypeScript()).isBootFunction(node);
export const findBootFunctions = (sourceFile: ts.SourceFile): BootFunction[] => createMarkerChecks(requireTypeScript()).findBootFunctions(sourceFile);
export const emitsCommonJS = (program: ts.Program, sourceFile: ts.SourceFile): boolean => createMarkerChecks(requireTypeScript()).emitsCommonJS(program, sourceFile);

/** The options a plugin entry may carry (tsconfig `plugins` entry, ts-jest `{ path, options }`). */
export interface HotpathPluginConfig {
  readonly runtimeModule?: string;
  readonly slotWidth?: number;
  readonly projectDirectory?: string;
}

/** What ts-patch passes a program transformer as its third argument (ts-patch's TransformerExtras). */
export interface TsPatchExtras {
  readonly ts: TypeScript;
  readonly addDiagnostic: (diagnostic: ts.Diagnostic) => number;
}

/** A plugin entry's options, checked: what is wrong is reported, never thrown. */
function pluginOptions(config: unknown): { options: HotpathTransformerOptions; problems: string[] } {
  const c = (config ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  const { runtimeModule, slotWidth, projectDirectory } = c;
  if (runtimeModule !== undefined && (typeof runtimeModule !== 'string' || runtimeModule === '')) problems.push('"runtimeModule" must be a module specifier (a string)');
  if (slotWidth !== undefined && !(Number.isInteger(slotWidth) && (slotWidth as number) >= 8 && (slotWidth as number) <= 4096)) problems.push('"slotWidth" must be an integer from 8 to 4096');
  if (projectDirectory !== undefined && typeof projectDirectory !== 'string') problems.push('"projectDirectory" must be a path');
  return { options: { runtimeModule, slotWidth, projectDirectory } as HotpathTransformerOptions, problems };
}

const identity: ts.TransformerFactory<ts.SourceFile> = () => (sourceFile) => sourceFile;

/** `src/main.ts(4,48): error HP1007: …` and the hint indented below, as `hotpath build` prints it. */
function formatHotpathDiagnostic(d: HotpathDiagnostic): string {
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  const file = path.relative(process.cwd(), d.file.fileName).split(path.sep).join('/');
  return `${file}(${line + 1},${character + 1}): ${d.category} ${d.code}: ${d.message}\n  ${d.hint}\n`;
}

/**
 * The ts-patch entry (`"plugins": [{ "transform": "hotpath/compiler", …options }]`), ts-patch's
 * "program" shape. Uses ts-patch's own TypeScript (`extras.ts`). HP errors go to
 * `extras.addDiagnostic`, so tsc prints them and exits 2 (or 1 with nothing emitted) as for
 * a type error; warnings go to stderr, because tsc counts every diagnostic it is given as a
 * failure. Diagnostics are reported once per program, by whoever claims it first
 * (`hotpath build` on a ts-patched typescript prints its own).
 */
export default function hotpathTscPlugin(program: ts.Program, config?: HotpathPluginConfig, extras?: TsPatchExtras): ts.TransformerFactory<ts.SourceFile> {
  const ts = extras?.ts ?? requireTypeScript();
  const { options, problems } = pluginOptions(config);
  if (problems.length > 0) {
    // A bad entry leaves the markers as calls (correct, not patched) and says so.
    if (claimDiagnostics(program)) {
      const text = `hotpath/compiler plugin entry: ${problems.join('; ')}; the pass did not run.`;
      if (extras) extras.addDiagnostic({ file: undefined, start: undefined, length: undefined, category: ts.DiagnosticCategory.Error, code: tscCodeOf('HP1000'), messageText: `HP1000: ${text}` });
      else process.stderr.write(`error HP1000: ${text}\n`);
    }
    return identity;
  }
  const transformer = createHotpathTransformer(program, { ...options, typescript: ts });
  if (claimDiagnostics(program)) {
    const errors: ts.Diagnostic[] = [];
    for (const d of hotpathDiagnosticsOf(program, { ...options, typescript: ts })) {
      if (d.category === 'error' && extras) errors.push(toTscPrintedDiagnostic(d));
      else process.stderr.write(formatHotpathDiagnostic(d));
    }
    for (const error of errors) extras!.addDiagnostic(error);
    if (errors.length > 0 && program.getCompilerOptions().noEmitOnError) skipEmitFor(program, errors);
  }
  return transformer;
}

/**
 * noEmitOnError with HP errors: ts-patch creates this entry's transformer just before the
 * program's own emit, which asks the program object for its semantic diagnostics to decide
 * whether to skip. Adding the HP errors there makes it skip, as for a type error (tsc has
 * collected its own list already, so nothing prints twice; ts-patch adds the same objects
 * to the emit result only once).
 */
function skipEmitFor(program: ts.Program, errors: readonly ts.Diagnostic[]): void {
  const semantic = program.getSemanticDiagnostics.bind(program);
  program.getSemanticDiagnostics = (sourceFile, cancellationToken) => {
    const own = semantic(sourceFile, cancellationToken);
    const ours = errors.filter((d) => !sourceFile || d.file === sourceFile);
    return ours.length === 0 ? own : [...own, ...ours];
  };
}

/** What ts-jest passes `factory` (its TsCompiler): the parts used. */
export interface TsJestCompiler {
  readonly configSet: { readonly compilerModule: TypeScript; readonly isolatedModules?: boolean };
  readonly program?: ts.Program;
  /** The language service ts-jest compiles with (its current program; `program` is the first one). */
  readonly _languageService?: { getProgram(): ts.Program | undefined };
}

/** ts-jest's astTransformers entry: its name, and a version that changes with hotpath's (part of ts-jest's cache key). */
export const name = 'hotpath';
export const version = (() => {
  const [major = 0, minor = 0, patch = 0] = packageVersion().split(/[.-]/).map(Number);
  return major * 1_000_000 + minor * 1_000 + patch;
})();

const saidOnce = new Set<string>();
const sayOnce = (text: string) => {
  if (saidOnce.has(text)) return;
  saidOnce.add(text);
  process.stderr.write(text);
};

/**
 * ts-jest `astTransformers: { before: ['hotpath/compiler'] }` (or `{ path, options }`).
 * Runs with ts-jest's TypeScript on the program of the file being compiled. Transpile-only
 * (isolatedModules) has no program: the pass cannot run, the markers stay plain calls
 * (correct, not patched), and it says so once.
 */
export function factory(tsCompiler: TsJestCompiler, config?: HotpathPluginConfig): ts.TransformerFactory<ts.SourceFile> {
  const ts = tsCompiler.configSet.compilerModule;
  const { options, problems } = pluginOptions(config);
  if (problems.length > 0) {
    sayOnce(`error HP1000: hotpath/compiler ts-jest options: ${problems.join('; ')}; the pass did not run.\n`);
    return identity;
  }
  if (tsCompiler.configSet.isolatedModules) {
    sayOnce(
      'hotpath: ts-jest compiles each file alone (isolatedModules / transpile only), so the STATIC_VARIABLE_LOAD pass cannot run: ' +
        'markers stay plain reads (correct, not patched). Turn isolatedModules off for ts-jest to apply the pass.\n',
    );
    return identity;
  }
  return (context) => {
    const program = tsCompiler._languageService?.getProgram() ?? tsCompiler.program;
    if (!program) {
      sayOnce('hotpath: ts-jest gave the pass no program, so it cannot run: markers stay plain reads (correct, not patched).\n');
      return (sourceFile) => sourceFile;
    }
    const transform = createHotpathTransformer(program, { ...options, typescript: ts })(context);
    return (sourceFile) => {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- getOriginalNode returns undefined when the original node fails the test
      const original = ts.getOriginalNode(sourceFile, ts.isSourceFile) ?? sourceFile;
      for (const d of hotpathDiagnosticsOf(program, { ...options, typescript: ts })) {
        if (d.file === original) sayOnce(formatHotpathDiagnostic(d));
      }
      return transform(sourceFile);
    };
  };
}
