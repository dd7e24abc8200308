/**
 * The marker rules, defined once for both front ends: the TypeScript checks
 * (marker-checks.ts, which also serve the ESLint rule) and the JavaScript-level front end
 * (compiler/js/, behind `hotpath sites` and the bundler plugins), and for the ESLint rule's
 * message ids. Codes, message texts, hints and what counts as a `@boot` tag live here; each
 * front end finds the facts (positions as `file:line:col`, names, a direct eval: the callee
 * `eval`, parentheses aside) in its own tree and words them with these. No TypeScript, no parser: plain strings in, strings out.
 */

export const DIAGNOSTIC_CODES = {
  HP1001: 'marker-argument-count',
  HP1002: 'marker-argument-not-identifier',
  HP1003: 'not-module-level-variable',
  HP1004: 'variable-outside-program',
  HP1005: 'not-live-binding',
  HP1006: 'type-not-primitive',
  HP1007: 'write-outside-boot',
  HP1008: 'not-a-module',
  HP1009: 'const-literal',
  HP1010: 'internal-error',
  HP1011: 'comments-removed',
  HP1012: 'typescript-unavailable',
  HP1013: 'marker-not-a-read',
  HP1014: 'optional-marker-call',
  HP1015: 'module-format-unsupported',
  HP1016: 'commonjs-export-not-updated',
  HP1017: 'javascript-not-parsed',
  HP1018: 'already-rewritten',
} as const;

export type HotpathDiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** The JSDoc tag that identifies the marker's declaration (runtime/marker.ts). */
export const MARKER_TAG = 'hotpathMarker';
/** The JSDoc tag that marks a function allowed to write static variables before seal(). */
export const BOOT_TAG = 'boot';
/** The marker's exported name in the runtime. */
export const MARKER_NAME = 'STATIC_VARIABLE_LOAD';
/** hotpath's seal(), which ends the boot phase. */
export const SEAL_NAME = 'seal';

/** A diagnostic's text: what is wrong (positions as `file:line:col`) and what to do. */
export interface RuleText {
  readonly message: string;
  readonly hint: string;
}

const tagPatterns = new Map<string, RegExp>();

/**
 * Does this JSDoc comment's text (`/** … *\/`, delimiters included) carry tag `@tag`? A line
 * that starts with `@tag` (after the comment's opening or a line's `*`), followed by a space
 * or the comment's end. Never `@boot` in prose ("call it after @boot."), nor in an address
 * (`admin@boot.dev`), nor `@bootstrap`. A regular expression over comment text, never over code.
 */
export function jsDocHasTag(commentText: string, tag: string): boolean {
  if (!commentText.startsWith('/**') || commentText.startsWith('/**/')) return false;
  const pattern = tagPatterns.get(tag) ?? tagPatterns.set(tag, new RegExp(`(?:^/\\*\\*[ \\t]*|\\n[ \\t]*(?:\\*(?!/)[ \\t]*)?)@${tag.replace(/[^\w]/g, '\\$&')}(?=\\s|\\*/|$)`)).get(tag)!;
  return pattern.test(commentText);
}

/** `STATIC_VARIABLE_LOAD at src/free.ts:6:3`: how every marker message starts. */
export function callText(where: string): string {
  return `${MARKER_NAME} at ${where}`;
}

export const MOVE_WRITE_HINT =
  'Move the write into top-level code or a function marked /** @boot */ that runs before seal() (a nested function or class inside a @boot function does not count), or drop the marker.';

/** A write the checks cannot prove runs before seal(): completes "which is …", and what to do. */
export interface WriteProblemText {
  readonly why: string;
  readonly hint: string;
  /** Default HP1007; HP1016 for a CommonJS write tsc does not copy to the export. */
  readonly code?: 'HP1007' | 'HP1016';
}

/** Message texts, one function per rule; `call` is callText(where) of the marker call. */
export const rules = {
  internalError: (error: string): RuleText => ({
    message: `internal error while checking this marker: ${error}`,
    hint: 'The call is left as a plain read (still correct). Please report this with the code that triggers it.',
  }),
  scriptCall: (call: string): RuleText => ({
    message: `${call} is in a script, not a module: the compiler cannot add the imports a patch site needs`,
    hint: 'Make the file a module (add an import or `export {}`), or set "moduleDetection": "force".',
  }),
  notARead: (call: string, position: string): RuleText => ({
    message: `${call} is ${position}, not a read: a patch site can only be read (patched, it would be a literal there)`,
    hint: 'Write the variable itself (`poolBase = 99`, in top-level code or a /** @boot */ function), and use STATIC_VARIABLE_LOAD only where the value is read.',
  }),
  optionalCall: (call: string, questionDotOnCall: boolean): RuleText => ({
    message: `${call} is called in an optional chain (\`${questionDotOnCall ? 'STATIC_VARIABLE_LOAD?.(…)' : 'ns?.STATIC_VARIABLE_LOAD(…)'}\`): it cannot become a patch site`,
    hint: 'Call the marker directly, `STATIC_VARIABLE_LOAD(x)` (it is never undefined); `STATIC_VARIABLE_LOAD(x)?.length` is fine.',
  }),
  moduleFormat: (call: string, format: string): RuleText => ({
    message: `${call} is in a module emitted as ${format}: hotpath patches only ES-module and CommonJS output, so the marker stays a plain read`,
    hint: 'Emit ES modules or CommonJS ("module": "nodenext", "esnext" or "commonjs") for the build hotpath patches, or drop the marker.',
  }),
  argumentCount: (call: string, count: number): RuleText => ({
    message: `${call} has ${count} arguments; it takes exactly one`,
    hint: 'Pass exactly one argument: the module-level variable to read, e.g. STATIC_VARIABLE_LOAD(poolBase).',
  }),
  notIdentifier: (call: string, what: string): RuleText => ({
    message: `${call}: the argument is ${what}, not a variable name`,
    hint: 'Pass the name of a module-level const/let/var (import it by name if it lives in another module); to patch a property, copy it into a module-level variable at boot.',
  }),
  unresolved: (call: string, name: string): RuleText => ({
    message: `${call}: \`${name}\` does not resolve to any declaration`,
    hint: 'Declare or import the variable.',
  }),
  snapshotExport: (call: string, name: string, exportEquals: boolean, where: string): RuleText => ({
    message: `${call}: \`${name}\` comes from \`${exportEquals ? 'export =' : 'export default'}\` at ${where}, which exports a value, not the live variable`,
    hint: 'Export the variable itself (`export { poolBase }` or `export { poolBase as default }`) and import that name.',
  }),
  /** `what`: describeDeclaration's words ('a function', 'a parameter', …, or 'not a variable'); `where` when known. */
  notAVariable: (call: string, name: string, what: string, where: string | undefined): RuleText => ({
    message: `${call}: \`${name}\` is ${what}${where ? ` (${where})` : ''}, not a module-level const/let/var`,
    hint: 'Read a const/let/var declared at the top level of a module of this program.',
  }),
  outsideProgram: (call: string, name: string, declaredAt: string): RuleText => ({
    message: `${call}: \`${name}\` is declared at ${declaredAt}, outside the code this program compiles (a declaration file, \`declare\`, or a library)`,
    hint: 'Only variables of modules compiled by this build can be registered and patched: declare the variable in one of the project\'s own modules.',
  }),
  notTopLevel: (call: string, name: string, declaredAt: string, container: string): RuleText => ({
    message: `${call}: \`${name}\` is declared at ${declaredAt} inside ${container}, not at a module's top level`,
    hint: 'Move the declaration to the top level of the module.',
  }),
  declaredInScript: (call: string, name: string, declaredAt: string): RuleText => ({
    message: `${call}: \`${name}\` is declared at ${declaredAt} in a script (a global), not a module`,
    hint: 'Declare the variable in a module (a file with an import or export).',
  }),
  esmReadsCommonJS: (call: string, name: string, declaredAt: string): RuleText => ({
    message: `${call}: \`${name}\` is declared at ${declaredAt} in a module that emits CommonJS, and this ES module imports it: Node gives an ES module a copy of a CommonJS export taken when it loads, not the live variable`,
    hint: 'Make both modules ES modules (or both CommonJS), or read the variable in a module of the declaring module\'s format.',
  }),
  usingDeclaration: (call: string, name: string, declaredAt: string): RuleText => ({
    message: `${call}: \`${name}\` is a \`using\` declaration at ${declaredAt}, not a const/let/var`,
    hint: 'Read a const/let/var.',
  }),
  typeNotPrimitive: (call: string, name: string, declaredAt: string, type: string): RuleText => ({
    message: `${call}: \`${name}\` (declared at ${declaredAt}) has type \`${type}\`; a patch site holds a literal, so only number, bigint, boolean, string, null and undefined (and unions of them) can be patched`,
    hint: 'Give the variable a primitive type (annotate it, e.g. `let poolBase: number`), or read a primitive field copied into its own variable at boot.',
  }),
  constLiteral: (call: string, name: string, declaredAt: string): RuleText => ({
    message: `${call}: \`${name}\` is a const initialised with a literal at ${declaredAt}, read in its own module, where V8 already compiles the read as the constant: there is nothing to patch`,
    hint: 'Drop the marker and read the constant directly.',
  }),
  /** HP1007 / HP1016 on the reading site, worded from the first problem of the declaring module's scan. */
  badWrite: (call: string, name: string, problems: readonly WriteProblemText[]): RuleText & { code: 'HP1007' | 'HP1016' } => {
    const first = problems[0]!;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more place${problems.length > 2 ? 's' : ''} that can write it)` : '';
    return {
      code: first.code ?? 'HP1007',
      message: first.code === 'HP1016'
        ? `${call} reads \`${name}\`, which is ${first.why}${more}: the sites of other modules read the export, registration the variable, so patched and unpatched results would differ`
        : `${call} reads \`${name}\`, which is ${first.why}${more}: a patched read would miss that write`,
      hint: first.hint,
    };
  },
} as const;

/** The ways a write fails to be boot code, worded once (`at` is the write's `file:line:col`). */
export const writeProblems = {
  directEval: (evalAt: string): WriteProblemText => ({
    why: `in scope of the direct eval at ${evalAt}, whose code can write it at any time, unseen by the compiler`,
    hint: 'Code run by a direct eval() can write every variable of its module. Use an indirect eval (`(0, eval)(code)` or `new Function`, which run in the global scope), or move the eval to another module; or drop the marker.',
  }),
  outsideBoot: (at: string): WriteProblemText => ({
    why: `written at ${at} outside its module's top level and any /** @boot */ function`,
    hint: MOVE_WRITE_HINT,
  }),
  /** `fn`: bootWhere's `` `initPool` (src/pool.ts:4:17) ``. */
  outsideBootBody: (at: string, inParameter: boolean, fn: string): WriteProblemText => ({
    why: `written at ${at} ${inParameter ? 'in a parameter of' : 'outside the body of'} the function ${fn} marked @boot, evaluated before its guard`,
    hint: 'Only the body of a @boot function counts as boot code. Move the write into the body, or drop the marker.',
  }),
  resumingBoot: (at: string, isAsync: boolean, isGenerator: boolean, fn: string): WriteProblemText => {
    const kind = isAsync && isGenerator ? 'async generator' : isAsync ? 'async function' : 'generator';
    const resumes = isAsync && isGenerator ? 'an await or a yield' : isAsync ? 'an await' : 'a yield';
    return {
      why: `written at ${at} in the ${kind} ${fn} marked @boot, which resumes after ${resumes}, possibly after seal() and long after its guard ran`,
      hint: 'A write in an async function or a generator does not count as boot code. Await or compute the value first, then write it in a synchronous /** @boot */ function (`setPoolBase(await computeBase())`), whose guard checks at the call; or drop the marker.',
    };
  },
  /** `relation`: barrierRelation's 'after' | 'in a loop with' | 'completing after'. */
  afterTopLevelAwait: (at: string, relation: string, awaitAt: string): WriteProblemText => ({
    why: `written at ${at} in top-level code ${relation} the top-level await at ${awaitAt}, where the module's evaluation can resume after seal()`,
    hint: 'Write it before the first top-level await (outside any loop with one), or pass the awaited value to a synchronous /** @boot */ function (`setPoolBase(await computeBase())`), whose guard checks at the call; or drop the marker.',
  }),
  staleCommonJSExport: (at: string, loop: boolean, exportNames: readonly string[]): WriteProblemText => ({
    code: 'HP1016',
    why: `written at ${at} ${loop ? 'as a `for … of/in` target' : 'through parentheses, `as`, `!` or `satisfies`'}, which TypeScript's CommonJS output does not copy to ${exportNames.map((n) => `\`exports.${n}\``).join(', ')} (exported by an \`export { … }\` specifier)`,
    hint: 'Write it as a plain assignment (`x = v`, which tsc copies to the export), declare it `export let x` instead of exporting it by specifier, or drop the marker.',
  }),
  /**
   * `scope`: 'its module\'s top-level code' or 'the body of `f` (…)'; `sealCall`: whether the
   * barrier is seal() itself (else a call that can reach it).
   */
  afterSeal: (at: string, scope: string, relation: string, sealCall: boolean, barrierAt: string): WriteProblemText => ({
    why: `written at ${at} in ${scope} ${relation} ${sealCall ? `the call of seal() at ${barrierAt}` : `the call at ${barrierAt}, which can reach seal()`}: the write runs after the values are sealed`,
    hint: 'Write every static variable before seal() (and outside any loop that calls it), or drop the marker.',
  }),
} as const;

/** How a function is named in messages: `` `initPool` (src/pool.ts:4:17) ``. */
export function functionInMessage(name: string, where: string): string {
  return `\`${name}\` (${where})`;
}

/** What `assertBootPhase` names in its error: `initPool (src/pool.ts:4:17)`. */
export function bootGuardText(name: string, where: string): string {
  return `${name} (${where})`;
}
