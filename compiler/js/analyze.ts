/**
 * The JavaScript-level front end: one module at a time, pure (no I/O, no resolution).
 * `analyzeJsModule(code, { fileName })` parses JavaScript any compiler or bundler emitted
 * (acorn, ESTree) and analyses its scopes (eslint-scope): which calls are hotpath's marker
 * (by binding — an import or require of `hotpath` — never by text), what each marker
 * reads (a module-level binding of this module, an import, or a property of a require),
 * the module-level bindings and how each write is classified, the imports, exports and
 * re-exports, the `@boot` functions, and every diagnostic this module can decide alone.
 * Linking modules (which file an import names) is the caller's: compiler/js/link.ts.
 * The rules' codes and texts are checks/marker-rules.ts's, shared with the TypeScript pass.
 * Never throws on user code: a parse error is a diagnostic and the module is left alone.
 */
import * as acorn from 'acorn';
import * as eslintScope from 'eslint-scope';
import type * as ESTree from 'estree';
import {
  BOOT_TAG,
  MARKER_NAME,
  SEAL_NAME,
  bootGuardText,
  callText as callTextOf,
  functionInMessage,
  jsDocHasTag,
  rules,
  writeProblems,
  type HotpathDiagnosticCode,
  type RuleText,
  type WriteProblemText,
} from '../../checks/marker-rules.js';

/** Offsets into the analysed code, `end` exclusive. */
export interface SourceRange {
  readonly start: number;
  readonly end: number;
}

export type JsModuleFormat = 'module' | 'commonjs';

/** What a binding imported from `source` as `imported` (`'*'` for a namespace or a whole require) is of hotpath's. */
export type HotpathExport = 'marker' | 'seal' | 'namespace';

export interface AnalyzeJsOptions {
  /** The module's file name (used in positions and to tell .mjs/.cjs apart). */
  readonly fileName: string;
  /** ES module or CommonJS. Default: `.mjs`/`.cjs` by extension, else ES module when the code has import/export syntax or `import.meta`. */
  readonly format?: JsModuleFormat;
  /**
   * Which imports are hotpath's: `(source, imported)` → marker, seal or the namespace.
   * Default: source `"hotpath"` (or `runtimeModule`): `STATIC_VARIABLE_LOAD`, `seal`, `'*'`.
   * A caller that resolved re-exports through the user's own modules (`export { STATIC_VARIABLE_LOAD as load } from 'hotpath'`)
   * answers for those too (link.ts's hotpathExportsOf).
   */
  readonly hotpathExport?: (source: string, imported: string, call?: JsCallShape) => HotpathExport | undefined;
  /** The runtime's module specifier. Default `"hotpath"`. */
  readonly runtimeModule?: string;
  /** How a position is named in messages. Default `<fileName>:<line>:<column>` of this code (1-based). */
  readonly where?: (offset: number) => string;
}

/**
 * The call a `hotpathExport` question comes from, while the module's calls are walked (none when
 * the barrier checks ask again about a call already walked): a caller that must find out what an
 * import of the user's is (the bundler plugins) can skip calls that could be neither a site nor a
 * seal() that orders writes.
 */
export interface JsCallShape {
  readonly arguments: number;
  /** The one argument is a read of a module-level binding (`x`, `ns.x`): what a site reads. */
  readonly readsModuleBinding: boolean;
  /** Not inside any function: module top-level code. */
  readonly topLevel: boolean;
}

export interface JsDiagnostic {
  readonly code: HotpathDiagnosticCode;
  readonly category: 'error' | 'warning';
  readonly fileName: string;
  /** Offset of the reported node in the analysed code. */
  readonly start: number;
  readonly length: number;
  readonly message: string;
  readonly hint: string;
}

/** What a marker reads. */
export type JsVariableRef =
  /** A module-level binding of this module (ES module, or a CommonJS local). */
  | { readonly kind: 'local'; readonly name: string }
  /** This CommonJS module's own `exports.<property>`. */
  | { readonly kind: 'exports'; readonly property: string }
  /** An ES import: `import { imported as local } from source` (`'default'` for a default import). */
  | { readonly kind: 'import'; readonly source: string; readonly imported: string; readonly local: string }
  /** CommonJS: `<object>.<property>` where `object = require(source)` (possibly through an interop helper); property `'*'`: the argument is the require's binding itself. */
  | { readonly kind: 'require'; readonly source: string; readonly property: string; readonly object: string };

/** A call recognised as the marker, valid or not. */
export interface JsMarkerCall {
  readonly call: SourceRange;
  readonly callee: SourceRange;
  readonly arguments: readonly SourceRange[];
}

/** A marker call valid as far as this module can tell: a slot once the caller has linked its variable. */
export interface JsSite {
  readonly call: SourceRange;
  readonly argument: SourceRange;
  /** The argument's text: what the slot reads (`poolBase`, `pool_1.poolBase`, `exports.poolBase`). */
  readonly read: string;
  readonly variable: JsVariableRef;
  /** `file:line:col` of the call, as messages name it. */
  readonly where: string;
}

/** A write of a module-level binding (not its declaration) and why it may not count as boot code. */
export interface JsWrite {
  readonly range: SourceRange;
  readonly where: string;
  /** Undefined: top-level code or a synchronous `@boot` function's body, before any seal() or top-level await that can precede it. */
  readonly problem?: WriteProblemText;
}

export type JsBindingKind = 'var' | 'let' | 'const' | 'using' | 'function' | 'class' | 'import' | 'exports-property';

/** A module-level binding: a top-level declaration, or (CommonJS) an `exports.<name>` property. */
export interface JsBinding {
  readonly name: string;
  readonly kind: JsBindingKind;
  /** The declaring identifier (for an exports property, the first assignment's property). */
  readonly declaration: SourceRange;
  /** The top-level statement that declares it: a registration goes right after it. */
  readonly statement: SourceRange;
  /** `file:line:col` of the declaration. */
  readonly where: string;
  /** A `const` whose initialiser is a literal (HP1009 when read in its own module). */
  readonly constLiteral: boolean;
  /** Every write other than the declaration's initialiser, in source order. */
  readonly writes: readonly JsWrite[];
}

export interface JsImport {
  readonly source: string;
  /** `'default'`, a name, or `'*'` (namespace import, or a whole `require`). */
  readonly imported: string;
  readonly local: string;
  readonly range: SourceRange;
  readonly kind: 'import' | 'require';
}

export type JsExport =
  /** `export { local as exported }`, `export let x`, CommonJS `exports.x = …` (local = x, kind exports-property) or a getter export. */
  | { readonly kind: 'local'; readonly exported: string; readonly local: string }
  /** `export default <expression>` / `module.exports = <expression>`: a value, not a live binding. */
  | { readonly kind: 'snapshot'; readonly exported: string; readonly range: SourceRange; readonly where: string }
  /** `export { imported as exported } from source`; `export * from source` has exported and imported `'*'`; `export * as ns` has imported `'*'`. */
  | { readonly kind: 'reexport'; readonly exported: string; readonly source: string; readonly imported: string };

export interface JsBootFunction {
  /** The function node's range. */
  readonly range: SourceRange;
  /** What assertBootPhase names: `initPool (src/pool.ts:4:17)`. */
  readonly guardText: string;
  /** Where the guard statement goes and how: before a body statement (`before`), or wrapping an expression body (`wrap`). */
  readonly insert:
    | { readonly kind: 'before'; readonly at: number; readonly indent: string }
    | { readonly kind: 'append'; readonly at: number; readonly indent: string; readonly closingIndent: string }
    | { readonly kind: 'wrap'; readonly arrowAt: number; readonly bodyStart: number; readonly end: number; readonly indent: string };
}

export interface JsModuleAnalysis {
  readonly fileName: string;
  readonly format: JsModuleFormat;
  /** Set when the code does not parse: nothing else is filled in, and diagnostics has HP1017. */
  readonly parseError?: string;
  readonly markerCalls: readonly JsMarkerCall[];
  readonly sites: readonly JsSite[];
  /** Module-level lexical bindings by name. */
  readonly bindings: ReadonlyMap<string, JsBinding>;
  /** CommonJS: the module's own `exports.<name>` properties. */
  readonly exportsProperties: ReadonlyMap<string, JsBinding>;
  readonly imports: readonly JsImport[];
  readonly exports: readonly JsExport[];
  readonly bootFunctions: readonly JsBootFunction[];
  readonly diagnostics: readonly JsDiagnostic[];
  /** Offset where the runtime import and the record table go (after the directive prologue and, in CommonJS, the compiler's export prologue). */
  readonly preambleAt: number;
  /** The module's `//# sourceMappingURL=` comment (the last comment of the file), if any: its URL and the comment's range. */
  readonly sourceMappingURL?: { readonly url: string; readonly range: SourceRange };
  /** A direct `eval(…)` in the module: its code can write any binding (every read write-checks as HP1007). */
  readonly directEval?: { readonly range: SourceRange; readonly where: string };
}

type Node = ESTree.Node & { start: number; end: number; parent?: Node };
const asNode = (n: unknown): Node => n as Node;

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);
const CLASS_TYPES = new Set(['ClassDeclaration', 'ClassExpression', 'ClassBody', 'StaticBlock', 'PropertyDefinition']);
const LOOP_TYPES = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement']);

/** Children of a node, in source order (generic over ESTree: every object-valued key but the parent link). */
function childrenOf(node: Node): Node[] {
  const out: Node[] = [];
  for (const key of Object.keys(node)) {
    if (key === 'parent' || key === 'type' || key === 'start' || key === 'end' || key === 'range' || key === 'loc') continue;
    const value = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value)) {
      for (const v of value) if (v && typeof (v as Node).type === 'string') out.push(v as Node);
    } else if (value && typeof (value as Node).type === 'string') {
      out.push(value as Node);
    }
  }
  return out;
}

/** Pre-order, children as childrenOf gives them, without building their array (the front end walks every module several times). */
function walk(node: Node, enter: (node: Node) => boolean | undefined): void {
  if (enter(node) === false) return;
  const record = node as unknown as Record<string, unknown>;
  for (const key of Object.keys(node)) {
    if (key === 'parent' || key === 'type' || key === 'start' || key === 'end' || key === 'range' || key === 'loc') continue;
    const value = record[key];
    if (Array.isArray(value)) {
      for (const v of value) if (v && typeof (v as Node).type === 'string') walk(v as Node, enter);
    } else if (value && typeof (value as Node).type === 'string') {
      walk(value as Node, enter);
    }
  }
}

function detectFormat(fileName: string, program: Node | undefined): JsModuleFormat {
  if (/\.mjs$/i.test(fileName)) return 'module';
  if (/\.cjs$/i.test(fileName)) return 'commonjs';
  if (!program) return 'commonjs';
  let esm = false;
  walk(program, (n) => {
    if (esm) return false;
    if (n.type === 'ImportDeclaration' || n.type === 'ExportNamedDeclaration' || n.type === 'ExportDefaultDeclaration' || n.type === 'ExportAllDeclaration') esm = true;
    if (n.type === 'MetaProperty' && (n as ESTree.MetaProperty).meta.name === 'import') esm = true;
    return undefined;
  });
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- esm is set in the walk callback, which TypeScript does not see
  return esm ? 'module' : 'commonjs';
}

function parse(code: string, format: JsModuleFormat, comments: acorn.Comment[]): Node {
  return asNode(acorn.parse(code, {
    ecmaVersion: 'latest',
    sourceType: format === 'module' ? 'module' : 'script',
    allowHashBang: true,
    allowReturnOutsideFunction: format === 'commonjs',
    onComment: comments,
    ranges: true, // eslint-scope reads node.range
  }));
}

/** 1-based line and column of each offset, by a table of line starts. */
export function lineColumnOf(code: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c === 10 || (c === 13 && code.charCodeAt(i + 1) !== 10) || c === 0x2028 || c === 0x2029) starts.push(i + 1);
  }
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  };
}

const defaultHotpathExport = (runtime: string) => (source: string, imported: string): HotpathExport | undefined => {
  if (source !== runtime) return undefined;
  if (imported === '*') return 'namespace';
  if (imported === MARKER_NAME) return 'marker';
  if (imported === SEAL_NAME) return 'seal';
  return undefined;
};

/** Analyses one module. Pure; never throws on user code. */
export function analyzeJsModule(code: string, options: AnalyzeJsOptions): JsModuleAnalysis {
  const { fileName } = options;
  const position = lineColumnOf(code);
  const where = options.where ?? ((offset: number) => {
    const { line, column } = position(offset);
    return `${fileName}:${line}:${column}`;
  });
  let comments: acorn.Comment[] = [];
  let program: Node | undefined;
  let format = options.format;
  let parseError: string | undefined;
  let errorAt = 0;
  const tryParse = (f: JsModuleFormat): Node | undefined => {
    comments = [];
    try {
      return parse(code, f, comments);
    } catch (error) {
      parseError = error instanceof Error ? error.message : String(error);
      errorAt = typeof (error as { pos?: unknown }).pos === 'number' ? (error as { pos: number }).pos : 0;
      return undefined;
    }
  };
  if (format) {
    program = tryParse(format);
  } else {
    program = tryParse('module');
    format = detectFormat(fileName, program);
    if (format === 'commonjs') {
      parseError = undefined;
      program = tryParse('commonjs');
    }
  }
  const empty = {
    fileName, format, markerCalls: [], sites: [], bindings: new Map(), exportsProperties: new Map(), imports: [], exports: [], bootFunctions: [], preambleAt: 0,
  };
  if (!program) {
    return {
      ...empty,
      parseError,
      diagnostics: [{
        code: 'HP1017', category: 'error', fileName, start: errorAt, length: 0,
        message: `${where(errorAt)}: the JavaScript does not parse (${parseError}); its markers stay plain reads`,
        hint: 'Give hotpath the JavaScript your compiler emitted (ES2025 or older, ES module or CommonJS); JSX and TypeScript must be compiled first.',
      }],
    };
  }
  try {
    return new ModuleAnalyzer(code, fileName, format, program, comments, where, options).run();
  } catch (error) {
    // A bug in hotpath, never user code: say so, and leave the module alone (its markers are the identity).
    return {
      ...empty,
      diagnostics: [{
        code: 'HP1010', category: 'error', fileName, start: 0, length: 0,
        ...rules.internalError(error instanceof Error ? (error.stack ?? error.message) : String(error)),
      }],
    };
  }
}

interface Barrier {
  readonly node: Node;
  readonly kind: 'await' | 'seal' | 'call';
}

class ModuleAnalyzer {
  private readonly scopeManager: eslintScope.ScopeManager;
  private readonly moduleScope: eslintScope.Scope;
  private readonly diagnostics: JsDiagnostic[] = [];
  private readonly hotpathExportOption: (source: string, imported: string, call?: JsCallShape) => HotpathExport | undefined;
  /** The call being walked in run(), for the hotpathExport option's third argument. */
  private walkedCall: JsCallShape | undefined;
  /** Local names bound to `require(source)` (directly or through an interop helper), CommonJS. */
  private readonly requireBindings = new Map<eslintScope.Variable, string>();
  /** Local names bound to a property of `require(source)` (`const { STATIC_VARIABLE_LOAD: load } = require('hotpath')`). */
  private readonly requiredProperties = new Map<eslintScope.Variable, { source: string; property: string }>();
  private readonly imports: JsImport[] = [];
  private readonly exports: JsExport[] = [];
  private readonly barrierCache = new Map<Node, Barrier[]>();
  private readonly reachesSealCache = new Map<Node, boolean>();
  /** Every reference of every scope, by its identifier node. */
  private readonly references = new Map<unknown, eslintScope.Reference>();

  constructor(
    private readonly code: string,
    private readonly fileName: string,
    private readonly format: JsModuleFormat,
    private readonly program: Node,
    private readonly comments: readonly acorn.Comment[],
    private readonly where: (offset: number) => string,
    options: AnalyzeJsOptions,
  ) {
    this.scopeManager = eslintScope.analyze(program as unknown as ESTree.Program, {
      ecmaVersion: 2022,
      sourceType: format === 'module' ? 'module' : 'commonjs',
      // A direct eval makes eslint-scope leave references unresolved; the checks see the eval themselves (HP1007).
      ignoreEval: true,
    });
    // Parent links only after eslint-scope: where its visitor keys lack a node type it iterates every key, a parent link included.
    walk(program, (n) => {
      for (const child of childrenOf(n)) child.parent = n;
    });
    for (const scope of this.scopeManager.scopes) for (const ref of scope.references) this.references.set(ref.identifier, ref);
    const global = this.scopeManager.globalScope!;
    this.moduleScope = global.childScopes.find((s) => s.block === (program as unknown)) ?? global;
    this.hotpathExportOption = options.hotpathExport ?? defaultHotpathExport(options.runtimeModule ?? 'hotpath');
  }

  run(): JsModuleAnalysis {
    this.collectImportsAndRequires();
    const { bindings, exportsProperties } = this.collectBindings();
    this.collectExports();
    const markerCalls: JsMarkerCall[] = [];
    const sites: JsSite[] = [];
    let directEval: JsModuleAnalysis['directEval'];
    walk(this.program, (n) => {
      if (n.type !== 'CallExpression') return;
      const call = n;
      if (!directEval && isDirectEval(call)) directEval = { range: range(call), where: this.where(call.start) };
      this.walkedCall = this.callShape(call);
      const what = this.calleeIs(call.callee as Node);
      this.walkedCall = undefined;
      if (what !== 'marker') return;
      markerCalls.push({ call: range(call), callee: range(call.callee), arguments: call.arguments.map((a) => range(a as Node)) });
      const site = this.checkCall(call);
      if (site) sites.push(site);
    });
    // Every @boot function, whether or not this module has markers: the guards go in when the program uses the marker anywhere (the caller knows).
    const bootFunctions = this.findBootFunctions();
    return {
      fileName: this.fileName,
      format: this.format,
      markerCalls,
      sites,
      bindings,
      exportsProperties,
      imports: this.imports,
      exports: this.exports,
      bootFunctions,
      diagnostics: this.diagnostics,
      preambleAt: this.preambleAt(),
      ...(directEval ? { directEval } : {}),
      ...this.sourceMappingURL(),
    };
  }

  private hotpathExport(source: string, imported: string): HotpathExport | undefined {
    return this.hotpathExportOption(source, imported, this.walkedCall);
  }

  private callShape(call: ESTree.SimpleCallExpression & Node): JsCallShape {
    let topLevel = true;
    for (let n = call.parent; n; n = n.parent) if (FUNCTION_TYPES.has(n.type)) (topLevel = false);
    let readsModuleBinding = false;
    if (call.arguments.length === 1) {
      let root = call.arguments[0] as Node;
      while (root.type === 'MemberExpression') root = (root as unknown as ESTree.MemberExpression).object as Node;
      const variable = root.type === 'Identifier' ? this.referenceOf(root)?.resolved : undefined;
      // Unresolved (a global, CommonJS `exports`) counts too: only a binding of an inner scope cannot be a site's.
      readsModuleBinding = root.type === 'Identifier' && (variable == null || variable.scope === this.moduleScope || variable.scope === this.scopeManager.globalScope);
    }
    return { arguments: call.arguments.length, readsModuleBinding, topLevel };
  }

  private report(code: HotpathDiagnosticCode, node: Node, text: RuleText, category: 'error' | 'warning' = 'error'): void {
    this.diagnostics.push({ code, category, fileName: this.fileName, start: node.start, length: node.end - node.start, ...text });
  }

  /** `//# sourceMappingURL=<url>` (or `//@`, or the `/*# … *\/` form), when it is the last comment and nothing but white space follows it. */
  private sourceMappingURL(): { sourceMappingURL?: { url: string; range: SourceRange } } {
    const last = this.comments[this.comments.length - 1];
    if (!last || this.code.slice(last.end).trim() !== '') return {};
    const text = last.value.trim();
    for (const prefix of ['# sourceMappingURL=', '@ sourceMappingURL=']) {
      if (text.startsWith(prefix)) return { sourceMappingURL: { url: text.slice(prefix.length).trim(), range: { start: last.start, end: last.end } } };
    }
    return {};
  }

  // ── imports, requires, exports ────────────────────────────────────────────

  /** `require("s")`, or an interop helper around it (`__importStar(require("s"))`, `_interop_require_default(…)`, `__toESM(…)`): the source. */
  private requireSource(node: Node | null | undefined): string | undefined {
    if (!node) return undefined;
    if (node.type === 'CallExpression') {
      const call = node as unknown as ESTree.CallExpression;
      const callee = call.callee as Node;
      if (callee.type === 'Identifier' && (callee as ESTree.Identifier).name === 'require' && call.arguments.length === 1 && !this.isLocallyBound(callee)) {
        const arg = call.arguments[0] as Node;
        if (arg.type === 'Literal' && typeof (arg as ESTree.Literal).value === 'string') return (arg as ESTree.Literal).value as string;
        return undefined;
      }
      // An interop helper: one call whose first argument is the require (`__toESM(require("s"), 1)` too).
      // eslint-disable-next-line hotpath/prefer-subtract-compare -- once per call expression, not hot; the rule cannot see length is an integer
      if (call.arguments.length >= 1 && call.arguments.length <= 2) return this.requireSource(call.arguments[0] as Node);
    }
    return undefined;
  }

  /** Is this identifier bound by the module (not the free `require`/`exports`/`module` of CommonJS)? */
  private isLocallyBound(identifier: Node): boolean {
    const ref = this.referenceOf(identifier);
    return ref?.resolved != null && ref.resolved.defs.length > 0;
  }

  /** The reference eslint-scope made of this identifier (none for a declaration or a property name). */
  private referenceOf(identifier: Node): eslintScope.Reference | undefined {
    return this.references.get(identifier);
  }

  private collectImportsAndRequires(): void {
    for (const statement of (this.program as unknown as ESTree.Program).body) {
      const s = statement as Node;
      if (s.type === 'ImportDeclaration') {
        const decl = s as unknown as ESTree.ImportDeclaration;
        const source = String(decl.source.value);
        for (const spec of decl.specifiers) {
          const imported = spec.type === 'ImportSpecifier'
            ? (spec.imported.type === 'Identifier' ? spec.imported.name : String(spec.imported.value))
            : spec.type === 'ImportDefaultSpecifier' ? 'default' : '*';
          this.imports.push({ source, imported, local: spec.local.name, range: range(spec), kind: 'import' });
        }
      }
    }
    // CommonJS requires anywhere at the top level: `const x = require("s")`, `var x = __importStar(require("s"))`.
    for (const variable of this.moduleScope.variables) {
      for (const def of variable.defs) {
        if (def.type !== 'Variable') continue;
        const declarator = def.node as ESTree.VariableDeclarator & Node;
        const source = this.requireSource(declarator.init as Node);
        if (source === undefined) continue;
        if (declarator.id.type === 'Identifier') {
          this.requireBindings.set(variable, source);
          this.imports.push({ source, imported: '*', local: variable.name, range: range(declarator), kind: 'require' });
        } else if (declarator.id.type === 'ObjectPattern') {
          for (const p of declarator.id.properties) {
            if (p.type !== 'Property' || p.computed || p.key.type !== 'Identifier' || p.value.type !== 'Identifier' || p.value.name !== variable.name) continue;
            this.requiredProperties.set(variable, { source, property: p.key.name });
            this.imports.push({ source, imported: p.key.name, local: variable.name, range: range(declarator), kind: 'require' });
          }
        }
      }
    }
  }

  private collectExports(): void {
    const program = this.program as unknown as ESTree.Program;
    for (const statement of program.body) {
      const s = statement as Node;
      if (s.type === 'ExportNamedDeclaration') {
        const decl = s as unknown as ESTree.ExportNamedDeclaration;
        if (decl.declaration) {
          for (const name of declaredNames(decl.declaration as Node)) this.exports.push({ kind: 'local', exported: name, local: name });
        }
        for (const spec of decl.specifiers) {
          const exported = nameOf(spec.exported as Node);
          const local = nameOf(spec.local as Node);
          if (decl.source) this.exports.push({ kind: 'reexport', exported, source: String(decl.source.value), imported: local });
          else this.exports.push({ kind: 'local', exported, local });
        }
      } else if (s.type === 'ExportAllDeclaration') {
        const decl = s as unknown as ESTree.ExportAllDeclaration;
        this.exports.push({ kind: 'reexport', exported: decl.exported ? nameOf(decl.exported as Node) : '*', source: String(decl.source.value), imported: '*' });
      } else if (s.type === 'ExportDefaultDeclaration') {
        const d = (s as unknown as ESTree.ExportDefaultDeclaration).declaration as Node;
        const id = (d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') ? (d as ESTree.FunctionDeclaration).id : null;
        if (id) this.exports.push({ kind: 'local', exported: 'default', local: id.name });
        else this.exports.push({ kind: 'snapshot', exported: 'default', range: range(s), where: this.where(s.start) });
      } else if (this.format === 'commonjs' && s.type === 'ExpressionStatement') {
        this.collectCommonJSExports((s as unknown as ESTree.ExpressionStatement).expression as Node, s);
      }
    }
  }

  /** CommonJS export shapes compilers emit: `exports.x = …`, getters (`Object.defineProperty(exports, "x", { get })`, swc's `_export(exports, {…})`, esbuild's `__export(x_exports, {…})`), `__exportStar(require("s"), exports)`, `module.exports = …`. */
  private collectCommonJSExports(expression: Node, statement: Node): void {
    if (expression.type === 'AssignmentExpression') {
      const a = expression as unknown as ESTree.AssignmentExpression;
      const property = this.exportsPropertyOf(a.left as Node);
      if (property !== undefined) {
        // Not the prologue's `exports.x = void 0`: a getter or a later assignment defines x.
        const prologue = isVoidZero(assignedValue(expression));
        if (!prologue && !this.exports.some((e) => e.kind === 'local' && e.exported === property)) this.exports.push({ kind: 'local', exported: property, local: property });
        this.collectCommonJSExports(a.right as Node, statement); // exports.a = exports.b = void 0
        return;
      }
      if (isModuleExports(a.left as Node) && !this.isLocallyBound((a.left as ESTree.MemberExpression).object as Node)) {
        const source = this.requireSource(a.right as Node);
        if (source !== undefined) this.exports.push({ kind: 'reexport', exported: '*', source, imported: '*' });
        else if ((a.right as Node).type !== 'CallExpression') this.exports.push({ kind: 'snapshot', exported: 'default', range: range(statement), where: this.where(statement.start) });
      }
      return;
    }
    if (expression.type === 'SequenceExpression') {
      for (const e of (expression as unknown as ESTree.SequenceExpression).expressions) this.collectCommonJSExports(e as Node, statement);
      return;
    }
    if (expression.type !== 'CallExpression') return;
    const call = expression as unknown as ESTree.CallExpression;
    const args = call.arguments as Node[];
    // Object.defineProperty(exports, "x", { enumerable: true, get: function () { return local; } })
    if (args.length === 3 && this.isExportsObject(args[0]!) && args[1]!.type === 'Literal' && typeof (args[1] as ESTree.Literal).value === 'string' && args[2]!.type === 'ObjectExpression') {
      const name = (args[1] as ESTree.Literal).value as string;
      const getter = (args[2] as unknown as ESTree.ObjectExpression).properties.find((p) => p.type === 'Property' && !p.computed && nameOf(p.key as Node) === 'get') as ESTree.Property | undefined;
      const returned = getter ? returnedExpression(getter.value as Node) : undefined;
      if (returned) this.noteGetterExport(name, returned);
      return;
    }
    // __exportStar(require("s"), exports), _export_star(require("s"), exports)
    if (args.length === 2 && this.isExportsObject(args[1]!)) {
      const source = this.requireSource(args[0]);
      if (source !== undefined) this.exports.push({ kind: 'reexport', exported: '*', source, imported: '*' });
      return;
    }
    // _export(exports, { x: function () { return x; } }), __export(x_exports, { x: () => x })
    if (args.length === 2 && args[1]!.type === 'ObjectExpression' && (this.isExportsObject(args[0]!) || args[0]!.type === 'Identifier')) {
      for (const p of (args[1] as unknown as ESTree.ObjectExpression).properties) {
        if (p.type !== 'Property' || p.computed) continue;
        const returned = returnedExpression(p.value as Node);
        if (returned) this.noteGetterExport(nameOf(p.key as Node), returned);
      }
    }
  }

  private noteGetterExport(name: string, returned: Node): void {
    if (returned.type === 'Identifier') {
      this.exports.push({ kind: 'local', exported: name, local: (returned as ESTree.Identifier).name });
    } else if (returned.type === 'MemberExpression' && !(returned as ESTree.MemberExpression).computed) {
      const m = returned as unknown as ESTree.MemberExpression;
      const object = m.object as Node;
      const variable = object.type === 'Identifier' ? this.referenceOf(object)?.resolved : undefined;
      const source = variable ? this.requireBindings.get(variable) : undefined;
      if (source !== undefined) this.exports.push({ kind: 'reexport', exported: name, source, imported: nameOf(m.property as Node) });
    }
  }

  /** `exports` or `module.exports` (the free CommonJS ones). */
  private isExportsObject(node: Node): boolean {
    if (this.format !== 'commonjs') return false;
    if (node.type === 'Identifier') return (node as ESTree.Identifier).name === 'exports' && !this.isLocallyBound(node);
    return isModuleExports(node) && !this.isLocallyBound((node as unknown as ESTree.MemberExpression).object as Node);
  }

  /** For `exports.x` / `module.exports.x` (CommonJS), `x`. */
  private exportsPropertyOf(node: Node): string | undefined {
    if (this.format !== 'commonjs' || node.type !== 'MemberExpression') return undefined;
    const m = node as unknown as ESTree.MemberExpression;
    if (!this.isExportsObject(m.object as Node)) return undefined;
    if (!m.computed && m.property.type === 'Identifier') return m.property.name;
    if (m.computed && m.property.type === 'Literal' && typeof m.property.value === 'string') return m.property.value;
    return undefined;
  }

  // ── bindings and writes ───────────────────────────────────────────────────

  private collectBindings(): { bindings: Map<string, JsBinding>; exportsProperties: Map<string, JsBinding> } {
    const bindings = new Map<string, JsBinding>();
    for (const variable of this.moduleScope.variables) {
      const def = variable.defs[0];
      if (!def) continue;
      const identifier = def.name as unknown as Node;
      let kind: JsBindingKind;
      let statement: Node;
      let constLiteral = false;
      if (def.type === 'Variable') {
        const declaration = def.parent as unknown as ESTree.VariableDeclaration & Node;
        kind = declaration.kind === 'var' || declaration.kind === 'let' || declaration.kind === 'const' ? declaration.kind : 'using';
        statement = topLevelStatementOf(declaration);
        const declarator = def.node;
        constLiteral = kind === 'const' && declarator.id === (def.name as unknown) && declarator.init != null && isLiteralExpression(declarator.init as Node);
      } else if (def.type === 'FunctionName') {
        kind = 'function';
        statement = topLevelStatementOf(def.node as unknown as Node);
      } else if (def.type === 'ClassName') {
        kind = 'class';
        statement = topLevelStatementOf(def.node as unknown as Node);
      } else if (def.type === 'ImportBinding') {
        kind = 'import';
        statement = def.parent as unknown as Node;
      } else {
        continue;
      }
      const writes: JsWrite[] = [];
      if (kind === 'var' || kind === 'let') {
        for (const ref of variable.references) {
          if (!ref.isWrite() || ref.init) continue;
          const id = ref.identifier as unknown as Node;
          writes.push(this.classifyWrite(id, writeOf(id) ?? id));
        }
      }
      bindings.set(variable.name, {
        name: variable.name, kind, declaration: range(identifier), statement: range(statement), where: this.where(identifier.start), constLiteral, writes,
      });
    }
    const exportsProperties = new Map<string, JsBinding>();
    if (this.format === 'commonjs') {
      const found = new Map<string, { first: Node; statement: Node; writes: JsWrite[]; declaringStatement?: Node }>();
      walk(this.program, (n) => {
        if (n.type !== 'MemberExpression') return;
        const property = this.exportsPropertyOf(n);
        if (property === undefined) return;
        const write = writeOf(n);
        if (!write) return;
        let entry = found.get(property);
        const statement = topLevelStatementOf(n);
        if (!entry) found.set(property, (entry = { first: n, statement, writes: [] }));
        // The declaration is the first top-level `exports.x = <value>` that is not the `= void 0` of the prologue.
        const isTopLevelPlain = n.parent === write && write.type === 'AssignmentExpression' && statement.parent === this.program && !isVoidZero(assignedValue(write)) && this.isTopLevelCode(n);
        if (!entry.declaringStatement && isTopLevelPlain) {
          entry.declaringStatement = statement;
          entry.first = n;
          return;
        }
        if (write.type === 'AssignmentExpression' && isVoidZero(assignedValue(write)) && statement.parent === this.program && !entry.declaringStatement) return;
        entry.writes.push(this.classifyWrite(n, write));
      });
      for (const [name, entry] of found) {
        // Only the prologue's `exports.x = void 0` (a getter or re-export defines x): not a property the module writes.
        if (!entry.declaringStatement && entry.writes.length === 0) continue;
        const property = (entry.first as unknown as ESTree.MemberExpression).property as Node;
        exportsProperties.set(name, {
          name, kind: 'exports-property', declaration: range(property), statement: range(entry.declaringStatement ?? entry.statement),
          where: this.where(property.start), constLiteral: false, writes: entry.writes,
        });
      }
    }
    return { bindings, exportsProperties };
  }

  /** Top-level code: no function or class between `node` and the program. */
  private isTopLevelCode(node: Node): boolean {
    for (let n = node.parent; n && n !== this.program; n = n.parent) if (FUNCTION_TYPES.has(n.type) || CLASS_TYPES.has(n.type)) return false;
    return true;
  }

  /** Why a write of a module-level binding may run after seal() (bootPhaseProblem of the TypeScript checks). */
  private classifyWrite(node: Node, write: Node): JsWrite {
    const at = this.where(node.start);
    const base = { range: range(node), where: at };
    let child: Node = node;
    for (let n = node.parent; n && n !== this.program; child = n, n = n.parent) {
      if (FUNCTION_TYPES.has(n.type)) {
        const fn = n as unknown as ESTree.Function & Node;
        if (!this.isBootFunction(n)) return { ...base, problem: writeProblems.outsideBoot(at) };
        if (child !== (fn.body as unknown)) {
          return { ...base, problem: writeProblems.outsideBootBody(at, fn.params.includes(child as unknown as ESTree.Pattern), this.functionInMessage(n)) };
        }
        if (fn.async || fn.generator) return { ...base, problem: writeProblems.resumingBoot(at, fn.async === true, fn.generator === true, this.functionInMessage(n)) };
        const problem = this.sealProblem(node, write, fn.body as Node, `the body of ${this.functionInMessage(n)}`);
        return problem ? { ...base, problem } : base;
      }
      if (CLASS_TYPES.has(n.type)) return { ...base, problem: writeProblems.outsideBoot(at) };
    }
    const awaitBarrier = this.barrierBefore(write, this.barriersOf(this.program).filter((b) => b.kind === 'await'), this.program);
    if (awaitBarrier) return { ...base, problem: writeProblems.afterTopLevelAwait(at, this.barrierRelation(awaitBarrier, write), this.where(awaitBarrier.node.start)) };
    const problem = this.sealProblem(node, write, this.program, "its module's top-level code");
    return problem ? { ...base, problem } : base;
  }

  private sealProblem(node: Node, write: Node, scope: Node, scopeText: string): WriteProblemText | undefined {
    const barrier = this.barrierBefore(write, this.barriersOf(scope).filter((b) => b.kind !== 'await'), scope);
    if (!barrier) return undefined;
    return writeProblems.afterSeal(this.where(node.start), scopeText, this.barrierRelation(barrier, write), barrier.kind === 'seal', this.where(barrier.node.start));
  }

  private barrierRelation(barrier: Barrier, write: Node): string {
    if (barrier.node.start >= write.end) return 'in a loop with';
    return barrier.node.start < write.start ? 'after' : 'completing after';
  }

  private barrierBefore(write: Node, barriers: readonly Barrier[], scope: Node): Barrier | undefined {
    const loops: Node[] = [];
    for (let n = write.parent; n && n !== scope; n = n.parent) if (LOOP_TYPES.has(n.type)) loops.push(n);
    // eslint-disable-next-line hotpath/prefer-subtract-compare -- once per write, not hot; the rule cannot see offsets are integers
    return barriers.find((b) => b.node.start < write.end || loops.some((loop) => b.node.start >= loop.start && b.node.start < loop.end));
  }

  /** Top-level awaits (program only), seal() calls and calls that can reach it, outside nested functions. */
  private barriersOf(scope: Node): Barrier[] {
    const cached = this.barrierCache.get(scope);
    if (cached) return cached;
    const found: Barrier[] = [];
    const visit = (n: Node): boolean | undefined => {
      if (n !== scope && FUNCTION_TYPES.has(n.type)) return false;
      if (scope === this.program && (n.type === 'AwaitExpression' || (n.type === 'ForOfStatement' && (n as unknown as ESTree.ForOfStatement).await))) found.push({ node: n, kind: 'await' });
      if (n.type === 'CallExpression' || n.type === 'NewExpression' || n.type === 'TaggedTemplateExpression') {
        const kind = this.callReachesSeal(n, new Set());
        if (kind) found.push({ node: n, kind });
      }
      return undefined;
    };
    for (const child of childrenOf(scope)) walk(child, visit);
    found.sort((a, b) => a.node.start - b.node.start);
    this.barrierCache.set(scope, found);
    return found;
  }

  /** Can this call run hotpath's seal()? Functions of this module are followed (transitively); other callees count as not reaching it. */
  private callReachesSeal(call: Node, visiting: Set<Node>): 'seal' | 'call' | undefined {
    let callee = (call.type === 'TaggedTemplateExpression' ? (call as unknown as ESTree.TaggedTemplateExpression).tag : (call as unknown as ESTree.CallExpression).callee) as Node;
    if (this.calleeIs(callee) === 'seal') return 'seal';
    callee = unwrapSequence(callee);
    const bodies: Node[] = [];
    if (FUNCTION_TYPES.has(callee.type)) bodies.push(callee);
    else if (callee.type === 'Identifier') {
      const variable = this.referenceOf(callee)?.resolved;
      for (const def of variable?.defs ?? []) {
        if (def.type === 'FunctionName' || def.type === 'ClassName') bodies.push(def.node as unknown as Node);
        if (def.type === 'Variable' && def.node.init && (FUNCTION_TYPES.has(def.node.init.type) || def.node.init.type === 'ClassExpression')) bodies.push(def.node.init as unknown as Node);
      }
    }
    for (const body of bodies) {
      const cached = this.reachesSealCache.get(body);
      if (cached !== undefined) {
        if (cached) return 'call';
        continue;
      }
      if (visiting.has(body)) continue;
      visiting.add(body);
      let reaches = false;
      walk(body, (n) => {
        if (reaches) return false;
        if (n !== body && (n.type === 'CallExpression' || n.type === 'NewExpression' || n.type === 'TaggedTemplateExpression') && this.callReachesSeal(n, visiting)) reaches = true;
        return undefined;
      });
      visiting.delete(body);
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- reaches is set in the walk callback, which TypeScript does not see
      if (reaches || visiting.size === 0) this.reachesSealCache.set(body, reaches);
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- reaches is set in the walk callback, which TypeScript does not see
      if (reaches) return 'call';
    }
    return undefined;
  }

  // ── the marker ────────────────────────────────────────────────────────────

  /** Is this callee hotpath's marker or seal, by its binding? Identifier, `ns.NAME`, `(0, ns.NAME)` (CommonJS output), through an optional chain. */
  private calleeIs(calleeNode: Node): HotpathExport | undefined {
    let callee = calleeNode;
    if (callee.type === 'ChainExpression') callee = (callee as unknown as ESTree.ChainExpression).expression as Node;
    callee = unwrapSequence(callee);
    if (callee.type === 'Identifier') {
      const variable = this.referenceOf(callee)?.resolved;
      if (!variable) return undefined;
      const def = variable.defs[0];
      if (def?.type === 'ImportBinding') {
        const spec = def.node;
        const source = String(def.parent.source.value);
        const imported = spec.type === 'ImportSpecifier' ? nameOf(spec.imported as Node) : spec.type === 'ImportDefaultSpecifier' ? 'default' : '*';
        const what = this.hotpathExport(source, imported);
        return what === 'namespace' ? undefined : what;
      }
      const required = this.requiredProperties.get(variable);
      if (required) {
        const what = this.hotpathExport(required.source, required.property);
        return what === 'namespace' ? undefined : what;
      }
      return undefined;
    }
    if (callee.type === 'MemberExpression') {
      const m = callee as unknown as ESTree.MemberExpression;
      if (m.computed || m.property.type !== 'Identifier' || m.object.type !== 'Identifier') return undefined;
      const variable = this.referenceOf(m.object as Node)?.resolved;
      if (!variable) return undefined;
      const def = variable.defs[0];
      let source: string | undefined;
      if (def?.type === 'ImportBinding' && def.node.type === 'ImportNamespaceSpecifier') source = String(def.parent.source.value);
      else source = this.requireBindings.get(variable);
      if (source === undefined) return undefined;
      // `hp.STATIC_VARIABLE_LOAD` on hotpath's namespace, or `m.load` on a module of the user's that re-exports it.
      const what = this.hotpathExport(source, m.property.name);
      return what === 'namespace' ? undefined : what;
    }
    return undefined;
  }

  private checkCall(call: ESTree.SimpleCallExpression & Node): JsSite | undefined {
    const callText = callTextOf(this.where(call.start));
    const position = writePositionOf(call);
    if (position) {
      this.report('HP1013', call, rules.notARead(callText, position));
      return undefined;
    }
    const callee = call.callee as Node;
    const optionalCallee = callee.type === 'ChainExpression' || (callee.type === 'MemberExpression' && (callee as unknown as ESTree.MemberExpression).optional);
    if (call.optional || optionalCallee) {
      this.report('HP1014', call, rules.optionalCall(callText, call.optional));
      return undefined;
    }
    if (call.arguments.length !== 1) {
      this.report('HP1001', call, rules.argumentCount(callText, call.arguments.length));
      return undefined;
    }
    const argument = call.arguments[0] as Node;
    const read = this.code.slice(argument.start, argument.end);
    const site = (variable: JsVariableRef): JsSite => ({ call: range(call), argument: range(argument), read, variable, where: this.where(call.start) });
    if (argument.type === 'MemberExpression' && this.format === 'commonjs') {
      // CommonJS output reads an import as `<require binding>.<export>`, and the module's own export as `exports.<name>`.
      const m = argument as unknown as ESTree.MemberExpression;
      const own = this.exportsPropertyOf(argument);
      if (own !== undefined && !m.computed) return site({ kind: 'exports', property: own });
      if (!m.computed && m.property.type === 'Identifier' && m.object.type === 'Identifier') {
        const variable = this.referenceOf(m.object as Node)?.resolved;
        const source = variable ? this.requireBindings.get(variable) : undefined;
        if (source !== undefined) return site({ kind: 'require', source, property: m.property.name, object: m.object.name });
      }
    }
    if (argument.type !== 'Identifier') {
      this.report('HP1002', argument, rules.notIdentifier(callText, describeExpression(argument)));
      return undefined;
    }
    const name = (argument as unknown as ESTree.Identifier).name;
    const variable = this.referenceOf(argument)?.resolved;
    if (!variable || variable.defs.length === 0) {
      this.report('HP1003', argument, rules.unresolved(callText, name));
      return undefined;
    }
    const def = variable.defs[0]!;
    if (def.type === 'ImportBinding') {
      const spec = def.node;
      const imported = spec.type === 'ImportSpecifier' ? nameOf(spec.imported as Node) : spec.type === 'ImportDefaultSpecifier' ? 'default' : '*';
      if (imported === '*') {
        this.report('HP1003', argument, rules.notAVariable(callText, name, 'a namespace or module', this.where(asNode(spec).start)));
        return undefined;
      }
      return site({ kind: 'import', source: String(def.parent.source.value), imported, local: name });
    }
    const wholeRequire = this.requireBindings.get(variable);
    if (wholeRequire !== undefined) {
      // `import x = require('./m')` as CommonJS output: the module's value (`module.exports = …`), checked when linked.
      return site({ kind: 'require', source: wholeRequire, property: '*', object: name });
    }
    if (this.requiredProperties.has(variable)) {
      // `const { poolBase } = require('./pool')`: a copy taken at require time, not the live export.
      this.report('HP1003', argument, rules.notAVariable(callText, name, 'a variable', this.where(asNode(def.name).start)));
      return undefined;
    }
    if (def.type !== 'Variable') {
      const what = def.type === 'Parameter' ? 'a parameter' : def.type === 'FunctionName' ? 'a function' : def.type === 'ClassName' ? 'a class' : 'not a variable';
      const declarationNode = def.type === 'Parameter' ? asNode(def.name) : asNode(def.node);
      this.report('HP1003', argument, rules.notAVariable(callText, name, what, what === 'not a variable' ? undefined : this.where(topLevelStart(declarationNode))));
      return undefined;
    }
    const declaration = def.parent as unknown as ESTree.VariableDeclaration & Node;
    const declaredAt = this.where(asNode(def.name).start);
    const holder = declaration.parent;
    const isForBinding = holder && (holder.type === 'ForStatement' || holder.type === 'ForInStatement' || holder.type === 'ForOfStatement');
    if (isForBinding) {
      this.report('HP1003', argument, rules.notAVariable(callText, name, 'a variable', declaredAt));
      return undefined;
    }
    const topLevel = holder === this.program || (holder?.type === 'ExportNamedDeclaration' && holder.parent === this.program);
    if (!topLevel) {
      this.report('HP1003', argument, rules.notTopLevel(callText, name, declaredAt, describeContainer(holder!)));
      return undefined;
    }
    if (declaration.kind !== 'var' && declaration.kind !== 'let' && declaration.kind !== 'const') {
      this.report('HP1003', argument, rules.usingDeclaration(callText, name, declaredAt));
      return undefined;
    }
    if (declaration.kind === 'const') {
      const declarator = def.node;
      const exported = this.exports.some((e) => e.kind === 'local' && e.local === name);
      if (declarator.id === (def.name as unknown) && declarator.init && isLiteralExpression(declarator.init as Node) && (this.format === 'commonjs' || !exported)) {
        this.report('HP1009', call, rules.constLiteral(callText, name, declaredAt), 'warning');
      }
    }
    return site({ kind: 'local', name });
  }

  // ── @boot functions ───────────────────────────────────────────────────────

  /** A function (declaration, expression, arrow, method) with a body and a `@boot` JSDoc tag. */
  private isBootFunction(node: Node): boolean {
    if (!FUNCTION_TYPES.has(node.type)) return false;
    for (const host of jsDocHosts(node)) {
      const comment = this.lastJsDocBefore(host);
      if (comment && jsDocHasTag(comment, BOOT_TAG)) return true;
    }
    return false;
  }

  /** The last `/** … *\/` among the comments directly before `host` (nothing but comments and white space between). */
  private lastJsDocBefore(host: Node): string | undefined {
    let found: string | undefined;
    let at = host.start;
    for (let i = this.comments.length - 1; i >= 0; i--) {
      const c = this.comments[i]!;
      if (c.end > at) continue;
      if (this.code.slice(c.end, at).trim() !== '') break;
      const text = this.code.slice(c.start, c.end);
      if (found === undefined && c.type === 'Block' && text.startsWith('/**') && !text.startsWith('/**/')) found = text;
      at = c.start;
    }
    return found;
  }

  private functionName(fn: Node): { name: string; at: number } {
    const f = fn as unknown as ESTree.Function;
    if (f.type !== 'ArrowFunctionExpression' && f.id) return { name: f.id.name, at: asNode(f.id).start };
    const parent = fn.parent;
    if (parent?.type === 'VariableDeclarator' && (parent as unknown as ESTree.VariableDeclarator).id.type === 'Identifier') {
      const id = (parent as unknown as ESTree.VariableDeclarator).id as ESTree.Identifier;
      return { name: id.name, at: asNode(id).start };
    }
    if (parent && (parent.type === 'Property' || parent.type === 'MethodDefinition' || parent.type === 'PropertyDefinition')) {
      const key = (parent as unknown as ESTree.Property).key as Node;
      const name = key.type === 'Identifier' ? (key as ESTree.Identifier).name
        : key.type === 'PrivateIdentifier' ? `#${(key as ESTree.PrivateIdentifier).name}`
        : key.type === 'Literal' && typeof (key as ESTree.Literal).value === 'string' ? String((key as ESTree.Literal).value) : '<anonymous>';
      return { name, at: key.start };
    }
    return { name: '<anonymous>', at: fn.start };
  }

  private functionInMessage(fn: Node): string {
    const { name, at } = this.functionName(fn);
    return functionInMessage(name, this.where(at));
  }

  private findBootFunctions(): JsBootFunction[] {
    if (!this.code.includes(`@${BOOT_TAG}`)) return [];
    const found: JsBootFunction[] = [];
    walk(this.program, (n) => {
      if (!this.isBootFunction(n)) return;
      const fn = n as unknown as ESTree.Function & Node;
      const named = this.functionName(n);
      const at = named.at;
      let name = named.name;
      if (n.parent?.type === 'MethodDefinition') {
        const cls = n.parent.parent?.parent as unknown as ESTree.Class | undefined;
        if (cls?.id) name = `${cls.id.name}.${name}`;
      }
      const guardText = bootGuardText(name, this.where(at));
      const body = fn.body as Node;
      let insert: JsBootFunction['insert'];
      if (body.type !== 'BlockStatement') {
        insert = { kind: 'wrap', arrowAt: this.arrowTokenEnd(n, body), bodyStart: body.start, end: n.end, indent: this.indentOf(topLevelStart(n)) };
      } else {
        const statements = (body as unknown as ESTree.BlockStatement).body as Node[];
        let i = 0;
        while (i < statements.length && (statements[i] as { directive?: string }).directive !== undefined) i++;
        const next = statements[i];
        if (next) insert = { kind: 'before', at: next.start, indent: this.indentOf(next.start) };
        else {
          const closingIndent = this.indentOf(topLevelStart(n));
          insert = { kind: 'append', at: body.end - 1, indent: `${closingIndent}    `, closingIndent };
        }
      }
      found.push({ range: range(n), guardText, insert });
    });
    return found;
  }

  /** The offset just after the `=>` of an arrow function, found with acorn's tokenizer (never a search over code). */
  private arrowTokenEnd(arrow: Node, body: Node): number {
    let end = body.start;
    for (const token of acorn.tokenizer(this.code.slice(arrow.start, body.start), { ecmaVersion: 'latest' })) {
      if (token.type === acorn.tokTypes.arrow) end = arrow.start + token.end;
    }
    return end;
  }

  private indentOf(offset: number): string {
    const lineStart = Math.max(this.code.lastIndexOf('\n', offset - 1) + 1, 0);
    const prefix = this.code.slice(lineStart, offset);
    return /^[ \t]*$/.test(prefix) ? prefix : (/^[ \t]*/.exec(prefix)?.[0] ?? '');
  }

  /** After the directive prologue, and in CommonJS after the compiler's export prologue and helpers (`Object.defineProperty(exports, "__esModule", …)`, `exports.x = void 0`, `var __helper = …`). */
  private preambleAt(): number {
    const body = (this.program as unknown as ESTree.Program).body as Node[];
    let i = 0;
    while (i < body.length && (body[i] as { directive?: string }).directive !== undefined) i++;
    if (this.format === 'commonjs') {
      while (i < body.length && this.isExportPrologue(body[i]!)) i++;
    }
    if (i >= body.length) return i > 0 ? body[i - 1]!.end : 0;
    // Before the statement's leading comments (as TypeScript prints synthesized statements), not past a blank line (a detached header comment stays first).
    const floor = i > 0 ? body[i - 1]!.end : 0;
    let at = body[i]!.start;
    for (let c = this.comments.length - 1; c >= 0; c--) {
      const comment = this.comments[c]!;
      if (comment.end > at || comment.start < floor) continue;
      const between = this.code.slice(comment.end, at);
      if (between.trim() !== '' || /\n[ \t]*\r?\n/.test(between)) break;
      at = comment.start;
    }
    return at;
  }

  private isExportPrologue(statement: Node): boolean {
    if (statement.type === 'VariableDeclaration') {
      // tsc's helpers: var __importStar = (this && this.__importStar) || …
      return (statement as unknown as ESTree.VariableDeclaration).declarations.every((d) => d.id.type === 'Identifier' && d.id.name.startsWith('__') && (d.init == null || d.init.type !== 'CallExpression' || this.requireSource(d.init as Node) === undefined));
    }
    if (statement.type !== 'ExpressionStatement') return false;
    const e = (statement as unknown as ESTree.ExpressionStatement).expression as Node;
    if (e.type === 'CallExpression') {
      const call = e as unknown as ESTree.CallExpression;
      const callee = call.callee as Node;
      return callee.type === 'MemberExpression' && nameOf((callee as unknown as ESTree.MemberExpression).property as Node) === 'defineProperty' &&
        call.arguments.length === 3 && this.isExportsObject(call.arguments[0] as Node) && (call.arguments[1] as Node).type === 'Literal' && (call.arguments[1] as ESTree.Literal).value === '__esModule';
    }
    if (e.type === 'AssignmentExpression') {
      // exports.a = exports.b = void 0; exports.f = f (a hoisted function export)
      let right: Node = e;
      while (right.type === 'AssignmentExpression' && this.exportsPropertyOf((right as unknown as ESTree.AssignmentExpression).left as Node) !== undefined) right = (right as unknown as ESTree.AssignmentExpression).right as Node;
      if (right === e) return false;
      if (isVoidZero(right)) return true;
      if (right.type === 'Identifier') {
        const def = this.referenceOf(right)?.resolved?.defs[0];
        return def?.type === 'FunctionName';
      }
    }
    return false;
  }
}

// ── writes and positions, ESTree ─────────────────────────────────────────────

/** The expression that writes `node` (`=`, compound, ++/--, destructuring, for-in/of), or undefined when it is read. */
function writeOf(node: Node): Node | undefined {
  let n = node;
  for (;;) {
    const p = n.parent;
    if (!p) return undefined;
    switch (p.type) {
      case 'AssignmentExpression':
        return (p as unknown as ESTree.AssignmentExpression).left === (n as unknown) ? p : undefined;
      case 'UpdateExpression':
        return p;
      case 'ForInStatement':
      case 'ForOfStatement':
        return (p as unknown as ESTree.ForInStatement).left === (n as unknown) ? p : undefined;
      case 'ArrayPattern':
      case 'ObjectPattern':
      case 'RestElement':
        n = p;
        continue;
      case 'Property':
        if ((p as unknown as ESTree.Property).value !== (n as unknown) || p.parent?.type !== 'ObjectPattern') return undefined;
        n = p;
        continue;
      case 'AssignmentPattern':
        if ((p as unknown as ESTree.AssignmentPattern).left !== (n as unknown)) return undefined;
        n = p;
        continue;
      default:
        return undefined;
    }
  }
}

/** Where a marker call sits if not in a read (writePositionOf of the TypeScript checks), in the same words. */
function writePositionOf(call: Node): string | undefined {
  let n: Node = call;
  while (n.parent?.type === 'ChainExpression') n = n.parent;
  if (n.parent?.type === 'UnaryExpression' && (n.parent as unknown as ESTree.UnaryExpression).operator === 'delete') return 'the operand of `delete`';
  const write = writeOf(n);
  if (!write) return undefined;
  if (write.type === 'ForInStatement') return 'the target of a `for … in`';
  if (write.type === 'ForOfStatement') return 'the target of a `for … of`';
  if (write.type === 'UpdateExpression') return `the operand of \`${(write as unknown as ESTree.UpdateExpression).operator}\``;
  const a = write as unknown as ESTree.AssignmentExpression;
  if (a.left === (n as unknown)) return `the target of \`${a.operator}\``;
  return 'a destructuring assignment target';
}

function isDirectEval(call: ESTree.CallExpression): boolean {
  return call.callee.type === 'Identifier' && call.callee.name === 'eval';
}

function unwrapSequence(node: Node): Node {
  // `(0, hotpath_1.STATIC_VARIABLE_LOAD)(x)`: how tsc, swc and esbuild call an imported function without a `this`.
  if (node.type === 'SequenceExpression') {
    const expressions = (node as unknown as ESTree.SequenceExpression).expressions as Node[];
    if (expressions.length === 2 && expressions[0]!.type === 'Literal' && (expressions[0] as ESTree.Literal).value === 0) return expressions[1]!;
  }
  return node;
}

/** The value a chain of assignments stores: `void 0` for `exports.a = exports.b = void 0`. */
function assignedValue(write: Node): Node {
  let right = write;
  while (right.type === 'AssignmentExpression') right = (right as unknown as ESTree.AssignmentExpression).right as Node;
  return right;
}

function isModuleExports(node: Node): boolean {
  if (node.type !== 'MemberExpression') return false;
  const m = node as unknown as ESTree.MemberExpression;
  return !m.computed && m.object.type === 'Identifier' && m.object.name === 'module' && m.property.type === 'Identifier' && m.property.name === 'exports';
}

function isVoidZero(node: Node): boolean {
  return node.type === 'UnaryExpression' && (node as unknown as ESTree.UnaryExpression).operator === 'void' && ((node as unknown as ESTree.UnaryExpression).argument as Node).type === 'Literal';
}

/** `function () { return x; }`, `() => x`, `get x() { return x; }`: the returned expression. */
function returnedExpression(fn: Node): Node | undefined {
  if (!FUNCTION_TYPES.has(fn.type)) return undefined;
  const body = (fn as unknown as ESTree.Function).body as Node;
  if (body.type !== 'BlockStatement') return body;
  const statements = (body as unknown as ESTree.BlockStatement).body;
  const only = statements.length === 1 ? statements[0] : undefined;
  return only?.type === 'ReturnStatement' && only.argument ? (only.argument as Node) : undefined;
}

function nameOf(node: Node): string {
  if (node.type === 'Identifier') return (node as ESTree.Identifier).name;
  if (node.type === 'Literal') return String((node as ESTree.Literal).value);
  return '';
}

function declaredNames(declaration: Node): string[] {
  if (declaration.type === 'VariableDeclaration') {
    const names: string[] = [];
    for (const d of (declaration as unknown as ESTree.VariableDeclaration).declarations) collectPatternNames(d.id as Node, names);
    return names;
  }
  const id = (declaration as unknown as ESTree.FunctionDeclaration).id;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `export default function () {}` has a null id, though ESTree types it non-null
  return id ? [id.name] : [];
}

function collectPatternNames(pattern: Node, names: string[]): void {
  switch (pattern.type) {
    case 'Identifier': names.push((pattern as ESTree.Identifier).name); break;
    case 'ObjectPattern': for (const p of (pattern as unknown as ESTree.ObjectPattern).properties) collectPatternNames((p.type === 'Property' ? p.value : p) as Node, names); break;
    case 'ArrayPattern': for (const e of (pattern as unknown as ESTree.ArrayPattern).elements) if (e) collectPatternNames(e as Node, names); break;
    case 'RestElement': collectPatternNames((pattern as unknown as ESTree.RestElement).argument as Node, names); break;
    case 'AssignmentPattern': collectPatternNames((pattern as unknown as ESTree.AssignmentPattern).left as Node, names); break;
    default: break;
  }
}

/** The statement directly in the program that holds `node` (an `export` wrapper included). */
function topLevelStatementOf(node: Node): Node {
  let n = node;
  while (n.parent && n.parent.type !== 'Program') n = n.parent;
  return n;
}

/** Where TypeScript starts a declaration: before `export` / `export default`. */
function topLevelStart(node: Node): number {
  const p = node.parent;
  return p && (p.type === 'ExportNamedDeclaration' || p.type === 'ExportDefaultDeclaration') ? p.start : node.start;
}

/** The nodes a function's JSDoc may be written before (the function, its variable statement, its property or method, an export wrapper). */
function jsDocHosts(fn: Node): Node[] {
  const hosts: Node[] = [fn];
  let host = fn;
  const p = fn.parent;
  if (p && (p.type === 'Property' || p.type === 'MethodDefinition' || p.type === 'PropertyDefinition')) hosts.push((host = p));
  if (p?.type === 'VariableDeclarator' && p.parent?.type === 'VariableDeclaration') hosts.push((host = p.parent));
  if (host.parent && (host.parent.type === 'ExportNamedDeclaration' || host.parent.type === 'ExportDefaultDeclaration')) hosts.push(host.parent);
  return hosts;
}

function describeExpression(node: Node): string {
  switch (node.type) {
    case 'MemberExpression': return 'a property access';
    case 'CallExpression': return 'a call';
    case 'Literal': return 'a literal';
    case 'TemplateLiteral': return (node as unknown as ESTree.TemplateLiteral).expressions.length === 0 ? 'a literal' : 'an expression';
    case 'SpreadElement': return 'a spread';
    default: return 'an expression';
  }
}

function describeContainer(node: Node): string {
  if (node.type === 'BlockStatement' && node.parent && FUNCTION_TYPES.has(node.parent.type)) return 'a function';
  if (node.type === 'BlockStatement' || node.type === 'StaticBlock') return 'a block';
  if (node.type === 'SwitchCase') return 'a switch case';
  return 'a nested statement';
}

function isLiteralExpression(node: Node): boolean {
  switch (node.type) {
    case 'Literal': return !(node as ESTree.Literal as { regex?: unknown }).regex;
    case 'TemplateLiteral': return (node as unknown as ESTree.TemplateLiteral).expressions.length === 0;
    case 'Identifier': return (node as ESTree.Identifier).name === 'undefined';
    case 'UnaryExpression': {
      const u = node as unknown as ESTree.UnaryExpression;
      const arg = u.argument as Node;
      if (u.operator === '-' || u.operator === '+') return arg.type === 'Literal' && (typeof (arg as ESTree.Literal).value === 'number' || typeof (arg as ESTree.Literal).value === 'bigint');
      if (u.operator === 'void') return arg.type === 'Literal' && typeof (arg as ESTree.Literal).value === 'number';
      return false;
    }
    default: return false;
  }
}

function range(node: Node | ESTree.Node): SourceRange {
  return { start: (node as Node).start, end: (node as Node).end };
}

// ── the second phase: write diagnostics for the bindings markers read ────────

/** The binding of `declaring` a marker reads as `name` (local) or through its exports (`property`, CommonJS). */
export function bindingOf(declaring: JsModuleAnalysis, ref: { kind: 'local'; name: string } | { kind: 'exports'; property: string }): JsBinding | undefined {
  return ref.kind === 'local' ? declaring.bindings.get(ref.name) : declaring.exportsProperties.get(ref.property);
}

/** The problems that keep `binding` of `declaring` from being patched: its writes that may run after seal(), and a direct eval. */
export function writeProblemsOf(declaring: JsModuleAnalysis, binding: JsBinding): WriteProblemText[] {
  const problems: WriteProblemText[] = [];
  const all: { at: number; problem: WriteProblemText }[] = binding.writes.filter((w) => w.problem).map((w) => ({ at: w.range.start, problem: w.problem! }));
  if (declaring.directEval) all.push({ at: declaring.directEval.range.start, problem: writeProblems.directEval(declaring.directEval.where) });
  all.sort((a, b) => a.at - b.at);
  for (const { problem } of all) problems.push(problem);
  return problems;
}

/** A marker's read of a binding, found by the caller's linking: the site, the module it is in, and the binding it reaches. */
export interface JsBindingRead {
  readonly site: JsSite;
  readonly reader: JsModuleAnalysis;
  /** The declared name (what the messages call the variable: the marker's argument as written). */
  readonly binding: JsBinding;
}

/**
 * The second phase: given the reads of `declaring`'s bindings by markers anywhere, the
 * HP1007 diagnostic of each read whose binding can be written after seal(), on the reader's
 * site (as the TypeScript pass reports it). Reads with no diagnostic are valid sites.
 */
export function writeDiagnostics(declaring: JsModuleAnalysis, reads: readonly JsBindingRead[]): JsDiagnostic[] {
  const out: JsDiagnostic[] = [];
  for (const { site, reader, binding } of reads) {
    if (binding.kind === 'const' || binding.kind === 'function' || binding.kind === 'class' || binding.kind === 'import') continue;
    const problems = writeProblemsOf(declaring, binding);
    if (problems.length === 0) continue;
    const text = rules.badWrite(callTextOf(site.where), readName(site), problems);
    out.push({ code: text.code, category: 'error', fileName: reader.fileName, start: site.argument.start, length: site.argument.end - site.argument.start, message: text.message, hint: text.hint });
  }
  return out;
}

/** How messages name the variable a site reads: the argument as written (`pb`), or the property of a CommonJS read. */
export function readName(site: JsSite): string {
  switch (site.variable.kind) {
    case 'local': return site.variable.name;
    case 'import': return site.variable.local;
    case 'exports': return site.variable.property;
    case 'require': return site.variable.property === '*' ? site.variable.object : site.variable.property;
  }
}
