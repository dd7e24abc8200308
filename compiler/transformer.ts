/**
 * The `STATIC_VARIABLE_LOAD` pass: a before-transformer built from a Program.
 * - a valid marker call becomes a slot `(/*@hp:N*\/ (x) /*@hp:N   *\/)` that still reads x;
 *   an invalid one stays the call (the identity: correct, not patched);
 * - a module with sites gets a record table and `noteSiteModule(moduleKey, n)`;
 * - a module declaring a variable read by a site gets
 *   `registerStaticVariable(key, () => x, import.meta.url)` (`__filename` in CommonJS) right
 *   after the declaration: the module's own location makes the variable's run-time identity;
 * - every `@boot` function gets `assertBootPhase(where)` as its first statement
 *   (only when the program uses the marker at all).
 * A file with nothing to do is returned as the same node, so a program without the
 * marker emits exactly what tsc emits.
 */
import path from 'node:path';
import type * as ts from 'typescript';
import {
  DEFAULT_SLOT_WIDTH,
  RUNTIME_API,
  recordTableText,
  slotCloseText,
  slotOpenText,
  variableKey,
  type SiteRecord,
} from '../runtime/site-format.js';
import type { MarkerSite } from '../checks/diagnostic.js';
import { createMarkerChecks, type MarkerChecks } from '../checks/marker-checks.js';
import { moduleKeyOf, projectDirectoryOf } from '../checks/module-key.js';
import type { BootFunction } from '../checks/tags.js';
import { builtWith, requireTypeScript, TypeScriptUnavailableError, type TypeScript } from '../checks/typescript.js';
import { freshName } from './js/fresh-name.js';

export interface HotpathTransformerOptions {
  /** Module specifier of the runtime that compiled code imports. Default `"hotpath"`. */
  readonly runtimeModule?: string;
  /** Inner length of a slot's closing comment (how long a literal fits). Default DEFAULT_SLOT_WIDTH. */
  readonly slotWidth?: number;
  /** Directory module keys are relative to. Default: the tsconfig's directory, else the program's current directory. */
  readonly projectDirectory?: string;
  /**
   * The TypeScript the program was built with. Default: the one checks/typescript.ts
   * loads (`typescript` 5.9–6.x, else `@typescript/typescript6`). Pass it when your tool
   * picks its own compiler (ts-loader's `compiler`, @rollup/plugin-typescript's `typescript`).
   */
  readonly typescript?: TypeScript;
  /**
   * Variables to register although no site of this program reads them, by declaring file
   * name: the sites are in another project that references this one (compiler/build-references.ts
   * checked them against this project's sources). Implies the `@boot` guards.
   */
  readonly alsoRegister?: ReadonlyMap<string, readonly string[]>;
}

/** What the pass does to one file, decided once per program. */
interface FilePlan {
  readonly moduleKey: string;
  readonly sites: readonly MarkerSite[];
  /** The record of each site, in site order. */
  readonly records: readonly SiteRecord[];
  /** Declaring statement -> declared identifiers to register after it. */
  readonly registrations: ReadonlyMap<ts.VariableStatement, readonly ts.Identifier[]>;
  readonly bootFunctions: readonly BootFunction[];
}

interface ProgramPlan {
  readonly files: ReadonlyMap<ts.SourceFile, FilePlan>;
}

/** Analyses the whole program: which files get slots, registrations and guards. */
export function planProgram(program: ts.Program, options: HotpathTransformerOptions = {}): ProgramPlan {
  const ts = options.typescript ?? requireTypeScript();
  const { checkMarkers, findBootFunctions, unsupportedModuleFormat } = createMarkerChecks(ts);
  const projectDirectory = projectDirectoryOf(program, options);
  const checkOptions = { projectDirectory };
  const sources = ownSourceFiles(program);
  const sitesByFile = new Map<ts.SourceFile, readonly MarkerSite[]>();
  const registered = new Map<ts.SourceFile, Map<ts.VariableStatement, Map<string, ts.Identifier>>>();
  let anyMarker = false;
  for (const file of sources) {
    const result = checkMarkers(program, file, checkOptions);
    if (result.markerCalls.length > 0) anyMarker = true;
    if (result.sites.length > 0) sitesByFile.set(file, result.sites);
    for (const site of result.sites) {
      let byStatement = registered.get(site.declaringFile);
      if (!byStatement) {
        byStatement = new Map();
        registered.set(site.declaringFile, byStatement);
      }
      let names = byStatement.get(site.declarationStatement);
      if (!names) {
        names = new Map();
        byStatement.set(site.declarationStatement, names);
      }
      names.set(site.name, site.declarationName);
    }
  }
  for (const file of sources) {
    const names = options.alsoRegister?.get(file.fileName);
    if (!names || names.length === 0) continue;
    anyMarker = true;
    for (const statement of file.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name) || !names.includes(declaration.name.text)) continue;
        let byStatement = registered.get(file);
        if (!byStatement) {
          byStatement = new Map();
          registered.set(file, byStatement);
        }
        let declared = byStatement.get(statement);
        if (!declared) {
          declared = new Map();
          byStatement.set(statement, declared);
        }
        declared.set(declaration.name.text, declaration.name);
      }
    }
  }
  const files = new Map<ts.SourceFile, FilePlan>();
  for (const file of sources) {
    if (unsupportedModuleFormat(program, file)) continue; // AMD, UMD, System: as tsc emits it (HP1015 on its markers)
    const sites = sitesByFile.get(file) ?? [];
    const registrations = new Map<ts.VariableStatement, ts.Identifier[]>();
    for (const [statement, names] of registered.get(file) ?? []) registrations.set(statement, [...names.values()]);
    const bootFunctions = anyMarker ? findBootFunctions(file) : [];
    if (sites.length > 0 || registrations.size > 0 || bootFunctions.length > 0) {
      const records = sites.map((site): SiteRecord => {
        // Through `./pool.js#again` the reader reads another instance than the emitted path names: no from, a load.
        const from = site.throughQueryOrFragment ? undefined : emittedPathBetween(program, file, site.declaringFile, ts);
        return { var: site.variableKey, read: site.read, export: site.export, ...(from === undefined ? {} : { from }), ...(from === undefined || site.via === undefined ? {} : { via: site.via }) };
      });
      files.set(file, { moduleKey: moduleKeyOf(file.fileName, projectDirectory), sites, records, registrations, bootFunctions });
    }
  }
  return { files };
}

/**
 * Where `declaringFile`'s emitted JavaScript is, relative to `usingFile`'s, as a relative
 * import spells it (`./pool.js`, `../lib/pool.cjs`); `""` for the file itself; undefined
 * when it cannot be told (then the site stays a load at boot).
 * tsc writes every output at its source's path under the common source directory
 * (rootDir), moved to outDir, or beside the source: the relative path between two outputs
 * is the one between their sources, with the output extension.
 */
export function emittedPathBetween(program: ts.Program, usingFile: ts.SourceFile, declaringFile: ts.SourceFile, ts: TypeScript = requireTypeScript()): string | undefined {
  if (usingFile === declaringFile) return '';
  // Asked once per site, answered once per pair of files: a program's options and files do not change.
  let byUsing = emittedPaths.get(program);
  if (!byUsing) emittedPaths.set(program, (byUsing = new WeakMap()));
  let byDeclaring = byUsing.get(usingFile);
  if (!byDeclaring) {
    byDeclaring = new Map();
    byUsing.set(usingFile, byDeclaring);
  }
  if (byDeclaring.has(declaringFile)) return byDeclaring.get(declaringFile);
  const relative = computeEmittedPathBetween(program, usingFile, declaringFile, ts);
  byDeclaring.set(declaringFile, relative);
  return relative;
}

const emittedPaths = new WeakMap<ts.Program, WeakMap<ts.SourceFile, Map<ts.SourceFile, string | undefined>>>();

function computeEmittedPathBetween(program: ts.Program, usingFile: ts.SourceFile, declaringFile: ts.SourceFile, ts: TypeScript): string | undefined {
  const options = program.getCompilerOptions();
  if (options.outFile) return undefined; // one bundle: no module has a file of its own
  const reference = referencedProjectEmitting(program, declaringFile.fileName);
  if (reference) return emittedPathToReference(ts, program, usingFile, declaringFile, reference);
  if (options.outDir && options.rootDir) {
    // A file outside rootDir is an error (TS6059) and its output goes elsewhere.
    const root = path.resolve(options.rootDir);
    const inside = (f: string) => !path.relative(root, path.resolve(f)).startsWith('..');
    if (!inside(usingFile.fileName) || !inside(declaringFile.fileName)) return undefined;
  }
  const output = emittedFileName(declaringFile.fileName, options, ts);
  if (output === undefined) return undefined;
  const relative = path.posix.relative(path.posix.dirname(usingFile.fileName), output);
  return relative.startsWith('../') ? relative : `./${relative}`;
}

/**
 * The referenced project (project references) whose sources include `fileName`: in a
 * program that reads the sources of its references rather than their declarations
 * (compiler/build-references.ts), a variable declared there is emitted by that project.
 */
function referencedProjectEmitting(program: ts.Program, fileName: string): ts.ResolvedProjectReference | undefined {
  const seen = new Set<ts.ResolvedProjectReference>();
  const visit = (references: readonly (ts.ResolvedProjectReference | undefined)[] | undefined): ts.ResolvedProjectReference | undefined => {
    for (const reference of references ?? []) {
      if (!reference || seen.has(reference)) continue;
      seen.add(reference);
      if (reference.commandLine.fileNames.some((f) => path.resolve(f) === path.resolve(fileName))) return reference;
      const deeper = visit(reference.references);
      if (deeper) return deeper;
    }
    return undefined;
  };
  return visit(program.getResolvedProjectReferences());
}

/** Between the outputs of two projects: both output paths as tsc computes them (ts.getOutputFileNames). */
function emittedPathToReference(ts: TypeScript, program: ts.Program, usingFile: ts.SourceFile, declaringFile: ts.SourceFile, reference: ts.ResolvedProjectReference): string | undefined {
  const ignoreCase = !ts.sys.useCaseSensitiveFileNames;
  if (reference.commandLine.options.outFile) return undefined;
  const own: ts.ParsedCommandLine = { options: program.getCompilerOptions(), fileNames: [...program.getRootFileNames()], errors: [] };
  let declaring: string | undefined;
  let using: string | undefined;
  try {
    declaring = scriptOutput(ts.getOutputFileNames(reference.commandLine, declaringFile.fileName, ignoreCase));
    using = scriptOutput(ts.getOutputFileNames(own, usingFile.fileName, ignoreCase));
  } catch {
    return undefined; // a program without a config file path (getOutputFileNames asserts one): the site stays a load
  }
  if (!declaring || !using) return undefined;
  const relative = path.posix.relative(path.posix.dirname(using), declaring);
  return relative.startsWith('../') ? relative : `./${relative}`;
}

/**
 * tsc's output name of a source file, beside it (.ts -> .js, .mts -> .mjs, .cts -> .cjs, .tsx -> .js or
 * .jsx with jsx: preserve): ts.getOutputFileNames of a one-file project there, so tsc's own extension
 * rules decide. undefined for a file tsc emits no script for (.d.ts, .json).
 */
function emittedFileName(fileName: string, options: ts.CompilerOptions, ts: TypeScript): string | undefined {
  const beside: ts.ParsedCommandLine = {
    options: { allowJs: true, jsx: options.jsx, configFilePath: path.join(path.dirname(fileName), 'tsconfig.json') },
    fileNames: [fileName],
    errors: [],
  };
  try {
    return scriptOutput(ts.getOutputFileNames(beside, fileName, !ts.sys.useCaseSensitiveFileNames));
  } catch {
    return undefined; // a TypeScript whose getOutputFileNames asserts otherwise: the site stays a load
  }
}

/** The JavaScript file among a source file's outputs (the others are declarations and maps). */
function scriptOutput(names: readonly string[]): string | undefined {
  return names.find((n) => /\.(?:[cm]?js|jsx)$/.test(n));
}

/** The program's own source files: what hotpath checks and rewrites (not declarations, not a library's files). */
export function ownSourceFiles(program: ts.Program): ts.SourceFile[] {
  return program.getSourceFiles().filter((f) => !f.isDeclarationFile && !program.isSourceFileFromExternalLibrary(f));
}

/**
 * The before-transformer factory. Use it as `program.emit(…, { before: [createHotpathTransformer(program)] })`.
 * Give a function returning the current program where a tool keeps one transformer across
 * rebuilds (ts-loader's and @rollup/plugin-typescript's `getProgram`). Each program is
 * analysed once, on its first file transformed. Throws HP1000 when given no program, HP1012 when no usable TypeScript is
 * found, or the one found did not build the program.
 */
export function createHotpathTransformer(
  program: ts.Program | (() => ts.Program),
  options: HotpathTransformerOptions = {},
): ts.TransformerFactory<ts.SourceFile> {
  const currentProgram = typeof program === 'function' ? program : () => program;
  const ts = options.typescript ?? requireTypeScript();
  const first: unknown = currentProgram();
  if (typeof (first as Partial<ts.Program> | undefined)?.getSourceFiles !== 'function') {
    // A tool's config handing over the wrong thing: say what was expected, not a TypeError from inside.
    throw new Error(
      `HP1000: createHotpathTransformer needs a ts.Program, or a function returning the current one; it got ${first === null ? 'null' : typeof first}. ` +
        'Pass the program your tool gives getCustomTransformers/transformers (ts-loader: its second argument, getProgram).',
    );
  }
  if (!builtWith(ts, first as ts.Program)) {
    throw new TypeScriptUnavailableError(
      `this program was built by another TypeScript than the one the pass was given (${ts.version}), whose node kinds differ`,
      'Pass the TypeScript your tool compiles with: createHotpathTransformer(program, { typescript }).',
    );
  }
  const checks = createMarkerChecks(ts);
  const withTs = { ...options, typescript: ts };
  return (context) => (sourceFile) => {
    if (isPassOutput(sourceFile)) return sourceFile; // a second pass in the same emit
    const program = currentProgram();
    const plan = planOf(program, withTs);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- getOriginalNode returns undefined when the original node fails the test
    const original = ts.getOriginalNode(sourceFile, ts.isSourceFile) ?? sourceFile;
    const filePlan = plan.files.get(original);
    if (!filePlan) {
      if (program.getSourceFile(original.fileName) !== original) warnStaleProgram(original.fileName);
      return sourceFile;
    }
    const out = transformFile(ts, checks, context, program, sourceFile, filePlan, options);
    passOutputs.add(out);
    return out;
  };
}

/**
 * Plans by program and project directory (all a plan depends on), shared by every
 * transformer of this module: ts-patch makes a new one for each emit call, and a builder
 * emits file by file.
 */
const plans = new WeakMap<ts.Program, Map<string, ProgramPlan>>();
function planOf(program: ts.Program, options: HotpathTransformerOptions): ProgramPlan {
  let byDirectory = plans.get(program);
  if (!byDirectory) {
    byDirectory = new Map();
    plans.set(program, byDirectory);
  }
  const directory = projectDirectoryOf(program, options);
  let plan = byDirectory.get(directory);
  if (!plan) byDirectory.set(directory, (plan = planProgram(program, options)));
  return plan;
}

let warnedStaleProgram = false;
/** A file this program does not hold is being emitted: the pass cannot know its sites. Said once. */
function warnStaleProgram(fileName: string): void {
  if (warnedStaleProgram) return;
  warnedStaleProgram = true;
  process.stderr.write(
    `hotpath: ${fileName} is emitted by another program than the one createHotpathTransformer was given (a rebuild?), so the pass left it unchanged: ` +
      'markers stay plain reads (correct, not patched). Pass a function returning the current program: createHotpathTransformer(() => getProgram()).\n',
  );
}

/**
 * Process-wide state shared by every copy of hotpath loaded (a `Symbol.for` key): with
 * ts-patch installed, `hotpath build` loads the patched typescript, which adds the
 * tsconfig's plugin (maybe another copy of this module) to the same emit.
 */
function shared<T>(name: string, make: () => T): T {
  const global = globalThis as Record<symbol, unknown>;
  const key = Symbol.for(`hotpath.compiler.${name}`);
  return (global[key] ??= make()) as T;
}

/** Source files this pass returned: a second pass in the same emit leaves them as they are. */
const passOutputs = shared('passOutputs', () => new WeakSet());

function isPassOutput(sourceFile: ts.SourceFile): boolean {
  // A transformer between two passes may wrap our output: follow its `original` chain.
  for (let node: ts.Node | undefined = sourceFile; node; node = (node as { original?: ts.Node }).original) {
    if (passOutputs.has(node)) return true;
  }
  return false;
}

const diagnosticsReported = shared('diagnosticsReported', () => new WeakSet());

/**
 * True the first time it is called for `program` in this process: who reports the HP
 * diagnostics of a program (hotpath build, the ts-patch plugin), so they print once.
 */
export function claimDiagnostics(program: ts.Program): boolean {
  if (diagnosticsReported.has(program)) return false;
  diagnosticsReported.add(program);
  return true;
}

/** The name the runtime's `name` is imported as: one the file's text does not hold, so no parameter or local of the file (in a @boot function, say) shadows it. */
const alias = (sourceFile: ts.SourceFile, name: string): string => freshName(sourceFile.text, `__hotpath_${name}`);

function transformFile(
  ts: TypeScript,
  checks: MarkerChecks,
  context: ts.TransformationContext,
  program: ts.Program,
  sourceFile: ts.SourceFile,
  plan: FilePlan,
  options: HotpathTransformerOptions,
): ts.SourceFile {
  const { factory } = context;
  const width = options.slotWidth ?? DEFAULT_SLOT_WIDTH;
  const siteIds = new Map<ts.CallExpression, number>(plan.sites.map((site, id) => [site.call, id]));
  const boots = new Set<ts.Node>(plan.bootFunctions);
  const used = new Set<keyof typeof RUNTIME_API>();
  const call = (api: keyof typeof RUNTIME_API, args: ts.Expression[]): ts.ExpressionStatement => {
    used.add(api);
    return factory.createExpressionStatement(factory.createCallExpression(factory.createIdentifier(alias(sourceFile, RUNTIME_API[api])), undefined, args));
  };

  // Only the paths from the file down to its sites and @boot functions can change: every
  // other subtree is returned as it is (what visitEachChild returns for a subtree it leaves
  // unchanged), without walking it. Only for the program's own node: a tree another
  // transformer made first is walked whole.
  const onPath = sourceFile === ts.getOriginalNode(sourceFile) ? pathsTo(plan) : undefined;
  const visit = (node: ts.Node): ts.Node => {
    if (onPath && !onPath.has(node)) return node;
    if (ts.isCallExpression(node)) {
      const id = siteIds.get(node);
      if (id !== undefined) return slot(ts, factory, node, id, width);
    }
    const visited = ts.visitEachChild(node, visit, context);
    return boots.has(node) ? guardBootFunction(ts, factory, visited as BootFunction, call('assertBootPhase', [factory.createStringLiteral(bootWhere(ts, node as BootFunction, plan.moduleKey))])) : visited;
  };
  const needsDeepVisit = siteIds.size > 0 || boots.size > 0;

  const statements: ts.Statement[] = [];
  for (const statement of sourceFile.statements) {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- visitNode returns undefined when the visitor drops the node
    statements.push(needsDeepVisit ? (ts.visitNode(statement, visit, ts.isStatement) ?? statement) : statement);
    for (const name of plan.registrations.get(statement as ts.VariableStatement) ?? []) {
      const read = ts.setOriginalNode(factory.createIdentifier(name.text), name); // CommonJS prints `exports.x`
      statements.push(call('registerStaticVariable', [
        factory.createStringLiteral(variableKey(plan.moduleKey, name.text)),
        factory.createArrowFunction(undefined, undefined, [], undefined, factory.createToken(ts.SyntaxKind.EqualsGreaterThanToken), read),
        moduleLocation(ts, checks, factory, program, sourceFile),
      ]));
    }
  }

  const preamble: ts.Statement[] = [];
  if (plan.sites.length > 0) {
    preamble.push(call('noteSiteModule', [factory.createStringLiteral(plan.moduleKey), factory.createNumericLiteral(plan.sites.length)]));
  }
  const runtimeImport = importRuntime(ts, checks, factory, program, sourceFile, [...used], options.runtimeModule ?? 'hotpath');
  if (plan.sites.length > 0) {
    ts.addSyntheticLeadingComment(runtimeImport, ts.SyntaxKind.MultiLineCommentTrivia, recordTableText({ module: plan.moduleKey, sites: plan.records }), true);
  }
  const prologue = countPrologue(ts, statements);
  return factory.updateSourceFile(sourceFile, [
    ...statements.slice(0, prologue),
    runtimeImport,
    ...preamble,
    ...statements.slice(prologue),
  ]);
}

/** The sites' calls and the @boot functions of a file, and every node above them. */
function pathsTo(plan: FilePlan): Set<ts.Node> {
  const nodes = new Set<ts.Node>();
  const add = (start: ts.Node): void => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a SourceFile's parent is undefined, though typed Node
    for (let node: ts.Node | undefined = start; node && !nodes.has(node); node = node.parent) nodes.add(node);
  };
  for (const site of plan.sites) add(site.call);
  for (const fn of plan.bootFunctions) add(fn);
  return nodes;
}

/**
 * The module's own location, which names its variables at run time: `import.meta.url` in
 * ES-module output, `__filename` in CommonJS. In CommonJS run outside Node (a browser
 * bundle) `__filename` may not exist: guarded, the registration
 * then has no location and its sites stay loads.
 */
function moduleLocation(ts: TypeScript, checks: MarkerChecks, factory: ts.NodeFactory, program: ts.Program, sourceFile: ts.SourceFile): ts.Expression {
  // Only CommonJS and ES-module files are transformed (AMD, UMD, System: unsupportedModuleFormat, HP1015).
  if (!checks.emitsCommonJS(program, sourceFile)) {
    return factory.createPropertyAccessExpression(factory.createMetaProperty(ts.SyntaxKind.ImportKeyword, factory.createIdentifier('meta')), 'url');
  }
  const filename = factory.createIdentifier('__filename');
  return factory.createConditionalExpression(
    factory.createStrictEquality(factory.createTypeOfExpression(filename), factory.createStringLiteral('string')),
    undefined,
    filename,
    undefined,
    factory.createVoidZero(),
  );
}

/**
 * `(/*@hp:N*\/ (x) /*@hp:N   *\/)`: comments on the inner parentheses. The read is a fresh
 * identifier without a text range, its original the argument: comments written inside the
 * marker's parentheses are not printed (a line comment would end the line inside the slot,
 * any comment would make it other than `(READ)`), and CommonJS still substitutes
 * `pool_1.x` from the original.
 */
function slot(ts: TypeScript, factory: ts.NodeFactory, node: ts.CallExpression, id: number, width: number): ts.Expression {
  const argument = node.arguments[0] as ts.Identifier;
  const read = ts.setSourceMapRange(ts.setOriginalNode(factory.createIdentifier(argument.text), argument), argument);
  const inner = factory.createParenthesizedExpression(read);
  ts.addSyntheticLeadingComment(inner, ts.SyntaxKind.MultiLineCommentTrivia, slotOpenText(id), false);
  ts.addSyntheticTrailingComment(inner, ts.SyntaxKind.MultiLineCommentTrivia, slotCloseText(id, width), false);
  const outer = factory.createParenthesizedExpression(inner);
  ts.setOriginalNode(outer, node);
  ts.setTextRange(outer, node);
  if (!isLogicalAssignmentValue(ts, node)) return outer;
  // Below ES2021 TypeScript lowers `t ||= v` to `t || (t = v)` with v's parentheses skipped,
  // the slot's comments with them. A partially emitted expression is not skipped, and prints
  // as the expression it holds.
  return ts.setTextRange(factory.createPartiallyEmittedExpression(outer, node), node);
}

/** `t ||= m`, `t &&= m`, `t ??= m` (m in any parentheses): m's value is assigned by a logical assignment. */
function isLogicalAssignmentValue(ts: TypeScript, node: ts.Expression): boolean {
  let child: ts.Node = node;
  while (ts.isParenthesizedExpression(child.parent)) child = child.parent;
  const parent = child.parent;
  if (!ts.isBinaryExpression(parent) || parent.right !== child) return false;
  const operator = parent.operatorToken.kind;
  return operator === ts.SyntaxKind.BarBarEqualsToken || operator === ts.SyntaxKind.AmpersandAmpersandEqualsToken || operator === ts.SyntaxKind.QuestionQuestionEqualsToken;
}

/**
 * ES modules get `import { registerStaticVariable as __hotpath_registerStaticVariable } from "hotpath"`.
 * CommonJS output gets a destructuring `require`: TypeScript's CommonJS transform does not
 * rewrite references to a synthesized import's bindings.
 */
function importRuntime(
  ts: TypeScript,
  checks: MarkerChecks,
  factory: ts.NodeFactory,
  program: ts.Program,
  sourceFile: ts.SourceFile,
  apis: (keyof typeof RUNTIME_API)[],
  specifier: string,
): ts.Statement {
  apis.sort();
  if (checks.emitsCommonJS(program, sourceFile)) {
    const pattern = factory.createObjectBindingPattern(
      apis.map((api) => factory.createBindingElement(undefined, RUNTIME_API[api], alias(sourceFile, RUNTIME_API[api]))),
    );
    const require = factory.createCallExpression(factory.createIdentifier('require'), undefined, [factory.createStringLiteral(specifier)]);
    return factory.createVariableStatement(
      undefined,
      factory.createVariableDeclarationList([factory.createVariableDeclaration(pattern, undefined, undefined, require)], ts.NodeFlags.Const),
    );
  }
  const specifiers = apis.map((api) =>
    factory.createImportSpecifier(false, factory.createIdentifier(RUNTIME_API[api]), factory.createIdentifier(alias(sourceFile, RUNTIME_API[api]))),
  );
  return factory.createImportDeclaration(
    undefined,
    // No phase modifier: TypeScript 5.9 and 6 turn the deprecated `false` into the same undefined.
    factory.createImportClause(undefined, undefined, factory.createNamedImports(specifiers)),
    factory.createStringLiteral(specifier),
  );
}

function countPrologue(ts: TypeScript, statements: readonly ts.Statement[]): number {
  let n = 0;
  while (n < statements.length && ts.isExpressionStatement(statements[n]!) && ts.isStringLiteral((statements[n] as ts.ExpressionStatement).expression)) n++;
  return n;
}

/** `initPool (src/pool.ts:4:17)`: what assertBootPhase names in its error. */
function bootWhere(ts: TypeScript, fn: BootFunction, moduleKey: string): string {
  const file = fn.getSourceFile();
  const nameNode = fn.name ?? (ts.isVariableDeclaration(fn.parent) || ts.isPropertyAssignment(fn.parent) ? fn.parent.name : undefined);
  let name = nameNode && (ts.isIdentifier(nameNode) || ts.isStringLiteral(nameNode) || ts.isPrivateIdentifier(nameNode)) ? nameNode.text : '<anonymous>';
  if (ts.isMethodDeclaration(fn) && ts.isClassLike(fn.parent) && fn.parent.name) name = `${fn.parent.name.text}.${name}`;
  const { line, character } = file.getLineAndCharacterOfPosition((nameNode ?? fn).getStart(file));
  return `${name} (${moduleKey}:${line + 1}:${character + 1})`;
}

function guardBootFunction(ts: TypeScript, factory: ts.NodeFactory, fn: BootFunction, guard: ts.Statement): BootFunction {
  const body = fn.body!;
  let block: ts.Block;
  if (ts.isBlock(body)) {
    const prologue = countPrologue(ts, body.statements);
    block = factory.updateBlock(body, [...body.statements.slice(0, prologue), guard, ...body.statements.slice(prologue)]);
  } else {
    block = factory.createBlock([guard, factory.createReturnStatement(body)], true);
  }
  if (ts.isFunctionDeclaration(fn)) {
    return factory.updateFunctionDeclaration(fn, fn.modifiers, fn.asteriskToken, fn.name, fn.typeParameters, fn.parameters, fn.type, block);
  }
  if (ts.isFunctionExpression(fn)) {
    return factory.updateFunctionExpression(fn, fn.modifiers, fn.asteriskToken, fn.name, fn.typeParameters, fn.parameters, fn.type, block);
  }
  if (ts.isArrowFunction(fn)) {
    return factory.updateArrowFunction(fn, fn.modifiers, fn.typeParameters, fn.parameters, fn.type, fn.equalsGreaterThanToken, block);
  }
  return factory.updateMethodDeclaration(fn, fn.modifiers, fn.asteriskToken, fn.name, fn.questionToken, fn.typeParameters, fn.parameters, fn.type, block);
}
