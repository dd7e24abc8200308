/**
 * Which calls are hotpath's: the marker (and seal()) found by symbol, their declarations in
 * hotpath's runtime, never by the callee's text; and the names a call can reach the marker
 * by, so that a call by any other name is not resolved at all.
 */
import type * as ts from 'typescript';
import { MARKER_NAME, MARKER_TAG } from './marker-rules.js';
import type { TagReader } from './tags.js';
import type { TypeScript } from './typescript.js';

/** The runtime's files that declare the marker and seal() (isHotpathRuntimeDeclaration). */
const MARKER_FILE = /[\\/]runtime[\\/]marker\.(?:d\.)?[cm]?ts$/;
const REGISTRY_FILE = /[\\/]runtime[\\/]registry\.(?:d\.)?[cm]?ts$/;

export interface MarkerRecognition {
  isMarkerCallee(checker: ts.TypeChecker, callee: ts.Expression, names: ReadonlySet<string> | undefined): boolean;
  markerNamesOf(program: ts.Program): ReadonlySet<string> | undefined;
  mayCallMarker(text: string, names: ReadonlySet<string>): boolean;
  isHotpathRuntimeDeclaration(declaration: ts.Declaration, name: 'STATIC_VARIABLE_LOAD' | 'seal'): boolean;
}

/** Marker recognition for `ts`, the TypeScript the program was built with. */
export function createMarkerRecognition(ts: TypeScript, { hasTag }: Pick<TagReader, 'hasTag'>): MarkerRecognition {
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
          if (clause && ts.isNamespaceExport(clause)) link('default', clause.name);
          else if (clause) for (const element of clause.elements) link((element.propertyName ?? element.name), element.name);
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

  return { isMarkerCallee, markerNamesOf, mayCallMarker, isHotpathRuntimeDeclaration };
}
