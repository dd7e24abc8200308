// Decides, for one range check found by range-check.ts, whether the subtract-compare rewrite
// is provably exact (fix), plausible but unproven (suggestion, with the reasons), or not a
// numeric range check at all (no report) — for numbers (`(x - lo) >>> 0`) and for bigints
// (`BigInt.asUintN(64, x - lo)`). Pure: the scope and type questions it needs are
// answered by an OperandEnv the ESLint rule implements.
import type { TSESTree } from '@typescript-eslint/utils';
import {
  INT32,
  UINT32,
  TWO_64,
  add,
  asIntNRange,
  asUintNRange,
  bigAdd,
  bigMultiply,
  bigNegate,
  bigPoint,
  bigSubtract,
  bigUnion,
  proveExact64,
  type BigIntInterval,
  multiply,
  negate,
  point,
  proveExact,
  shiftRightSigned,
  shiftRightUnsigned,
  subtract,
  union,
  type Interval,
  TWO_32,
} from './interval.js';
import { constantBigInt, constantValue, isBigIntLiteral, type RangeCheck } from './range-check.js';

type Node = TSESTree.Node;
type Expression = TSESTree.Expression;

export type ValueKind = 'number' | 'string' | 'bigint' | 'other';

/** Which rewrite a verdict is about: `(x - lo) >>> 0` or `BigInt.asUintN(64, x - lo)`. */
export type Domain = 'number' | 'bigint';

/**
 * What type information says (absent when linting without type information). Types of values
 * are never proof (a read before assignment, a narrowing kept across a call, an array hole, an
 * assertion, `any` or a suppressed error can put another value behind any type); the one fact
 * trusted is a member of an enum only this file can reach (docs: "Which types are proof").
 */
export interface TypeFacts {
  kind(node: Expression): ValueKind;
  /**
   * `E.A` of an enum declared in this file (not declared ambient, not exported, no namespace
   * merged in), every value use of E in this file a member read: A's constant integer value.
   */
  enumMember(node: Expression): Interval | undefined;
  /** For messages only: the type says integer (or bigint) literals, or an enum type. */
  typedIntegerLiterals(node: Expression): 'literal' | 'enum' | undefined;
  /** The property is declared as a getter (or accessor): reading it runs code. */
  isAccessor(node: TSESTree.MemberExpression): boolean;
}

export interface OperandEnv {
  /** Initializer of the `const` binding the identifier resolves to (scope analysis), if any. */
  constInitializer(id: TSESTree.Identifier): Expression | undefined;
  /** The identifier resolves to a declared binding (reading it cannot run code). */
  isDeclaredBinding(id: TSESTree.Identifier): boolean;
  /** The identifier is the unshadowed global `Math`. */
  isGlobalMath(id: TSESTree.Identifier): boolean;
  /** The name `BigInt` written at `node` would be the unshadowed global (no binding, no `with`). */
  isGlobalBigInt(node: Node): boolean;
  /**
   * Reading `id` cannot hit its temporal dead zone at this point, given that the
   * identifiers in `alreadyRead` have just been read successfully.
   */
  initializedWhenReached(id: TSESTree.Identifier, alreadyRead: readonly TSESTree.Identifier[]): boolean;
  /**
   * Bindings at `node` may change at run time, so no scope-based proof holds there: the direct
   * `eval(…)` call of a sloppy-mode function enclosing it (it can declare a `var` that shadows
   * a `const`), or the `with` statement around it. Undefined when scopes are static.
   */
  dynamicScopeAt(node: Node): Node | undefined;
  readonly types: TypeFacts | undefined;
}

export interface ProofOptions {
  /** Unsafe: treat operands typed `number` but not proven integer as int32. */
  readonly assumeInt32: boolean;
  /** Judge bigint checks at all (off: they are ignored; the bigint rewrite is slower on Node 24). */
  readonly bigint: boolean;
}

export type ReasonKind =
  /** x may be NaN, a fraction, ±Infinity or a non-number: `>>> 0` turns those into integers. */
  | 'operand-not-integer'
  /** the lower bound may be a fraction or -Infinity. */
  | 'lower-not-integer'
  /** the upper bound (or size) may be Infinity or beyond x + 2^32. */
  | 'upper-not-integer'
  /** `lo + size` may pass 2^53: the sum is rounded, the rewrite compares against the exact size. */
  | 'upper-inexact'
  /** x - lo may reach ±2^32: ToUint32 wraps it. */
  | 'difference-range'
  /** x - lo may be negative with x + 2^32 < hi: the wrapped value lands inside the range. */
  | 'negative-wrap'
  /** a member read may be a getter: read once instead of twice. */
  | 'getter'
  /** an undeclared (global) name: may be a getter on the global object. */
  | 'global'
  /** arithmetic on a value not proven a number: its valueOf runs a different number of times. */
  | 'coercion'
  /** a binding the original reads only when needed may be uninitialized (TDZ) when the rewrite reads it. */
  | 'tdz'
  /** bigint form: the operand or a bound may be a number; mixing it with a bigint throws a TypeError. */
  | 'not-bigint'
  /** bigint form: x - lo may reach ±2^64: asUintN(64, ·) wraps it. */
  | 'difference-range-64'
  /** bigint form: x - lo may be negative with x + 2^64 < hi: the wrapped value lands inside the range. */
  | 'negative-wrap-64'
  /** a sloppy-mode direct `eval` (subject: the call) or a `with` (subject: the statement) can rebind names. */
  | 'dynamic-scope';

export interface Reason {
  readonly kind: ReasonKind;
  /** The source text the reason is about. */
  readonly subject: Node;
  /**
   * For 'operand-not-integer': where the operand's value comes from, if telling — or that its
   * type says integer literals ('literal-type') or a numeric enum ('enum-type'), which is no
   * proof. For 'not-bigint', 'literal-type': its type says bigint.
   */
  readonly origin?: 'charCodeAt' | 'element' | 'literal-type' | 'enum-type';
  /**
   * For 'operand-not-integer': the `||` form. NaN is then no counterexample (`NaN < lo || NaN >= hi`
   * is false, and so is the rewrite), ±Infinity and fractions are.
   */
  readonly negated?: boolean;
  /** For 'coercion': the bigint form (the part is not proven a bigint). */
  readonly bigint?: boolean;
}

export type Verdict =
  | { readonly kind: 'ignore' }
  | { readonly kind: 'fix'; readonly domain: Domain }
  | { readonly kind: 'suggest'; readonly domain: Domain; readonly reasons: readonly Reason[] };

const MAX_DEPTH = 8;

/** Syntax that runs code or changes state: such operands are not range checks we touch. */
function hasEffects(node: Node): boolean {
  switch (node.type) {
    case 'CallExpression':
    case 'NewExpression':
    case 'AssignmentExpression':
    case 'UpdateExpression':
    case 'AwaitExpression':
    case 'YieldExpression':
    case 'TaggedTemplateExpression':
    case 'ImportExpression':
    case 'SequenceExpression':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
    case 'ClassExpression':
    case 'ObjectExpression':
    case 'ArrayExpression':
    case 'TemplateLiteral':
      return true;
    case 'UnaryExpression':
      return node.operator === 'delete' || node.operator === 'typeof' || node.operator === 'void' || node.operator === '!' || hasEffects(node.argument);
    case 'Literal':
      // Only numbers and bigints: strings, regexps, null, booleans are not numeric range checks.
      return typeof node.value !== 'number' && !isBigIntLiteral(node);
    case 'Identifier':
    case 'ThisExpression':
    case 'Super':
      return false;
    case 'MemberExpression':
      return hasEffects(node.object) || (node.computed && hasEffects(node.property));
    case 'ChainExpression':
    case 'TSNonNullExpression':
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
    case 'TSTypeAssertion':
      return hasEffects(node.expression);
    case 'BinaryExpression':
      return (node.left.type !== 'PrivateIdentifier' && hasEffects(node.left)) || hasEffects(node.right);
    case 'ConditionalExpression':
      return hasEffects(node.test) || hasEffects(node.consequent) || hasEffects(node.alternate);
    case 'LogicalExpression':
      return hasEffects(node.left) || hasEffects(node.right);
    default:
      return true;
  }
}

function unwrap(node: Expression): Expression {
  while (
    node.type === 'TSAsExpression' ||
    node.type === 'TSSatisfiesExpression' ||
    node.type === 'TSNonNullExpression' ||
    node.type === 'TSTypeAssertion'
  ) {
    node = node.expression;
  }
  return node;
}

function isMathCall(node: TSESTree.CallExpression, name: string, env: OperandEnv): boolean {
  const callee = node.callee;
  return (
    callee.type === 'MemberExpression' &&
    !callee.computed &&
    callee.property.type === 'Identifier' &&
    callee.property.name === name &&
    callee.object.type === 'Identifier' &&
    env.isGlobalMath(callee.object)
  );
}

/**
 * The integer interval an expression's value provably lies in, or undefined. A defined result
 * also means the value is a number (not a bigint, not an object), whenever evaluation completes.
 */
export function intervalOf(node: Expression, env: OperandEnv, depth = 0): Interval | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const next = (n: Node) => intervalOf(n as Expression, env, depth + 1);
  const n = unwrap(node);
  const fromTypes = () => typedInterval(n, env.types);
  switch (n.type) {
    case 'Literal':
      return typeof n.value === 'number' ? point(n.value) : undefined;
    case 'Identifier': {
      const init = env.constInitializer(n);
      return (init && next(init)) ?? fromTypes();
    }
    case 'UnaryExpression': {
      const inner = next(n.argument);
      if (!inner) return fromTypes();
      if (n.operator === '-') return negate(inner);
      if (n.operator === '+') return inner;
      if (n.operator === '~') return inner.min === inner.max ? point(~inner.min) : INT32;
      return undefined;
    }
    case 'BinaryExpression': {
      if (n.left.type === 'PrivateIdentifier') return undefined;
      const l = next(n.left);
      const r = next(n.right);
      switch (n.operator) {
        case '+':
          return l && r ? add(l, r) : fromTypes();
        case '-':
          return l && r ? subtract(l, r) : fromTypes();
        case '*':
          return l && r ? multiply(l, r) : fromTypes();
        case '>>>':
          // Always a uint32 number (BigInt has no >>>: it throws instead).
          return r && r.min === r.max ? shiftRightUnsigned(r.min) : UINT32;
        case '|':
        case '^':
        case '<<':
        case '>>':
        case '&': {
          // With one operand a number the result is an int32 number (mixing with BigInt throws).
          if (!l && !r) return fromTypes();
          if (n.operator === '&') {
            // eslint-disable-next-line hotpath/prefer-subtract-compare -- interval bounds may be fractions or infinite: the rewrite would differ
            const mask = [l, r].find((i) => i && i.min === i.max && i.min >= 0 && i.min <= INT32.max);
            if (mask) return { min: 0, max: mask.min };
          }
          if (n.operator === '>>' && r && r.min === r.max) return shiftRightSigned(r.min);
          return INT32;
        }
        default:
          return fromTypes();
      }
    }
    case 'CallExpression': {
      if (isMathCall(n, 'imul', env)) return INT32;
      if (isMathCall(n, 'clz32', env)) return { min: 0, max: 32 };
      return fromTypes();
    }
    case 'ConditionalExpression': {
      const a = next(n.consequent);
      const b = next(n.alternate);
      return a && b ? union(a, b) : fromTypes();
    }
    case 'MemberExpression':
      return lengthBySyntax(n, env) ?? fromTypes();
    default:
      return fromTypes();
  }
}

/** Strings and arrays are at most 2^32 - 1 long (arrays by the spec; strings in every engine, which cap them far lower). */
const LENGTH: Interval = { min: 0, max: TWO_32 - 1 };

/**
 * `s.length` where syntax shows `s` is a string or an array (see stringOrArrayBySyntax): a plain
 * read of an own data property, exact for a string literal. Types are not asked: `v as string`
 * or a `string` parameter can be any object with a `length`.
 */
function lengthBySyntax(node: TSESTree.MemberExpression, env: OperandEnv): Interval | undefined {
  if (node.computed || node.property.type !== 'Identifier' || node.property.name !== 'length') return undefined;
  const source = stringOrArrayBySyntax(node.object, env);
  if (!source) return undefined;
  if (source.type === 'Literal' && typeof source.value === 'string') return point(source.value.length);
  if (source.type === 'TemplateLiteral' && source.expressions.length === 0 && source.quasis[0]?.value.cooked != null) {
    return point(source.quasis[0].value.cooked.length);
  }
  return LENGTH;
}

/**
 * The expression is a string or an array by syntax: a string or template literal, an array
 * literal, a `+` with a string literal side, or a `const` bound to one of these (strings are
 * immutable; an array's length may change, but stays an integer). The expression that makes it so.
 */
function stringOrArrayBySyntax(node: Node, env: OperandEnv, depth = 0): Expression | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const n = unwrap(node as Expression);
  if (n.type === 'Literal') return typeof n.value === 'string' ? n : undefined;
  if (n.type === 'TemplateLiteral' || n.type === 'ArrayExpression') return n;
  if (n.type === 'BinaryExpression' && n.operator === '+') {
    const isString = (e: Node) => (e.type === 'Literal' && typeof e.value === 'string') || e.type === 'TemplateLiteral';
    return isString(n.left) || isString(n.right) ? n : undefined;
  }
  if (n.type === 'Identifier') {
    const init = env.constInitializer(n);
    return init && stringOrArrayBySyntax(init, env, depth + 1);
  }
  return undefined;
}

/** What the types prove about a number: only a member of a local enum nothing else can reach. */
function typedInterval(unwrapped: Expression, types: TypeFacts | undefined): Interval | undefined {
  return types?.enumMember(unwrapped);
}

/** A value proven to be a bigint whenever its evaluation completes, with its range if known. */
export interface BigIntFact {
  readonly range: BigIntInterval | undefined;
}

/** asIntN/asUintN widths above this give a bigint of unknown range (no huge constants). */
const MAX_BITS = 1024;

function isGlobalBigIntCall(node: TSESTree.CallExpression, env: OperandEnv): string | undefined {
  const callee = node.callee;
  if (node.optional || node.arguments.some((a) => a.type === 'SpreadElement')) return undefined;
  if (callee.type === 'Identifier') return callee.name === 'BigInt' && env.isGlobalBigInt(callee) ? 'BigInt' : undefined;
  if (
    callee.type === 'MemberExpression' &&
    !callee.computed &&
    !callee.optional &&
    callee.property.type === 'Identifier' &&
    callee.object.type === 'Identifier' &&
    callee.object.name === 'BigInt' &&
    env.isGlobalBigInt(callee.object)
  ) {
    return callee.property.name;
  }
  return undefined;
}

/**
 * Whether an expression's value is provably a bigint (and in which range), or undefined.
 * Mirrors intervalOf: bigint literals, `BigInt.asIntN/asUintN(bits, v)` with a constant width,
 * `BigInt(v)`, `const` bindings, `+ - *` of proven bigints, `v & m` with a constant m >= 0,
 * and with type information bigint literal types (range) and the `bigint` type (no range).
 */
export function bigintFactOf(node: Expression, env: OperandEnv, depth = 0): BigIntFact | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const next = (n: Node) => bigintFactOf(n as Expression, env, depth + 1);
  // Types are no proof of a bigint (see TypeFacts): only syntax is.
  const fromTypes = (): BigIntFact | undefined => undefined;
  const unknownRange: BigIntFact = { range: undefined };
  const n = unwrap(node);
  const constant = constantBigInt(n);
  if (constant !== undefined) return { range: bigPoint(constant) };
  switch (n.type) {
    case 'Literal':
      return isBigIntLiteral(n) ? { range: bigPoint(BigInt(n.bigint)) } : undefined;
    case 'Identifier': {
      const init = env.constInitializer(n);
      const fact = init && next(init);
      return fact?.range ? fact : (fromTypes() ?? fact);
    }
    case 'UnaryExpression': {
      const inner = next(n.argument);
      if (!inner) return fromTypes();
      const r = inner.range;
      if (n.operator === '-') return { range: r && bigNegate(r) };
      if (n.operator === '~') return { range: r && { min: -r.max - 1n, max: -r.min - 1n } };
      return undefined; // unary `+` throws on a bigint
    }
    case 'BinaryExpression': {
      if (n.left.type === 'PrivateIdentifier') return undefined;
      const l = next(n.left);
      const r = next(n.right);
      switch (n.operator) {
        case '+':
        case '-':
        case '*': {
          // `1n + "a"` is a string: both operands must be proven.
          if (!l || !r) return fromTypes();
          if (!l.range || !r.range) return unknownRange;
          const op = n.operator === '+' ? bigAdd : n.operator === '-' ? bigSubtract : bigMultiply;
          return { range: op(l.range, r.range) };
        }
        case '&':
        case '|':
        case '^': {
          // With one operand a bigint the result is a bigint (mixing with a number throws).
          if (!l && !r) return fromTypes();
          if (n.operator === '&') {
            const mask = [l, r].find((f) => f?.range && f.range.min === f.range.max && f.range.min >= 0n);
            if (mask) return { range: { min: 0n, max: mask.range!.min } };
          }
          return unknownRange;
        }
        default:
          return fromTypes();
      }
    }
    case 'CallExpression': {
      const name = isGlobalBigIntCall(n, env);
      if (name === 'BigInt' && n.arguments.length >= 1) return unknownRange;
      if ((name === 'asUintN' || name === 'asIntN') && n.arguments.length >= 2) {
        const bits = constantValue(n.arguments[0]!);
        if (bits === undefined || !Number.isInteger(bits) || bits < 0) return unknownRange;
        if (bits > MAX_BITS) return unknownRange;
        return { range: name === 'asUintN' ? asUintNRange(bits) : asIntNRange(bits) };
      }
      return fromTypes();
    }
    case 'ConditionalExpression': {
      const a = next(n.consequent);
      const b = next(n.alternate);
      if (!a || !b) return fromTypes();
      return { range: a.range && b.range ? bigUnion(a.range, b.range) : undefined };
    }
    default:
      return fromTypes();
  }
}

type PurityFailure = { kind: 'getter' | 'global' | 'coercion'; subject: Node; bigint?: boolean };

/** Bigint arithmetic that never throws on bigints (`/` and `%` by 0n, `**`, shifts and unary `+` can). */
const BIGINT_TOTAL_UNARY = new Set(['-', '~']);
const BIGINT_TOTAL_BINARY = new Set(['+', '-', '*', '&', '|', '^']);

/**
 * Evaluating the expression runs no user code and cannot throw (given initialized bindings),
 * so evaluating it once instead of twice, or always instead of sometimes, is unobservable.
 */
function purityFailure(node: Expression, env: OperandEnv, domain: Domain = 'number'): PurityFailure | undefined {
  const n = unwrap(node);
  switch (n.type) {
    case 'Literal':
      return undefined;
    case 'Identifier':
      return env.isDeclaredBinding(n) ? undefined : { kind: 'global', subject: n };
    case 'MemberExpression':
      // `.length` of a string or array by syntax, a local enum's member: plain data reads.
      if (lengthBySyntax(n, env) || env.types?.enumMember(n)) {
        return purityFailure(n.object, env, domain);
      }
      return { kind: 'getter', subject: n };
    case 'UnaryExpression':
    case 'BinaryExpression': {
      const parts = n.type === 'UnaryExpression' ? [n.argument] : [n.left as Expression, n.right];
      for (const part of parts) {
        const inner = purityFailure(part, env, domain);
        if (inner) return inner;
        // ToNumber of a non-number runs valueOf/toString (or throws for a BigInt mix).
        if (domain === 'number' && !intervalOf(part, env)) return { kind: 'coercion', subject: part };
        if (domain === 'bigint' && !bigintFactOf(part, env)) return { kind: 'coercion', subject: part, bigint: true };
      }
      return undefined;
    }
    case 'ConditionalExpression':
    case 'LogicalExpression': {
      // ToBoolean runs no user code; the parts themselves must be pure.
      const parts = n.type === 'ConditionalExpression' ? [n.test, n.consequent, n.alternate] : [n.left, n.right];
      for (const part of parts) {
        const inner = purityFailure(part, env, domain);
        if (inner) return inner;
      }
      return undefined;
    }
    case 'ThisExpression':
      return undefined;
    default:
      // Optional chains and anything else that reads a property.
      return { kind: 'getter', subject: n };
  }
}

function identifiersIn(node: Node, out: TSESTree.Identifier[] = []): TSESTree.Identifier[] {
  switch (node.type) {
    case 'Identifier':
      out.push(node);
      break;
    case 'MemberExpression':
      identifiersIn(node.object, out);
      if (node.computed) identifiersIn(node.property, out);
      break;
    case 'UnaryExpression':
      identifiersIn(node.argument, out);
      break;
    case 'BinaryExpression':
    case 'LogicalExpression':
      identifiersIn(node.left, out);
      identifiersIn(node.right, out);
      break;
    case 'ConditionalExpression':
      identifiersIn(node.test, out);
      identifiersIn(node.consequent, out);
      identifiersIn(node.alternate, out);
      break;
    case 'ChainExpression':
    case 'TSNonNullExpression':
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
    case 'TSTypeAssertion':
      identifiersIn(node.expression, out);
      break;
  }
  return out;
}

function memberAccessorIn(node: Node, types: TypeFacts): boolean {
  if (node.type === 'MemberExpression') {
    if (types.isAccessor(node)) return true;
    return memberAccessorIn(node.object, types) || (node.computed && memberAccessorIn(node.property, types));
  }
  if (node.type === 'ChainExpression' || node.type === 'TSNonNullExpression' || node.type === 'TSAsExpression') {
    return memberAccessorIn(node.expression, types);
  }
  if (node.type === 'BinaryExpression') {
    return (node.left.type !== 'PrivateIdentifier' && memberAccessorIn(node.left, types)) || memberAccessorIn(node.right, types);
  }
  if (node.type === 'UnaryExpression') return memberAccessorIn(node.argument, types);
  return false;
}

function operandOrigin(x: Expression, env: OperandEnv): Reason['origin'] {
  const n = unwrap(x);
  const source = n.type === 'Identifier' ? env.constInitializer(n) : n;
  if (!source) return typeOrigin(x, env);
  const s = unwrap(source);
  if (
    s.type === 'CallExpression' &&
    s.callee.type === 'MemberExpression' &&
    s.callee.property.type === 'Identifier' &&
    (s.callee.property.name === 'charCodeAt' || s.callee.property.name === 'codePointAt')
  ) {
    return 'charCodeAt';
  }
  if (s.type === 'MemberExpression' && s.computed) return 'element';
  return typeOrigin(x, env);
}

/** Why an integer (or bigint) type of `node` was not taken as proof, if it has one. */
function typeOrigin(node: Expression, env: OperandEnv): 'literal-type' | 'enum-type' | undefined {
  const typed = env.types?.typedIntegerLiterals(node);
  return typed === 'enum' ? 'enum-type' : typed === 'literal' ? 'literal-type' : undefined;
}

function isInside(node: Node, container: Node): boolean {
  return container.range[0] <= node.range[0] && node.range[1] <= container.range[1];
}

/** What the operand is proven (or typed) to be, if anything. */
function evidenceOf(node: Expression, env: OperandEnv): Domain | undefined {
  const kind = env.types?.kind(node);
  if (kind === 'number' || kind === 'bigint') return kind;
  if (constantValue(node) !== undefined || intervalOf(node, env)) return 'number';
  if (constantBigInt(node) !== undefined || bigintFactOf(node, env)) return 'bigint';
  return undefined;
}

/** Arithmetic that can throw on bigints; such a bound evaluated always instead of sometimes is observable. */
function hasPartialBigIntArithmetic(node: Node): boolean {
  // A constant (`1n << 62n`) evaluates without throwing: the linter just did.
  if (constantBigInt(node) !== undefined) return false;
  switch (node.type) {
    case 'UnaryExpression':
      return !BIGINT_TOTAL_UNARY.has(node.operator) || hasPartialBigIntArithmetic(node.argument);
    case 'BinaryExpression':
      return (
        !BIGINT_TOTAL_BINARY.has(node.operator) ||
        (node.left.type !== 'PrivateIdentifier' && hasPartialBigIntArithmetic(node.left)) ||
        hasPartialBigIntArithmetic(node.right)
      );
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
    case 'TSNonNullExpression':
    case 'TSTypeAssertion':
    case 'ChainExpression':
      return hasPartialBigIntArithmetic(node.expression);
    case 'ConditionalExpression':
      return hasPartialBigIntArithmetic(node.test) || hasPartialBigIntArithmetic(node.consequent) || hasPartialBigIntArithmetic(node.alternate);
    default:
      return false;
  }
}

/** Fix, suggestion or nothing for one matched range check. */
export function judgeRangeCheck(check: RangeCheck, env: OperandEnv, options: ProofOptions): Verdict {
  const { operand: x, lower, upper, size } = check;
  const ignore = { kind: 'ignore' } as const;

  // Not a numeric range check we can touch: effects, non-numeric literals, strings, getters.
  if ([x, lower, upper].some(hasEffects)) return ignore;
  const operands = [x, lower, upper, ...(size ? [size] : [])];
  const types = env.types;
  if (types) {
    for (const node of operands) {
      if (types.kind(node) === 'string') return ignore;
      if (memberAccessorIn(node, types)) return ignore;
    }
  }

  // Numbers and bigints mixed compare fine but throw in either rewrite: not ours to touch.
  const evidence = new Set(operands.map((node) => evidenceOf(node, env)));
  if (evidence.has('number') && evidence.has('bigint')) return ignore;
  if (evidence.has('bigint') && !options.bigint) return ignore;
  const verdict = evidence.has('bigint') ? judgeBigInt(check, env) : judgeNumber(check, env, options);
  // Every proof reads names through scope analysis; eval or with can rebind them at run time.
  const dynamic = verdict.kind === 'ignore' ? undefined : env.dynamicScopeAt(check.first);
  if (!dynamic || verdict.kind === 'ignore') return verdict;
  const reasons: Reason[] = [{ kind: 'dynamic-scope', subject: dynamic }, ...(verdict.kind === 'suggest' ? verdict.reasons : [])];
  return { kind: 'suggest', domain: verdict.domain, reasons };
}

function judgeNumber(check: RangeCheck, env: OperandEnv, options: ProofOptions): Verdict {
  const { operand: x, lower, upper, size } = check;
  const ignore = { kind: 'ignore' } as const;
  const types = env.types;
  // Constant bounds: integers, ordered, non-empty, at most 2^32 apart.
  const { constantLower, constantUpper } = check;
  for (const c of [constantLower, constantUpper]) {
    if (c !== undefined && !Number.isSafeInteger(c)) return ignore;
  }
  if (constantLower !== undefined && constantUpper !== undefined) {
    const L = constantLower + (check.lowerStrict ? 1 : 0);
    const H = constantUpper + (check.upperInclusive ? 1 : 0);
    if (L >= H || H - L > TWO_32) return ignore;
  }

  const reasons: Reason[] = [];
  const assumed = (node: Expression): Interval | undefined =>
    options.assumeInt32 && types?.kind(node) === 'number' ? INT32 : undefined;
  const ix = intervalOf(x, env) ?? assumed(x);
  const ilo = intervalOf(lower, env) ?? assumed(lower);
  if (!ix) reasons.push({ kind: 'operand-not-integer', subject: x, origin: operandOrigin(x, env), negated: check.negated });
  if (!ilo) reasons.push({ kind: 'lower-not-integer', subject: lower });
  const strict = check.lowerStrict ? 1 : 0;
  const inclusive = check.upperInclusive ? 1 : 0;
  // `x >= 0 && x < hi` (`x > -1`, `x < 0 || x >= hi`) with x proven in [0, 2^32): the first
  // comparison always lets the second run, so the original reads hi once, after x, and compares
  // x with it; the rewrite prints `x >>> 0 < hi` (x >>> 0 is x: no subtraction) and does the
  // same. So hi needs no proof: a fraction, Infinity, a bigint, a getter, a TDZ — both agree.
  // In any other order (`hi < x || x < 0`, `x >= 0 && hi > x`) the comparison with 0 is still
  // constant for every x in the interval, and both forms still read hi once and compare x with
  // it; only the reads of x and hi change places — unobservable when reading hi runs no code,
  // or when x is a `const` already initialized there (what hi runs cannot change or throw it).
  const unwrappedX = unwrap(x);
  const readsCommute = () =>
    purityFailure(upper, env) === undefined ||
    (unwrappedX.type === 'Identifier' && env.constInitializer(unwrappedX) !== undefined && env.initializedWhenReached(unwrappedX, []));
  const upperFree =
    !size &&
    check.constantLower !== undefined &&
    check.constantLower + strict === 0 &&
    !!ix &&
    ix.min >= 0 &&
    ix.max < TWO_32 &&
    // `x < hi` second, not `hi > x`: x is read both times before hi runs (a getter could change x's array).
    ((isInside(lower, check.first) && upper.parent.type === 'BinaryExpression' && upper.parent.right === upper) ||
      readsCommute());
  let ihi: Interval | undefined;
  let isize: Interval | undefined;
  if (size) {
    isize = intervalOf(size, env) ?? assumed(size);
    // The upper bound's value `lo + size` must be exact too.
    ihi = ilo && isize ? add(ilo, isize) : undefined;
    if (!isize) reasons.push({ kind: 'upper-not-integer', subject: size });
    else if (ilo && !ihi) reasons.push({ kind: 'upper-inexact', subject: upper });
  } else {
    ihi = intervalOf(upper, env) ?? assumed(upper);
    if (!ihi && !upperFree) reasons.push({ kind: 'upper-not-integer', subject: upper });
  }
  // Bounds proven to leave no integer inside ([L, H) empty for every value they can take): the
  // check is constant (false, or true for `||`) in both forms — like an empty constant range,
  // not ours to touch, and no input would tell the rewrite apart.
  if (ilo && ihi && ihi.max + inclusive <= ilo.min + strict) return ignore;
  // Likewise when x can never be inside: the original is constant (the rewrite may wrap).
  if (ix && ilo && ihi && (ix.max < ilo.min + strict || ix.min >= ihi.max + inclusive)) return ignore;
  // `lo + size` with size proven ≤ 0: empty whatever lo is (the sum's interval forgets that).
  if (isize && isize.max + inclusive - strict <= 0) return ignore;

  // A fix needs this step to have run and succeeded: every way of not deciding is a reason.
  let exact = upperFree;
  if (!upperFree && ix && ilo && ihi) {
    const L = check.lowerStrict ? add(ilo, { min: 1, max: 1 }) : ilo;
    const H = check.upperInclusive ? add(ihi, { min: 1, max: 1 }) : ihi;
    const failure = L && H ? proveExact(ix, L, H) : 'difference-range';
    if (failure) reasons.push({ kind: failure, subject: x });
    else exact = true;
  }
  if (!exact && reasons.length === 0) reasons.push({ kind: 'difference-range', subject: x });

  reasons.push(...evaluationReasons(check, env, 'number', reasons, upperFree));
  return reasons.length === 0 ? { kind: 'fix', domain: 'number' } : { kind: 'suggest', domain: 'number', reasons };
}

/**
 * Evaluation: x read once instead of twice, lo twice instead of once (unless hi is lo + size),
 * hi always instead of only when x >= lo. All must be unobservable (no getter, no valueOf, no TDZ).
 */
function evaluationReasons(check: RangeCheck, env: OperandEnv, domain: Domain, known: readonly Reason[], upperReadAlike = false): Reason[] {
  const { operand: x, lower, upper, size } = check;
  const reasons: Reason[] = [];
  // upperReadAlike: both forms read the upper bound exactly once, after x (see upperFree).
  const parts = upperReadAlike ? [x, lower] : [x, lower, size ?? upper];
  for (const node of parts) {
    const failure = purityFailure(node, env, domain);
    if (failure && ![...known, ...reasons].some((r) => r.subject === failure.subject && r.kind === failure.kind)) {
      reasons.push(failure);
    }
  }
  const alreadyRead = identifiersIn(check.first);
  const readNames = new Set(alreadyRead.map((id) => id.name));
  for (const id of parts.flatMap((n) => identifiersIn(n))) {
    if (readNames.has(id.name)) continue;
    if (!env.initializedWhenReached(id, alreadyRead)) {
      reasons.push({ kind: 'tdz', subject: id });
      readNames.add(id.name);
    }
  }
  return reasons;
}

/**
 * The bigint rewrite `BigInt.asUintN(64, x - L) < H - L`: x, lo and hi must all be bigints
 * (a number mixed in throws a TypeError) and the difference must not wrap (proveExact64).
 */
function judgeBigInt(check: RangeCheck, env: OperandEnv): Verdict {
  const { operand: x, lower, upper, size } = check;
  const ignore = { kind: 'ignore' } as const;

  // The rewrite names the global BigInt: if the name means something else here, no rewrite.
  if (!env.isGlobalBigInt(check.first)) return ignore;
  // A bound that may throw is evaluated always by the rewrite, only sometimes by the original.
  if ([x, lower, upper].some(hasPartialBigIntArithmetic)) return ignore;

  // Constant bounds: ordered, non-empty, at most 2^64 apart.
  const { bigintLower, bigintUpper } = check;
  if (bigintLower !== undefined && bigintUpper !== undefined) {
    const L = bigintLower + (check.lowerStrict ? 1n : 0n);
    const H = bigintUpper + (check.upperInclusive ? 1n : 0n);
    if (L >= H || H - L > TWO_64) return ignore;
  }

  const reasons: Reason[] = [];
  const fx = bigintFactOf(x, env);
  const flo = bigintFactOf(lower, env);
  const notBigInt = (subject: Expression): Reason => ({ kind: 'not-bigint', subject, origin: typeOrigin(subject, env) });
  if (!fx) reasons.push(notBigInt(x));
  if (!flo) reasons.push(notBigInt(lower));
  let hiRange: BigIntInterval | undefined;
  if (size) {
    const fsize = bigintFactOf(size, env);
    if (!fsize) reasons.push(notBigInt(size));
    hiRange = flo?.range && fsize?.range ? bigAdd(flo.range, fsize.range) : undefined;
  } else {
    const fhi = bigintFactOf(upper, env);
    if (!fhi) reasons.push(notBigInt(upper));
    hiRange = fhi?.range;
  }

  // Range: an operand not proven a bigint is treated as a bigint of any value here, so its
  // wrap class is named too (it is a second, independent counterexample).
  const xRange = fx?.range;
  const L = flo?.range && (check.lowerStrict ? bigAdd(flo.range, bigPoint(1n)) : flo.range);
  const H = hiRange && (check.upperInclusive ? bigAdd(hiRange, bigPoint(1n)) : hiRange);
  const failure = xRange && L ? proveExact64(xRange, L, H) : 'difference-range';
  if (failure) reasons.push({ kind: failure === 'difference-range' ? 'difference-range-64' : 'negative-wrap-64', subject: x });

  reasons.push(...evaluationReasons(check, env, 'bigint', reasons));
  return reasons.length === 0 ? { kind: 'fix', domain: 'bigint' } : { kind: 'suggest', domain: 'bigint', reasons };
}
