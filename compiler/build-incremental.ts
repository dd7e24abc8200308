/**
 * The pass in builds that emit only some files (incremental, composite, --watch, -b).
 *
 * TypeScript's builder re-emits the files it considers affected by a change. The pass
 * also writes into files the builder does not consider affected: a new site in
 * `free.ts` needs a registration in `pool.ts`; a variable made invalid (HP1007) in
 * `pool.ts` must take the slot out of `free.ts`; the first marker of a program adds guards
 * to every `@boot` function. So after the builder's emit, every file the pass has
 * something to do with (a plan, or a marker call) is emitted again in memory and written
 * only where its JavaScript differs from what is on disk: no file is written that tsc
 * would not write, unless the pass's part of it changed.
 */
import type TS from 'typescript';
import { checkMarkers, projectDirectoryOf } from './marker-checks.js';
import { planProgram, type HotpathTransformerOptions } from './transformer.js';

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
): string[] {
  const options = program.getCompilerOptions();
  // outFile: any change re-emits the whole bundle; noEmit/emitDeclarationOnly: no JavaScript.
  if (options.noEmit || options.emitDeclarationOnly || options.outFile) return [];
  const plan = planProgram(program, hotpathOptions);
  const checkOptions = { projectDirectory: projectDirectoryOf(program, hotpathOptions) };
  const written: string[] = [];
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || program.isSourceFileFromExternalLibrary(file)) continue;
    if (!plan.files.has(file) && checkMarkers(program, file, checkOptions).markerCalls.length === 0) continue;
    const outputs: Array<{ name: string; text: string; bom: boolean }> = [];
    const result = program.emit(file, (name, text, bom) => outputs.push({ name, text, bom }), undefined, false, { before: [transformer] });
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

/**
 * The pass added to a builder program in place (watch and -b call its methods, and pass it
 * back as the next build's old program): HP errors join its semantic diagnostics, so they
 * count, print and set exit codes like tsc's (and `noEmitOnError` skips the emit); its emit
 * applies the transformer and then re-emits stale pass outputs. HP warnings go to
 * `reportWarning` once per program: tsc's build mode counts every diagnostic it is given as
 * an error. A build info written while HP errors exist says `errors`, so `-b` does not
 * take the project for up to date next time and reports them again, as it does for tsc's.
 */
export function addHotpathPass<T extends TS.BuilderProgram>(
  ts: typeof TS,
  builder: T,
  host: TS.CompilerHost,
  hotpathOptions: HotpathTransformerOptions,
  diagnosticsOf: (program: TS.Program) => TS.Diagnostic[],
  createTransformer: (program: TS.Program) => TS.TransformerFactory<TS.SourceFile>,
  reportWarning: (diagnostic: TS.Diagnostic) => void,
): T {
  const program = builder.getProgram();
  let ours: { errors: TS.Diagnostic[]; warnings: TS.Diagnostic[] } | undefined;
  const hotpath = () => {
    if (!ours) {
      const all = diagnosticsOf(program);
      ours = { errors: all.filter((d) => d.category === ts.DiagnosticCategory.Error), warnings: all.filter((d) => d.category !== ts.DiagnosticCategory.Error) };
    }
    return ours;
  };
  let transformer: TS.TransformerFactory<TS.SourceFile> | undefined;
  let warned = false;

  const semantic = builder.getSemanticDiagnostics;
  builder.getSemanticDiagnostics = (sourceFile, cancellationToken) => {
    const base = semantic(sourceFile, cancellationToken);
    const errors = hotpath().errors.filter((d) => !sourceFile || d.file === sourceFile);
    return errors.length === 0 ? base : [...base, ...errors];
  };

  const emit = builder.emit;
  builder.emit = (targetSourceFile, writeFile, cancellationToken, emitOnlyDtsFiles, customTransformers) => {
    transformer ??= createTransformer(program);
    if (!warned) {
      warned = true;
      hotpath().warnings.forEach(reportWarning);
    }
    const hasErrors = hotpath().errors.length > 0;
    const write: TS.WriteFileCallback = writeFile ?? ((...args) => host.writeFile(...args));
    const marked: TS.WriteFileCallback = (name, text, bom, onError, sourceFiles, data) => {
      const buildInfo = (data as { buildInfo?: { errors?: true } } | undefined)?.buildInfo;
      if (hasErrors && buildInfo && !buildInfo.errors) {
        buildInfo.errors = true;
        text = JSON.stringify(buildInfo);
      }
      write(name, text, bom, onError, sourceFiles, data);
    };
    const before = [transformer, ...(customTransformers?.before ?? [])];
    const result = emit(targetSourceFile, marked, cancellationToken, emitOnlyDtsFiles, { ...customTransformers, before });
    if (targetSourceFile || emitOnlyDtsFiles || result.emitSkipped) return result;
    const extra = reEmitStalePassOutputs(ts, program, transformer, hotpathOptions, write, (f) => host.readFile(f));
    return extra.length === 0 ? result : { ...result, emittedFiles: result.emittedFiles && [...result.emittedFiles, ...extra] };
  };
  return builder;
}
