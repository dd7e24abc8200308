/**
 * Finds the carriers (carrier-text.ts) in a final, minified chunk: parsed with acorn, every
 * call whose string argument starts with a carrier prefix. The string is what names a
 * carrier; the callee may be spelled any way a bundler and minifier spell it (`e(…)`,
 * `(0,r.site)(…)`, `r.site(…)`). Pure; never throws (a chunk that does not parse is
 * returned as `unparsed`, and the plugin says so).
 */
import { Parser, type Node, type Options } from 'acorn';
import { CARRIER_PREFIX } from './carrier-text.js';

/** A node's source range. */
export interface Range {
  readonly start: number;
  readonly end: number;
}

/** What a site carrier's first argument became after minification. */
export type CarriedRead =
  /** A binding: `t` (ES-module chunks, scope-hoisted modules). */
  | { readonly kind: 'identifier'; readonly name: string }
  /** `<binding>.<property>`: how webpack, rspack and CommonJS output read an imported binding (`r.A`). */
  | { readonly kind: 'member'; readonly object: string; readonly property: string }
  /** A constant the minifier folded the variable into (`7`, `!0`, `void 0`): a build-time value, nothing to patch. */
  | { readonly kind: 'constant' }
  /** Anything else: no slot can hold it. */
  | { readonly kind: 'other' };

export interface SiteCarrier extends Range {
  readonly kind: 'site';
  readonly token: string;
  /** The first argument's range and shape. */
  readonly argument: Range & { readonly read: CarriedRead };
  /** The call begins an expression statement: what replaces it must not begin with `(` (it would continue the previous line). */
  readonly startsStatement: boolean;
}

export interface RegistrationCarrier extends Range {
  readonly kind: 'registration';
  /** The variable key the transform wrote. */
  readonly token: string;
  /** The string argument's range (replaced by the final key). */
  readonly keyArgument: Range;
  /** The read function's range (`()=>t`), kept as the minifier wrote it. */
  readonly readArgument: Range;
}

export interface NoteCarrier extends Range {
  readonly kind: 'note';
  readonly token: string;
  /** The string argument's range (replaced by the chunk's key and site count). */
  readonly argument: Range;
}

export type Carrier = SiteCarrier | RegistrationCarrier | NoteCarrier;

export type ChunkScan =
  | { readonly kind: 'scanned'; readonly carriers: readonly Carrier[] }
  | { readonly kind: 'unparsed'; readonly reason: string };

/** Cheap test on the text (like the runtime's record-table test): a chunk without the common prefix has no carrier. */
export function mayHaveCarriers(code: string): boolean {
  return code.includes('@hotpath-');
}

/** A parser that gives an ESTree program with `start`/`end` offsets (the bundler's own, where it has one: Rollup's, Rolldown's). */
export type ChunkParser = (code: string) => Node;

/** Every carrier of `code`, in source order. `parser` first when given (native parsers are several times faster than acorn on big chunks), acorn when it throws. */
export function scanChunk(code: string, parser?: ChunkParser): ChunkScan {
  if (!mayHaveCarriers(code)) return { kind: 'scanned', carriers: [] };
  let program: Node;
  try {
    program = parseWith(parser, code);
  } catch (error) {
    return { kind: 'unparsed', reason: error instanceof Error ? error.message : String(error) };
  }
  const carriers: Carrier[] = [];
  const statementStarts = new Set<number>();
  walk(program, (node) => {
    if (node.type === 'ExpressionStatement') statementStarts.add(node.start);
    if (node.type !== 'CallExpression') return;
    const found = carrierOf(node as CallNode, statementStarts);
    if (found) carriers.push(found);
  });
  carriers.sort((a, b) => a.start - b.start);
  return { kind: 'scanned', carriers };
}

function parseWith(parser: ChunkParser | undefined, code: string): Node {
  if (parser) {
    try {
      const program = parser(code);
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the parser is the bundler's or the user's: what it returns is checked, not trusted
      if (program && program.type === 'Program' && typeof program.end === 'number') return program;
    } catch {
      // acorn below says what is wrong, in its words
    }
  }
  return parseChunk(code);
}

/**
 * A list of declared names whose `indexOf` is a lookup. acorn keeps each scope's names in arrays
 * and scans them on every declaration, which is quadratic in a chunk's top-level declarations
 * (esbuild's chunk of the 1,000-module app: thousands of functions, a quarter of a second).
 * acorn uses only push, indexOf and [0] on them: the same answers, in constant time.
 */
class NameList extends Array<string> {
  private readonly firstIndex = new Map<string, number>();
  override push(...names: string[]): number {
    for (const name of names) {
      if (!this.firstIndex.has(name)) this.firstIndex.set(name, this.length);
      super.push(name);
    }
    return this.length;
  }
  override indexOf(name: string): number {
    return this.firstIndex.get(name) ?? -1;
  }
}

interface AcornScope {
  var: string[];
  lexical: string[];
  functions: string[];
}

const ChunkParserWithNameLists = Parser.extend((Base) => {
  const WithNameLists = class extends (Base as unknown as new (options: Options, input: string) => { scopeStack: AcornScope[]; enterScope(flags: number): void }) {
    override enterScope(flags: number): void {
      super.enterScope(flags);
      const scope = this.scopeStack[this.scopeStack.length - 1]!;
      scope.var = new NameList();
      scope.lexical = new NameList();
      scope.functions = new NameList();
    }
  };
  return WithNameLists as unknown as typeof Base;
});

function parse(code: string, options: Options): Node {
  return ChunkParserWithNameLists.parse(code, options);
}

/** ES-module chunks parse as modules; CommonJS chunks (webpack's, esbuild's cjs) may need sloppy script mode. */
function parseChunk(code: string): Node {
  const common = { ecmaVersion: 'latest', allowHashBang: true, allowReturnOutsideFunction: false } as const;
  try {
    return parse(code, { ...common, sourceType: 'module' });
  } catch (moduleError) {
    try {
      return parse(code, { ...common, sourceType: 'script', allowReturnOutsideFunction: true, allowAwaitOutsideFunction: true });
    } catch {
      throw moduleError;
    }
  }
}

interface CallNode extends Node {
  readonly callee: Node;
  readonly arguments: readonly Node[];
  readonly optional?: boolean;
}

function carrierOf(call: CallNode, statementStarts: ReadonlySet<number>): Carrier | undefined {
  const args = call.arguments;
  if (call.optional || args.length === 0 || args.length > 2) return undefined;
  const first = args[0]!;
  const firstString = stringValue(first);
  if (args.length === 1) {
    return firstString?.startsWith(CARRIER_PREFIX.note)
      ? { kind: 'note', start: call.start, end: call.end, token: firstString.slice(CARRIER_PREFIX.note.length), argument: { start: first.start, end: first.end } }
      : undefined;
  }
  const second = args[1]!;
  if (firstString?.startsWith(CARRIER_PREFIX.registration)) {
    return {
      kind: 'registration',
      start: call.start,
      end: call.end,
      token: firstString.slice(CARRIER_PREFIX.registration.length),
      keyArgument: { start: first.start, end: first.end },
      readArgument: { start: second.start, end: second.end },
    };
  }
  const secondString = stringValue(second);
  if (secondString?.startsWith(CARRIER_PREFIX.site)) {
    return {
      kind: 'site',
      start: call.start,
      end: call.end,
      token: secondString.slice(CARRIER_PREFIX.site.length),
      argument: { start: first.start, end: first.end, read: readOf(first) },
      startsStatement: statementStarts.has(call.start),
    };
  }
  return undefined;
}

/** A string literal's value, or a template literal's without substitutions (oxc's minifier writes `` `…` ``). */
function stringValue(node: Node): string | undefined {
  const n = node as Node & { value?: unknown; expressions?: readonly Node[]; quasis?: ReadonlyArray<{ value: { cooked?: string | null } }> };
  if (node.type === 'Literal' && typeof n.value === 'string') return n.value;
  if (node.type === 'TemplateLiteral' && n.expressions?.length === 0 && n.quasis?.length === 1) return n.quasis[0]!.value.cooked ?? undefined;
  return undefined;
}

function readOf(node: Node): CarriedRead {
  const n = node as Node & { name?: string; object?: Node; property?: Node; computed?: boolean; optional?: boolean; operator?: string; argument?: Node };
  if (node.type === 'Identifier') return { kind: 'identifier', name: n.name! };
  if (node.type === 'MemberExpression' && !n.computed && !n.optional && n.object!.type === 'Identifier' && n.property!.type === 'Identifier') {
    return { kind: 'member', object: (n.object as Node & { name: string }).name, property: (n.property as Node & { name: string }).name };
  }
  if (isConstant(node)) return { kind: 'constant' };
  return { kind: 'other' };
}

/** A literal, or a unary operator on one (`-1`, `!0`, `void 0`): what minifiers fold a constant into. */
function isConstant(node: Node): boolean {
  const n = node as Node & { operator?: string; argument?: Node; expressions?: readonly Node[]; regex?: unknown };
  if (node.type === 'Literal') return n.regex === undefined; // a regular expression literal is a new object each time
  if (node.type === 'TemplateLiteral') return n.expressions?.length === 0;
  if (node.type === 'UnaryExpression' && (n.operator === '-' || n.operator === '!' || n.operator === 'void' || n.operator === '+' || n.operator === '~')) {
    return isConstant(n.argument!);
  }
  return false;
}

/** Visits every node, each before its children; an explicit stack, as minified chunks nest deeper than the call stack allows. */
function walk(root: Node, visit: (node: Node) => void): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    visit(node);
    for (const key in node) {
      if (key === 'type' || key === 'start' || key === 'end' || key === 'loc' || key === 'range') continue;
      const value = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) if (isNode(value[i])) stack.push(value[i] as Node);
      } else if (isNode(value)) {
        stack.push(value);
      }
    }
  }
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
