/**
 * The marker checks: is this `STATIC_VARIABLE_LOAD(x)` a valid patch site? One
 * implementation, called by the compiler pass (compiler/transformer.ts, compiler/build.ts) and by the
 * ESLint rule `valid-static-variable-load`. Pure over a ts.Program: no I/O, never
 * throws on user code (an unexpected failure becomes diagnostic HP1010).
 */
import type * as ts from 'typescript';
import path from 'node:path';
import { variableKey } from '../runtime/site-format.js';
import { requireTypeScript, type TypeScript } from './typescript.js';
import { BOOT_TAG, MARKER_NAME, MARKER_TAG, callText as callTextOf, functionInMessage, jsDocHasTag, rules, writeProblems, type HotpathDiagnosticCode, type RuleText } from './marker-rules.js';

// The rules' codes, texts and tags are defined once, shared with the JavaScript-level front end (compiler/js/).
export { BOOT_TAG, DIAGNOSTIC_CODES, MARKER_TAG, type HotpathDiagnosticCode } from './marker-rules.js';

export interface HotpathDiagnostic {
  readonly code: HotpathDiagnosticCode;
  readonly category: 'error' | 'warning';
  readonly file: ts.SourceFile;
  /** Offset of the reported node's first token in `file`. */
  readonly start: number;
  readonly length: number;
  /** What is wrong, naming positions as `file:line:col`. */
  readonly message: string;
  /** What to do. */
  readonly hint: string;
}

/** A valid marker call: it becomes a slot. */
export interface MarkerSite {
  readonly call: ts.CallExpression;
  readonly argument: ts.Identifier;
  /** The variable's declared name (in its declaring module). */
  readonly name: string;
  /** The identifier that declares the variable (a VariableDeclaration's or BindingElement's name). */
  readonly declarationName: ts.Identifier;
  /** The top-level `const`/`let`/`var` statement that declares it. */
  readonly declarationStatement: ts.VariableStatement;
  readonly declaringFile: ts.SourceFile;
  /** Module key of the declaring module (path relative to the project directory). */
  readonly declaringModuleKey: string;
  /** `<declaring module key>#<name>`. */
  readonly variableKey: string;
  /** The local name the argument uses (what an ES-module slot reads). */
  readonly read: string;
  /** The name the module the read comes from exports it as (CommonJS reads `<binding>.<export>`). */
  readonly export: string;
  /** An import or re-export on the way has a query or fragment: another module instance than the emitted path's (its record gets no `from`). */
  readonly throughQueryOrFragment?: boolean;
  /** The specifier of the reader's own import of the declaring module, as emitted; absent when the read comes through another module (a re-export). */
  readonly via?: string;
}

export interface MarkerCheckResult {
  /** Valid sites, in source order. */
  readonly sites: readonly MarkerSite[];
  readonly diagnostics: readonly HotpathDiagnostic[];
  /** Every call recognised as the marker, valid or not. */
  readonly markerCalls: readonly ts.CallExpression[];
}

export interface MarkerCheckOptions {
  /** Directory module keys are relative to; default: the tsconfig's directory, else the program's current directory. */
  readonly projectDirectory?: string;
  /** The TypeScript the program was built with; default: loadTypeScript()'s (typescript.ts). */
  readonly typescript?: TypeScript;
}

/** The project directory module keys are relative to. */
export function projectDirectoryOf(program: ts.Program, options?: MarkerCheckOptions): string {
  if (options?.projectDirectory) return path.resolve(options.projectDirectory);
  const config = program.getCompilerOptions().configFilePath;
  return typeof config === 'string' ? path.dirname(config) : program.getCurrentDirectory();
}

/** Module key: `fileName` relative to `projectDirectory`, `/`-separated. */
export function moduleKeyOf(fileName: string, projectDirectory: string): string {
  // Asked for every site (its declaring module) and every reported position: computed once per file.
  let byFile = moduleKeys.get(projectDirectory);
  if (!byFile) moduleKeys.set(projectDirectory, (byFile = new Map()));
  let key = byFile.get(fileName);
  if (key === undefined) {
    if (byFile.size >= 100_000) byFile.clear(); // a long-lived process (an editor) keeps no more than this
    byFile.set(fileName, (key = path.relative(projectDirectory, fileName).split(path.sep).join('/')));
  }
  return key;
}

const moduleKeys = new Map<string, Map<string, string>>();

interface ProgramCache {
  readonly projectDirectory: string;
  readonly results: Map<ts.SourceFile, MarkerCheckResult>;
  readonly writes: Map<ts.Symbol, readonly OutsideBootWrite[]>;
  /** Per scope (file, function body): what can put a later write after seal(). */
  readonly barriers: Map<ts.Node, readonly Barrier[]>;
  /** Per function body: can running it reach seal()? */
  readonly reachesSeal: Map<ts.Node, boolean>;
  /** program.getSourceFiles() as a set, made on first use. */
  programFiles?: ReadonlySet<ts.SourceFile>;
}

/** The program's source files, as a set (asked once per site). */
function programFilesOf(context: CheckContext): ReadonlySet<ts.SourceFile> {
  return (context.cache.programFiles ??= new Set(context.program.getSourceFiles()));
}

/** One search for seal() through calls: the bodies being walked, and how often a recursion was cut. */
interface SealWalk {
  readonly visiting: Set<ts.Node>;
  cutCycles: number;
}

/** Something a write can follow that puts it after seal(). */
interface Barrier {
  readonly node: ts.Node;
  readonly kind: 'await' | 'seal' | 'call';
}

const caches = new WeakMap<ts.Program, Map<string, ProgramCache>>();

function cacheFor(program: ts.Program, projectDirectory: string): ProgramCache {
  let byDir = caches.get(program);
  if (!byDir) caches.set(program, (byDir = new Map()));
  let cache = byDir.get(projectDirectory);
  if (!cache) byDir.set(projectDirectory, (cache = { projectDirectory, results: new Map(), writes: new Map(), barriers: new Map(), reachesSeal: new Map() }));
  return cache;
}

interface CheckContext {
  readonly program: ts.Program;
  readonly checker: ts.TypeChecker;
  readonly sourceFile: ts.SourceFile;
  readonly cache: ProgramCache;
  readonly diagnostics: HotpathDiagnostic[];
}

/** A function that may write static variables before seal(): has a body and the `@boot` tag. */
export type BootFunction = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration;

/** A write the pass cannot prove runs before seal(): what it is and what to do. */
interface OutsideBootWrite {
  readonly node: ts.Node;
  /** Completes "which is …": where the write is and why it does not count as boot code. */
  readonly why: string;
  readonly hint: string;
  /** Default HP1007; HP1016 for a CommonJS write tsc does not copy to the export. */
  readonly code?: 'HP1007' | 'HP1016';
}

function report(
  context: CheckContext,
  code: HotpathDiagnosticCode,
  node: ts.Node,
  { message, hint }: RuleText,
  category: 'error' | 'warning' = 'error',
): void {
  const start = node.getStart(context.sourceFile);
  context.diagnostics.push({ code, category, file: context.sourceFile, start, length: node.getEnd() - start, message, hint });
}

/** `file:line:col` (1-based) of `node`, the file named by its module key. */
function where(cache: ProgramCache, node: ts.Node): string {
  const file = node.getSourceFile();
  const { line, character } = file.getLineAndCharacterOfPosition(node.getStart(file));
  return `${moduleKeyOf(file.fileName, cache.projectDirectory)}:${line + 1}:${character + 1}`;
}

/** The checks, bound to one TypeScript instance (the one the program was built with). */
export interface MarkerChecks {
  checkMarkers(program: ts.Program, sourceFile: ts.SourceFile, options?: MarkerCheckOptions): MarkerCheckResult;
  hasTag(node: ts.Node, tag: string): boolean;
  isBootFunction(node: ts.Node): node is BootFunction;
  findBootFunctions(sourceFile: ts.SourceFile): BootFunction[];
  emitsCommonJS(program: ts.Program, sourceFile: ts.SourceFile): boolean;
  unsupportedModuleFormat(program: ts.Program, sourceFile: ts.SourceFile): string | undefined;
}

const instances = new WeakMap<TypeScript, MarkerChecks>();

/** The runtime's files that declare the marker and seal() (isHotpathRuntimeDeclaration). */
const MARKER_FILE = /[\\/]runtime[\\/]marker\.(?:d\.)?[cm]?ts$/;
const REGISTRY_FILE = /[\\/]runtime[\\/]registry\.(?:d\.)?[cm]?ts$/;

/** The marker checks for `ts`, made once per instance. */
export function createMarkerChecks(ts: TypeScript): MarkerChecks {
  let checks = instances.get(ts);
  if (!checks) instances.set(ts, (checks = markerChecksFor(ts)));
  return checks;
}

function markerChecksFor(ts: TypeScript): MarkerChecks {
  /**
   * Checks every marker call in `sourceFile`. Results are cached per program, so calling
   * it for every file of a program (the compiler pass, an editor) costs one walk per file.
   */
  function checkMarkers(program: ts.Program, sourceFile: ts.SourceFile, options?: MarkerCheckOptions): MarkerCheckResult {
    const cache = cacheFor(program, projectDirectoryOf(program, options));
    let result = cache.results.get(sourceFile);
    if (!result) {
      result = checkFile(program, sourceFile, cache);
      cache.results.set(sourceFile, result);
    }
    return result;
  }

  function checkFile(program: ts.Program, sourceFile: ts.SourceFile, cache: ProgramCache): MarkerCheckResult {
    const sites: MarkerSite[] = [];
    const diagnostics: HotpathDiagnostic[] = [];
    const markerCalls: ts.CallExpression[] = [];
    if (sourceFile.isDeclarationFile) return { sites, diagnostics, markerCalls };
    const checker = program.getTypeChecker();
    const context: CheckContext = { program, checker, sourceFile, cache, diagnostics };
    const names = markerNamesOf(program);
    if (names && !mayCallMarker(sourceFile.text, names)) return { sites, diagnostics, markerCalls };
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        let isMarker = false;
        try {
          isMarker = isMarkerCallee(checker, node.expression, names);
        } catch {
          isMarker = false; // a callee the checker cannot resolve is not the marker
        }
        if (isMarker) {
          markerCalls.push(node);
          try {
            const site = checkCall(context, node);
            if (site) sites.push(site);
          } catch (error) {
            report(context, 'HP1010', node, rules.internalError(String(error)));
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    return { sites, diagnostics, markerCalls };
  }

  /**
   * Is `callee` the marker? Only identifiers and `namespace.name` are considered, and a
   * property access only when its object is an import of a module: resolving arbitrary
   * property accesses would type-check every call of the program.
   */
  function isMarkerCallee(checker: ts.TypeChecker, callee: ts.Expression, names: ReadonlySet<string> | undefined): boolean {
    let symbol: ts.Symbol | undefined;
    if (ts.isIdentifier(callee)) {
      if (names && !names.has(callee.text)) return false;
      symbol = checker.getSymbolAtLocation(callee);
    } else if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && ts.isIdentifier(callee.name)) {
      if (names && !names.has(callee.name.text)) return false;
      const object = checker.getSymbolAtLocation(callee.expression);
      if (!object || !(object.flags & ts.SymbolFlags.Alias)) return false;
      const target = checker.getAliasedSymbol(object);
      if (!(target.flags & ts.SymbolFlags.ValueModule)) return false;
      symbol = checker.getSymbolAtLocation(callee.name);
    }
    if (!symbol) return false;
    if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    return (symbol.declarations ?? []).some(isMarkerDeclaration);
  }

  /**
   * Every name a call can reach the marker by, per program: a callee resolves to a symbol
   * of its own name, so the marker's (MARKER_NAME) or an alias's — and in TypeScript every
   * alias is declared by an import, an export or an `import x =` statement of a file,
   * namespace or ambient module, or by `export as namespace`. An alias reaches the marker
   * only if the name it binds does (`import { grab as g }` when `grab` does), so the names
   * grow from MARKER_NAME along the program's aliases to a fixed point; a binding of a
   * module object (`* as ns`, `import x = require()`, `export as namespace`) or of a
   * default export can be the marker only through a default export (`export =`, `export
   * default`). A call by any other name (`console.log(…)`, `m.f(…)`) is not resolved at
   * all. Undefined (every call resolved) when the program has JavaScript sources, where
   * `require()` and `module.exports` declare aliases anywhere.
   */
  const markerNames = new WeakMap<ts.Program, ReadonlySet<string> | null>();
  function markerNamesOf(program: ts.Program): ReadonlySet<string> | undefined {
    let names = markerNames.get(program);
    if (names === undefined) markerNames.set(program, (names = collectMarkerNames(program)));
    return names ?? undefined;
  }

  function collectMarkerNames(program: ts.Program): Set<string> | null {
    const names = new Set<string>([MARKER_NAME]);
    /** [the name an alias binds to, the name it declares]: the second reaches the marker if the first does. */
    const aliases: [string, string][] = [];
    const link = (from: ts.Identifier | ts.StringLiteral | string, to: ts.Identifier | ts.StringLiteral | string | undefined) => {
      if (to !== undefined) aliases.push([typeof from === 'string' ? from : from.text, typeof to === 'string' ? to : to.text]);
    };
    const collect = (statements: readonly ts.Statement[]): void => {
      for (const statement of statements) {
        if (ts.isImportDeclaration(statement)) {
          const clause = statement.importClause;
          link('default', clause?.name);
          const bindings = clause?.namedBindings;
          if (bindings && ts.isNamespaceImport(bindings)) link('default', bindings.name);
          else if (bindings) for (const element of bindings.elements) link(element.propertyName ?? element.name, element.name);
        } else if (ts.isImportEqualsDeclaration(statement)) {
          const reference = statement.moduleReference;
          if (ts.isExternalModuleReference(reference)) link('default', statement.name);
          else link(ts.isQualifiedName(reference) ? reference.right : reference, statement.name);
        } else if (ts.isNamespaceExportDeclaration(statement)) {
          link('default', statement.name);
        } else if (ts.isExportDeclaration(statement)) {
          const clause = statement.exportClause;
          if (clause && ts.isNamespaceExport(clause)) link('default', clause.name as ts.Identifier | ts.StringLiteral);
          else if (clause) for (const element of clause.elements) link((element.propertyName ?? element.name) as ts.Identifier | ts.StringLiteral, element.name as ts.Identifier | ts.StringLiteral);
        } else if (ts.isExportAssignment(statement)) {
          names.add('default');
        } else if (ts.isFunctionDeclaration(statement) && statement.name && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) {
          link(statement.name, 'default');
        } else if (ts.isModuleDeclaration(statement)) {
          let body = statement.body;
          while (body && ts.isModuleDeclaration(body)) body = body.body;
          if (body && ts.isModuleBlock(body)) collect(body.statements);
        }
      }
    };
    for (const file of program.getSourceFiles()) {
      if (file.flags & ts.NodeFlags.JavaScriptFile) return null;
      collect(file.statements);
    }
    for (let grew = true; grew; ) {
      grew = false;
      for (const [from, to] of aliases) {
        if (names.has(from) && !names.has(to)) {
          names.add(to);
          grew = true;
        }
      }
    }
    return names;
  }

  /**
   * Can `text` call the marker: does it spell one of `names` (a callee's or a property's
   * name), or hold a `\u` escape, which can spell any? A file that cannot is not walked.
   */
  function mayCallMarker(text: string, names: ReadonlySet<string>): boolean {
    if (text.includes('\\u')) return true;
    for (const name of names) if (text.includes(name)) return true;
    return false;
  }

  /** Decided once per declaration: every call of a function asks it of the function's declarations. */
  const markerDeclarations = new WeakMap<ts.Declaration, boolean>();
  function isMarkerDeclaration(declaration: ts.Declaration): boolean {
    let is = markerDeclarations.get(declaration);
    if (is === undefined) markerDeclarations.set(declaration, (is = isHotpathRuntimeDeclaration(declaration, 'STATIC_VARIABLE_LOAD') && hasTag(declaration, MARKER_TAG)));
    return is;
  }

  /**
   * Is `declaration` hotpath's own function `name` (the marker, seal)? Its declaration in the
   * runtime (`runtime/marker.d.ts`, `runtime/registry.d.ts` of the hotpath package, or
   * hotpath's own sources, `runtime/<file>.ts`). A user's function with the same name or
   * tag is not: compiling its calls away would drop its body (issue 8, item 12). A body, if
   * any, must be the runtime's: the marker returns its parameter.
   */
  function isHotpathRuntimeDeclaration(declaration: ts.Declaration, name: 'STATIC_VARIABLE_LOAD' | 'seal'): boolean {
    if (!ts.isFunctionDeclaration(declaration) || declaration.name?.text !== name) return false;
    if (!(name === 'seal' ? REGISTRY_FILE : MARKER_FILE).test(declaration.getSourceFile().fileName)) return false;
    if (!declaration.body || name !== 'STATIC_VARIABLE_LOAD') return true;
    const [statement, ...rest] = declaration.body.statements;
    const parameter = declaration.parameters[0];
    return rest.length === 0 && statement !== undefined && ts.isReturnStatement(statement) && statement.expression !== undefined &&
      ts.isIdentifier(statement.expression) && parameter !== undefined && ts.isIdentifier(parameter.name) &&
      statement.expression.text === parameter.name.text;
  }

  /**
   * Does `node` carry JSDoc tag `@tag`? Only a real tag counts: a line of the last JSDoc
   * comment before the declaration that starts with `@tag` (after the comment's opening or
   * a line's `*`), followed by a space or the comment's end. Never `@boot` in prose, which
   * TypeScript's own JSDoc parser takes for a tag after any space ("call it after @boot."),
   * nor in an address (`admin@boot.dev`). Read from the text, so hosts parsed with and
   * without JSDoc (tsc's own mode skips it in .ts files) agree.
   */
  function hasTag(node: ts.Node, tag: string): boolean {
    const hosts = new Set([node, jsDocHost(node)]);
    for (const host of hosts) {
      const text = host.getSourceFile().text;
      const jsDoc = (ts.getLeadingCommentRanges(text, host.getFullStart()) ?? [])
        .filter((r) => text.startsWith('/**', r.pos) && !text.startsWith('/**/', r.pos))
        .pop();
      if (jsDoc && jsDocHasTag(text.slice(jsDoc.pos, jsDoc.end), tag)) return true;
    }
    return false;
  }

  /** The node a declaration's JSDoc is written before (the statement for `const f = () => …`, the property for `p: () => …`), as TypeScript finds it. */
  function jsDocHost(node: ts.Node): ts.Node {
    let host = node;
    if (ts.isArrowFunction(host) || ts.isFunctionExpression(host)) {
      const parent = host.parent;
      if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) host = parent;
    }
    if (ts.isVariableDeclaration(host) && ts.isVariableDeclarationList(host.parent) && ts.isVariableStatement(host.parent.parent)) {
      host = host.parent.parent;
    }
    return host;
  }

  function isBootFunction(node: ts.Node): node is BootFunction {
    return (
      (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node)) &&
      node.body !== undefined &&
      hasTag(node, BOOT_TAG)
    );
  }

  /** Every `@boot` function of `sourceFile`, in source order. */
  function findBootFunctions(sourceFile: ts.SourceFile): BootFunction[] {
    const found: BootFunction[] = [];
    if (sourceFile.isDeclarationFile || !sourceFile.text.includes(`@${BOOT_TAG}`)) return found;
    const visit = (node: ts.Node): void => {
      if (isBootFunction(node)) found.push(node);
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    return found;
  }

  function checkCall(context: CheckContext, call: ts.CallExpression): MarkerSite | undefined {
    const { checker, cache } = context;
    // Positions are worded only when a diagnostic is reported.
    const callText = (): string => callTextOf(where(cache, call));
    if (!ts.isExternalModule(context.sourceFile)) {
      report(context, 'HP1008', call, rules.scriptCall(callText()));
      return undefined;
    }
    const position = writePositionOf(call);
    if (position) {
      report(context, 'HP1013', call, rules.notARead(callText(), position));
      return undefined;
    }
    if (ts.isOptionalChain(call)) {
      // A slot replaces one link of the chain, which TypeScript's lowering of `?.` (below ES2020) cannot take.
      report(context, 'HP1014', call, rules.optionalCall(callText(), call.questionDotToken !== undefined));
      return undefined;
    }
    const format = unsupportedModuleFormat(context.program, context.sourceFile);
    if (format) {
      report(context, 'HP1015', call, rules.moduleFormat(callText(), format));
      return undefined;
    }
    if (call.arguments.length !== 1) {
      report(context, 'HP1001', call, rules.argumentCount(callText(), call.arguments.length));
      return undefined;
    }
    const argument = call.arguments[0]!;
    if (!ts.isIdentifier(argument)) {
      report(context, 'HP1002', argument, rules.notIdentifier(callText(), describeExpression(argument)));
      return undefined;
    }
    const name = argument.text;
    const local = checker.getSymbolAtLocation(argument);
    if (!local) {
      report(context, 'HP1003', argument, rules.unresolved(callText(), name));
      return undefined;
    }
    // Follow imports and re-exports; `export default <expression>` exports a snapshot, not the binding.
    let target = local;
    const seen = new Set<ts.Symbol>();
    let throughQueryOrFragment = false;
    while (target.flags & ts.SymbolFlags.Alias && !seen.has(target)) {
      seen.add(target);
      if (target.declarations?.some(importedWithQueryOrFragment)) throughQueryOrFragment = true;
      const snapshot = target.declarations?.find(ts.isExportAssignment) ?? exportEqualsOf(checker, target);
      if (snapshot) {
        report(context, 'HP1005', argument, rules.snapshotExport(callText(), name, snapshot.isExportEquals === true, where(cache, snapshot)));
        return undefined;
      }
      const next = checker.getImmediateAliasedSymbol(target);
      if (!next) break;
      target = next;
    }
    if (target.flags & ts.SymbolFlags.Alias) target = checker.getAliasedSymbol(target);

    const declaration = target.valueDeclaration ?? target.declarations?.[0];
    const variable = declaration ? variableOf(declaration) : undefined;
    if (!declaration || !variable || !(target.flags & ts.SymbolFlags.Variable)) {
      report(context, 'HP1003', argument, rules.notAVariable(callText(), name, declaration ? describeDeclaration(declaration) : 'not a variable', declaration ? where(cache, declaration) : undefined));
      return undefined;
    }
    const { statement, declarationName } = variable;
    const declaringFile = statement.getSourceFile();
    const declaredAt = (): string => where(cache, declarationName);
    if (
      declaringFile.isDeclarationFile ||
      context.program.isSourceFileFromExternalLibrary(declaringFile) ||
      !programFilesOf(context).has(declaringFile) ||
      ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)
    ) {
      report(context, 'HP1004', argument, rules.outsideProgram(callText(), name, declaredAt()));
      return undefined;
    }
    if (statement.parent !== declaringFile) {
      report(context, 'HP1003', argument, rules.notTopLevel(callText(), name, declaredAt(), describeContainer(statement.parent)));
      return undefined;
    }
    if (!ts.isExternalModule(declaringFile)) {
      report(context, 'HP1008', argument, rules.declaredInScript(callText(), name, declaredAt()));
      return undefined;
    }
    if (declaringFile !== context.sourceFile && emitsCommonJS(context.program, declaringFile) && !emitsCommonJS(context.program, context.sourceFile)) {
      report(context, 'HP1005', argument, rules.esmReadsCommonJS(callText(), name, declaredAt()));
      return undefined;
    }
    const flags = statement.declarationList.flags;
    const kind = flags & ts.NodeFlags.BlockScoped;
    if (kind === ts.NodeFlags.Using || kind === ts.NodeFlags.AwaitUsing) {
      report(context, 'HP1003', argument, rules.usingDeclaration(callText(), name, declaredAt()));
      return undefined;
    }

    const type = checker.getTypeOfSymbol(target);
    if (!isPrimitiveType(type)) {
      report(context, 'HP1006', argument, rules.typeNotPrimitive(callText(), name, declaredAt(), checker.typeToString(type)));
      return undefined;
    }

    if (kind === ts.NodeFlags.Const) {
      const declaration = declarationName.parent;
      if (
        ts.isVariableDeclaration(declaration) &&
        declaration.initializer &&
        isLiteralExpression(declaration.initializer) &&
        v8FoldsConstRead(context, declaringFile, declaration)
      ) {
        report(context, 'HP1009', call, rules.constLiteral(callText(), name, declaredAt()), 'warning');
      }
    } else {
      const bad = writesOutsideBoot(context, target, declarationName);
      if (bad.length > 0) {
        const text = rules.badWrite(callText(), name, bad);
        report(context, text.code, argument, text);
        return undefined;
      }
    }

    const exportName = exportNameOf(local, argument, declarationName);
    const via = throughQueryOrFragment ? undefined : directImportSpecifier(context, local, declaringFile);
    return {
      call,
      argument,
      name: declarationName.text,
      declarationName,
      declarationStatement: statement,
      declaringFile,
      declaringModuleKey: moduleKeyOf(declaringFile.fileName, cache.projectDirectory),
      variableKey: variableKey(moduleKeyOf(declaringFile.fileName, cache.projectDirectory), declarationName.text),
      read: name,
      export: exportName,
      ...(throughQueryOrFragment ? { throughQueryOrFragment } : {}),
      ...(via === undefined ? {} : { via }),
    };
  }

  /**
   * The specifier of the import that binds `local`, as the emitted file spells it, when that
   * import names the declaring module itself (not a module that re-exports it). Undefined when
   * tsc rewrites it (rewriteRelativeImportExtensions) or it is no plain import.
   */
  function directImportSpecifier(context: CheckContext, local: ts.Symbol, declaringFile: ts.SourceFile): string | undefined {
    if (!(local.flags & ts.SymbolFlags.Alias)) return undefined;
    // Asked by every site that reads through this import (a symbol belongs to one program's checker).
    const cached = directImports.get(local);
    if (cached?.declaringFile === declaringFile) return cached.via;
    const via = findDirectImportSpecifier(context, local, declaringFile);
    directImports.set(local, { declaringFile, via });
    return via;
  }

  const directImports = new WeakMap<ts.Symbol, { readonly declaringFile: ts.SourceFile; readonly via: string | undefined }>();
  function findDirectImportSpecifier(context: CheckContext, local: ts.Symbol, declaringFile: ts.SourceFile): string | undefined {
    const declaration = local.declarations?.find((d) => ts.isImportSpecifier(d) || ts.isImportClause(d));
    if (!declaration) return undefined;
    const statement = ts.isImportClause(declaration) ? declaration.parent : declaration.parent.parent.parent;
    const specifier = statement.moduleSpecifier;
    if (!ts.isStringLiteral(specifier)) return undefined;
    const imported = context.checker.getSymbolAtLocation(specifier)?.valueDeclaration;
    if (imported !== declaringFile) return undefined;
    const options = context.program.getCompilerOptions();
    if (options.rewriteRelativeImportExtensions && /^\.\.?\//.test(specifier.text)) return undefined;
    return specifier.text;
  }

  /**
   * Is this import or re-export's specifier one with a query or fragment (`./pool.js#again`,
   * `./pool.js?v=2`)? Node loads it as another instance of the module than the one at the
   * emitted path (a `#name` package import is not a fragment).
   */
  function importedWithQueryOrFragment(declaration: ts.Declaration): boolean {
    let is = queryOrFragmentImports.get(declaration);
    if (is === undefined) queryOrFragmentImports.set(declaration, (is = specifierHasQueryOrFragment(declaration)));
    return is;
  }

  /** Per import or re-export declaration (each site asks of its alias chain). */
  const queryOrFragmentImports = new WeakMap<ts.Declaration, boolean>();
  function specifierHasQueryOrFragment(declaration: ts.Declaration): boolean {
    let node: ts.Node | undefined = declaration;
    while (node && !ts.isImportDeclaration(node) && !ts.isExportDeclaration(node) && !ts.isImportEqualsDeclaration(node) && !ts.isSourceFile(node)) node = node.parent;
    const specifier = !node || ts.isSourceFile(node) ? undefined
      : ts.isImportEqualsDeclaration(node) ? (ts.isExternalModuleReference(node.moduleReference) ? node.moduleReference.expression : undefined)
      : node.moduleSpecifier;
    return specifier !== undefined && ts.isStringLiteralLike(specifier) && /\?|.#/.test(specifier.text);
  }

  /** For `import x = require('./m')`: the `export =` of module m, whose value x holds (the checker resolves x straight to the exported variable). */
  function exportEqualsOf(checker: ts.TypeChecker, alias: ts.Symbol): ts.ExportAssignment | undefined {
    const declaration = alias.declarations?.find(ts.isImportEqualsDeclaration);
    if (!declaration || !ts.isExternalModuleReference(declaration.moduleReference)) return undefined;
    const moduleSymbol = checker.getSymbolAtLocation(declaration.moduleReference.expression);
    const exportEquals = moduleSymbol?.exports?.get(ts.InternalSymbolName.ExportEquals);
    return exportEquals?.declarations?.find(ts.isExportAssignment);
  }

  /**
   * Does V8 compile a read of this const as its value, so a patch site gains nothing?
   * Measured with `hotpath codegen` on Node 20 and 24 (docs/compiler.md, HP1009): yes in its
   * own module, for a const that module does not export, or in CommonJS output (where it is
   * a constant property of `exports`); no when read from another module, or when an ES
   * module exports it (a module Cell, hole-checked and compared as a double). In doubt, no.
   */
  function v8FoldsConstRead(context: CheckContext, declaringFile: ts.SourceFile, declaration: ts.VariableDeclaration): boolean {
    if (declaringFile !== context.sourceFile) return false;
    if (emitsCommonJS(context.program, declaringFile)) return true;
    const { checker } = context;
    const moduleSymbol = checker.getSymbolAtLocation(declaringFile);
    if (!moduleSymbol) return false;
    return !checker.getExportsOfModule(moduleSymbol).some((exported) => {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      return (target.declarations ?? []).includes(declaration);
    });
  }

  /** For an import, the name the imported module exports; otherwise the declared name. */
  function exportNameOf(local: ts.Symbol, argument: ts.Identifier, declarationName: ts.Identifier): string {
    if (local.flags & ts.SymbolFlags.Alias) {
      const specifier = local.declarations?.[0];
      if (specifier && ts.isImportSpecifier(specifier)) {
        const imported = specifier.propertyName ?? specifier.name;
        return ts.isIdentifier(imported) ? imported.text : imported.text;
      }
      if (specifier && ts.isImportClause(specifier)) return 'default';
    }
    return declarationName.text ?? argument.text;
  }

  /** The top-level statement and declared identifier of a variable declaration (through destructuring). */
  function variableOf(declaration: ts.Declaration): { statement: ts.VariableStatement; declarationName: ts.Identifier } | undefined {
    if (!(ts.isVariableDeclaration(declaration) || ts.isBindingElement(declaration)) || !ts.isIdentifier(declaration.name)) return undefined;
    const declarationName = declaration.name;
    let node: ts.Node = declaration;
    while (ts.isBindingElement(node) || ts.isObjectBindingPattern(node) || ts.isArrayBindingPattern(node)) node = node.parent;
    if (!ts.isVariableDeclaration(node) || !ts.isVariableDeclarationList(node.parent) || !ts.isVariableStatement(node.parent.parent)) {
      return undefined;
    }
    return { statement: node.parent.parent, declarationName };
  }

  const { TypeFlags } = ts;
  /** number, bigint, boolean, string, enums, null, undefined and their literal types. */
  const primitiveTypeFlags =
    TypeFlags.NumberLike | TypeFlags.BigIntLike | TypeFlags.BooleanLike | TypeFlags.StringLike | TypeFlags.EnumLike | TypeFlags.Null | TypeFlags.Undefined;

  /** number, bigint, boolean, string, null, undefined, their literal and enum types, unions; an intersection with a primitive (a branded number) is one. */
  function isPrimitiveType(type: ts.Type): boolean {
    if (type.isUnion()) return type.types.every(isPrimitiveType);
    if (type.isIntersection()) return type.types.some(isPrimitiveType);
    return (type.flags & primitiveTypeFlags) !== 0;
  }

  function isLiteralExpression(node: ts.Expression): boolean {
    const e = skipOuter(node);
    switch (e.kind) {
      case ts.SyntaxKind.NumericLiteral:
      case ts.SyntaxKind.BigIntLiteral:
      case ts.SyntaxKind.StringLiteral:
      case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
      case ts.SyntaxKind.TrueKeyword:
      case ts.SyntaxKind.FalseKeyword:
      case ts.SyntaxKind.NullKeyword:
        return true;
      case ts.SyntaxKind.Identifier:
        return (e as ts.Identifier).text === 'undefined';
      case ts.SyntaxKind.PrefixUnaryExpression: {
        const u = e as ts.PrefixUnaryExpression;
        return (u.operator === ts.SyntaxKind.MinusToken || u.operator === ts.SyntaxKind.PlusToken) &&
          (ts.isNumericLiteral(skipOuter(u.operand)) || ts.isBigIntLiteral(skipOuter(u.operand)));
      }
      case ts.SyntaxKind.VoidExpression:
        return ts.isNumericLiteral(skipOuter((e as ts.VoidExpression).expression));
      default:
        return false;
    }
  }

  function skipOuter(node: ts.Expression): ts.Expression {
    let e = node;
    while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) {
      e = e.expression;
    }
    return e;
  }

  /**
   * Writes to `variable` that are neither top-level code nor directly inside a `@boot`
   * function, and direct eval() calls, which can write it unseen. Only its declaring module
   * can write it (imports are read-only), so only that file is scanned, once per program.
   */
  function writesOutsideBoot(context: CheckContext, variable: ts.Symbol, declarationName: ts.Identifier): readonly OutsideBootWrite[] {
    const cached = context.cache.writes.get(variable);
    if (cached) return cached;
    const { checker, cache } = context;
    const file = declarationName.getSourceFile();
    const name = declarationName.text;
    const bad: OutsideBootWrite[] = [];
    const exportedBySpecifier = emitsCommonJS(context.program, file) ? exportSpecifierNames(file, name) : [];
    const visit = (node: ts.Node): void => {
      const write = ts.isIdentifier(node) && node.text === name ? writeOf(node) : undefined;
      if (write) {
        const parent = node.parent;
        const symbol = ts.isShorthandPropertyAssignment(parent) && parent.name === node
          ? checker.getShorthandAssignmentValueSymbol(parent)
          : checker.getSymbolAtLocation(node);
        if (symbol === variable) {
          const problem = bootPhaseProblem(context, node, write) ?? staleExportProblem(context, node as ts.Identifier, write, exportedBySpecifier);
          if (problem) bad.push(problem);
        }
      } else if (ts.isCallExpression(node) && isDirectEval(node)) {
        bad.push({ node, ...writeProblems.directEval(where(cache, node)) });
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
    context.cache.writes.set(variable, bad);
    return bad;
  }

  /**
   * Undefined for top-level code, or code directly in the body of a synchronous `@boot`
   * function (whose guard has run when the write runs; its parameter defaults run before
   * the guard), that no seal() or top-level `await` can precede (barrierBefore). Otherwise
   * why not. Conservative: a class (static block, field, method) or a nested function between
   * the write and the module or the `@boot` function makes it neither; so does an `await` or
   * `yield` that can put the write after seal().
   */
  function bootPhaseProblem(context: CheckContext, node: ts.Node, write: ts.Node): OutsideBootWrite | undefined {
    const { cache } = context;
    const at = where(cache, node);
    const outside = { node, ...writeProblems.outsideBoot(at) };
    let child: ts.Node = node;
    for (let n = node.parent; !ts.isSourceFile(n); child = n, n = n.parent) {
      if (ts.isFunctionLike(n)) {
        if (!isBootFunction(n)) return outside;
        const fn = n;
        if (child !== fn.body) {
          return { node, ...writeProblems.outsideBootBody(at, ts.isParameter(child), bootWhereOf(cache, fn)) };
        }
        const isAsync = ts.getModifiers(fn)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) ?? false;
        const isGenerator = !ts.isArrowFunction(fn) && fn.asteriskToken !== undefined;
        if (isAsync || isGenerator) {
          return { node, ...writeProblems.resumingBoot(at, isAsync, isGenerator, bootWhereOf(cache, fn)) };
        }
        return sealProblem(context, node, write, fn.body!, `the body of ${bootWhereOf(cache, fn)}`);
      }
      if (ts.isClassLike(n) || ts.isClassStaticBlockDeclaration(n)) return outside;
    }
    const file = node.getSourceFile();
    const topLevelAwait = barrierBefore(write, barriersOf(context, file).filter((b) => b.kind === 'await'), file);
    if (topLevelAwait) {
      return { node, ...writeProblems.afterTopLevelAwait(at, barrierRelation(topLevelAwait, write), where(cache, topLevelAwait.node)) };
    }
    return sealProblem(context, node, write, file, "its module's top-level code");
  }

  /** The names `export { name }` / `export { name as alias }` statements of `file` export its top-level `name` as. */
  function exportSpecifierNames(file: ts.SourceFile, name: string): string[] {
    const names: string[] = [];
    for (const statement of file.statements) {
      if (!ts.isExportDeclaration(statement) || statement.moduleSpecifier || statement.isTypeOnly || !statement.exportClause || !ts.isNamedExports(statement.exportClause)) continue;
      for (const element of statement.exportClause.elements) {
        const local = element.propertyName ?? element.name;
        if (!element.isTypeOnly && ts.isIdentifier(local) && local.text === name) names.push(element.name.text);
      }
    }
    return names;
  }

  /**
   * CommonJS output of a variable exported by specifier (`export { x }`, `export { x as y }`):
   * TypeScript copies a write to `exports.<name>` only for a bare target (`x = v`, `x++`,
   * destructuring); for `(x) = v`, `(x as T) = v`, `x! = v`, `(x satisfies T) = v`, `(<T>x) = v`
   * and any `for (x of/in …)` it writes the local only, so other modules (and their sites)
   * read a stale export while the registration seals the local.
   */
  function staleExportProblem(context: CheckContext, node: ts.Identifier, write: ts.Node, exportNames: readonly string[]): OutsideBootWrite | undefined {
    if (exportNames.length === 0) return undefined;
    const wrapped = node.parent !== write && !ts.isArrayLiteralExpression(node.parent) && !ts.isShorthandPropertyAssignment(node.parent) &&
      !ts.isPropertyAssignment(node.parent) && !ts.isSpreadElement(node.parent) && !ts.isSpreadAssignment(node.parent);
    const loop = ts.isForInStatement(write) || ts.isForOfStatement(write);
    if (!wrapped && !loop) return undefined;
    return { node, ...writeProblems.staleCommonJSExport(where(context.cache, node), loop, exportNames) };
  }

  /** A write in `scope` (a file's top level, a @boot function's body) that a seal() of the same scope can precede. */
  function sealProblem(context: CheckContext, node: ts.Node, write: ts.Node, scope: ts.Node, scopeText: string): OutsideBootWrite | undefined {
    const barrier = barrierBefore(write, barriersOf(context, scope).filter((b) => b.kind !== 'await'), scope);
    if (!barrier) return undefined;
    return { node, ...writeProblems.afterSeal(where(context.cache, node), scopeText, barrierRelation(barrier, write), barrier.kind === 'seal', where(context.cache, barrier.node)) };
  }

  /** How `write` follows `barrier` (barrierBefore): after it, in a loop with it, or completing after it. */
  function barrierRelation(barrier: Barrier, write: ts.Node): string {
    const start = barrier.node.getStart();
    if (start >= write.getEnd()) return 'in a loop with';
    return start < write.getStart() ? 'after' : 'completing after';
  }

  /**
   * The first barrier that can run before `write` completes: one that starts before the
   * write's end (`x = await f()`, `x = (seal(), 1)`), or shares a loop with it inside
   * `scope` (the next iteration runs the write after it).
   */
  function barrierBefore(write: ts.Node, barriers: readonly Barrier[], scope: ts.Node): Barrier | undefined {
    const loops: ts.Node[] = [];
    for (let n: ts.Node = write.parent; n && n !== scope; n = n.parent) if (ts.isIterationStatement(n, false)) loops.push(n);
    return barriers.find((b) => {
      const start = b.node.getStart();
      return start < write.getEnd() || loops.some((loop) => start >= loop.getStart() && start < loop.getEnd());
    });
  }

  /**
   * What can put a later write of `scope` (a file, a function body) after seal(): its
   * top-level `await`s and `for await`s (files only), its calls of hotpath's seal() (found
   * by symbol), and its calls of functions of the program that can reach seal() (callsSeal).
   * Not inside nested functions: those run when called, and a call of one is a call.
   */
  function barriersOf(context: CheckContext, scope: ts.Node): readonly Barrier[] {
    const cached = context.cache.barriers.get(scope);
    if (cached) return cached;
    const found: Barrier[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node)) return;
      if (ts.isSourceFile(scope) && (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier))) found.push({ node, kind: 'await' });
      if (ts.isCallExpression(node) || ts.isNewExpression(node) || ts.isTaggedTemplateExpression(node)) {
        const kind = callReachesSeal(context, node, { visiting: new Set(), cutCycles: 0 });
        if (kind) found.push({ node, kind });
      }
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(scope, visit);
    context.cache.barriers.set(scope, found);
    return found;
  }

  /**
   * Can this call run hotpath's seal()? `'seal'` for seal() itself, `'call'` for a call of a
   * function (or method, or IIFE) of the program whose body can (transitively, nested
   * functions included). A callee the checker cannot resolve to a body (a callback, a
   * library) counts as not reaching seal(): verifyStaticVariables() is the net for those.
   */
  function callReachesSeal(context: CheckContext, call: ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression, walk: SealWalk): 'seal' | 'call' | undefined {
    const { checker } = context;
    let callee: ts.Expression = ts.isTaggedTemplateExpression(call) ? call.tag : call.expression;
    while (ts.isParenthesizedExpression(callee) || ts.isNonNullExpression(callee) || ts.isAsExpression(callee)) callee = callee.expression;
    let bodies: ts.Node[] = [];
    if (ts.isFunctionExpression(callee) || ts.isArrowFunction(callee)) {
      bodies = [callee];
    } else {
      let symbol: ts.Symbol | undefined;
      try {
        symbol = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(callee) ? callee.name : callee);
        if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      } catch {
        symbol = undefined;
      }
      for (const declaration of symbol?.declarations ?? []) {
        if (isHotpathRuntimeDeclaration(declaration, 'seal')) return 'seal';
        if (declaration.getSourceFile().isDeclarationFile) continue;
        const fn = ts.isVariableDeclaration(declaration) && declaration.initializer ? declaration.initializer : declaration;
        if (ts.isFunctionLike(fn) || ts.isClassLike(fn)) bodies.push(fn);
      }
    }
    for (const body of bodies) {
      const cached = context.cache.reachesSeal.get(body);
      if (cached !== undefined) {
        if (cached) return 'call';
        continue;
      }
      if (walk.visiting.has(body)) {
        walk.cutCycles++;
        continue;
      }
      walk.visiting.add(body);
      const cutBefore = walk.cutCycles;
      let reaches = false;
      const visit = (node: ts.Node): void => {
        if (reaches) return;
        if ((ts.isCallExpression(node) || ts.isNewExpression(node) || ts.isTaggedTemplateExpression(node)) && callReachesSeal(context, node, walk)) reaches = true;
        else ts.forEachChild(node, visit);
      };
      ts.forEachChild(body, visit);
      walk.visiting.delete(body);
      // A "no" that skipped a function still being walked (recursion) is provisional: not cached.
      if (reaches || walk.cutCycles === cutBefore) context.cache.reachesSeal.set(body, reaches);
      if (reaches) return 'call';
    }
    return undefined;
  }

  /** `` `initPool` (src/pool.ts:4:17) ``: a function as messages name it. */
  function bootWhereOf(cache: ProgramCache, fn: ts.SignatureDeclaration): string {
    const nameNode = fn.name ?? (ts.isVariableDeclaration(fn.parent) || ts.isPropertyAssignment(fn.parent) ? fn.parent.name : undefined);
    const name = nameNode && (ts.isIdentifier(nameNode) || ts.isStringLiteral(nameNode) || ts.isPrivateIdentifier(nameNode)) ? nameNode.text : '<anonymous>';
    return functionInMessage(name, where(cache, nameNode ?? fn));
  }

  /**
   * `eval(…)` or `(eval)(…)`: a direct eval, whose code runs in the caller's scope and can
   * write the module's variables. In a module (strict code) `eval` cannot be rebound, so
   * the name is enough; `(0, eval)(…)` and `new Function` run in the global scope.
   */
  function isDirectEval(call: ts.CallExpression): boolean {
    let callee: ts.Expression = call.expression;
    while (ts.isParenthesizedExpression(callee)) callee = callee.expression;
    return ts.isIdentifier(callee) && callee.text === 'eval';
  }

  /** Where the marker call `call` sits if not in a read: a write (writeOf) or `delete`'s operand. */
  function writePositionOf(call: ts.CallExpression): string | undefined {
    const write = writeOf(call);
    let n: ts.Node = call.parent;
    while (ts.isParenthesizedExpression(n) || ts.isNonNullExpression(n) || ts.isAsExpression(n) || ts.isTypeAssertionExpression(n) || ts.isSatisfiesExpression(n)) n = n.parent;
    if (ts.isDeleteExpression(n)) return 'the operand of `delete`';
    if (!write) return undefined;
    if (ts.isForInStatement(write) || ts.isForOfStatement(write)) return `the target of a \`for … ${ts.isForInStatement(write) ? 'in' : 'of'}\``;
    if (ts.isPrefixUnaryExpression(write) || ts.isPostfixUnaryExpression(write)) return `the operand of \`${ts.tokenToString(write.operator)}\``;
    if (ts.isBinaryExpression(write) && !ts.isObjectLiteralExpression(write.left) && !ts.isArrayLiteralExpression(write.left)) {
      return `the target of \`${ts.tokenToString(write.operatorToken.kind)}\``;
    }
    return 'a destructuring assignment target';
  }

  /** The expression that writes `node` (`=`, compound, ++/--, destructuring, for-in/of), or undefined when it is not written. */
  function writeOf(node: ts.Expression): ts.Node | undefined {
    let n: ts.Node = node;
    for (;;) {
      const p: ts.Node = n.parent;
      if (ts.isParenthesizedExpression(p) || ts.isNonNullExpression(p) || ts.isAsExpression(p) || ts.isTypeAssertionExpression(p) || ts.isSatisfiesExpression(p)) {
        n = p;
      } else if (ts.isBinaryExpression(p)) {
        const op = p.operatorToken.kind;
        return p.left === n && op >= ts.SyntaxKind.FirstAssignment && op <= ts.SyntaxKind.LastAssignment ? p : undefined;
      } else if (ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) {
        return p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken ? p : undefined;
      } else if (ts.isShorthandPropertyAssignment(p)) {
        if (p.name !== n) return undefined;
        n = p.parent; // the object literal: a write only if it is itself a destructuring target
      } else if (ts.isPropertyAssignment(p)) {
        if (p.initializer !== n) return undefined;
        n = p.parent;
      } else if (ts.isSpreadAssignment(p) || ts.isSpreadElement(p) || ts.isArrayLiteralExpression(p)) {
        n = ts.isArrayLiteralExpression(p) ? p : p.parent;
      } else if (ts.isForInStatement(p) || ts.isForOfStatement(p)) {
        return p.initializer === n ? p : undefined;
      } else {
        return undefined;
      }
    }
  }

  function describeExpression(node: ts.Expression): string {
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) return 'a property access';
    if (ts.isCallExpression(node)) return 'a call';
    if (ts.isLiteralExpression(node) || node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword) return 'a literal';
    if (ts.isSpreadElement(node)) return 'a spread';
    if (ts.isParenthesizedExpression(node)) return 'a parenthesized expression';
    return 'an expression';
  }

  function describeDeclaration(node: ts.Declaration): string {
    if (ts.isParameter(node)) return 'a parameter';
    if (ts.isFunctionDeclaration(node)) return 'a function';
    if (ts.isClassDeclaration(node)) return 'a class';
    if (ts.isEnumDeclaration(node)) return 'an enum';
    if (ts.isModuleDeclaration(node) || ts.isSourceFile(node)) return 'a namespace or module';
    if (ts.isVariableDeclaration(node) || ts.isBindingElement(node)) return 'a variable';
    return 'not a variable';
  }

  function describeContainer(node: ts.Node): string {
    if (ts.isModuleBlock(node)) return 'a namespace';
    if (ts.isBlock(node) && ts.isFunctionLike(node.parent)) return 'a function';
    if (ts.isBlock(node)) return 'a block';
    if (ts.isCaseClause(node) || ts.isDefaultClause(node)) return 'a switch case';
    return 'a nested statement';
  }

  /**
   * `"AMD"`, `"UMD"`, `"System"` or `"no module format"` when `sourceFile` emits neither CommonJS
   * nor an ES module: the pass cannot bind its runtime imports there (TypeScript's AMD, UMD
   * and System transforms do not rewrite synthesized imports), so it leaves such files as tsc emits them.
   */
  function unsupportedModuleFormat(program: ts.Program, sourceFile: ts.SourceFile): string | undefined {
    if (emitsCommonJS(program, sourceFile)) return undefined;
    const kind = emitModuleFormatOf(program, sourceFile) ?? program.getCompilerOptions().module ?? ts.ModuleKind.ESNext;
    switch (kind) {
      case ts.ModuleKind.AMD: return 'AMD';
      case ts.ModuleKind.UMD: return 'UMD';
      case ts.ModuleKind.System: return 'System';
      case ts.ModuleKind.None: return 'no module format';
      default: return undefined;
    }
  }

  /**
   * The program's emit format of the file (module, .cts/.mts, package.json "type"), asked once
   * per file (every marker call asks); undefined when the program does not say (the method is
   * not in the public typings).
   */
  const emitFormats = new WeakMap<ts.Program, WeakMap<ts.SourceFile, ts.ModuleKind>>();
  function emitModuleFormatOf(program: ts.Program, sourceFile: ts.SourceFile): ts.ModuleKind | undefined {
    const internal = (program as { getEmitModuleFormatOfFile?: (file: ts.SourceFile) => ts.ModuleKind }).getEmitModuleFormatOfFile;
    if (typeof internal !== 'function') return undefined;
    let byFile = emitFormats.get(program);
    if (!byFile) emitFormats.set(program, (byFile = new WeakMap()));
    let kind = byFile.get(sourceFile);
    if (kind === undefined) byFile.set(sourceFile, (kind = internal.call(program, sourceFile)));
    return kind;
  }

  /** Does `sourceFile` emit as CommonJS? */
  function emitsCommonJS(program: ts.Program, sourceFile: ts.SourceFile): boolean {
    // Program knows each file's emit format (module, .cts/.mts, package.json "type"); not in the public typings.
    const kind = emitModuleFormatOf(program, sourceFile);
    if (kind !== undefined) return kind === ts.ModuleKind.CommonJS;
    const options = program.getCompilerOptions();
    const module = options.module ?? ts.ModuleKind.ESNext;
    if (module >= ts.ModuleKind.Node16 && module <= ts.ModuleKind.NodeNext) return sourceFile.impliedNodeFormat === ts.ModuleKind.CommonJS;
    return module === ts.ModuleKind.CommonJS;
  }

  return { checkMarkers, hasTag, isBootFunction, findBootFunctions, emitsCommonJS, unsupportedModuleFormat };
}

// The same checks with the TypeScript of loadTypeScript() (typescript.ts), or options.typescript.

export function checkMarkers(program: ts.Program, sourceFile: ts.SourceFile, options?: MarkerCheckOptions): MarkerCheckResult {
  return createMarkerChecks(options?.typescript ?? requireTypeScript()).checkMarkers(program, sourceFile, options);
}
export const hasTag = (node: ts.Node, tag: string): boolean => createMarkerChecks(requireTypeScript()).hasTag(node, tag);
export const isBootFunction = (node: ts.Node): node is BootFunction => createMarkerChecks(requireTypeScript()).isBootFunction(node);
export const findBootFunctions = (sourceFile: ts.SourceFile): BootFunction[] => createMarkerChecks(requireTypeScript()).findBootFunctions(sourceFile);
export const emitsCommonJS = (program: ts.Program, sourceFile: ts.SourceFile): boolean => createMarkerChecks(requireTypeScript()).emitsCommonJS(program, sourceFile);
