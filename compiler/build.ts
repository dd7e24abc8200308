/**
 * `hotpath build`: what `tsc -p` does — same config parsing, same emitted files, same
 * diagnostic format and exit codes — plus the STATIC_VARIABLE_LOAD pass and its
 * diagnostics (HP1xxx, printed where tsc prints `TSxxxx`).
 */
import type * as ts from 'typescript';
import type { HotpathDiagnostic, MarkerSite } from '../checks/diagnostic.js';
import { createMarkerChecks } from '../checks/marker-checks.js';
import { ownManifest } from '../checks/package-info.js';
import { loadTypeScript, requireTypeScript, type TypeScript } from '../checks/typescript.js';
import { claimDiagnostics, createHotpathTransformer, ownSourceFiles, type HotpathTransformerOptions } from './transformer.js';
import { applyPassAtProgramEmit, reEmitStalePassOutputs } from './build-incremental.js';
import { analyse, registerInReferences } from './build-references.js';
import { runSolutionBuild } from './build-solution.js';
import { runWatch, type PassHooks } from './build-watch.js';

/** tsc's exit codes (ts.ExitStatus). */
export const ExitStatus = {
  Success: 0,
  DiagnosticsPresent_OutputsSkipped: 1,
  DiagnosticsPresent_OutputsGenerated: 2,
  InvalidProject_OutputsSkipped: 3,
  ProjectReferenceCycle_OutputsSkipped: 4,
} as const;

export interface BuildIO {
  /** Where tsc writes (stdout). */
  readonly write: (text: string) => void;
  readonly currentDirectory: string;
  /** tsc's default for `pretty`: colours and source context when writing to a terminal. */
  readonly isTTY: boolean;
  /** Receives the emitted files instead of the disk (tests); default: tsc's own writer. */
  readonly writeFile?: ts.WriteFileCallback;
}

const defaultIO = (): BuildIO => ({
  write: (text) => process.stdout.write(text),
  currentDirectory: process.cwd(),
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-conversion -- isTTY is undefined, not false, when stdout is not a terminal
  isTTY: !!process.stdout.isTTY && !process.env['NO_COLOR'],
});

export const BUILD_HELP = `Usage: hotpath build [-p <tsconfig.json | directory>] [-w] [tsc options]
       hotpath build -b [projects…] [tsc -b options]

Compiles a TypeScript project exactly as \`tsc -p\` would, and turns every
STATIC_VARIABLE_LOAD(x) into a patch site for the hotpath runtime.
Reports tsc's diagnostics and the pass's own (HP1xxx, see docs/codes.md) in
tsc's format, and exits with tsc's codes: 0 success, 1 diagnostics and no output,
2 diagnostics and output written.

Options (besides every tsc compiler option, e.g. --outDir, --noEmit):
  -p, --project <path>        tsconfig.json, or a directory holding one
  -w, --watch                 tsc --watch, the pass applied on every rebuild
  -b, --build [projects…]     tsc -b (first argument): project references, with
                              --verbose, --dry, --force, --clean, --watch, …
  --hotpathRuntime <module>   module specifier the output imports (default "hotpath")
  --hotpathSlotWidth <n>      inner width of a slot's closing comment (default 24)
  -h, --help                  this text
  -v, --version               hotpath's and TypeScript's versions
`;

/** Marks the ts.Diagnostic objects that carry a hotpath diagnostic, so they print as HPxxxx. */
const hotpathDiagnostics = new WeakSet<ts.Diagnostic>();

/** ts.DiagnosticCategory's values, the same in every TypeScript version. */
export const DiagnosticCategory = { Warning: 0, Error: 1, Suggestion: 2, Message: 3 } as const;

/** Our diagnostic as a ts.Diagnostic with `code` and `messageText`, the hint as tsc's indented second line. */
function diagnosticOf(d: HotpathDiagnostic, code: number, messageText: string): ts.Diagnostic {
  const category = d.category === 'error' ? DiagnosticCategory.Error : DiagnosticCategory.Warning;
  return {
    file: d.file,
    start: d.start,
    length: d.length,
    // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- DiagnosticCategory holds ts.DiagnosticCategory's values without loading TypeScript
    category,
    code,
    source: 'hotpath',
    // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- DiagnosticCategory holds ts.DiagnosticCategory's values without loading TypeScript
    messageText: { messageText, category, code, next: [{ messageText: d.hint, category: DiagnosticCategory.Message, code }] },
  };
}

/** Our diagnostic as a ts.Diagnostic (code without its prefix) that formatDiagnostic prints as HPxxxx. */
export function toTsDiagnostic(d: HotpathDiagnostic): ts.Diagnostic {
  const diagnostic = diagnosticOf(d, Number(d.code.slice(2)), d.message);
  hotpathDiagnostics.add(diagnostic);
  return diagnostic;
}

/**
 * The number tsc prints as `TS<n>` for an HP code where tsc's own printer prints it (ts-patch):
 * 990000 + n (HP1007 -> TS991007), above every code of TypeScript's own (95197 is the highest
 * in 6.0), so an HP error never reads as one of tsc's (TS1007 is "Unterminated string literal").
 */
export const tscCodeOf = (code: string): number => 990_000 + Number(code.slice(2));

/** For tsc's own printer (ts-patch): `TS99xxxx`, and the message starts with the HP code. */
export function toTscPrintedDiagnostic(d: HotpathDiagnostic): ts.Diagnostic {
  return diagnosticOf(d, tscCodeOf(d.code), `${d.code}: ${d.message}`);
}

/** Formats like tsc (`file(line,col): error TS2322: …`), our diagnostics with their HP code. */
export function formatDiagnostic(diagnostic: ts.Diagnostic, host: ts.FormatDiagnosticsHost, pretty: boolean, ts: TypeScript = requireTypeScript()): string {
  const format = (d: ts.Diagnostic) =>
    pretty ? ts.formatDiagnosticsWithColorAndContext([d], host) + host.getNewLine() : ts.formatDiagnostic(d, host);
  const text = format(diagnostic);
  if (!hotpathDiagnostics.has(diagnostic)) return text;
  // The code's exact position: the last `TS<code>` of the first line once the message is
  // gone (the file's path before it may contain the same text; the message comes after it).
  const code = `TS${diagnostic.code}`;
  const header = format({ ...diagnostic, messageText: '' }).split('\n', 1)[0]!;
  const at = header.lastIndexOf(code);
  return at >= 0 && text.startsWith(code, at) ? `${text.slice(0, at)}HP${diagnostic.code}${text.slice(at + code.length)}` : text;
}

/** Every hotpath diagnostic of the program's own source files, and HP1011 once per program. */
export function hotpathDiagnosticsOf(program: ts.Program, options?: HotpathTransformerOptions): HotpathDiagnostic[] {
  const { checkMarkers } = createMarkerChecks(options?.typescript ?? requireTypeScript());
  const out: HotpathDiagnostic[] = [];
  let sites = 0;
  let modules = 0;
  let firstSite: MarkerSite | undefined;
  for (const file of ownSourceFiles(program)) {
    const result = checkMarkers(program, file, options);
    out.push(...result.diagnostics);
    if (result.sites.length > 0) {
      sites += result.sites.length;
      modules++;
      firstSite ??= result.sites[0];
    }
  }
  const { removeComments, noEmit } = program.getCompilerOptions();
  if (removeComments && !noEmit && firstSite) {
    // The printer skips every comment under removeComments, synthesized ones too: slots and record tables vanish.
    const file = firstSite.call.getSourceFile();
    const start = firstSite.call.getStart(file);
    out.push({
      code: 'HP1011',
      category: 'warning',
      file,
      start,
      length: firstSite.call.getEnd() - start,
      message:
        `removeComments is on: TypeScript drops every comment from the output, including the slot comments of the ${sites} patch site${sites === 1 ? '' : 's'} ` +
        `in ${modules} module${modules === 1 ? '' : 's'} (the first is here) and their record tables, so no site will be patched at boot (the program still computes the same results, reading the variables)`,
      hint: 'Set "removeComments": false (or drop --removeComments) for the build whose output hotpath patches.',
    });
  }
  return out;
}

/** Options taken off the command line before tsc parses it. */
function takeHotpathOptions(args: readonly string[]): { rest: string[]; options: HotpathTransformerOptions; errors: string[] } {
  const rest: string[] = [];
  const errors: string[] = [];
  let runtimeModule: string | undefined;
  let slotWidth: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--hotpathRuntime') {
      runtimeModule = args[++i];
      if (!runtimeModule) errors.push('--hotpathRuntime needs a module specifier');
    } else if (arg === '--hotpathSlotWidth') {
      slotWidth = Number(args[++i]);
      // eslint-disable-next-line hotpath/prefer-subtract-compare -- argument validation: not hot, and a fraction must fail it
      if (!Number.isInteger(slotWidth) || slotWidth < 8 || slotWidth > 4096) errors.push('--hotpathSlotWidth needs an integer from 8 to 4096');
    } else {
      rest.push(arg);
    }
  }
  return { rest, options: { runtimeModule, slotWidth }, errors };
}

/** Command-line path options are relative to the current directory (tsc makes them absolute). */
const PATH_OPTIONS = ['outDir', 'rootDir', 'outFile', 'declarationDir', 'baseUrl', 'tsBuildInfoFile', 'mapRoot'] as const;

/** `hotpath 0.1.0 (TypeScript 6.0.3)`; says which package it is when not `typescript`, and when none is usable. */
export function hotpathVersion(ts?: TypeScript): string {
  const load = loadTypeScript();
  if (ts && !(load.ok && load.ts === ts)) return `hotpath ${packageVersion()} (TypeScript ${ts.version})`;
  if (!load.ok) return `hotpath ${packageVersion()} (TypeScript missing: ${load.found})`;
  return `hotpath ${packageVersion()} (TypeScript ${load.ts.version}${load.packageName === 'typescript' ? '' : `, from ${load.packageName}`})`;
}

/** hotpath's package.json version, or "unknown". */
export function packageVersion(): string {
  return ownManifest()?.version ?? 'unknown';
}

/** What tsc takes for a help or version request: answered without TypeScript when none is usable. */
const HELP_FLAGS = new Set(['-h', '--help', '-?', '--all']);
const VERSION_FLAGS = new Set(['-v', '--version']);

/**
 * Runs `hotpath build <args>` with `typescript` (default: checks/typescript.ts's);
 * returns tsc's exit code for the same situation. With no usable TypeScript: one HP1012
 * line and exit 1 (help and version still answer).
 */
export function runBuild(args: readonly string[], io: BuildIO = defaultIO(), typescript?: TypeScript): number {
  let ts = typescript;
  if (!ts) {
    const load = loadTypeScript();
    if (!load.ok) {
      if (args.some((a) => VERSION_FLAGS.has(a))) {
        io.write(`${hotpathVersion()}\n`);
        return ExitStatus.Success;
      }
      if (args.some((a) => HELP_FLAGS.has(a))) {
        io.write(BUILD_HELP);
        return ExitStatus.Success;
      }
      io.write(`error ${load.code}: ${load.message}. ${load.hint}\n`);
      return ExitStatus.DiagnosticsPresent_OutputsSkipped;
    }
    ts = load.ts;
  }
  return build(ts, args, io);
}

function build(ts: TypeScript, args: readonly string[], io: BuildIO): number {
  const newLine = ts.sys.newLine;
  const formatHost: ts.FormatDiagnosticsHost = {
    getCurrentDirectory: () => io.currentDirectory,
    getNewLine: () => newLine,
    getCanonicalFileName: ts.sys.useCaseSensitiveFileNames ? (f) => f : (f) => f.toLowerCase(),
  };
  let pretty = io.isTTY;
  const report = (d: ts.Diagnostic) => io.write(formatDiagnostic(d, formatHost, pretty, ts));

  const taken = takeHotpathOptions(args);
  const { rest, errors } = taken;
  const hotpathOptions: HotpathTransformerOptions = { ...taken.options, typescript: ts };
  if (errors.length > 0) {
    for (const e of errors) io.write(`error HP1000: ${e}${newLine}`);
    return ExitStatus.DiagnosticsPresent_OutputsSkipped;
  }
  const passHooks = {
    hotpathOptions,
    diagnosticsOf: (program: ts.Program) => hotpathDiagnosticsOf(program, hotpathOptions).map(toTsDiagnostic),
    createTransformer: (program: ts.Program, options: HotpathTransformerOptions = hotpathOptions) => createHotpathTransformer(program, options),
  };
  // What watch and build mode use for the terminal and the disk (io.writeFile: the files go there instead).
  const writeFile = io.writeFile;
  const system: ts.System = {
    ...ts.sys,
    write: io.write,
    getCurrentDirectory: () => io.currentDirectory,
    ...(writeFile ? { writeFile: (name: string, text: string, bom?: boolean) => writeFile(name, text, !!bom) } : {}),
  };
  if (ts.isBuildCommand(rest)) {
    // tsc -b: the solution builder (compiler/build-solution.ts); --watch keeps running.
    const solutionIO = { system, isTTY: io.isTTY, formatDiagnostic: (d: ts.Diagnostic, p: boolean) => formatDiagnostic(d, formatHost, p, ts), help: BUILD_HELP };
    return runSolutionBuild(ts, rest.slice(1), solutionIO, passHooks) ?? ExitStatus.Success;
  }
  const commandLine = ts.parseCommandLine(rest);
  if (commandLine.errors.length > 0) {
    commandLine.errors.forEach(report);
    return ExitStatus.DiagnosticsPresent_OutputsSkipped;
  }
  const cli = commandLine.options;
  if (cli.version) {
    io.write(hotpathVersion(ts) + newLine);
    return ExitStatus.Success;
  }
  if (cli.help || cli.all) {
    io.write(BUILD_HELP);
    return ExitStatus.Success;
  }
  if (cli.init || cli.showConfig) {
    io.write(`error HP1000: hotpath build does not support --${cli.init ? 'init' : 'showConfig'}; use tsc for that.${newLine}`);
    return ExitStatus.DiagnosticsPresent_OutputsSkipped;
  }

  const cwd = io.currentDirectory;
  let configFileName: string | undefined;
  if (cli.project) {
    if (commandLine.fileNames.length !== 0) {
      io.write(`error TS5042: Option 'project' cannot be mixed with source files on a command line.${newLine}`);
      return ExitStatus.DiagnosticsPresent_OutputsSkipped;
    }
    const fileOrDirectory = ts.sys.resolvePath(pathIn(ts, cwd, cli.project));
    if (ts.sys.directoryExists(fileOrDirectory)) {
      configFileName = `${fileOrDirectory.replace(/[\\/]$/, '')}/tsconfig.json`;
      if (!ts.sys.fileExists(configFileName)) {
        io.write(`error TS5057: Cannot find a tsconfig.json file at the specified directory: '${cli.project}'.${newLine}`);
        return ExitStatus.DiagnosticsPresent_OutputsSkipped;
      }
    } else {
      configFileName = fileOrDirectory;
      if (!ts.sys.fileExists(configFileName)) {
        io.write(`error TS5058: The specified path does not exist: '${cli.project}'.${newLine}`);
        return ExitStatus.DiagnosticsPresent_OutputsSkipped;
      }
    }
  } else if (commandLine.fileNames.length === 0) {
    configFileName = ts.findConfigFile(cwd, ts.sys.fileExists);
    if (!configFileName) {
      io.write(hotpathVersion(ts) + newLine + BUILD_HELP);
      return ExitStatus.DiagnosticsPresent_OutputsSkipped;
    }
  }

  const commandLineOptions: ts.CompilerOptions = { ...cli };
  for (const key of PATH_OPTIONS) {
    const value = commandLineOptions[key];
    if (typeof value === 'string') commandLineOptions[key] = pathIn(ts, cwd, value);
  }

  let config: ts.ParsedCommandLine;
  if (configFileName) {
    let unrecoverable = false;
    const parsed = ts.getParsedCommandLineOfConfigFile(configFileName, commandLineOptions, {
      ...ts.sys,
      getCurrentDirectory: () => cwd,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        unrecoverable = true;
        report(d);
      },
    });
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unrecoverable is set in the callback above, which TypeScript does not see
    if (!parsed || unrecoverable) return ExitStatus.DiagnosticsPresent_OutputsSkipped;
    config = parsed;
  } else {
    config = { ...commandLine, fileNames: commandLine.fileNames.map((f) => pathIn(ts, cwd, f)), options: commandLineOptions };
  }
  const configPretty = config.options['pretty'];
  if (typeof configPretty === 'boolean') pretty = configPretty;
  if (cli.watch) {
    // tsc --watch (compiler/build-watch.ts): parses the config again on every change; keeps running.
    const target = { configFileName, rootFiles: config.fileNames, options: commandLineOptions, watchOptions: commandLine.watchOptions, pretty };
    runWatch(ts, system, target, { ...passHooks, reportDiagnostic: report } satisfies PassHooks);
    return ExitStatus.Success;
  }
  return compile(ts, config, hotpathOptions, io, report, newLine);
}

function pathIn(ts: TypeScript, cwd: string, p: string): string {
  return ts.sys.resolvePath(p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) ? p : `${cwd}/${p}`);
}

/** tsc's performCompilation + emitFilesAndReportErrors, with the pass added. */
function compile(
  ts: TypeScript,
  config: ts.ParsedCommandLine,
  hotpathOptions: HotpathTransformerOptions,
  io: BuildIO,
  report: (d: ts.Diagnostic) => void,
  newLine: string,
): number {
  const { options } = config;
  const incremental = !!(options.incremental || options.composite);
  // A builder program needs the source files' versions, which only the incremental host sets.
  const host = incremental ? ts.createIncrementalCompilerHost(options) : ts.createCompilerHost(options);
  likeTscHost(ts, host, incremental);
  const rootNames = config.fileNames;
  const configFileParsingDiagnostics = ts.getConfigFileParsingDiagnostics(config);
  const builder = incremental
    ? ts.createIncrementalProgram({ rootNames, options, projectReferences: config.projectReferences, host, configFileParsingDiagnostics })
    : undefined;
  const program = builder ? builder.getProgram() : ts.createProgram({ rootNames, options, projectReferences: config.projectReferences, host, configFileParsingDiagnostics });
  const source = builder ?? program;
  // Sites reading a referenced project's variables are planned from its sources (build-references.ts).
  const analysis = analyse(ts, program, host);
  const planned = analysis?.program ?? program;

  const all: ts.Diagnostic[] = [...source.getConfigFileParsingDiagnostics()];
  const configCount = all.length;
  all.push(...source.getSyntacticDiagnostics());
  let ours: ts.Diagnostic[] = [];
  if (all.length === configCount) {
    all.push(...source.getOptionsDiagnostics());
    if (!options.listFilesOnly) {
      all.push(...source.getGlobalDiagnostics());
      if (all.length === configCount) {
        all.push(...source.getSemanticDiagnostics());
        ours = hotpathDiagnosticsOf(planned, hotpathOptions).filter((d) => !analysis || analysis.own.has(d.file)).map(toTsDiagnostic);
      }
      if (options.noEmit && (options.declaration || options.composite) && all.length === configCount) {
        all.push(...source.getDeclarationDiagnostics());
      }
    }
  }
  const ourErrors = ours.filter((d) => d.category === ts.DiagnosticCategory.Error).length;
  const skipForOurErrors = !!options.noEmitOnError && ourErrors > 0;
  claimDiagnostics(program); // reported here: a ts-patch plugin entry in the same emit stays quiet
  const transformer = createHotpathTransformer(planned, hotpathOptions);
  if (builder) applyPassAtProgramEmit(program, transformer); // beneath the builder: see build-incremental.ts
  const emitResult: ts.EmitResult =
    options.listFilesOnly || skipForOurErrors
      ? { emitSkipped: true, diagnostics: [] }
      : source.emit(undefined, io.writeFile, undefined, undefined, builder ? undefined : { before: [transformer] });
  all.push(...emitResult.diagnostics);
  if ((builder || analysis) && !emitResult.emitSkipped && !options.listFilesOnly) {
    // The builder re-emits only what it takes as affected; the pass's part of other files may be stale.
    const write = io.writeFile ?? host.writeFile;
    const written = builder ? reEmitStalePassOutputs(ts, program, transformer, hotpathOptions, write, (f) => host.readFile(f), planned) : [];
    if (analysis) written.push(...registerInReferences(ts, analysis, hotpathOptions, (p, o) => createHotpathTransformer(p, o), write));
    if (options.listEmittedFiles) emitResult.emittedFiles?.push(...written);
  }
  const diagnostics = [...ts.sortAndDeduplicateDiagnostics([...all, ...ours])];
  diagnostics.forEach(report);

  const write = (s: string) => io.write(s + newLine);
  if (options.listEmittedFiles) for (const file of emitResult.emittedFiles ?? []) write(`TSFILE: ${ts.sys.resolvePath(file)}`);
  if (options.listFiles || options.listFilesOnly) for (const file of program.getSourceFiles()) write(file.fileName);

  const errorCount = diagnostics.length - (ours.length - ourErrors);
  if (isPretty(options, io) && errorCount > 0) io.write(`${newLine}Found ${errorCount} error${errorCount === 1 ? '' : 's'}.${newLine}${newLine}`);
  if (emitResult.emitSkipped && errorCount > 0) return ExitStatus.DiagnosticsPresent_OutputsSkipped;
  if (errorCount > 0) return ExitStatus.DiagnosticsPresent_OutputsGenerated;
  return ExitStatus.Success;
}

/**
 * What tsc's performCompilation does to its host: JSDoc parsed only where type errors can
 * depend on it (not in .ts files' comments, and never in the lib files' thousands of them),
 * and file-system answers cached for the build (createIncrementalCompilerHost caches its own).
 * The marker checks read tags from the comment text (checks/tags.ts hasTag), so they find
 * the same `@boot` either way.
 */
function likeTscHost(ts: TypeScript, host: ts.CompilerHost, incremental: boolean): void {
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
  if (incremental) return;
  // Internal helpers, exported by TypeScript 5.9–6.x; without them the host stays as it is.
  const internal = ts as unknown as {
    changeCompilerHostLikeToUseCache?: (host: ts.CompilerHost, toPath: (fileName: string) => string) => unknown;
    toPath?: (fileName: string, basePath: string, getCanonicalFileName: (fileName: string) => string) => string;
    createGetCanonicalFileName?: (useCaseSensitiveFileNames: boolean) => (fileName: string) => string;
  };
  const { changeCompilerHostLikeToUseCache, toPath, createGetCanonicalFileName } = internal;
  if (typeof changeCompilerHostLikeToUseCache !== 'function' || typeof toPath !== 'function' || typeof createGetCanonicalFileName !== 'function') return;
  const currentDirectory = host.getCurrentDirectory();
  const canonical = createGetCanonicalFileName(host.useCaseSensitiveFileNames());
  changeCompilerHostLikeToUseCache(host, (fileName) => toPath(fileName, currentDirectory, canonical));
}

function isPretty(options: ts.CompilerOptions, io: BuildIO): boolean {
  const pretty = options['pretty'];
  return typeof pretty === 'boolean' ? pretty : io.isTTY;
}
