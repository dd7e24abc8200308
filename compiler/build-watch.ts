/**
 * `hotpath build --watch` (`-w`): tsc's watch mode (ts.createWatchProgram, its status
 * lines, diagnostics and summaries), with the pass applied to every rebuild.
 */
import type TS from 'typescript';
import { addHotpathPass, type PassHooks } from './build-incremental.js';

export type { PassHooks };

/** A CreateProgram for watch and solution builders: tsc's default builder, with the pass. */
export function hotpathCreateProgram(ts: typeof TS, hooks: PassHooks): TS.CreateProgram<TS.EmitAndSemanticDiagnosticsBuilderProgram> {
  return (rootNames, options, host, oldProgram, configFileParsingDiagnostics, projectReferences) => {
    const builder = ts.createEmitAndSemanticDiagnosticsBuilderProgram(rootNames, options, host, oldProgram, configFileParsingDiagnostics, projectReferences);
    return addHotpathPass(ts, builder, host!, hooks);
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
    const host = ts.createWatchCompilerHost(target.configFileName, target.options, system, createProgram, hooks.reportDiagnostic, reportWatchStatus, target.watchOptions);
    parseJSDocLikeTsc(ts, host);
    return ts.createWatchProgram(host);
  }
  const host = ts.createWatchCompilerHost([...target.rootFiles], target.options, system, createProgram, hooks.reportDiagnostic, reportWatchStatus, undefined, target.watchOptions);
  parseJSDocLikeTsc(ts, host);
  return ts.createWatchProgram(host);
}

/** What tsc's watch and build modes set on their hosts: JSDoc parsed only where type errors depend on it (the marker checks read tags from the comment text). */
export function parseJSDocLikeTsc(ts: typeof TS, host: { jsDocParsingMode?: TS.JSDocParsingMode }): void {
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
}
