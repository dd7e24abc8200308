// The CommonJS copy of the runtime (build/cjs/runtime), for loaders that cannot require() an
// ES module: Jest's module loader, old bundlers. Node itself never loads it (package.json
// sends `import` and `module-sync` to build/runtime), so one process has one copy under Node.
// tsc alone cannot emit it: the runtime reads `import.meta.url`, which CommonJS spells
// through __filename, so the one rewrite is a transformer here rather than a runtime edit.
// `import.meta.resolve` has no CommonJS counterpart: this copy asks the one of
// every-hook-module.mjs (emitted beside it as an ES module) through require(esm).
import { mkdirSync, writeFileSync } from 'node:fs';
import { buildSync } from 'esbuild';
import ts from 'typescript';

// The ES-module runtime as Node loads it: tsc writes one file per source module, and Node pays
// for each file it resolves, reads and links (import('hotpath') took 9–12 ms for 15 of them on
// Node 24, about 2 ms as one file). So the two entry points Node loads are rewritten as one file
// each, in place: build/runtime/index.js (what `import 'hotpath'` loads) and
// hooks/offthread-loader.js (what Node 20's hooks thread loads, by URL). The per-module files stay
// beside them for the compiler (site-format.js) and the .d.ts files. every-hook-module.mjs stays
// its own file: it is loaded by URL, and needs its own import.meta (runtime/hooks/every-hook.ts). Node
// loads one copy of each module's code; state shared between copies lives on globalThis anyway.
// Input source maps are followed, so stack traces still name runtime/*.ts.
for (const entry of ['build/runtime/index.js', 'build/runtime/hooks/offthread-loader.js']) {
  buildSync({
    entryPoints: [entry],
    outfile: entry,
    allowOverwrite: true,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    sourcemap: true,
    sourcesContent: true,
    legalComments: 'inline',
    logLevel: 'warning',
  });
}

const IMPORT_META_CODES = new Set([1343, 1470]); // import.meta outside an ES module: rewritten below

/** `import.meta.url` → `require("node:url").pathToFileURL(__filename).href`; `import.meta.resolve` → `void 0`. */
const importMetaUrl = (context) => {
  const f = context.factory;
  const visit = (node) => {
    if (
      ts.isPropertyAccessExpression(node) &&
      ts.isMetaProperty(node.expression) &&
      node.expression.keywordToken === ts.SyntaxKind.ImportKeyword &&
      node.name.text === 'resolve'
    ) {
      return f.createVoidZero(); // import.meta.resolve has no CommonJS counterpart; runtime/hooks/sync.ts checks for undefined
    }
    if (
      ts.isPropertyAccessExpression(node) &&
      ts.isMetaProperty(node.expression) &&
      node.expression.keywordToken === ts.SyntaxKind.ImportKeyword &&
      node.name.text === 'url'
    ) {
      const url = f.createCallExpression(f.createIdentifier('require'), undefined, [f.createStringLiteral('node:url')]);
      const file = f.createCallExpression(f.createPropertyAccessExpression(url, 'pathToFileURL'), undefined, [f.createIdentifier('__filename')]);
      return f.createPropertyAccessExpression(file, 'href');
    }
    return ts.visitEachChild(node, visit, context);
  };
  // A .mts file is emitted as an ES module (.mjs) even here: its import.meta is real, and kept
  // (runtime/hooks/every-hook-module.mts is what gives this copy an import.meta.resolve, runtime/hooks/every-hook.ts).
  return (sourceFile) => (sourceFile.fileName.endsWith('.mts') ? sourceFile : ts.visitNode(sourceFile, visit));
};

const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => fail([d]) };
const config = ts.getParsedCommandLineOfConfigFile('tsconfig.cjs.json', undefined, host) ?? fail([], 'tsconfig.cjs.json could not be read');
const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, projectReferences: config.projectReferences });
const emitted = program.emit(undefined, undefined, undefined, false, { before: [importMetaUrl] });
const diagnostics = [...config.errors, ...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].filter((d) => !IMPORT_META_CODES.has(d.code));
if (diagnostics.length > 0 || emitted.emitSkipped) fail(diagnostics);
// The .js and .d.ts files under build/cjs are CommonJS, for Node and for TypeScript alike.
mkdirSync('build/cjs', { recursive: true });
writeFileSync('build/cjs/package.json', `${JSON.stringify({ type: 'commonjs' })}\n`);

/** @param {readonly import('typescript').Diagnostic[]} list @param {string} [why] @returns {never} */
function fail(list, why = 'emit skipped') {
  const formatHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: ts.sys.getCurrentDirectory, getNewLine: () => '\n' };
  process.stderr.write(ts.formatDiagnostics(list, formatHost) || `build-cjs: ${why}\n`);
  process.exit(1);
}
