/**
 * `hotpath build --watch` (`-w`): tsc's watch mode (ts.createWatchProgram, its status
 * lines, diagnostics and summaries), with the pass applied to every rebuild.
 */
import type TS from 'typescript';
import { addHotpathPass } from './build-incremental.js';
import type { HotpathTransformerOptions } from './transformer.js';

/** What the build mode needs from compiler/build.ts (passed in: no import cycle, one TypeScript). */
export interface PassHooks {
  readonly hotpathOptions: HotpathTransformerOptions;
  /** The HP diagnostics of a program as ts.Diagnostics (build.ts hotpathDiagnosticsOf + toTsDiagnostic). */
  readonly diagnosticsOf: (program: TS.Program) => TS.Diagnostic[];
  readonly createTransformer: (program: TS.Program) => TS.TransformerFactory<TS.SourceFile>;
  /** Prints a diagnostic as tsc does, an HP one with its HP code (build.ts formatDiagnostic). */
  readonly reportDiagnostic: (diagnostic: TS.Diagnostic) => void;
}

/** A CreateProgram for watch and solution builders: tsc's default builder, with the pass. */
export function hotpathCreateProgram(ts: typeof TS, hooks: PassHooks): TS.CreateProgram<TS.EmitAndSemanticDiagnosticsBuilderProgram> {
  return (rootNames, options, host, oldProgram, configFileParsingDiagnostics, projectReferences) => {
    const builder = ts.createEmitAndSemanticDiagnosticsBuilderProgram(rootNames, options, host, oldProgram, configFileParsingDiagnostics, projectReferences);
    return addHotpathPass(ts, builder, host!, hooks.hotpathOptions, hooks.diagnosticsOf, hooks.createTransformer, hooks.reportDiagnostic);
  };
}

/** tsc's watch status reporter (not in TypeScript's public API; its default is the plain one). */
export function watchStatusReporter(ts: typeof TS, system: TS.System, pretty: boolean): TS.WatchStatusReporter | undefined {
  const internal = (ts as unknown as { createWatchStatusReporter?: (system: TS.System, pretty?: boolean) => TS.WatchStatusReporter }).createWatchStatusReporter;
  return typeof internal === 'function' ? internal(system, pretty) : undefined;
}

export interface WatchTarget {
  /** The tsconfig.json, or undefined when files are given on the command line. */
  readonly configFileName: string | undefined;
  readonly rootFiles: readonly string[];
  /** Command-line compiler options (paths already absolute). */
  readonly options: TS.CompilerOptions;
  readonly watchOptions: TS.WatchOptions | undefined;
  readonly pretty: boolean;
}

/** Starts watching; returns once the first build is done (the watchers keep the process alive). */
export function runWatch(ts: typeof TS, system: TS.System, target: WatchTarget, hooks: PassHooks): TS.Watch<TS.EmitAndSemanticDiagnosticsBuilderProgram> {
  const createProgram = hotpathCreateProgram(ts, hooks);
  const reportWatchStatus = watchStatusReporter(ts, system, target.pretty);
  if (target.configFileName) {
    return ts.createWatchProgram(
      ts.createWatchCompilerHost(target.configFileName, target.options, system, createProgram, hooks.reportDiagnostic, reportWatchStatus, target.watchOptions),
    );
  }
  return ts.createWatchProgram(
    ts.createWatchCompilerHost([...target.rootFiles], target.options, system, createProgram, hooks.reportDiagnostic, reportWatchStatus, undefined, target.watchOptions),
  );
}
