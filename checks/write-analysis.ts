/**
 * Who writes a static variable, and when: every write of it in its declaring module must be
 * top-level code or directly in the body of a synchronous `@boot` function, with no seal()
 * or top-level `await` able to come first; a direct eval can write it unseen. What is found
 * is worded with marker-rules.ts's writeProblems (HP1007, HP1016).
 */
import type * as ts from 'typescript';
import { where, type CheckContext, type ProgramCache } from './check-context.js';
import type { MarkerRecognition } from './marker-recognition.js';
import { functionInMessage, writeProblems } from './marker-rules.js';
import type { ModuleFormat } from './module-format.js';
import type { TagReader } from './tags.js';
import type { TypeScript } from './typescript.js';

/** A write the pass cannot prove runs before seal(): what it is and what to do. */
export interface OutsideBootWrite {
  readonly node: ts.Node;
  /** Completes "which is …": where the write is and why it does not count as boot code. */
  readonly why: string;
  readonly hint: string;
  /** Default HP1007; HP1016 for a CommonJS write tsc does not copy to the export. */
  readonly code?: 'HP1007' | 'HP1016';
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

/** What the analysis has found in one program (per ProgramCache): asked again by every site of the same variable, scope or callee. */
interface WriteCache {
  readonly writes: Map<ts.Symbol, readonly OutsideBootWrite[]>;
  /** Per scope (file, function body): what can put a later write after seal(). */
  readonly barriers: Map<ts.Node, readonly Barrier[]>;
  /** Per function body: can running it reach seal()? */
  readonly reachesSeal: Map<ts.Node, boolean>;
}

const writeCaches = new WeakMap<ProgramCache, WriteCache>();

function writeCacheOf(context: CheckContext): WriteCache {
  let cache = writeCaches.get(context.cache);
  if (!cache) writeCaches.set(context.cache, (cache = { writes: new Map(), barriers: new Map(), reachesSeal: new Map() }));
  return cache;
}

export interface WriteAnalysis {
  writesOutsideBoot(context: CheckContext, variable: ts.Symbol, declarationName: ts.Identifier): readonly OutsideBootWrite[];
  writeOf(node: ts.Expression): ts.Node | undefined;
}

type WriteAnalysisNeeds = Pick<TagReader, 'isBootFunction'> & Pick<ModuleFormat, 'emitsCommonJS'> & Pick<MarkerRecognition, 'isHotpathRuntimeDeclaration'>;

/** The write analysis for `ts`, the TypeScript the program was built with. */
export function createWriteAnalysis(ts: TypeScript, { isBootFunction, emitsCommonJS, isHotpathRuntimeDeclaration }: WriteAnalysisNeeds): WriteAnalysis {
  /**
   * Writes to `variable` that are neither top-level code nor directly inside a `@boot`
   * function, and direct eval() calls, which can write it unseen. Only its declaring module
   * can write it (imports are read-only), so only that file is scanned, once per program.
   */
  function writesOutsideBoot(context: CheckContext, variable: ts.Symbol, declarationName: ts.Identifier): readonly OutsideBootWrite[] {
    const { writes } = writeCacheOf(context);
    const cached = writes.get(variable);
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
    writes.set(variable, bad);
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
        return sealProblem(context, node, write, fn.body, `the body of ${bootWhereOf(cache, fn)}`);
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
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a SourceFile's parent is undefined, though typed Node
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
    const { barriers } = writeCacheOf(context);
    const cached = barriers.get(scope);
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
    barriers.set(scope, found);
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
    const { reachesSeal } = writeCacheOf(context);
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
      const cached = reachesSeal.get(body);
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
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by visit(), a callback TypeScript does not follow
      if (reaches || walk.cutCycles === cutBefore) reachesSeal.set(body, reaches);
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- as above
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

  /** The expression that writes `node` (`=`, compound, ++/--, destructuring, for-in/of), or undefined when it is not written. */
  function writeOf(node: ts.Expression): ts.Node | undefined {
    let n: ts.Node = node;
    for (;;) {
      const p: ts.Node = n.parent;
      if (ts.isParenthesizedExpression(p) || ts.isNonNullExpression(p) || ts.isAsExpression(p) || ts.isTypeAssertionExpression(p) || ts.isSatisfiesExpression(p)) {
        n = p;
      } else if (ts.isBinaryExpression(p)) {
        const op = p.operatorToken.kind;
        // eslint-disable-next-line hotpath/prefer-subtract-compare -- enum members bound a syntax kind: the two-sided check says what it means
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

  return { writesOutsideBoot, writeOf };
}
