#!/usr/bin/env node
// `node bench/parsers.mjs` (after `npm run build`): how the JavaScript-level front end chose its parser.
// acorn (the dependency) against oxc-parser (installed here, pinned, into $TMPDIR/hotpath-bench-parsers),
// parse alone and parse + eslint-scope (the scope analysis compiler/js/analyze.ts runs), and
// analyzeJsModule itself, over two inputs: the 37-odd small modules of build/ (the shape of
// `hotpath sites` and bundler modules) and TypeScript 6's lib/typescript.js (one 9 MB file).
// Median of 15 rounds in one process, the first round a warm-up. docs/measurements.md has the figures.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OXC = '0.158.0';
const cache = path.join(os.tmpdir(), 'hotpath-bench-parsers');
if (!existsSync(path.join(cache, 'node_modules/oxc-parser'))) {
  mkdirSync(cache, { recursive: true });
  writeFileSync(path.join(cache, 'package.json'), JSON.stringify({ private: true, dependencies: { 'oxc-parser': OXC } }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: cache, stdio: 'inherit' });
}
const { parseSync } = createRequire(path.join(cache, 'package.json'))('oxc-parser');
const acorn = await import('acorn');
const eslintScope = await import('eslint-scope');
const { analyzeJsModule } = await import(path.join(repo, 'build/compiler/js/analyze.js'));

const small = [];
const visit = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'cjs') visit(full);
    else if (e.isFile() && e.name.endsWith('.js')) small.push([full, readFileSync(full, 'utf8')]);
  }
};
visit(path.join(repo, 'build'));
const big = [[path.join(repo, 'node_modules/typescript/lib/typescript.js'), readFileSync(path.join(repo, 'node_modules/typescript/lib/typescript.js'), 'utf8')]];

const acornParse = (t) => acorn.parse(t, { ecmaVersion: 'latest', sourceType: 'module', ranges: true, allowHashBang: true });
const oxcParse = (f, t) => parseSync(f.replace(/\.c?js$/, '.mjs'), t, { sourceType: 'module', range: true, preserveParens: false }).program;
const scope = (ast) => eslintScope.analyze(ast, { ecmaVersion: 2022, sourceType: 'module', ignoreEval: true });

function median(files, fn) {
  const runs = [];
  for (let i = 0; i < 16; i++) {
    const t = process.hrtime.bigint();
    for (const [f, text] of files) fn(f, text);
    if (i > 0) runs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return /** @type {number} */ (runs.sort((a, b) => a - b)[7]); // the median of 15
}

console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'}; acorn ${acorn.version}, oxc-parser ${OXC}, eslint-scope ${eslintScope.version}`);
/** @type {[string, [string, string][]][]} */
const inputs = [[`build/ (${small.length} modules)`, small], ['typescript.js (1 file)', big]];
for (const [name, files] of inputs) {
  const bytes = files.reduce((n, [, t]) => n + t.length, 0);
  /** @type {[string, (f: string, t: string) => unknown][]} */
  const rows = [
    ['acorn parse', (f, t) => acornParse(t)],
    ['oxc-parser parseSync', oxcParse],
    ['acorn + eslint-scope', (f, t) => scope(acornParse(t))],
    ['oxc-parser + eslint-scope', (f, t) => scope(oxcParse(f, t))],
    ...(files === small ? [/** @type {[string, (f: string, t: string) => unknown]} */ (['analyzeJsModule (acorn + eslint-scope + checks)', (f, t) => analyzeJsModule(t, { fileName: f })])] : []),
  ];
  console.log(`\n${name}, ${(bytes / 1e6).toFixed(2)} MB`);
  for (const [label, fn] of rows) {
    const ms = median(files, fn);
    console.log(`  ${label.padEnd(48)} ${ms.toFixed(1).padStart(8)} ms  ${(bytes / 1e6 / (ms / 1000)).toFixed(1).padStart(6)} MB/s`);
  }
}
