/**
 * The two front ends agree: for every golden case of fixtures/compiler/, TypeScript 6 emits
 * the case's input WITHOUT the pass (with source maps, so positions name the TypeScript
 * lines), `hotpath sites` rewrites that output, and the result must be the case's expected/
 * output of `hotpath build` (the map comment aside), with the same HP diagnostics (code,
 * position, message, hint). Cases where the JavaScript cannot carry what the TypeScript pass
 * decides are listed in DIFFERS with the reason, and checked to differ as described.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { runSites } from '../../../compiler/js/sites.js';
import { fixturesDir } from '../build-case.js';

/**
 * Where the front ends differ, and why: each is what needs types, or what tsc's output no
 * longer shows. `check` asserts the difference is exactly the one described (and that
 * everything else still agrees).
 */
const DIFFERS: Record<string, { readonly reason: string; readonly check: (r: Agreement) => void }> = {
  'commonjs': {
    reason: "A CommonJS record's `read` is the source's local alias (`pb`) for hotpath build; the JavaScript only reads `pool_1.poolBase`, so sites writes the export's name. The runtime checks a CommonJS slot as `<binding>.<export>` and ignores `read`: both patch.",
    check: (r) => {
      expect(r.actualDiagnostics).toEqual(r.expectedDiagnostics);
      for (const o of r.outputs) expect(o.actual, o.file).toBe(o.expected?.replaceAll('"poolBase","pb","poolBase"]', '"poolBase","poolBase","poolBase"]'));
    },
  },
  'fragment-import': {
    reason: 'tsconfig `paths` map the bare specifiers `#pool`, `pool#again`, `pool?copy` to sources; the emitted JavaScript still names them and Node resolves none of them over the folder (nor would it at run time): HP1004 on those four sites, where hotpath build writes records without `from`.',
    check: (r) => {
      expect(r.expectedDiagnostics).toEqual([]);
      expect(r.actualDiagnostics.map((d) => [d.code, /declared at '([^']+)'/.exec(d.message)?.[1]])).toEqual([['HP1004', '#pool'], ['HP1004', 'pool#again'], ['HP1004', 'pool?copy'], ['HP1004', 'pool#again']]);
      const again = r.outputs.find((o) => o.file === 'again.js')!;
      expect(again.actual).toContain('(/*@hp:0*/ (poolBase) /*@hp:0                   */)');
    },
  },
  'hp1004-outside-program': {
    reason: 'A `.d.ts` or `declare` declaration emits no JavaScript: the JavaScript front end sees a name nothing declares (HP1003, unresolved) where the TypeScript pass sees the declaration (HP1004). Same sites, same positions.',
    check: (r) => expect(r.actualDiagnostics.map((d) => [d.where, d.code])).toEqual(r.expectedDiagnostics.map((d) => [d.where, 'HP1003'])),
  },
  'hp1006-type-not-primitive': { reason: 'Needs types (is the declared type primitive?): the typed ESLint rule valid-static-variable-load reports it; at boot a value without a literal leaves its sites loads (HP2004).', check: (r) => withoutTypeChecks(r) },
  'tsc-error': { reason: 'Its one HP diagnostic is HP1006, which needs types (as hp1006-type-not-primitive).', check: (r) => withoutTypeChecks(r) },
  'hp1008-script': {
    reason: 'A script\'s top-level `let` is a global; in the JavaScript nothing marks it as the other file\'s: HP1003 (unresolved) where the TypeScript pass names the script (HP1008).',
    check: (r) => expect(r.actualDiagnostics.map((d) => [d.where, d.code])).toEqual(r.expectedDiagnostics.map((d) => [d.where, 'HP1003'])),
  },
  'hp1009-const-literal': {
    reason: 'An exported const of a CommonJS file (`.cts`) is emitted as `exports.LIMIT = 4096`: the JavaScript no longer says it was a const, so its own-module read gets no HP1009 warning (the site is valid in both; only the warning differs).',
    check: (r) => {
      expect(r.actualDiagnostics).toEqual(r.expectedDiagnostics.filter((d) => !d.where.startsWith('src/local.cts')));
      for (const o of r.outputs) expect(o.actual, o.file).toBe(o.expected);
    },
  },
  'hp1011-remove-comments': {
    reason: 'removeComments drops the `/** @boot */` tags from the JavaScript, so its @boot writes are writes outside boot code (HP1007); HP1011 is the TypeScript pass\'s warning about its own output and does not apply to sites, which writes the comments after the compiler.',
    check: (r) => {
      expect(r.expectedDiagnostics.map((d) => d.code)).toEqual(['HP1011']);
      expect(r.actualDiagnostics.map((d) => d.code)).toEqual(['HP1007', 'HP1007']);
      expect(r.actualDiagnostics[0]!.message).toContain('outside its module\'s top level and any /** @boot */ function');
    },
  },
  'hp1013-marker-not-a-read': {
    reason: 'tsc emits a marker call as an assignment target (`STATIC_VARIABLE_LOAD(x) = 99`, under @ts-expect-error), which is a SyntaxError in an ES module: the emitted files do not parse (HP1017) and are left as they are.',
    check: (r) => {
      expect(new Set(r.actualDiagnostics.map((d) => d.code))).toEqual(new Set(['HP1017']));
      for (const o of r.outputs) expect(o.actual, o.file).not.toContain('/*@hp:');
    },
  },
  'hp1014-optional-call': {
    reason: 'Below ES2020 tsc lowers `STATIC_VARIABLE_LOAD?.(label)` to `STATIC_VARIABLE_LOAD === null || STATIC_VARIABLE_LOAD === void 0 ? void 0 : STATIC_VARIABLE_LOAD(label)`: the JavaScript holds a plain marker call, a valid site (it computes what the chain computes), where the TypeScript pass refuses the chain it would have had to lower (HP1014).',
    check: (r) => {
      expect(r.expectedDiagnostics.map((d) => d.code)).toEqual(['HP1014', 'HP1014']);
      expect(r.actualDiagnostics).toEqual([]);
      expect(r.outputs.find((o) => o.file === 'main.js')!.actual).toContain('/*@hp:2*/');
    },
  },
  'hp1016-commonjs-export-specifier': {
    reason: "HP1016 exists because the TypeScript pass registers the local while other modules' sites read `exports.x`, which tsc does not update for those writes. In the JavaScript the sites read and the registration seals `exports.x` itself, so patched and unpatched agree: the sites are valid.",
    check: (r) => {
      expect(r.expectedDiagnostics.every((d) => d.code === 'HP1016')).toBe(true);
      expect(r.actualDiagnostics).toEqual([]);
      expect(r.outputs.find((o) => o.file === 'main.js')!.actual).toContain('/*@hp:4*/');
    },
  },
  'noemit-on-error': {
    reason: 'With noEmitOnError an HP error keeps hotpath build from writing anything; sites runs on what the compiler already wrote, so it reports the same diagnostic, leaves that call a plain read and rewrites the rest.',
    check: (r) => {
      expect(r.actualDiagnostics).toEqual(r.expectedDiagnostics);
      expect(r.outputs.every((o) => o.expected === undefined)).toBe(true);
      expect(r.outputs.find((o) => o.file === 'main.js')!.actual).not.toContain('/*@hp:');
    },
  },
};
for (const format of ['amd', 'system', 'umd']) {
  DIFFERS[`hp1015-module-${format}`] = {
    reason: "AMD, UMD and System output bind hotpath as a parameter of `define`/`System.register`'s callback, not an import or require: no marker call is recognised, so nothing is reported (HP1015 is the TypeScript pass's) and the files stay exactly as tsc emits them, as the TypeScript pass leaves them.",
    check: (r) => {
      expect(r.actualDiagnostics).toEqual([]);
      for (const o of r.outputs) expect(o.actual, o.file).toBe(o.expected);
    },
  };
}

/** Everything agrees but the diagnostics that need types (HP1006), whose sites the JavaScript front end keeps. */
function withoutTypeChecks(r: Agreement): void {
  expect(r.expectedDiagnostics.some((d) => d.code === 'HP1006')).toBe(true);
  expect(r.actualDiagnostics).toEqual(r.expectedDiagnostics.filter((d) => d.code !== 'HP1006'));
}

interface Diagnostic {
  readonly where: string;
  readonly category: string;
  readonly code: string;
  readonly message: string;
  readonly hint: string;
}

/** HP diagnostics of diagnostics.txt (tsc's format: `file(line,col): error HPnnnn: message`, the hint indented on the next line). */
function buildDiagnostics(text: string): Diagnostic[] {
  const lines = text.split('\n');
  const out: Diagnostic[] = [];
  lines.forEach((line, i) => {
    const m = /^(.*)\((\d+),(\d+)\): (error|warning) (HP\d{4}): (.*)$/.exec(line);
    if (m) out.push({ where: `${m[1]}:${m[2]}:${m[3]}`, category: m[4]!, code: m[5]!, message: m[6]!, hint: (lines[i + 1] ?? '').trim() });
  });
  return out;
}

/** What `hotpath sites` printed: `file:line:col: error HPnnnn: message`, the hint indented on the next line. */
function sitesDiagnostics(text: string): Diagnostic[] {
  const lines = text.split('\n');
  const out: Diagnostic[] = [];
  lines.forEach((line, i) => {
    const m = /^(.*:\d+:\d+): (error|warning) (HP\d{4}): (.*)$/.exec(line);
    if (m) out.push({ where: m[1]!, category: m[2]!, code: m[3]!, message: m[4]!, hint: (lines[i + 1] ?? '').trim() });
  });
  return out;
}

function readTree(dir: string, keep: (file: string) => boolean): Map<string, string> {
  const files = new Map<string, string>();
  if (!fs.existsSync(dir)) return files;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const rel = path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    if (keep(rel)) files.set(rel, fs.readFileSync(path.join(dir, rel), 'utf8'));
  }
  return files;
}

const isScript = (f: string) => /\.[cm]?js$/.test(f);
const withoutMapComment = (code: string) => code.replace(/\n\/\/# sourceMappingURL=[^\n]*\n?$/, '\n');

/** TypeScript 6 emits the case without the pass, into a temporary outDir beside a copy of the case's package.json. */
function emitWithoutPass(caseDir: string): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), `hotpath-agree-${path.basename(caseDir)}-`));
  const configFile = path.join(caseDir, 'tsconfig.json');
  const config = ts.getParsedCommandLineOfConfigFile(configFile, { outDir: path.join(out, 'out'), sourceMap: true, inlineSourceMap: false, declaration: false }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: () => {},
  })!;
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, projectReferences: config.projectReferences });
  program.emit();
  if (fs.existsSync(path.join(caseDir, 'package.json'))) fs.copyFileSync(path.join(caseDir, 'package.json'), path.join(out, 'package.json'));
  return path.join(out, 'out');
}

export interface Agreement {
  readonly outputs: { file: string; expected: string | undefined; actual: string | undefined }[];
  readonly expectedDiagnostics: Diagnostic[];
  readonly actualDiagnostics: Diagnostic[];
}

export function compareCase(name: string): Agreement {
  const caseDir = path.join(fixturesDir, name);
  const outDir = emitWithoutPass(caseDir);
  let stderr = '';
  runSites([outDir, '--root', caseDir], { stdout: () => {}, stderr: (t) => (stderr += t), cwd: caseDir });
  const expected = readTree(path.join(caseDir, 'expected'), isScript);
  const actual = readTree(outDir, isScript);
  const files = [...new Set([...expected.keys(), ...actual.keys()])].sort();
  const outputs = files.map((file) => ({
    file,
    expected: expected.has(file) ? withoutMapComment(expected.get(file)!) : undefined,
    actual: actual.has(file) ? withoutMapComment(actual.get(file)!) : undefined,
  }));
  fs.rmSync(path.dirname(outDir), { recursive: true, force: true });
  return {
    outputs,
    expectedDiagnostics: buildDiagnostics(fs.readFileSync(path.join(caseDir, 'diagnostics.txt'), 'utf8')),
    actualDiagnostics: sitesDiagnostics(stderr),
  };
}

const cases = fs.readdirSync(fixturesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

describe('the two front ends agree on every golden case (fixtures/compiler)', () => {
  it('finds the golden cases', () => expect(cases.length).toBeGreaterThan(30));

  it.each(cases.filter((c) => !(c in DIFFERS)))('%s', (name) => {
    const result = compareCase(name);
    expect(result.actualDiagnostics).toEqual(result.expectedDiagnostics);
    for (const { file, expected, actual } of result.outputs) expect(actual, file).toBe(expected);
  });

  it.each(Object.keys(DIFFERS))('%s differs only as listed', (name) => {
    expect(cases).toContain(name);
    DIFFERS[name]!.check(compareCase(name));
  });
});
