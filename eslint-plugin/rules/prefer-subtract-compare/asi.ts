// Automatic semicolon insertion hazards of a fix. In code without semicolons a statement that
// starts with `(` continues the previous line (`v | 0\n(x - 5) >>> 0 < 5` is the call
// `0(x - 5)`), so a fix that turns a statement's first token into `(` must put a `;` in front.
// Modelled on ESLint's own `needsPrecedingSemicolon` (eslint/lib/rules/utils/ast-utils.js),
// which rules such as no-array-constructor and prefer-exponentiation-operator use the same way.
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

type Node = TSESTree.Node;
type Token = TSESTree.Token;

/** First characters that continue an expression ended on the previous line. */
const CONTINUING_START = /^[([`+\-/<]/;

/** `start` (a source offset inside `node`'s range) is where an ExpressionStatement begins. */
export function startsExpressionStatement(node: Node, start: number): boolean {
  for (let n: Node | undefined = node; n; n = n.parent) {
    if (n.range[0] < start) return false;
    if (n.type === 'ExpressionStatement') return n.range[0] === start;
  }
  return false;
}

/** Tokens after which a statement starting with `(` is a new statement anyway. */
const SAFE_PUNCTUATORS = new Set([';', '{', ':', '=>']);
/** Statement heads a statement may follow directly: `if (c) (x - 5) >>> 0 < 5 && f()`. */
const HEADED_STATEMENTS = new Set([
  'IfStatement',
  'ForStatement',
  'ForInStatement',
  'ForOfStatement',
  'WhileStatement',
  'DoWhileStatement',
  'WithStatement',
]);
/** Keywords a statement may follow, with the node they belong to then. */
const STATEMENT_KEYWORDS: Record<string, string> = {
  else: 'IfStatement',
  do: 'DoWhileStatement',
  return: 'ReturnStatement',
  break: 'BreakStatement',
  continue: 'ContinueStatement',
  debugger: 'DebuggerStatement',
  yield: 'YieldExpression',
};

/** Where a type ends: in an annotation or alias (nothing continues it), or after `as`/`satisfies` (a binary operator does). */
function typeContext(node: Node): 'declaration' | 'assertion' | undefined {
  for (let n: Node = node; n.parent; n = n.parent) {
    const p = n.parent;
    if (p.type === 'TSTypeAnnotation' || (p.type === 'TSTypeAliasDeclaration' && p.typeAnnotation === n)) return 'declaration';
    if ((p.type === 'TSAsExpression' || p.type === 'TSSatisfiesExpression') && p.typeAnnotation === n) return 'assertion';
  }
  return undefined;
}

/**
 * Would the token before the statement starting at `start` join `first` (the first character
 * written there) into the previous expression? Conservative (true) for anything not known to
 * end a statement; false where a `;` would change the meaning (`if (c)`, `else`, `do`, a label).
 */
export function previousTokenContinues(sourceCode: Readonly<TSESLint.SourceCode>, start: number, first: string): boolean {
  // `(`, `[` and `` ` `` start a call, an index or a tagged template; `+ - / <` a binary operator.
  const binary = first !== '(' && first !== '[' && first !== '`';
  const prev = sourceCode.getTokenBefore({ range: [start, start] } as Token, { includeComments: false });
  if (!prev) return false;
  // Postfix `a++` is followed by ASI before `(`, but `a++ - x` is one expression.
  if (prev.type === 'Punctuator' && (prev.value === '++' || prev.value === '--')) return binary;
  if (prev.type === 'Punctuator' && SAFE_PUNCTUATORS.has(prev.value)) return false;
  const prevNode = sourceCode.getNodeByRangeIndex(prev.range[0]);
  if (!prevNode) return true;
  const inType = typeContext(prevNode);
  if (inType) return binary && inType === 'assertion';
  if (prevNode.type === 'TSDeclareFunction') return false;
  if (prev.type === 'Punctuator' && prev.value === ')') return !HEADED_STATEMENTS.has(prevNode.type);
  if (prev.type === 'Punctuator' && prev.value === '}') {
    // Only expressions end in `}` and continue: function and class expressions, object literals.
    return (
      (prevNode.type === 'BlockStatement' && prevNode.parent.type === 'FunctionExpression') ||
      (prevNode.type === 'ClassBody' && prevNode.parent.type === 'ClassExpression') ||
      prevNode.type === 'ObjectExpression'
    );
  }
  if (prev.type === 'Identifier' || prev.type === 'Keyword') {
    // `let a` then `(`: a declarator cannot continue; `break label`, `return`, `else`, `do` neither.
    if (prevNode.parent?.type === 'VariableDeclarator' && prevNode.parent.id === prevNode && !prevNode.parent.init) return false;
    if (prevNode.parent?.type === 'BreakStatement' || prevNode.parent?.type === 'ContinueStatement') return false;
    const owner = STATEMENT_KEYWORDS[prev.value];
    return !(owner !== undefined && prevNode.type === owner);
  }
  if (prev.type === 'String') {
    // A module specifier ends its declaration.
    const p = prevNode.parent;
    return !(p && (p.type === 'ImportDeclaration' || p.type === 'ExportAllDeclaration' || p.type === 'ExportNamedDeclaration'));
  }
  return true;
}

/**
 * The text to write over `[start, end)`: `replacement`, with a `;` in front when it starts a
 * statement with a character that would continue the previous line (no semicolon there) and
 * the text it replaces did not already start with that character.
 */
export function asiSafeReplacement(
  sourceCode: Readonly<TSESLint.SourceCode>,
  inside: Node,
  start: number,
  replacement: string,
): string {
  const first = replacement[0] ?? '';
  if (!CONTINUING_START.test(first)) return replacement;
  // The same first character as before: the parse at the statement boundary is unchanged.
  if (sourceCode.text[start] === first) return replacement;
  if (!startsExpressionStatement(inside, start)) return replacement;
  return previousTokenContinues(sourceCode, start, first) ? ';' + replacement : replacement;
}
