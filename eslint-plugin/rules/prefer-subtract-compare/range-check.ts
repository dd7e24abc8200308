// The range-check matcher: finds `x >= lo && x < hi` (in all its spellings) inside a
// `&&` / `||` chain and builds the `(x - lo) >>> 0 < hi - lo` text (and the bigint form
// `BigInt.asUintN(64, x - lo) < hi - lo`). Pure: ESTree nodes and
// the source text in, a description out. Whether the rewrite is *exact* is decided in
// range-proof.ts; this file only knows syntax.
import type { TSESTree } from '@typescript-eslint/utils';

type Node = TSESTree.Node;
type Expression = TSESTree.Expression;
type Comparison = TSESTree.BinaryExpression & { operator: '<' | '<=' | '>' | '>=' };

export interface SourceInput {
  readonly text: string;
  /** Every comment of the file, as ranges (the rule passes `sourceCode.getAllComments()`). */
  readonly comments: readonly { readonly range: readonly [number, number] }[];
}

export interface RangeCheck {
  /** The operand tested against both bounds (the occurrence the rewrite keeps). */
  readonly operand: Expression;
  /** The other occurrence of the operand. */
  readonly operandAgain: Expression;
  /** Lower bound as written; `lowerStrict` when written `x > lo`. */
  readonly lower: Expression;
  readonly lowerStrict: boolean;
  /** Upper bound as written; `upperInclusive` when written `x <= hi`. */
  readonly upper: Expression;
  readonly upperInclusive: boolean;
  /** `size` when the upper bound is written `lo + size` (same lo as the lower bound). */
  readonly size: Expression | undefined;
  /** The `||` form `x < lo || x >= hi`: the rewrite is the negation. */
  readonly negated: boolean;
  /** The comparison evaluated first (always); the second one runs only if needed. */
  readonly first: Comparison;
  readonly second: Comparison;
  /** Constant values of the bounds when they are numeric constants. */
  readonly constantLower: number | undefined;
  readonly constantUpper: number | undefined;
  /** Constant values of the bounds when they are bigint constants (`10n`, `-(1n << 8n)`). */
  readonly bigintLower: bigint | undefined;
  readonly bigintUpper: bigint | undefined;
  /** Source range the replacement covers (both comparisons and the operator between). */
  readonly range: readonly [number, number];
}

type Role = 'lower' | 'lower-strict' | 'upper' | 'upper-inclusive';

const FLIP = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const;
const NEGATE = { '<': '>=', '<=': '>', '>': '<=', '>=': '<' } as const;

function isComparison(node: Node): node is Comparison {
  return (
    node.type === 'BinaryExpression' &&
    (node.operator === '<' || node.operator === '<=' || node.operator === '>' || node.operator === '>=')
  );
}

/** Operands of a chain of one logical operator, through nested same-operator groups. */
export function flattenChain(node: Expression, operator: '&&' | '||', out: Expression[] = []): Expression[] {
  if (node.type === 'LogicalExpression' && node.operator === operator) {
    flattenChain(node.left, operator, out);
    flattenChain(node.right, operator, out);
  } else {
    out.push(node);
  }
  return out;
}

/** Structural equality of side-effect-free-looking syntax (same text modulo parens/spacing). */
export function sameOperand(a: Node, b: Node): boolean {
  if (a.type !== b.type) return false;
  switch (a.type) {
    case 'Identifier':
      return a.name === (b as TSESTree.Identifier).name;
    case 'PrivateIdentifier':
      return a.name === (b as TSESTree.PrivateIdentifier).name;
    case 'ThisExpression':
    case 'Super':
      return true;
    case 'Literal': {
      const other = b as TSESTree.Literal;
      return typeof a.value === typeof other.value && Object.is(a.value, other.value) && a.raw === other.raw;
    }
    case 'MemberExpression': {
      const other = b as TSESTree.MemberExpression;
      return (
        a.computed === other.computed &&
        a.optional === other.optional &&
        sameOperand(a.object, other.object) &&
        sameOperand(a.property, other.property)
      );
    }
    case 'ChainExpression':
      return sameOperand(a.expression, (b as TSESTree.ChainExpression).expression);
    case 'TSNonNullExpression':
      return sameOperand(a.expression, (b as TSESTree.TSNonNullExpression).expression);
    case 'UnaryExpression': {
      const other = b as TSESTree.UnaryExpression;
      return a.operator === other.operator && sameOperand(a.argument, other.argument);
    }
    case 'BinaryExpression': {
      const other = b as TSESTree.BinaryExpression;
      return a.operator === other.operator && sameOperand(a.left, other.left) && sameOperand(a.right, other.right);
    }
    default:
      return false;
  }
}

/** Numeric value of a constant expression made of number literals, or undefined. */
export function constantValue(node: Node): number | undefined {
  switch (node.type) {
    case 'Literal':
      return typeof node.value === 'number' ? node.value : undefined;
    case 'UnaryExpression': {
      const v = constantValue(node.argument);
      if (v === undefined) return undefined;
      if (node.operator === '-') return -v;
      if (node.operator === '+') return v;
      if (node.operator === '~') return ~v;
      return undefined;
    }
    case 'BinaryExpression': {
      if (node.left.type === 'PrivateIdentifier') return undefined;
      const l = constantValue(node.left);
      const r = constantValue(node.right);
      if (l === undefined || r === undefined) return undefined;
      switch (node.operator) {
        case '+': return l + r;
        case '-': return l - r;
        case '*': return l * r;
        case '**': return l ** r;
        case '<<': return l << r;
        case '>>': return l >> r;
        case '>>>': return l >>> r;
        case '|': return l | r;
        case '&': return l & r;
        case '^': return l ^ r;
        default: return undefined;
      }
    }
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
    case 'TSNonNullExpression':
      return constantValue(node.expression);
    default:
      return undefined;
  }
}

/** A bigint literal (`10n`); its `value` may be null where BigInt is missing, `bigint` never is. */
export function isBigIntLiteral(node: Node): node is TSESTree.BigIntLiteral {
  return node.type === 'Literal' && 'bigint' in node && typeof node.bigint === 'string';
}

/** Value of a constant expression made of bigint literals (`+ - * & | ^ << >> ~`), or undefined. */
export function constantBigInt(node: Node, depth = 0): bigint | undefined {
  if (depth > 8) return undefined;
  switch (node.type) {
    case 'Literal':
      return isBigIntLiteral(node) ? BigInt(node.bigint) : undefined;
    case 'UnaryExpression': {
      const v = constantBigInt(node.argument, depth + 1);
      if (v === undefined) return undefined;
      // Unary `+` throws on a bigint.
      return node.operator === '-' ? -v : node.operator === '~' ? ~v : undefined;
    }
    case 'BinaryExpression': {
      if (node.left.type === 'PrivateIdentifier') return undefined;
      const l = constantBigInt(node.left, depth + 1);
      const r = constantBigInt(node.right, depth + 1);
      if (l === undefined || r === undefined) return undefined;
      switch (node.operator) {
        case '+': return l + r;
        case '-': return l - r;
        case '*': return l * r;
        case '&': return l & r;
        case '|': return l | r;
        case '^': return l ^ r;
        // Bounded shifts only: a huge count would build a huge number (or throw).
        case '<<': return r >= -256n && r <= 256n ? l << r : undefined;
        case '>>': return r >= -256n && r <= 256n ? l >> r : undefined;
        default: return undefined;
      }
    }
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
    case 'TSNonNullExpression':
      return constantBigInt(node.expression, depth + 1);
    default:
      return undefined;
  }
}

/** Role of a comparison for the operand on `side`, e.g. `lo <= x` is 'lower' for x. */
function roleOf(comparison: Comparison, side: 'left' | 'right', negate: boolean): Role {
  let op: Comparison['operator'] = negate ? NEGATE[comparison.operator] : comparison.operator;
  if (side === 'right') op = FLIP[op];
  return op === '>=' ? 'lower' : op === '>' ? 'lower-strict' : op === '<' ? 'upper' : 'upper-inclusive';
}

const isLower = (r: Role) => r === 'lower' || r === 'lower-strict';

interface Pairing {
  operand: Expression;
  operandAgain: Expression;
  lowerComparison: Comparison;
  lowerSide: 'left' | 'right';
  lowerRole: Role;
  upperComparison: Comparison;
  upperSide: 'left' | 'right';
  upperRole: Role;
}

function other(c: Comparison, side: 'left' | 'right'): Expression {
  return (side === 'left' ? c.right : c.left);
}

function pair(a: Comparison, b: Comparison, negate: boolean): Pairing | undefined {
  for (const sa of ['left', 'right'] as const) {
    for (const sb of ['left', 'right'] as const) {
      const xa = a[sa];
      const xb = b[sb];
      if (!sameOperand(xa, xb)) continue;
      if (constantValue(xa) !== undefined || constantBigInt(xa) !== undefined) continue;
      const ra = roleOf(a, sa, negate);
      const rb = roleOf(b, sb, negate);
      if (isLower(ra) === isLower(rb)) continue;
      // A bound equal to the operand (`x >= x`) is not a range check.
      if (sameOperand(other(a, sa), xa) || sameOperand(other(b, sb), xa)) continue;
      return isLower(ra)
        ? { operand: xa, operandAgain: xb, lowerComparison: a, lowerSide: sa, lowerRole: ra, upperComparison: b, upperSide: sb, upperRole: rb }
        : { operand: xb, operandAgain: xa, lowerComparison: b, lowerSide: sb, lowerRole: rb, upperComparison: a, upperSide: sa, upperRole: ra };
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- source text helpers

/** Operator precedence of an expression as printed (higher binds tighter). */
export function precedence(node: Node): number {
  switch (node.type) {
    case 'Literal':
    case 'Identifier':
    case 'ThisExpression':
    case 'MemberExpression':
    case 'CallExpression':
    case 'ChainExpression':
    case 'ArrayExpression':
    case 'ObjectExpression':
    case 'TemplateLiteral':
    case 'TaggedTemplateExpression':
    case 'TSNonNullExpression':
    case 'NewExpression':
      return 20;
    case 'UnaryExpression':
    case 'AwaitExpression':
    case 'TSTypeAssertion':
      return 15;
    case 'BinaryExpression':
      switch (node.operator) {
        case '**': return 14;
        case '*': case '/': case '%': return 13;
        case '+': case '-': return 12;
        case '<<': case '>>': case '>>>': return 11;
        case '<': case '<=': case '>': case '>=': case 'in': case 'instanceof': return 10;
        case '==': case '!=': case '===': case '!==': return 9;
        case '&': return 8;
        case '^': return 7;
        case '|': return 6;
        default: return 0;
      }
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
      return 10;
    default:
      return 0;
  }
}

const ADDITIVE = 12;
const MULTIPLICATIVE = 13;
const SHIFT = 11;

function isTrivia(source: SourceInput, from: number, to: number, allowed: RegExp): boolean {
  let text = source.text.slice(from, to);
  for (const c of source.comments) {
    if (c.range[0] >= from && c.range[1] <= to) {
      text = text.slice(0, c.range[0] - from) + ' '.repeat(c.range[1] - c.range[0]) + text.slice(c.range[1] - from);
    }
  }
  return allowed.test(text);
}

/** The node's range widened over the parentheses wrapped directly around it. */
function parenthesizedRange(node: Node, source: SourceInput, parent: Node): [number, number] {
  let [start, end] = node.range;
  for (;;) {
    let s = start - 1;
    while (s >= parent.range[0] && /\s/.test(source.text[s]!)) s--;
    let e = end;
    while (e < parent.range[1] && /\s/.test(source.text[e]!)) e++;
    if (s >= parent.range[0] && e < parent.range[1] && source.text[s] === '(' && source.text[e] === ')') {
      start = s;
      end = e + 1;
    } else {
      return [start, end];
    }
  }
}

function rawOf(node: Node): string | undefined {
  return node.type === 'Literal' ? node.raw : undefined;
}

// ---------------------------------------------------------------- the matcher

/**
 * Every range check in the chain rooted at `root` (a `&&` or `||` LogicalExpression that is
 * not itself an operand of a same-operator chain). Only adjacent chain operands pair up.
 */
export function findRangeChecks(root: TSESTree.LogicalExpression, source: SourceInput): RangeCheck[] {
  if (root.operator === '??') return [];
  const found: RangeCheck[] = [];
  // Most chains hold no comparison pair: decide that before allocating anything.
  if (!hasAdjacentComparisons(root, root.operator)) return found;
  const negated = root.operator === '||';
  const operands = flattenChain(root, root.operator);
  for (let i = 0; i + 1 < operands.length; i++) {
    const a = operands[i]!;
    const b = operands[i + 1]!;
    if (!isComparison(a) || !isComparison(b)) continue;
    const p = pair(a, b, negated);
    if (!p) continue;
    // Adjacent in the source too: only the operator (and parentheses around each side) between.
    const ra = parenthesizedRange(a, source, root);
    const rb = parenthesizedRange(b, source, root);
    if (!isTrivia(source, ra[1], rb[0], negated ? /^\s*\|\|\s*$/ : /^\s*&&\s*$/)) continue;
    found.push(describe(p, negated, a, b, [ra[0], rb[1]]));
    i++; // a comparison belongs to one pair at most
  }
  return found;
}

function describe(
  p: Pairing,
  negated: boolean,
  first: Comparison,
  second: Comparison,
  range: [number, number],
): RangeCheck {
  const lower = other(p.lowerComparison, p.lowerSide);
  const upper = other(p.upperComparison, p.upperSide);
  const size =
    upper.type === 'BinaryExpression' && upper.operator === '+' && sameOperand(upper.left, lower)
      ? (upper.right)
      : undefined;
  return {
    operand: p.operand,
    operandAgain: p.operandAgain,
    lower,
    lowerStrict: p.lowerRole === 'lower-strict',
    upper,
    upperInclusive: p.upperRole === 'upper-inclusive',
    size,
    negated,
    first,
    second,
    constantLower: constantValue(lower),
    constantUpper: constantValue(upper),
    bigintLower: constantBigInt(lower),
    bigintUpper: constantBigInt(upper),
    range,
  };
}

/**
 * Whether two comparisons stand next to each other in the chain rooted at `node` (in
 * evaluation order), without building the operand list: `a && (x >= lo && x < hi)` too.
 */
function hasAdjacentComparisons(node: Expression, operator: '&&' | '||'): boolean {
  if (node.type !== 'LogicalExpression' || node.operator !== operator) return false;
  return (
    (isComparison(lastOperand(node.left, operator)) && isComparison(firstOperand(node.right, operator))) ||
    hasAdjacentComparisons(node.left, operator) ||
    hasAdjacentComparisons(node.right, operator)
  );
}

function firstOperand(node: Expression, operator: '&&' | '||'): Expression {
  while (node.type === 'LogicalExpression' && node.operator === operator) node = node.left;
  return node;
}

function lastOperand(node: Expression, operator: '&&' | '||'): Expression {
  while (node.type === 'LogicalExpression' && node.operator === operator) node = node.right;
  return node;
}

/** `(d) >>> 0` for numbers, `BigInt.asUintN(64, d)` for bigints. */
export type RewriteForm = 'uint32' | 'uint64';

function formatConstant(value: bigint, likeRaw: string | undefined, suffix: string): string {
  if (likeRaw && /^0[xX]/.test(likeRaw) && value >= 0n) return '0x' + value.toString(16).toUpperCase() + suffix;
  return String(value) + suffix;
}

/**
 * The rewrite text. With L the inclusive lower bound (lo, or lo + 1 for `x > lo`):
 * `(x - L) >>> 0 < H - L` for an exclusive upper bound H, `<= hi - L` for an inclusive one,
 * constants folded, `size` reused when the upper bound is `lo + size`. The 'uint64' form is
 * the same with `BigInt.asUintN(64, x - L)` and bigint constants (`1n`).
 */
export function buildReplacement(
  check: RangeCheck,
  source: SourceInput,
  form: RewriteForm = 'uint32',
): string | undefined {
  const segments: Node[] = [];
  const text = (node: Node, minPrecedence: number): string => {
    segments.push(node);
    const t = source.text.slice(node.range[0], node.range[1]);
    return precedence(node) < minPrecedence ? `(${t})` : t;
  };
  const suffix = form === 'uint64' ? 'n' : '';
  // Constants are folded exactly (as bigints); a number bound that is not a safe integer is
  // never rewritten (range-proof.ts ignores it), so it is simply printed as written here.
  const exact = (v: number | undefined) => (v !== undefined && Number.isSafeInteger(v) ? BigInt(v) : undefined);
  const constantLower = form === 'uint64' ? check.bigintLower : exact(check.constantLower);
  const constantUpper = form === 'uint64' ? check.bigintUpper : exact(check.constantUpper);
  const { lowerStrict, upperInclusive } = check;
  // `expr` is printed at additive precedence or tighter, so `expr - k` needs no parentheses.
  const withOffset = (expr: string, k: bigint): string =>
    k === 0n ? expr : k > 0n ? `${expr} + ${k}${suffix}` : `${expr} - ${-k}${suffix}`;

  const x = text(check.operand, ADDITIVE);
  let difference: string;
  let op: '<' | '<=';
  let bound: string;

  if (constantLower !== undefined) {
    // Fold `x > 47` into `x >= 48`; keep the upper operator as written.
    const L = constantLower + (lowerStrict ? 1n : 0n);
    const lowerRaw = rawOf(check.lower);
    if (L === 0n) difference = x;
    else if (L > 0n) difference = `${x} - ${!lowerStrict && lowerRaw ? lowerRaw : formatConstant(L, lowerRaw, suffix)}`;
    else difference = `${x} + ${formatConstant(-L, lowerRaw, suffix)}`;
    op = upperInclusive ? '<=' : '<';
    if (constantUpper !== undefined) {
      bound = formatConstant(constantUpper - L, rawOf(check.upper), suffix);
    } else if (check.size && !lowerStrict) {
      bound = text(check.size, SHIFT);
    } else {
      bound = withOffset(text(check.upper, ADDITIVE), -L);
    }
  } else {
    const lo = text(check.lower, MULTIPLICATIVE);
    difference = lowerStrict ? `${x} - ${lo} - 1${suffix}` : `${x} - ${lo}`;
    // Size H_exclusive - L, except `x >= lo && x <= hi`, written `<= hi - lo`.
    const k = (upperInclusive ? 1n : 0n) - (lowerStrict ? 1n : 0n);
    op = upperInclusive && !lowerStrict ? '<=' : '<';
    const offset = op === '<=' ? 0n : k;
    if (check.size) {
      // lo is printed once: the bound reuses `size`.
      bound = withOffset(text(check.size, offset === 0n ? SHIFT : ADDITIVE), offset);
    } else if (constantUpper !== undefined) {
      segments.push(check.lower);
      bound = `${formatConstant(constantUpper + offset, rawOf(check.upper), suffix)} - ${lo}`;
    } else {
      segments.push(check.lower);
      bound = withOffset(`${text(check.upper, ADDITIVE)} - ${lo}`, offset);
    }
  }

  const finalOp = check.negated ? (op === '<' ? '>=' : '>') : op;
  // With L = 0 the difference is x itself, parenthesized only if x needs it.
  const bare = source.text.slice(check.operand.range[0], check.operand.range[1]);
  let left: string;
  if (form === 'uint64') {
    // A call argument: anything but a sequence expression reads the same without parentheses.
    left = `BigInt.asUintN(64, ${difference !== x ? difference : precedence(check.operand) > 0 ? bare : `(${bare})`})`;
  } else {
    // A bare operand starting with `-`, `+` or `<T>` would let the rewrite start with a binary
    // operator; in parentheses its first character is always `(`, which asi.ts knows how to guard.
    left = difference !== x ? `(${difference})` : precedence(check.operand) > SHIFT && !/^[-+<]/.test(bare) ? bare : `(${bare})`;
  }
  const replacement = form === 'uint64' ? `${left} ${finalOp} ${bound}` : `${left} >>> 0 ${finalOp} ${bound}`;
  return commentsSurvive(check.range, segments, source) ? replacement : undefined;
}

/** True when every comment in `range` sits inside a segment the rewrite prints exactly once. */
function commentsSurvive(range: readonly [number, number], printed: Node[], source: SourceInput): boolean {
  for (const c of source.comments) {
    if (c.range[1] <= range[0] || c.range[0] >= range[1]) continue;
    const holders = printed.filter((n) => n.range[0] <= c.range[0] && c.range[1] <= n.range[1]);
    if (holders.length !== 1) return false;
  }
  return true;
}
