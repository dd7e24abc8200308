/**
 * Sites reading a variable declared in a referenced project (project references).
 *
 * tsc builds a project against the declarations (.d.ts) its references emitted, where the
 * marker checks cannot see the variable's writes (HP1004). So the pass plans such a
 * project from an *analysis program*: the same root files and options, reading the
 * references' sources instead (what editors do, useSourceOfProjectReferenceRedirect),
 * sharing the project's own SourceFile objects with the program tsc emits, so the plan's
 * nodes are the emitted ones. The variable is then checked where it is declared (HP1007
 * sees its writes), and the record's `from` is the referenced project's output relative
 * to this one's. The declaring project must register the variable: after the emit, each
 * declaring file whose output lacks a registration (or a `@boot` guard) it now needs is
 * emitted again by a program of its own project, with the registration added.
 */
import path from 'node:path';
import type TS from 'typescript';
import { RECORD_TABLE_PREFIX, readRecordTable, variableKey, variableName } from '../runtime/site-format.js';
import type { PassHooks } from './build-incremental.js';
import { createMarkerChecks } from '../checks/marker-checks.js';
import { moduleKeyOf } from '../checks/module-key.js';
import { ownSourceFiles, planProgram, type HotpathTransformerOptions } from './transformer.js';

/** Every project this program references, directly or not, with its source file names. */
function referencedProjects(program: TS.Program): Map<string, TS.ResolvedProjectReference> {
  const byFile = new Map<string, TS.ResolvedProjectReference>();
  const seen = new Set<TS.ResolvedProjectReference>();
  const visit = (references: readonly (TS.ResolvedProjectReference | undefined)[] | undefined) => {
    for (const reference of references ?? []) {
      if (!reference || seen.has(reference)) continue;
      seen.add(reference);
      for (const file of reference.commandLine.fileNames) if (!byFile.has(path.resolve(file))) byFile.set(path.resolve(file), reference);
      visit(reference.references);
    }
  };
  visit(program.getResolvedProjectReferences());
  return byFile;
}

export interface Analysis {
  /** The program to plan from and check: the references' sources in place of their declarations. */
  readonly program: TS.Program;
  /** The project's own files (the diagnostics to report are theirs). */
  readonly own: ReadonlySet<TS.SourceFile>;
  /** Source file name of a referenced project → that project. */
  readonly referenced: ReadonlyMap<string, TS.ResolvedProjectReference>;
}

/**
 * The analysis program of `program`, or undefined when it has no project references or
 * none of its own files spells the marker (then the program itself is planned).
 */
export function analyse(ts: typeof TS, program: TS.Program, host: TS.CompilerHost): Analysis | undefined {
  const referenced = referencedProjects(program);
  if (referenced.size === 0) return undefined;
  const ownFiles = ownSourceFiles(program);
  if (!ownFiles.some((f) => f.text.includes('STATIC_VARIABLE_LOAD'))) return undefined;
  const byName = new Map(ownFiles.map((f) => [f.fileName, f]));
  const analysisHost: TS.CompilerHost = {
    ...host,
    getSourceFile: (fileName, ...rest) => byName.get(fileName) ?? host.getSourceFile(fileName, ...rest),
  };
  (analysisHost as { useSourceOfProjectReferenceRedirect?: () => boolean }).useSourceOfProjectReferenceRedirect = () => true;
  const analysis = ts.createProgram({
    rootNames: program.getRootFileNames(),
    options: program.getCompilerOptions(),
    projectReferences: program.getProjectReferences(),
    host: analysisHost,
  });
  // A reference reached through node_modules (a workspace package) counts as a library; its sources are this build's code.
  const fromLibrary = analysis.isSourceFileFromExternalLibrary.bind(analysis);
  const isReferenced = (file: TS.SourceFile) => referenced.has(path.resolve(file.fileName));
  const planned = new Proxy(analysis, {
    get: (target, key, receiver) =>
      key === 'isSourceFileFromExternalLibrary' ? (file: TS.SourceFile) => fromLibrary(file) && !isReferenced(file) : (Reflect.get(target, key, receiver) as unknown),
  });
  const own = new Set(analysis.getSourceFiles().filter((f) => byName.get(f.fileName) === f));
  return { program: planned, own, referenced };
}

const isScript = (fileName: string) => /\.(?:[cm]?js|jsx)$/.test(fileName);

/**
 * Makes each referenced project's declaring files register the variables this project's
 * sites read (and guard their `@boot` functions): re-emits a declaring file, with its own
 * project's program and options, where its JavaScript on disk lacks them. Returns the names written.
 */
export function registerInReferences(
  ts: typeof TS,
  analysis: Analysis,
  hotpathOptions: HotpathTransformerOptions,
  createTransformer: (program: TS.Program, options: HotpathTransformerOptions) => TS.TransformerFactory<TS.SourceFile>,
  write: TS.WriteFileCallback,
): string[] {
  const plan = planProgram(analysis.program, { ...hotpathOptions, typescript: ts });
  const { findBootFunctions } = createMarkerChecks(ts);
  const demands = new Map<TS.ResolvedProjectReference, Map<string, string[]>>();
  let stale = false;
  const ignoreCase = !ts.sys.useCaseSensitiveFileNames;
  for (const [file, filePlan] of plan.files) {
    const reference = analysis.referenced.get(path.resolve(file.fileName));
    if (!reference || filePlan.registrations.size === 0) continue;
    const names = [...filePlan.registrations.values()].flat().map((n) => n.text);
    let byFile = demands.get(reference);
    if (!byFile) {
      byFile = new Map();
      demands.set(reference, byFile);
    }
    byFile.set(file.fileName, names);
    // Cheap check first: what its output already registers and guards.
    const output = ts.getOutputFileNames(reference.commandLine, file.fileName, ignoreCase).find(isScript);
    const text = output === undefined ? undefined : ts.sys.readFile(output);
    const key = (name: string) => variableKey(moduleKeyOf(file.fileName, path.dirname(reference.sourceFile.fileName)), name);
    const guards = text?.split('__hotpath_assertBootPhase(').length ?? 0;
    if (text === undefined || names.some((n) => !text.includes(`__hotpath_registerStaticVariable(${JSON.stringify(key(n))}`)) || guards - 1 < findBootFunctions(file).length) {
      stale = true;
    }
  }
  if (!stale) return [];
  const written: string[] = [];
  for (const [reference, alsoRegister] of demands) {
    const { commandLine } = reference;
    // A host of its own: a build mode's host resolves modules with the building project's options.
    const ownHost = ts.createCompilerHost(commandLine.options);
    const program = ts.createProgram({ rootNames: commandLine.fileNames, options: commandLine.options, projectReferences: commandLine.projectReferences, host: ownHost });
    const options: HotpathTransformerOptions = { runtimeModule: hotpathOptions.runtimeModule, slotWidth: hotpathOptions.slotWidth, typescript: ts, alsoRegister };
    const transformer = createTransformer(program, options);
    for (const fileName of alsoRegister.keys()) {
      const file = program.getSourceFile(fileName);
      if (!file) continue;
      const outputs: Array<{ name: string; text: string; bom: boolean }> = [];
      const result = program.emit(file, (name, text, bom) => outputs.push({ name, text, bom }), undefined, false, { before: [transformer] });
      const script = outputs.find((o) => isScript(o.name));
      if (result.emitSkipped || !script || ownHost.readFile(script.name) === script.text) continue;
      for (const output of outputs) {
        if (output !== script && output.name !== `${script.name}.map`) continue;
        write(output.name, output.text, output.bom, undefined, [file]);
        written.push(output.name);
      }
    }
  }
  return written;
}

/**
 * After a `-b` build (and each `-b --watch` cycle): a referenced project rebuilt on its own
 * emits only its own plan, and its dependents, up to date with its declarations, are not
 * rebuilt; so a registration that a dependent's site needs can go missing. For each
 * project of the build that has references, the record tables of its outputs say which
 * declaring outputs must register what; only where one does not is the project analysed
 * (the sites checked again, so a variable made invalid is never registered) and the
 * declaring file re-emitted. Returns the names written.
 */
export function repairReferencedRegistrations(ts: typeof TS, projects: readonly string[], system: TS.System, hooks: PassHooks): string[] {
  const ignoreCase = !system.useCaseSensitiveFileNames;
  const seen = new Set<string>();
  const written: string[] = [];
  const visit = (project: string) => {
    const configFile = system.directoryExists(project) ? path.join(project, 'tsconfig.json') : project;
    const resolved = path.resolve(system.getCurrentDirectory(), configFile);
    if (seen.has(resolved)) return;
    seen.add(resolved);
    const config = ts.getParsedCommandLineOfConfigFile(resolved, undefined, { ...system, onUnRecoverableConfigFileDiagnostic: () => {} });
    if (!config) return;
    for (const reference of config.projectReferences ?? []) visit(ts.resolveProjectReferencePath(reference));
    if (!config.projectReferences?.length || !needsRegistrations(ts, config, system, ignoreCase)) return;
    const host = ts.createCompilerHost(config.options);
    const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, projectReferences: config.projectReferences, host });
    const analysis = analyse(ts, program, host);
    if (analysis) written.push(...registerInReferences(ts, analysis, hooks.hotpathOptions, hooks.createTransformer, (name, text, bom) => system.writeFile(name, text, bom)));
  };
  for (const project of projects) visit(project);
  return written;
}

/** Does a record of this project's outputs name a variable that the output it reads does not register? */
function needsRegistrations(ts: typeof TS, config: TS.ParsedCommandLine, system: TS.System, ignoreCase: boolean): boolean {
  if (config.options.noEmit || config.options.outFile) return false;
  for (const fileName of config.fileNames) {
    if (/\.d\.[cm]?ts$/.test(fileName)) continue;
    const output = ts.getOutputFileNames(config, fileName, ignoreCase).find(isScript);
    const text = output === undefined ? undefined : system.readFile(output);
    if (!output || !text?.includes(RECORD_TABLE_PREFIX)) continue;
    const read = readRecordTable(text);
    if (read.kind !== 'table') continue;
    for (const record of read.table.sites) {
      if (!record.from) continue;
      const declaring = system.readFile(path.resolve(path.dirname(output), record.from));
      const name = JSON.stringify(`#${variableName(record.var)}`).slice(1);
      if (declaring === undefined || !new RegExp(`__hotpath_registerStaticVariable\\("[^"]*${escapeRegExp(name)}, `).test(declaring)) return true;
    }
  }
  return false;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
