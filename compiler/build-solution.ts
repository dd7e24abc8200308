/**
 * `hotpath build -b/--build [projects…]`: tsc's build mode (ts.createSolutionBuilder, or
 * ts.createSolutionBuilderWithWatch with --watch) with its flags (--verbose, --dry,
 * --force, --clean, --stopBuildOnErrors, …), status lines and exit codes, and the pass
 * applied to every project it builds. A site reading a variable of a referenced project:
 * build-references.ts.
 */
import type TS from 'typescript';
import { repairReferencedRegistrations } from './build-references.js';
import { hotpathCreateProgram, parseJSDocLikeTsc, watchStatusReporter, type PassHooks } from './build-watch.js';

export interface SolutionIO {
  readonly system: TS.System;
  readonly isTTY: boolean;
  /** Prints a diagnostic as tsc does, an HP one with its HP code. */
  readonly formatDiagnostic: (diagnostic: TS.Diagnostic, pretty: boolean) => string;
  /** Printed for --help (tsc prints its build help). */
  readonly help: string;
}

/** Runs `tsc -b <args>` with the pass; returns tsc's exit status, or undefined while --watch keeps running. */
export function runSolutionBuild(ts: typeof TS, args: readonly string[], io: SolutionIO, passHooks: Omit<PassHooks, 'reportDiagnostic'>): number | undefined {
  const { system } = io;
  const { buildOptions, watchOptions, projects, errors } = ts.parseBuildCommand(args);
  const pretty = typeof buildOptions.pretty === 'boolean' ? buildOptions.pretty : io.isTTY;
  const reportDiagnostic: TS.DiagnosticReporter = (d) => system.write(io.formatDiagnostic(d, pretty));
  if (errors.length > 0) {
    errors.forEach(reportDiagnostic);
    return ts.ExitStatus.DiagnosticsPresent_OutputsSkipped;
  }
  if (buildOptions.help || projects.length === 0) {
    system.write(io.help);
    return ts.ExitStatus.Success;
  }
  const hooks: PassHooks = { ...passHooks, reportDiagnostic };
  const createProgram = hotpathCreateProgram(ts, hooks);
  const statusReporter = ts.createBuilderStatusReporter(system, pretty);
  if (buildOptions.watch) {
    const reportWatchStatus = watchStatusReporter(ts, system, pretty);
    const host = ts.createSolutionBuilderWithWatchHost(system, createProgram, reportDiagnostic, statusReporter, reportWatchStatus);
    parseJSDocLikeTsc(ts, host);
    const onWatchStatusChange = host.onWatchStatusChange;
    host.onWatchStatusChange = (diagnostic, newLine, options, errorCount) => {
      // 6193/6194 "Found N errors. Watching for file changes.": the cycle is done.
      if (diagnostic.code === 6193 || diagnostic.code === 6194) repairReferencedRegistrations(ts, projects, system, hooks);
      onWatchStatusChange?.(diagnostic, newLine, options, errorCount);
    };
    ts.createSolutionBuilderWithWatch(host, projects, buildOptions, watchOptions).build();
    return undefined;
  }
  const host = ts.createSolutionBuilderHost(system, createProgram, reportDiagnostic, statusReporter, errorSummaryReporter(ts, system, pretty));
  parseJSDocLikeTsc(ts, host);
  const builder = ts.createSolutionBuilder(host, projects, buildOptions);
  if (buildOptions.clean) return builder.clean();
  const status = builder.build();
  if (!buildOptions.dry) repairReferencedRegistrations(ts, projects, system, hooks);
  return status;
}

/** tsc's `Found N errors in …` summary, printed only when pretty (getErrorSummaryText is not in the public API). */
function errorSummaryReporter(ts: typeof TS, system: TS.System, pretty: boolean): TS.ReportEmitErrorSummary | undefined {
  const summary = (ts as unknown as { getErrorSummaryText?: (count: number, files: readonly unknown[], newLine: string, host: TS.System) => string }).getErrorSummaryText;
  if (!pretty) return undefined;
  return typeof summary === 'function'
    ? (errorCount, filesInError) => system.write(summary(errorCount, filesInError, system.newLine, system))
    : (errorCount) => system.write(`${system.newLine}Found ${errorCount} error${errorCount === 1 ? '' : 's'}.${system.newLine}${system.newLine}`);
}
