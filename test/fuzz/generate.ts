/**
 * A seeded generator of multi-module hotpath programs: a declaring module with variables
 * of every value kind written at top level and in `@boot` functions, an optional relay
 * that re-exports (some renamed), readers with STATIC_VARIABLE_LOAD in many expression and
 * statement positions, and a main that boots, seals, imports the readers and prints JSON.
 * A program is data (variables, sites) so the minimiser can drop parts and re-render it.
 */

export type Format = 'esm' | 'cjs';
export type Target = 'ES2017' | 'ES2022' | 'ESNext';
type Kind = 'number' | 'bigint' | 'boolean' | 'string' | 'null' | 'undefined';

export interface Variable {
  readonly name: string;
  readonly kind: Kind;
  readonly declaration: 'let' | 'var' | 'const';
  readonly init: string;
  /** Writes before seal(): where and in which syntactic form. */
  readonly writes: ReadonlyArray<{ where: 'top' | 'boot'; form: 'plain' | 'paren' | 'as' | 'bang'; value: string }>;
  /** `export { local as name }` instead of `export let name`. */
  readonly exportedAs?: string;
}

export interface Site {
  /** Source with `@@` where the marker goes (the marker reads the site's variable). */
  readonly code: string;
  readonly variable: number;
  readonly top: boolean;
  /** Index into SPELLINGS: how the marker call is written. */
  readonly spelling?: number;
}

/** Ways to write the same marker call: comments, line breaks, trailing comma, aliases and a namespace import. */
const SPELLINGS = [
  (x: string) => `STATIC_VARIABLE_LOAD(${x})`,
  (x: string) => `STATIC_VARIABLE_LOAD(\n    ${x}\n  )`,
  (x: string) => `STATIC_VARIABLE_LOAD(${x},)`,
  (x: string) => `STATIC_VARIABLE_LOAD(/* why: ) */ ${x})`,
  (x: string) => `STATIC_VARIABLE_LOAD(${x} // )\n  )`,
  (x: string) => `load(${x})`,
  (x: string) => `hp.STATIC_VARIABLE_LOAD(${x})`,
  (x: string) => `STATIC_VARIABLE_LOAD /* ( */ (${x})`,
];
const spellMarker = (spelling: number, local: string) => SPELLINGS[spelling]!(local);

export interface Reader {
  readonly name: string;
  /** Per variable index: imported from the relay and under which local name. */
  readonly routes: ReadonlyArray<{ viaRelay: boolean; local: string }>;
  readonly sites: readonly Site[];
}

/**
 * A form the compiler must reject (issue 8's holes): the program is built only, and the
 * hotpath build must report `expect` for it (never accept it, never crash).
 */
export interface Hostile {
  readonly form: (typeof HOSTILE_FORMS)[number];
  readonly variable: number;
  readonly expect: string;
}

export const HOSTILE_FORMS = [
  'seal-in-boot', 'seal-top', 'late-write', 'loop-await', 'cjs-specifier', 'assign-marker', 'delete-marker', 'increment-marker',
  'for-of-marker', 'destructure-marker', 'optional-call',
] as const;
const HOSTILE_CODES: Record<Hostile['form'], string> = {
  'seal-in-boot': 'HP1007', 'seal-top': 'HP1007', 'late-write': 'HP1007', 'loop-await': 'HP1007', 'cjs-specifier': 'HP1016',
  'assign-marker': 'HP1013', 'delete-marker': 'HP1013', 'increment-marker': 'HP1013', 'for-of-marker': 'HP1013',
  'destructure-marker': 'HP1013', 'optional-call': 'HP1014',
};
const MARKER_TARGETS: Partial<Record<Hostile['form'], string>> = {
  'assign-marker': '// @ts-expect-error\n  STATIC_VARIABLE_LOAD(@L) = 99;',
  'delete-marker': '// @ts-expect-error\n  delete STATIC_VARIABLE_LOAD(@L);',
  'increment-marker': '// @ts-expect-error\n  STATIC_VARIABLE_LOAD(@L)++;',
  'for-of-marker': '// @ts-expect-error\n  for (STATIC_VARIABLE_LOAD(@L) of [1]);',
  'destructure-marker': '// @ts-expect-error\n  [STATIC_VARIABLE_LOAD(@L)] = [1];',
  'optional-call': 'out.push(STATIC_VARIABLE_LOAD?.(@L));',
};

export interface Program {
  readonly seed: number;
  readonly hostile?: Hostile;
  readonly format: Format;
  readonly target: Target;
  readonly variables: readonly Variable[];
  readonly relay: boolean;
  readonly readers: readonly Reader[];
  /** ESM: the first reader imported a second time as `./r0.js#again` (its own module instance, patched too). */
  readonly again?: boolean;
}

/** mulberry32: small, fast, good enough to pick shapes. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES: Record<Kind, string> = {
  number: 'number',
  bigint: 'bigint',
  boolean: 'boolean',
  string: 'string',
  null: 'string | null',
  undefined: 'number | undefined',
};

/** Value sources per kind: literals and expressions computing them (both are written). */
const VALUES: Record<Kind, readonly string[]> = {
  number: [
    '0', '-0', '0 / 0', 'Number.NaN', '1 / 0', '-Infinity', '0.1', '-2.5', '1e21', '5e-324', '2 ** 53 + 2', '-(2 ** 31)',
    '4294967295', '123456789.125', '1024 * 0x100000', 'Number("-0")', 'Number.MAX_VALUE', '-Number.MIN_VALUE', '7', '2 ** 32',
  ],
  bigint: ['0n', '-1n', '2n ** 64n - 1n', '-(2n ** 63n)', '12345678901234567890123n', 'BigInt(42)', '-0n'],
  boolean: ['true', 'false', '!0', 'Boolean("")'],
  string: [
    "''", "'a'", `"*/'\\"\\\\\\u2028\\u2029\\uD800\`\${"`, "'</script>\\n\\t\\0'", "'\\u{1F600}\\uDFFF'", "'x'.repeat(40)",
    "'-0'", "'NaN'", "'/*@hp:0*/'", "String(1 / 3)",
  ],
  null: ['null'],
  undefined: ['undefined', 'void 0'],
};

const INITS: Record<Kind, readonly string[]> = {
  number: ['1', '-1', '0.5'],
  bigint: ['1n', '3n'],
  boolean: ['false', 'true'],
  string: ["'init'", "''"],
  null: ["'unset'"],
  undefined: ['-1'],
};

/** Expressions of any value kind: `@@` is the marker. */
const ANY_EXPRESSIONS = [
  '@@', '(@@)', 'typeof @@', '[@@, @@]', '({ a: @@, b: [@@] })', '`<${@@}>`', 'id(1) && @@', '(id(0), @@)', '@@ ?? "nullish"',
  '@@ || "falsy"', '@@ && "truthy"', '@@ ? 1 : 2', '!@@', 'id(@@)', '[@@].map((e) => e)', '((a = @@) => a)()', '(() => @@)()',
  'new (class { f = @@; })().f', '(class { static s = @@; }).s', '@@?.toString()', '@@?.valueOf()', 'Object.is(@@, @@)',
  '@@ === @@', 'String(@@)', 'tag`a${@@}b`', '({ [String(@@)]: 1 })', 'new Array(2).fill(@@)', '[...[@@]]', '({ ...{ k: @@ } })',
  '(@@ as unknown)', '(@@ satisfies unknown)', '[...(function* () { yield @@; })()]', 'id(id(@@))',
  '(() => { let t: unknown = 0; t ||= @@; return t; })()', '(() => { let t: unknown = 1; t &&= @@; return t; })()',
  '(() => { let t: unknown = null; t ??= @@; return t; })()', '(() => { switch (@@) { case @@: return "same"; default: return "other"; } })()',
  '{ g: () => @@ }.g()', 'new (class { m() { return @@; } })().m()', 'new (class { get g() { return @@; } })().g',
  '(class { static v: unknown; static { this.v = @@; } }).v', 'JSON.stringify([String(@@)])', '[0, @@][1]', '@@ == null',
];

/** Outer forms that accept an operand of any type without a truthiness or nullish check TypeScript would reject. */
const NESTING = [
  '(@@)', '[@@, @@]', '({ a: @@, b: [@@] })', '`<${@@}>`', 'id(@@)', '((a = @@) => a)()', '(() => @@)()', 'new (class { f = @@; })().f',
  'String(@@)', '(@@ as unknown)', '[...[@@]]', 'Object.is(@@, @@)', 'typeof @@', '(id(0), @@)', '[0, @@][1]',
];

const KIND_EXPRESSIONS: Record<Kind, readonly string[]> = {
  number: ['@@ * 2 + 1', '-@@', '@@ % 7', '@@ | 0', '@@ >>> 0', '@@ ** 2', 'Math.max(@@, 3)', '@@ < 10', '@@.toString(16)',
    '[1, 2, 3][@@]', '1 / @@', '@@ - @@', '(@@ + 0.5) >= @@', '@@ !== @@', 'Number.isInteger(@@)', '~~@@', '@@.toFixed(2)'],
  bigint: ['@@ + 1n', '@@ * @@', '-@@', '@@ >> 3n', 'BigInt.asUintN(64, @@)', '@@ < 0n', '@@ === 0n', '@@.toString(36)'],
  boolean: ['@@ ? "y" : "n"', '@@ === true', 'Number(@@)', '+@@'],
  string: ['@@.length', '@@ + "x"', '@@.charCodeAt(0)', '@@.slice(1)', '[...@@].length', '@@.split("").reverse().join("")',
    '@@ < "m"', '`${@@}${@@}`.length', '@@.codePointAt(0)'],
  null: ['@@ ?? "d"', '@@ === null', '@@?.length'],
  undefined: ['@@ ?? 5', '@@ === undefined', '@@?.toFixed(1)', '(@@ ?? 0) + 1'],
};

/** Statements (inside the readers' run()) pushing what they observe into `out`. */
const STATEMENTS = [
  'if (@@) out.push(1); else out.push(2);',
  'out.push(@@);',
  '{ let k = 0; while (@@ && k < 2) k++; out.push(k); }',
  'do { out.push(@@); } while (false);',
  'for (const e of [@@, @@]) out.push(e);',
  'for (const key in { [String(@@)]: 1 }) out.push(key);',
  'switch (typeof @@) { case "number": out.push("n"); break; default: out.push(typeof @@); }',
  'try { throw @@; } catch (e) { out.push(e); }',
  'lbl: { if (@@) break lbl; out.push("nb"); }',
  '{ const { a = @@ } = {} as { a?: unknown }; out.push(a); }',
  '{ const [b = @@] = [] as unknown[]; out.push(b); }',
  '{ function inner() { return @@; } out.push(inner()); }',
  'out.push(await (async () => @@)());',
  'out.push(await Promise.resolve(@@));',
  '{ for (let i = 0, v = @@; i < 1; i++) out.push(v); }',
  '{ const o = { p: @@ }; out.push(o.p); }',
  'out.push(...[@@]);',
  '{ let acc: unknown; acc = @@; out.push(acc); }',
  'out.push(@@, @@);',
  '{ const f = function () { return arguments.length ? @@ : null; }; out.push((f as (...a: unknown[]) => unknown)(1)); }',
];

/** Build a program from a seed: 2–4 modules, every value kind present. */
export function generate(seed: number): Program {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const chance = (p: number) => random() < p;
  const format: Format = chance(0.5) ? 'esm' : 'cjs';
  const target: Target = pick(['ES2017', 'ES2022', 'ESNext'] as const);

  const kinds = Object.keys(TYPES) as Kind[];
  const variableCount = 6 + Math.floor(random() * 5);
  const variables: Variable[] = [];
  for (let i = 0; i < variableCount; i++) {
    const kind = i < kinds.length ? kinds[i]! : pick(kinds);
    const declaration = chance(0.1) ? 'const' : chance(0.15) ? 'var' : 'let';
    const writes: Variable['writes'][number][] = [];
    if (declaration !== 'const') {
      const count = chance(0.15) ? 0 : chance(0.2) ? 2 : 1;
      for (let w = 0; w < count; w++) {
        // `x! = null` does not type-check: the non-null form only for kinds that are never nullish.
        const forms = kind === 'null' || kind === 'undefined' ? (['plain', 'paren', 'as'] as const) : (['plain', 'plain', 'paren', 'as', 'bang'] as const);
        writes.push({ where: chance(0.6) ? 'boot' : 'top', form: pick(forms), value: pick(VALUES[kind]) });
      }
    }
    // CommonJS copies to exports only plain writes of an export-specifier variable (HP1016).
    const aliasable = format === 'esm' || writes.every((w) => w.form === 'plain');
    variables.push({
      name: `v${i}`,
      kind,
      declaration,
      init: declaration === 'const' ? pick(VALUES[kind]) : pick(INITS[kind]),
      writes,
      ...(aliasable && chance(0.2) ? { exportedAs: `e${i}` } : {}),
    });
  }
  const relay = chance(0.5);
  const readerCount = 1 + Math.floor(random() * 3);
  const readers: Reader[] = [];
  for (let r = 0; r < readerCount; r++) {
    const routes = variables.map((v, i) => {
      const viaRelay = relay && chance(0.4);
      return { viaRelay, local: chance(0.3) ? `l${i}` : exportName(v, viaRelay) };
    });
    const sites: Site[] = [];
    const siteCount = 12 + Math.floor(random() * 20);
    for (let s = 0; s < siteCount; s++) {
      const variable = Math.floor(random() * variables.length);
      const kind = variables[variable]!.kind;
      const top = chance(0.25);
      let expression = chance(0.4) ? pick(KIND_EXPRESSIONS[kind]) : pick(ANY_EXPRESSIONS);
      if (chance(0.2)) expression = pick(NESTING).replace(/@@/g, `(${expression})`);
      const code = top ? `top.push(${expression});` : chance(0.5) ? pick(STATEMENTS) : `out.push(${expression});`;
      sites.push({ code, variable, top, ...(chance(0.25) ? { spelling: 1 + Math.floor(random() * (SPELLINGS.length - 1)) } : {}) });
    }
    readers.push({ name: `r${r}`, routes, sites });
  }
  if (chance(0.08)) {
    const forms = HOSTILE_FORMS.filter((f) => (f === 'cjs-specifier' ? format === 'cjs' : f === 'loop-await' ? format === 'esm' : true));
    const form = pick(forms);
    // A writable variable of a kind that is never nullish (so `x! = v` type-checks), read by a site.
    const candidates = variables.map((v, i) => i).filter((i) => variables[i]!.declaration !== 'const' && !['null', 'undefined'].includes(variables[i]!.kind));
    const variable = pick(candidates);
    if (form === 'cjs-specifier') {
      const v = variables[variable]!;
      variables[variable] = { ...v, exportedAs: `e${variable}`, writes: [...v.writes, { where: 'top', form: pick(['paren', 'as', 'bang'] as const), value: pick(VALUES[v.kind]) }] };
      for (const reader of readers) reader.routes.forEach((route, i) => i === variable && !route.viaRelay && route.local === `v${i}` && Object.assign(route, { local: `e${i}` }));
    }
    (readers[0]!.sites as Site[]).push({ code: 'out.push(@@);', variable, top: false });
    return { seed, format, target, variables, relay, readers, hostile: { form, variable, expect: HOSTILE_CODES[form] } };
  }
  return { seed, format, target, variables, relay, readers, ...(format === 'esm' && chance(0.3) ? { again: true } : {}) };
}

/** The name a variable is exported under by the declaring module, or by the relay. */
function exportName(v: Variable, viaRelay: boolean): string {
  const declared = v.exportedAs ?? v.name;
  return viaRelay ? `${declared}_r` : declared;
}

function writeStatement(v: Variable, form: Variable['writes'][number]['form'], value: string): string {
  const type = TYPES[v.kind];
  switch (form) {
    case 'plain':
      return `${v.name} = ${value};`;
    case 'paren':
      return `(${v.name}) = ${value};`;
    case 'as':
      return `(${v.name} as ${type}) = ${value};`;
    case 'bang':
      return `${v.name}! = ${value};`;
  }
}

export const MARKER_PATTERN = /@\?@|@@/g;

/** Sites in a reader's rendered source (markers; a template may hold more than one). */
export function countSites(program: Program): number {
  const inReader = (r: Reader) => r.sites.reduce((m, s) => m + (s.code.match(MARKER_PATTERN)?.length ?? 0), 0);
  return program.readers.reduce((n, r) => n + inReader(r), 0) + (program.again ? inReader(program.readers[0]!) : 0);
}

/** The program's TypeScript files, relative to its folder. */
export function render(program: Program): Record<string, string> {
  const ext = '.js';
  const files: Record<string, string> = {};
  const decl: string[] = [];
  for (const v of program.variables) {
    const exported = v.exportedAs === undefined ? 'export ' : '';
    decl.push(`${exported}${v.declaration} ${v.name}: ${TYPES[v.kind]} = ${v.init};`);
    if (v.exportedAs !== undefined) decl.push(`export { ${v.name} as ${v.exportedAs} };`);
  }
  for (const v of program.variables) for (const w of v.writes) if (w.where === 'top') decl.push(writeStatement(v, w.form, w.value));
  const hostile = program.hostile;
  const late = hostile ? writeStatement(program.variables[hostile.variable]!, 'plain', VALUES[program.variables[hostile.variable]!.kind][0]!) : '';
  if (hostile?.form === 'seal-top') decl.push('seal();', late);
  if (hostile?.form === 'late-write') decl.push(`export function later(): void {\n  ${late}\n}`);
  if (hostile?.form === 'loop-await') decl.push(`for (const e of [1]) {\n  ${late}\n  await e;\n}`);
  if (hostile?.form === 'seal-in-boot' || hostile?.form === 'seal-top') decl.unshift(`import { seal } from 'hotpath';`);
  decl.push('/** @boot */', 'export function boot(): void {');
  for (const v of program.variables) for (const w of v.writes) if (w.where === 'boot') decl.push(`  ${writeStatement(v, w.form, w.value)}`);
  if (hostile?.form === 'seal-in-boot') decl.push('  seal();', `  ${late}`);
  decl.push('}');
  files['decl.ts'] = `${decl.join('\n')}\n`;

  if (program.relay) {
    const names = program.variables.map((v) => `${exportName(v, false)} as ${exportName(v, true)}`);
    files['relay.ts'] = `export { ${names.join(', ')} } from './decl${ext}';\n`;
  }

  for (const reader of program.readers) {
    const lines = [`import { STATIC_VARIABLE_LOAD, STATIC_VARIABLE_LOAD as load } from 'hotpath';`, `import * as hp from 'hotpath';`, 'void load; void hp;'];
    const direct: string[] = [];
    const relayed: string[] = [];
    reader.routes.forEach((route, i) => {
      const v = program.variables[i]!;
      const imported = exportName(v, route.viaRelay && program.relay);
      const binding = imported === route.local ? imported : `${imported} as ${route.local}`;
      (route.viaRelay && program.relay ? relayed : direct).push(binding);
    });
    lines.push(`import { ${direct.join(', ')} } from './decl${ext}';`);
    if (relayed.length) lines.push(`import { ${relayed.join(', ')} } from './relay${ext}';`);
    lines.push(
      'const id = <T,>(value: T): T => value;',
      'const tag = (s: TemplateStringsArray, ...v: unknown[]): string => s.raw.join("|") + v.map(String).join("|");',
      'void id; void tag;',
      'export const top: unknown[] = [];',
    );
    const body: string[] = [];
    for (const site of reader.sites) {
      const local = reader.routes[site.variable]!.local;
      const code = site.code.replace(MARKER_PATTERN, () => spellMarker(site.spelling ?? 0, local));
      if (site.top) lines.push(code);
      else body.push(`  ${code}`);
    }
    const target = hostile && reader === program.readers[0] ? MARKER_TARGETS[hostile.form] : undefined;
    if (target) body.push(`  ${target.replace('@L', reader.routes[hostile!.variable]!.local)}`);
    lines.push('export async function run(): Promise<unknown[]> {', '  const out: unknown[] = [];', ...body, '  return out;', '}');
    files[`${reader.name}.ts`] = `${lines.join('\n')}\n`;
  }

  const imports = program.readers.map((r) => `import('./${r.name}${ext}')`);
  files['main.ts'] = `import { bootReport, seal } from 'hotpath';
import { boot } from './decl${ext}';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** JSON cannot hold -0, NaN, ±Infinity, bigints or undefined: tag them. */
function toJson(value: unknown): Json {
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0) ? value : { number: Object.is(value, -0) ? '-0' : String(value) };
  if (typeof value === 'bigint') return { bigint: String(value) };
  if (value === undefined) return { undefined: true };
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') return { object: Object.entries(value as object).map(([k, v]) => [k, toJson(v)]) };
  return { unsupported: typeof value };
}

async function main(): Promise<void> {
  boot();
  const again: string = './${program.readers[0]!.name}${ext}#again';
  void again;
  if (process.env.FUZZ_PRELOAD === '1') await Promise.all([${[...imports, ...(program.again ? ['import(again)'] : [])].join(', ')}]);
  seal();
  const results: Json[] = [];
  for (const load of [${[...program.readers.map((r) => `() => import('./${r.name}${ext}')`), ...(program.again ? ['() => import(again)'] : [])].join(', ')}]) {
    const reader = await load();
    results.push(toJson([reader.top, await reader.run()]));
  }
  const report = bootReport();
  const skips = report.modules.flatMap((m) => m.sites.filter((site) => !site.patched).map((site) => m.module + '#' + site.site + ': ' + site.code));
  console.log(JSON.stringify({ results, patched: report.sitesPatched, skipped: report.sitesSkipped, skips }));
}
main().catch((error: unknown) => {
  console.log(JSON.stringify({ crashed: String((error as Error)?.stack ?? error) }));
  process.exitCode = 1;
});
`;
  // Below ES2020 bigint literals do not parse: the same values through BigInt().
  if (program.target === 'ES2017') for (const name of Object.keys(files)) files[name] = files[name]!.replace(/\b(\d+)n\b/g, 'BigInt("$1")');
  return files;
}
