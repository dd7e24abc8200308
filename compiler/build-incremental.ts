/**
 * The pass in builds that emit only some files (incremental, composite, --watch, -b).
 *
 * TypeScript's builder re-emits the files it considers affected by a change. The pass
 * also writes into files the builder does not consider affected: a new site in
 * `free.ts` needs a registration in `pool.ts`; a variable made invalid (HP1007) in
 * `pool.ts` must take the slot out of `free.ts`; the first marker of a program adds guards
 * to every `@boot` function (and the last one removed takes them away). So after the
 * builder's emit, every file the pass has something to do with (a plan, a marker call, a
 * `@boot` function) is emitted again in memory and written
 * only where its JavaScript differs from what is on disk: no file is written that tsc
 * would not write, unless the pass's part of it changed.
 */
import type TS from 'typescript';
import { createMarkerChecks } from '../checks/marker-checks.js';
import { projectDirectoryOf } from '../checks/module-key.js';
import { claimDiagnostics, ownSourceFiles, planProgram, type HotpathTransformerOptions } from './transformer.js';
import { analyse, registerInReferences } from './build-references.js';

/** A JavaScript output (not a declaration, its map or the build info). */
const isScriptOutput = (fileName: string) => /\.(?:[cm]?js|jsx)$/.test(fileName);

/**
 * Emits again, with `transformer`, each file of `program` whose output the pass changes
 * and whose JavaScript on disk is not what it would be now; writes it (and its source map)
 * with `write`. Returns the names written.
 */
export function reEmitStalePassOutputs(
  ts: typeof TS,
  program: TS.Program,
  transformer: TS.TransformerFactory<TS.SourceFile>,
  hotpathOptions: HotpathTransformerOptions,
  write: TS.WriteFileCallback,
  readFile: (fileName: string) => string | undefined,
  /** The program the transformer plans from (build-references.ts), when not `program`. */
  planned: TS.Program = program,
): string[] {
  const emitFile = passEmits.get(program) ?? ((file: TS.SourceFile, writeFile: TS.WriteFileCallback) => program.emit(file, writeFile, undefined, false, { before: [transformer] }));
  const options = program.getCompilerOptions();
  // outFile: any change re-emits the whole bundle; noEmit/emitDeclarationOnly: no JavaScript.
  if (options.noEmit || options.emitDeclarationOnly || options.outFile) return [];
  const plan = planProgram(planned, { ...hotpathOptions, typescript: ts });
  const { checkMarkers, findBootFunctions } = createMarkerChecks(ts);
  const checkOptions = { projectDirectory: projectDirectoryOf(planned, hotpathOptions) };
  const written: string[] = [];
  for (const file of ownSourceFiles(program)) {
    // Planned now, or maybe before: a marker call (its sites may have become invalid), a
    // `@boot` function (guarded while the program used the marker).
    if (!plan.files.has(file) && checkMarkers(planned, file, checkOptions).markerCalls.length === 0 && findBootFunctions(file).length === 0) continue;
    const outputs: Array<{ name: string; text: string; bom: boolean }> = [];
    const result = emitFile(file, (name, text, bom) => outputs.push({ name, text, bom }));
    if (result.emitSkipped) continue;
    const script = outputs.find((o) => isScriptOutput(o.name));
    if (!script || readFile(script.name) === script.text) continue;
    for (const output of outputs) {
      if (output === script || output.name === `${script.name}.map`) {
        write(output.name, output.text, output.bom, undefined, [file]);
        written.push(output.name);
      }
    }
  }
  return written;
}

/** Programs whose own emit applies the pass (applyPassAtProgramEmit) → their emit of one file, as it was. */
const passEmits = new WeakMap<TS.Program, (file: TS.SourceFile, writeFile: TS.WriteFileCallback) => TS.EmitResult>();

/**
 * Makes `program.emit` apply the pass, for the builder program around it. Why not the
 * builder's customTransformers: a builder given any stops taking file signatures from the
 * emitted .d.ts (a transformer might change it), so its next build re-emits more than
 * tsc's would; a `before` transformer cannot change declarations.
 */
export function applyPassAtProgramEmit(program: TS.Program, transformer: TS.TransformerFactory<TS.SourceFile>): void {
  if (passEmits.has(program)) return;
  const emit = program.emit;
  program.emit = (targetSourceFile, writeFile, cancellationToken, emitOnlyDtsFiles, customTransformers) =>
    emit(targetSourceFile, writeFile, cancellationToken, emitOnlyDtsFiles, { ...customTransformers, before: [transformer, ...(customTransformers?.before ?? [])] });
  passEmits.set(program, (file, writeFile) => program.emit(file, writeFile, undefined, false));
}

/** What the build modes need from compiler/build.ts (passed in: one TypeScript, no import cycle). */
export interface PassHooks {
  readonly hotpathOptions: HotpathTransformerOptions;
  /** The HP diagnostics of a program as ts.Diagnostics (build.ts hotpathDiagnosticsOf + toTsDiagnostic). */
  readonly diagnosticsOf: (program: TS.Program) => TS.Diagnostic[];
  readonly createTransformer: (program: TS.Program, options?: HotpathTransformerOptions) => TS.TransformerFactory<TS.SourceFile>;
  /** Prints a diagnostic as tsc does, an HP one with its HP code (build.ts formatDiagnostic). */
  readonly reportDiagnostic: (diagnostic: TS.Diagnostic) => void;
}

/**
 * The pass added to a builder program in place (watch and -b call its methods, and pass it
 * back as the next build's old program): HP errors join its semantic diagnostics, so they
 * count, print and set exit codes like tsc's (and `noEmitOnError` skips the emit); its emit
 * applies the transformer, then re-emits stale pass outputs, and has referenced projects
 * register what its sites read (build-references.ts). HP warnings are reported once per
 * program on their own: tsc's build mode counts every diagnostic it is given as an error.
 * A build info written while HP errors exist says `errors`, so `-b` does not take the
 * project for up to date next time and reports them again, as it does for tsc's errors.
 */
export function addHotpathPass<T extends TS.BuilderProgram>(ts: typeof TS, builder: T, host: TS.CompilerHost, hooks: PassHooks): T {
  const program = builder.getProgram();
  const analysis = analyse(ts, program, host);
  const planned = analysis?.program ?? program;
  let ours: { errors: TS.Diagnostic[]; warnings: TS.Diagnostic[] } | undefined;
  const hotpath = () => {
    if (!ours) {
      const all = hooks.diagnosticsOf(planned).filter((d) => !analysis || !d.file || analysis.own.has(d.file));
      ours = { errors: all.filter((d) => d.category === ts.DiagnosticCategory.Error), warnings: all.filter((d) => d.category !== ts.DiagnosticCategory.Error) };
    }
    return ours;
  };
  claimDiagnostics(program); // reported here: a ts-patch plugin entry in the same emit stays quiet
  const transformer = hooks.createTransformer(planned); // plans on its first file, not now
  applyPassAtProgramEmit(program, transformer);
  let warned = false;

  const semantic = builder.getSemanticDiagnostics;
  builder.getSemanticDiagnostics = (sourceFile, cancellationToken) => {
    const base = semantic(sourceFile, cancellationToken);
    const errors = hotpath().errors.filter((d) => !sourceFile || d.file === sourceFile);
    return errors.length === 0 ? base : [...base, ...errors];
  };

  const emit = builder.emit;
  builder.emit = (targetSourceFile, writeFile, cancellationToken, emitOnlyDtsFiles, customTransformers) => {
    if (!warned) {
      warned = true;
      hotpath().warnings.forEach(hooks.reportDiagnostic);
    }
    const hasErrors = hotpath().errors.length > 0;
    const write: TS.WriteFileCallback = writeFile ?? ((...args) => host.writeFile(...args));
    const marked: TS.WriteFileCallback = (name, text, bom, onError, sourceFiles, data) => {
      // ts.WriteFileCallbackData is declared empty: the cast names the field tsc passes.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- without it tsc rejects .buildInfo (TS2339)
      const buildInfo = (data as { buildInfo?: { errors?: true } } | undefined)?.buildInfo;
      if (hasErrors && buildInfo && !buildInfo.errors) {
        buildInfo.errors = true;
        text = JSON.stringify(buildInfo);
      }
      write(name, text, bom, onError, sourceFiles, data);
    };
    const result = emit(targetSourceFile, marked, cancellationToken, emitOnlyDtsFiles, customTransformers);
    if (targetSourceFile || emitOnlyDtsFiles || result.emitSkipped) return result;
    const extra = reEmitStalePassOutputs(ts, program, transformer, hooks.hotpathOptions, write, (f) => host.readFile(f), planned);
    if (analysis) extra.push(...registerInReferences(ts, analysis, hooks.hotpathOptions, hooks.createTransformer, write));
    // emittedFiles is what --listEmittedFiles prints (the builder returns [] without it).
    const listed = program.getCompilerOptions().listEmittedFiles && result.emittedFiles;
    return extra.length === 0 || !listed ? result : { ...result, emittedFiles: [...listed, ...extra] };
  };
  return builder;
}
