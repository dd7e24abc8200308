// The OperandEnv of range-proof.ts for one file, answered from ESLint's scope analysis and,
// when the parser has a TypeScript program, from the type checker.
import type { TSESLint, TSESTree, ParserServicesWithTypeInformation } from '@typescript-eslint/utils';
import type * as TS from 'typescript';
import { typescriptOf } from '../../lint-typescript.js';
import { point, type Interval } from './interval.js';
import type { OperandEnv, TypeFacts, ValueKind } from './range-proof.js';

type Node = TSESTree.Node;
type Expression = TSESTree.Expression;
type Variable = TSESLint.Scope.Variable;

const MAX_DEPTH = 8;

function enclosingFunction(node: Node): Node {
  let n: Node | undefined = node.parent;
  while (n) {
    if (
      n.type === 'FunctionDeclaration' ||
      n.type === 'FunctionExpression' ||
      n.type === 'ArrowFunctionExpression' ||
      n.type === 'StaticBlock' ||
      n.type === 'PropertyDefinition' ||
      n.type === 'Program'
    ) {
      return n;
    }
    n = n.parent;
  }
  return node;
}

/** The innermost scope under `initialScope` whose block contains `node` (eslint-utils' getInnermostScope). */
function innermostScope(initialScope: TSESLint.Scope.Scope, node: Node): TSESLint.Scope.Scope {
  const location = node.range[0];
  let scope = initialScope;
  for (let found = true; found; ) {
    found = false;
    for (const child of scope.childScopes) {
      const range = child.block.range;
      // eslint-disable-next-line hotpath/prefer-subtract-compare -- the rule cannot prove the rewrite equivalent; not hot
      if (range[0] <= location && location < range[1]) {
        scope = child;
        found = true;
        break;
      }
    }
  }
  return scope;
}

/** The variable `id` refers to, looked up from its scope outwards (eslint-utils' findVariable, without a dependency on it). */
export function findVariable(initialScope: TSESLint.Scope.Scope, id: TSESTree.Identifier): Variable | null {
  for (let scope: TSESLint.Scope.Scope | null = innermostScope(initialScope, id); scope; scope = scope.upper) {
    const variable = scope.set.get(id.name);
    if (variable) return variable;
  }
  return null;
}

export function createOperandEnv(sourceCode: Readonly<TSESLint.SourceCode>): OperandEnv {
  const variableOf = (id: TSESTree.Identifier): Variable | null => findVariable(sourceCode.getScope(id), id);
  const throughWith = (id: TSESTree.Identifier, variable: Variable): boolean => {
    for (let s: TSESLint.Scope.Scope | null = sourceCode.getScope(id); s && s !== variable.scope; s = s.upper) {
      if (s.type === 'with') return true;
    }
    return false;
  };
  const declared = (id: TSESTree.Identifier): Variable | undefined => {
    const v = variableOf(id);
    return v && v.defs.length > 0 && !throughWith(id, v) ? v : undefined;
  };
  const constDeclarator = (v: Variable | undefined): TSESTree.VariableDeclarator | undefined => {
    if (!v || v.defs.length !== 1) return undefined;
    const def = v.defs[0]!;
    if (def.type !== 'Variable' || def.parent.kind !== 'const') return undefined;
    const declarator = def.node;
    return declarator.id.type === 'Identifier' ? declarator : undefined;
  };

  // Top-level code that runs no user code before a declaration: no calls, getters, valueOf.
  const inertCache = new Map<Node, boolean>();
  const inertExpression = (e: Node | null | undefined, depth = 0): boolean => {
    if (!e) return true;
    if (depth > MAX_DEPTH) return false;
    const inert = (n: Node | null | undefined) => inertExpression(n, depth + 1);
    switch (e.type) {
      case 'Literal':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        return true;
      case 'TemplateLiteral':
        return e.expressions.length === 0;
      case 'Identifier': {
        // A primitive-valued const: reading and coercing it runs no code.
        const d = constDeclarator(declared(e));
        return !!d && !!d.init && isPrimitiveInert(d.init, depth + 1);
      }
      case 'UnaryExpression':
      case 'BinaryExpression':
        return isPrimitiveInert(e, depth);
      case 'ObjectExpression':
        return e.properties.every(
          (p) => p.type === 'Property' && !p.computed && (p.kind !== 'init' || inert(p.value)),
        );
      case 'ArrayExpression':
        return e.elements.every((el) => el === null || (el.type !== 'SpreadElement' && inert(el)));
      case 'TSAsExpression':
      case 'TSSatisfiesExpression':
      case 'TSNonNullExpression':
      case 'TSTypeAssertion':
        return inert(e.expression);
      default:
        return false;
    }
  };
  const isPrimitiveInert = (e: Node, depth: number): boolean => {
    if (depth > MAX_DEPTH) return false;
    switch (e.type) {
      case 'Literal':
        return true;
      case 'Identifier': {
        const d = constDeclarator(declared(e));
        return !!d && !!d.init && isPrimitiveInert(d.init, depth + 1);
      }
      case 'UnaryExpression':
        return e.operator !== 'delete' && isPrimitiveInert(e.argument, depth + 1);
      case 'BinaryExpression':
        return e.left.type !== 'PrivateIdentifier' && e.operator !== 'in' && e.operator !== 'instanceof' &&
          isPrimitiveInert(e.left, depth + 1) && isPrimitiveInert(e.right, depth + 1);
      case 'TSAsExpression':
      case 'TSSatisfiesExpression':
      case 'TSNonNullExpression':
        return isPrimitiveInert(e.expression, depth + 1);
      default:
        return false;
    }
  };
  const inertStatement = (s: Node): boolean => {
    switch (s.type) {
      case 'ImportDeclaration':
      case 'ExportAllDeclaration':
      case 'FunctionDeclaration':
      case 'EmptyStatement':
      case 'TSTypeAliasDeclaration':
      case 'TSInterfaceDeclaration':
      case 'TSDeclareFunction':
        return true;
      case 'TSModuleDeclaration':
        return s.declare;
      case 'ExpressionStatement':
        return s.directive !== undefined;
      case 'ExportNamedDeclaration':
        return !s.declaration || inertStatement(s.declaration);
      case 'VariableDeclaration':
        return s.declarations.every((d) => d.id.type === 'Identifier' && inertExpression(d.init));
      case 'TSEnumDeclaration':
        return s.body.members.every((m) => !m.initializer || isPrimitiveInert(m.initializer, 0));
      default:
        return false;
    }
  };
  const program = sourceCode.ast;
  const hasValueImports = program.body.some(
    (s) =>
      (s.type === 'ImportDeclaration' && s.importKind !== 'type') ||
      (s.type === 'ExportAllDeclaration' && s.exportKind !== 'type') ||
      (s.type === 'ExportNamedDeclaration' && s.source !== null && s.exportKind !== 'type'),
  );
  /** Every top-level statement up to and including `statement` runs no user code. */
  const inertPrelude = (statement: Node): boolean => {
    const cached = inertCache.get(statement);
    if (cached !== undefined) return cached;
    let result = false;
    for (const s of program.body) {
      if (!inertStatement(s)) break;
      if (s === statement) {
        result = true;
        break;
      }
    }
    inertCache.set(statement, result);
    return result;
  };
  /** The statement declaring a let/const/enum binding, and whether it is at the top level. */
  const declaringStatement = (def: TSESLint.Scope.Definition): Node | undefined =>
    def.type === 'Variable' ? def.parent : def.type === 'TSEnumName' ? def.node : undefined;
  const topLevelStatement = (statement: Node | undefined): Node | undefined => {
    const holder = statement?.parent;
    if (holder?.type === 'Program') return statement;
    if (holder?.type === 'ExportNamedDeclaration' && holder.parent.type === 'Program') return holder;
    return undefined;
  };
  const isTopLevelLexical = (id: TSESTree.Identifier): boolean => {
    const def = declared(id)?.defs[0];
    if (!def || (def.type === 'Variable' && def.parent.kind === 'var')) return false;
    return topLevelStatement(declaringStatement(def)) !== undefined;
  };

  const initializedWhenReached = (id: TSESTree.Identifier, alreadyRead: readonly TSESTree.Identifier[]): boolean => {
    const v = declared(id);
    if (!v) return true; // undeclared names are reported as 'global' already
    const def = v.defs[0]!;
    switch (def.type) {
      case 'FunctionName':
        return true;
      case 'Parameter': {
        // Inside the body every parameter is initialized; in a default value it may not be.
        const fn = def.node as TSESTree.FunctionLike;
        return !!fn.body && fn.body.range[0] <= id.range[0] && id.range[1] <= fn.body.range[1];
      }
      case 'Variable':
      case 'TSEnumName': {
        // var is hoisted: no TDZ (types are trusted for its value).
        if (def.type === 'Variable' && def.parent.kind === 'var') return true;
        const statement = declaringStatement(def)!;
        const declaredBefore = def.node.range[1] <= id.range[0];
        // Same function activation, after the declaration, not skipped by a switch case jump.
        if (
          declaredBefore &&
          enclosingFunction(def.node) === enclosingFunction(id) &&
          statement.parent?.type !== 'SwitchCase'
        ) {
          return true;
        }
        // A module-level binding read from a function: initialized before any user code can
        // call that function, if no user code runs before it. Another module of an import
        // cycle could still call in before this module runs; then every top-level binding is
        // uninitialized, so a top-level binding the original already read would throw first.
        const topLevel = topLevelStatement(statement);
        if (topLevel && enclosingFunction(id) !== program && inertPrelude(topLevel)) {
          return !hasValueImports || alreadyRead.some(isTopLevelLexical);
        }
        return false;
      }
      default:
        return false;
    }
  };

  /**
   * `name` written at `node` means the global: no binding of that name in any enclosing scope
   * (a type-only declaration such as `interface BigInt {}` does not count) and no `with`.
   */
  const isGlobalName = (node: Node, name: string): boolean => {
    for (let s: TSESLint.Scope.Scope | null = sourceCode.getScope(node); s; s = s.upper) {
      if (s.type === 'with') return false;
      const v = s.set.get(name) as (Variable & { isValueVariable?: boolean }) | undefined;
      if (v && v.defs.length > 0 && v.isValueVariable !== false) return false;
    }
    return true;
  };

  // Direct `eval(…)` calls in sloppy code, as the function (or Program) whose variables they can
  // add to; found once per file, and only if the text mentions `eval` at all.
  let evalRegions: { call: Node; block: Node }[] | undefined;
  const findEvalRegions = (): { call: Node; block: Node }[] => {
    const regions: { call: Node; block: Node }[] = [];
    if (!/\beval\b/.test(sourceCode.text)) return regions;
    const keys = sourceCode.visitorKeys as Record<string, readonly string[] | undefined>;
    const visit = (node: Node): void => {
      if (
        node.type === 'CallExpression' &&
        !node.optional &&
        node.callee.type === 'Identifier' &&
        node.callee.name === 'eval' &&
        isGlobalName(node.callee, 'eval')
      ) {
        const scope = sourceCode.getScope(node);
        if (!scope.isStrict) regions.push({ call: node, block: scope.variableScope.block });
      }
      for (const key of keys[node.type] ?? []) {
        const child = (node as unknown as Record<string, unknown>)[key];
        for (const c of Array.isArray(child) ? child : [child]) {
          if (c && typeof c === 'object' && typeof (c as Node).type === 'string') visit(c as Node);
        }
      }
    };
    visit(program);
    return regions;
  };
  const inside = (node: Node, outer: Node) => outer.range[0] <= node.range[0] && node.range[1] <= outer.range[1];

  return {
    dynamicScopeAt(node) {
      for (let n: Node | undefined = node; n; n = n.parent) {
        if (n.parent?.type === 'WithStatement' && n.parent.body === n) return n.parent;
      }
      evalRegions ??= findEvalRegions();
      return evalRegions.find((r) => inside(node, r.block))?.call;
    },
    constInitializer(id) {
      return constDeclarator(declared(id))?.init ?? undefined;
    },
    isDeclaredBinding(id) {
      return declared(id) !== undefined;
    },
    isGlobalMath(id) {
      return id.name === 'Math' && isGlobalName(id, 'Math');
    },
    isGlobalBigInt(node) {
      return isGlobalName(node, 'BigInt');
    },
    initializedWhenReached,
    types: createTypeFacts(sourceCode, declared),
  };
}


/** `member` is assigned, updated, deleted or destructured into, rather than read. */
function isWriteTarget(member: Node): boolean {
  const parent = member.parent;
  if (!parent) return false;
  switch (parent.type) {
    case 'AssignmentExpression':
      return parent.left === member;
    case 'UpdateExpression':
      return true;
    case 'UnaryExpression':
      return parent.operator === 'delete';
    case 'ForInStatement':
    case 'ForOfStatement':
      return parent.left === member;
    case 'ArrayPattern':
    case 'RestElement':
      return true;
    case 'AssignmentPattern':
      return parent.left === member;
    case 'Property':
      return parent.value === member && parent.parent.type === 'ObjectPattern';
    default:
      return false;
  }
}

/**
 * The one type fact the proof trusts (docs/rules/prefer-subtract-compare.md, "Which types are
 * proof"): `E.A` where E is an enum declared in this file (not `declare`d, not exported, not
 * merged with a namespace) and every value use of E in this file is such a member read — then
 * only this file's code can reach the object, and it never writes to it — and A has a constant
 * value the compiler computed from the declaration. Types of values (literal types, `string`,
 * arrays, `bigint`) are never proof: a read before assignment, a narrowing kept across a call,
 * an array hole, an assertion, `any` or a suppressed error can put another value there.
 */
function createTypeFacts(sourceCode: Readonly<TSESLint.SourceCode>, variableOf: (id: TSESTree.Identifier) => Variable | undefined): TypeFacts | undefined {
  const services = sourceCode.parserServices as Partial<ParserServicesWithTypeInformation> | undefined;
  if (!services?.program || !services.esTreeNodeToTSNodeMap) return undefined;
  // The TypeScript that built the program (lint-typescript.ts); without it no type fact is used: syntax-only proofs.
  const ts = typescriptOf(services.program);
  if (!ts) return undefined;
  const checker = services.program.getTypeChecker();
  const map = services.esTreeNodeToTSNodeMap;
  // The proof asks about the same few nodes several times; an identifier's type is flow analysis
  // each time the checker is asked, so ask once per node.
  const typeCache = new Map<Node, TS.Type>();
  const typeOf = (node: Node): TS.Type => {
    let t = typeCache.get(node);
    if (!t) typeCache.set(node, (t = checker.getTypeAtLocation(map.get(node as TSESTree.Expression))));
    return t;
  };
  const symbolOf = (node: Node): TS.Symbol | undefined => checker.getSymbolAtLocation(map.get(node as TSESTree.Expression));
  const parts = (t: TS.Type): readonly TS.Type[] => (t.isUnion() ? t.types : [t]);
  const every = (t: TS.Type, flags: number) => parts(t).every((p) => (p.flags & flags) !== 0);

  const kind = (node: Expression): ValueKind => {
    // A number or bigint literal is typed as itself: no need to ask the checker.
    if (node.type === 'Literal') {
      if (typeof node.value === 'number') return 'number';
      if ('bigint' in node && typeof node.bigint === 'string') return 'bigint';
    }
    const t = typeOf(node);
    if (every(t, ts.TypeFlags.NumberLike)) return 'number';
    if (every(t, ts.TypeFlags.StringLike)) return 'string';
    if (every(t, ts.TypeFlags.BigIntLike)) return 'bigint';
    return 'other';
  };

  const sealedEnumCache = new Map<Variable, boolean>();
  /** The binding is a local enum whose object only this file's member reads ever touch. */
  const isSealedLocalEnum = (v: Variable): boolean => {
    let sealed = sealedEnumCache.get(v);
    if (sealed !== undefined) return sealed;
    sealed =
      v.defs.length > 0 &&
      v.defs.every((d) => {
        if (d.type !== 'TSEnumName') return false;
        const decl = d.node;
        return !decl.declare && decl.parent.type !== 'ExportNamedDeclaration';
      }) &&
      v.references.every((ref) => {
        const id = ref.identifier as Node;
        const parent = id.parent;
        if (!ref.isValueReference) return true;
        if (parent?.type === 'TSTypeQuery' || parent?.type === 'TSQualifiedName') return true; // type positions
        return parent?.type === 'MemberExpression' && parent.object === id && !parent.computed && !isWriteTarget(parent);
      });
    sealedEnumCache.set(v, sealed);
    return sealed;
  };
  const trustedEnumMember = (node: Node): Interval | undefined => {
    if (node.type !== 'MemberExpression' || node.computed || node.object.type !== 'Identifier') return undefined;
    const v = variableOf(node.object);
    if (!v || !isSealedLocalEnum(v)) return undefined;
    const member = symbolOf(node);
    const decl = member?.valueDeclaration;
    if (!member || (member.flags & ts.SymbolFlags.EnumMember) === 0 || !decl || !ts.isEnumMember(decl)) return undefined;
    const value = checker.getConstantValue(decl);
    return typeof value === 'number' && Number.isSafeInteger(value) ? point(value) : undefined;
  };

  return {
    kind,
    enumMember: trustedEnumMember,
    typedIntegerLiterals(node) {
      const t = typeOf(node);
      const literal = (p: TS.Type) => (p.isNumberLiteral() && Number.isInteger(p.value)) || (p.flags & ts.TypeFlags.BigIntLiteral) !== 0;
      if (parts(t).some((p) => (p.flags & ts.TypeFlags.EnumLike) !== 0)) return 'enum';
      return parts(t).every(literal) || every(t, ts.TypeFlags.BigIntLike) ? 'literal' : undefined;
    },
    isAccessor(node) {
      const symbol = symbolOf(node);
      return !!symbol && (symbol.flags & ts.SymbolFlags.Accessor) !== 0;
    },
  };
}
