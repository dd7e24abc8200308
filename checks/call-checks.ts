/**
 * One marker call, checked: is it a read, in a module hotpath patches, of one module-level
 * variable of primitive type, declared in this program and written only at boot? A valid
 * call becomes a MarkerSite; an invalid one a diagnostic (marker-rules.ts words them).
 */
import type * as ts from 'typescript';
import { variableKey } from '../runtime/site-format.js';
import { programFilesOf, report, where, type CheckContext } from './check-context.js';
import type { MarkerSite } from './diagnostic.js';
import { callText as callTextOf, rules } from './marker-rules.js';
import type { ModuleFormat } from './module-format.js';
import { moduleKeyOf } from './module-key.js';
import type { TypeScript } from './typescript.js';
import type { WriteAnalysis } from './write-analysis.js';

export interface CallCheck {
  /** The call's site, or undefined with its diagnostic reported to `context`. */
  checkCall(context: CheckContext, call: ts.CallExpression): MarkerSite | undefined;
}

type CallCheckNeeds = ModuleFormat & WriteAnalysis;

/** The call check for `ts`, the TypeScript the program was built with. */
export function createCallCheck(ts: TypeScript, { emitsCommonJS, unsupportedModuleFormat, writesOutsideBoot, writeOf }: CallCheckNeeds): CallCheck {
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
    const kind: ts.NodeFlags = flags & ts.NodeFlags.BlockScoped;
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
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a synthesized declaration has no SourceFile above it
    while (node && !ts.isImportDeclaration(node) && !ts.isExportDeclaration(node) && !ts.isImportEqualsDeclaration(node) && !ts.isSourceFile(node)) node = node.parent;
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- as above: the walk can run off a parentless node
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
   * Measured with `hotpath codegen` on Node 20 and 24 (docs/codes.md, HP1009): yes in its
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
        return imported.text; // an identifier's or a string literal's (`import { "a b" as x }`)
      }
      if (specifier && ts.isImportClause(specifier)) return 'default';
    }
    return declarationName.text;
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

  return { checkCall };
}
