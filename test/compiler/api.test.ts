/** The library API: checkMarkers' results, the transformer's identity and purity, robustness. */
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  checkMarkers,
  createHotpathTransformer,
  emitsCommonJS,
  emittedPathBetween,
  findBootFunctions,
  formatDiagnostic,
  hotpathDiagnosticsOf,
  isBootFunction,
  toTsDiagnostic,
} from '../../compiler/index.js';
import { buildCase, fixturesDir } from './build-case.js';

function configOf(caseName: string, overrides: ts.CompilerOptions = {}): ts.ParsedCommandLine {
  const configPath = path.join(fixturesDir, caseName, 'tsconfig.json');
  return ts.getParsedCommandLineOfConfigFile(configPath, overrides, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
}

function programOf(caseName: string, overrides: ts.CompilerOptions = {}): ts.Program {
  const config = configOf(caseName, overrides);
  return ts.createProgram({ rootNames: config.fileNames, options: config.options });
}

const fileOf = (program: ts.Program, name: string) => program.getSourceFiles().find((f) => f.fileName.endsWith(`/src/${name}`))!;

function transform(program: ts.Program, file: ts.SourceFile): ts.SourceFile {
  const result = ts.transform(file, [createHotpathTransformer(program)], program.getCompilerOptions());
  const out = result.transformed[0]!;
  result.dispose();
  return out;
}

describe('emittedPathBetween (a record\'s from)', () => {
  // What tsc itself says each file is emitted as: the relative path between two outputs must be `from`.
  it.each<[string, ts.CompilerOptions]>([
    ['outDir', {}],
    ['in place (no outDir)', { outDir: undefined }],
    ['jsx: preserve', { jsx: ts.JsxEmit.Preserve }],
  ])('agrees with ts.getOutputFileNames: %s', (_, overrides) => {
    const config = configOf('from-paths', overrides);
    const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
    const output = (f: ts.SourceFile) => ts.getOutputFileNames(config, f.fileName, false).find((o) => /\.[cm]?jsx?$/.test(o))!;
    const files = program.getSourceFiles().filter((f) => !f.isDeclarationFile);
    expect(files.map((f) => path.basename(f.fileName)).sort()).toEqual(['free.ts', 'pool.ts', 'shift.mts', 'view.tsx']);
    for (const using of files) {
      for (const declaring of files) {
        const relative = path.posix.relative(path.posix.dirname(output(using)), output(declaring));
        const expected = using === declaring ? '' : relative.startsWith('../') ? relative : `./${relative}`;
        expect(emittedPathBetween(program, using, declaring), `${using.fileName} -> ${declaring.fileName}`).toBe(expected);
      }
    }
    const view = fileOf(program, 'app/deep/view.tsx');
    expect(emittedPathBetween(program, fileOf(program, 'app/free.ts'), view)).toBe(overrides.jsx === ts.JsxEmit.Preserve ? './deep/view.jsx' : './deep/view.js');
  });

  it('is unknown with outFile (one bundle), so the record gets no from', () => {
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- System output is what this case is about
    const program = programOf('from-paths', { outFile: path.join(fixturesDir, 'from-paths', 'bundle.js'), module: ts.ModuleKind.System });
    expect(emittedPathBetween(program, fileOf(program, 'app/free.ts'), fileOf(program, 'lib/pool.ts'))).toBeUndefined();
    expect(emittedPathBetween(program, fileOf(program, 'lib/pool.ts'), fileOf(program, 'lib/pool.ts'))).toBe('');
  });
});

describe('checkMarkers', () => {
  it('resolves a re-export chain to the declaring module and keeps the local read and export name', () => {
    const program = programOf('reexport-chain');
    const { sites, diagnostics, markerCalls } = checkMarkers(program, fileOf(program, 'free.ts'));
    expect(diagnostics).toEqual([]);
    expect(markerCalls).toHaveLength(1);
    expect(sites.map((s) => ({ key: s.variableKey, module: s.declaringModuleKey, read: s.read, export: s.export, name: s.name }))).toEqual([
      { key: 'src/pool.ts#poolBase', module: 'src/pool.ts', read: 'base', export: 'base', name: 'poolBase' },
    ]);
  });

  it('takes the export name from an aliased import (what CommonJS reads)', () => {
    const program = programOf('aliased-import');
    const [site] = checkMarkers(program, fileOf(program, 'free.ts')).sites;
    expect({ read: site!.read, export: site!.export }).toEqual({ read: 'pb', export: 'poolBase' });
  });

  it('ignores a function of the same name without the tag', () => {
    const program = programOf('user-own-marker');
    expect(checkMarkers(program, fileOf(program, 'own.ts')).markerCalls).toEqual([]);
  });

  it('module keys follow projectDirectory', () => {
    const program = programOf('imported');
    const [site] = checkMarkers(program, fileOf(program, 'free.ts'), { projectDirectory: path.join(fixturesDir, 'imported', 'src') }).sites;
    expect(site!.variableKey).toBe('pool.ts#poolBase');
  });

  it('never throws on broken code', () => {
    const source = `import { STATIC_VARIABLE_LOAD } from 'hotpath';\nexport let x = ;\nSTATIC_VARIABLE_LOAD(;\nSTATIC_VARIABLE_LOAD(missing);\nundefinedFn(STATIC_VARIABLE_LOAD)(x);\n`;
    const host = ts.createCompilerHost({});
    const getSourceFile = host.getSourceFile;
    host.getSourceFile = (name, lang) => (name === '/virtual/broken.ts' ? ts.createSourceFile(name, source, lang, true) : getSourceFile(name, lang));
    const options = { paths: { hotpath: [path.join(fixturesDir, '../../runtime/marker.ts')] }, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler };
    const program = ts.createProgram({ rootNames: ['/virtual/broken.ts'], options, host });
    const result = checkMarkers(program, program.getSourceFile('/virtual/broken.ts')!);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['HP1001', 'HP1003']);
    expect(() => transform(program, program.getSourceFile('/virtual/broken.ts')!)).not.toThrow();
  });
});

describe('the @boot tag', () => {
  // [source, is a @boot function]. TypeScript's own JSDoc parser takes `@boot` after any space for a tag,
  // so prose would make a guarded function that throws after seal(): only a tag that starts a JSDoc line counts.
  const cases: [string, boolean][] = [
    ['/** @boot */\nfunction f() {}', true],
    ['/**@boot*/\nfunction f() {}', true],
    ['/**\n * Sets the mode.\n * @param m the mode\n * @boot\n * @returns nothing\n */\nfunction f(m: number) {}', true],
    ['/**\r\n * @boot\r\n */\r\nfunction f() {}', true],
    ['/**\n   @boot\n */\nfunction f() {}', true],
    ['/** @boot */\nexport const f = () => 1;', true],
    ['class C {\n  /** @boot */\n  m() {}\n}', true],
    ['const o = {\n  /** @boot */\n  p: function () {},\n};', true],
    ['/** Reports the mode; safe to call any time after @boot. */\nfunction f() {}', false],
    ['/**\n * Reports the mode.\n * Call it after @boot.\n */\nfunction f() {}', false],
    ['/** Questions: admin@boot.dev */\nfunction f() {}', false],
    ['/** @bootstrap */\nfunction f() {}', false],
    ['/** @boot-time only */\nfunction f() {}', false],
    ['/** * @boot */\nfunction f() {}', false],
    ['// @boot\nfunction f() {}', false],
    ['/* @boot */\nfunction f() {}', false],
    ['/** @boot */\n/** The last JSDoc owns the tags. */\nfunction f() {}', false],
    ['/** @boot */\ndeclare function f(): void;', false],
  ];
  it.each(cases)('%j -> %s, with and without parsed JSDoc', (source, expected) => {
    for (const jsDocParsingMode of [ts.JSDocParsingMode.ParseAll, ts.JSDocParsingMode.ParseNone]) {
      const file = ts.createSourceFile('/virtual/boot.ts', source, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode }, true);
      const functions: ts.Node[] = [];
      const visit = (node: ts.Node): void => {
        if (ts.isFunctionLike(node)) functions.push(node);
        ts.forEachChild(node, visit);
      };
      visit(file);
      expect(functions).toHaveLength(1);
      expect(isBootFunction(functions[0]!), `jsDocParsingMode ${jsDocParsingMode}`).toBe(expected);
      expect(findBootFunctions(file)).toHaveLength(expected ? 1 : 0);
    }
  });
});

describe('HP1011 (removeComments drops every slot)', () => {
  const hp1011 = (program: ts.Program) => hotpathDiagnosticsOf(program).filter((d) => d.code === 'HP1011');

  it('TypeScript drops synthesized comments under removeComments (why HP1011 exists)', () => {
    const emitted = (removeComments: boolean) => {
      const program = programOf('imported', { removeComments });
      let text = '';
      program.emit(fileOf(program, 'free.ts'), (_, data) => (text = data), undefined, false, { before: [createHotpathTransformer(program)] });
      return text;
    };
    expect(emitted(false)).toContain('/*@hp:0*/');
    expect(emitted(false)).toContain('@hotpath-sites');
    expect(emitted(true)).not.toContain('/*@hp:0*/');
    expect(emitted(true)).not.toContain('@hotpath-sites');
  });

  it('is reported once per program with sites, as a warning', () => {
    const diagnostics = hp1011(programOf('hp1011-remove-comments'));
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.category).toBe('warning');
  });

  it('is not reported without removeComments, without sites, or with noEmit', () => {
    expect(hp1011(programOf('hp1011-remove-comments', { removeComments: false }))).toEqual([]);
    expect(hp1011(programOf('hp1011-remove-comments', { noEmit: true }))).toEqual([]);
    expect(hp1011(programOf('no-marker', { removeComments: true }))).toEqual([]);
  });
});

describe('formatDiagnostic', () => {
  it('puts HP<code> at the code\'s own position, not at a TS<code> in the file path or the source', () => {
    const fileName = '/virtual/TS1001/TS1001.ts';
    const source = `import { STATIC_VARIABLE_LOAD } from 'hotpath';\nexport const f = () => STATIC_VARIABLE_LOAD(); // TS1001\n`;
    const host = ts.createCompilerHost({});
    const getSourceFile = host.getSourceFile;
    host.getSourceFile = (name, lang) => (name === fileName ? ts.createSourceFile(name, source, lang, true) : getSourceFile(name, lang));
    const options = { paths: { hotpath: [path.join(fixturesDir, '../../runtime/marker.ts')] }, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler };
    const program = ts.createProgram({ rootNames: [fileName], options, host });
    const [diagnostic] = hotpathDiagnosticsOf(program).map(toTsDiagnostic);
    const formatHost: ts.FormatDiagnosticsHost = { getCurrentDirectory: () => '/', getNewLine: () => '\n', getCanonicalFileName: (f) => f };
    const plain = formatDiagnostic(diagnostic!, formatHost, false);
    expect(plain).toMatch(/^virtual\/TS1001\/TS1001\.ts\(2,24\): error HP1001: STATIC_VARIABLE_LOAD at \S+TS1001\.ts:2:24 has 0 arguments/);
    expect(plain).not.toContain('TS1001:');
    const pretty = formatDiagnostic(diagnostic!, formatHost, true);
    expect(pretty).toContain('virtual/TS1001/TS1001.ts');
    expect(pretty).toContain('// TS1001'); // the source context, untouched
    expect(pretty).toMatch(/error\x1b\[0m\x1b\[90m HP1001: /);
    expect(pretty.match(/HP1001/g)).toHaveLength(1);
  });
});

describe('createHotpathTransformer', () => {
  it('returns a file with nothing to do as the same node', () => {
    const program = programOf('no-marker');
    const file = fileOf(program, 'pool.ts');
    expect(transform(program, file)).toBe(file);
  });

  it('does not mutate its input', () => {
    const program = programOf('same-file');
    const file = fileOf(program, 'pool.ts');
    const printer = ts.createPrinter();
    const before = printer.printFile(file);
    const out = transform(program, file);
    expect(out).not.toBe(file);
    expect(printer.printFile(out)).toContain('/*@hp:0*/');
    expect(printer.printFile(file)).toBe(before);
  });

  it('knows which files emit CommonJS', () => {
    const esm = programOf('imported');
    expect(emitsCommonJS(esm, fileOf(esm, 'free.ts'))).toBe(false);
    const cjs = programOf('commonjs');
    expect(emitsCommonJS(cjs, fileOf(cjs, 'free.ts'))).toBe(true);
  });
});

describe('AMD, UMD and System output (HP1015)', () => {
  // The pass cannot bind its runtime imports there: every file must be exactly what tsc emits.
  it.each(['amd', 'umd', 'system'])('module %s: hotpath build emits what tsc emits, and reports each marker', (format) => {
    const name = `hp1015-module-${format}`;
    const program = programOf(name);
    const tscOutputs = new Map<string, string>();
    program.emit(undefined, (file, text) => tscOutputs.set(path.basename(file), text));
    const { outputs, diagnostics } = buildCase(path.join(fixturesDir, name));
    expect(new Map([...outputs].map(([file, text]) => [path.basename(file), text]))).toEqual(tscOutputs);
    expect(tscOutputs.size).toBe(2);
    expect(diagnostics).toMatch(/error HP1015: .* emitted as (AMD|UMD|System)/);
  });
});
