#!/usr/bin/env node
// Real-world run of hotpath/prefer-subtract-compare (not part of `npm test`: it downloads from
// the npm registry and takes ~1 min). Needs `npm run build` first.
//
//   node test/eslint/corpus/run-corpus.mjs [--own] [--dir /tmp/hotpath-corpus]
//
// 1. `npm pack jsonparse@1.3.1` (a streaming JSON parser whose tarball ships its sources and its
//    tape test suite) into a scratch directory outside the repository; installs tape@5 there.
// 2. Runs its tests, lints with the rule (syntax only, then with type information), counts
//    reports / fixes / suggestions, takes TIMING=all with the rule beside typescript-eslint's
//    recommended type-checked rules (@eslint/js is not installed here).
// 3. `eslint --fix` with the rule (with type information: the larger set of fixes), then runs
//    the tests again. Exit code 1 if the tests fail after the fix.
// --own: also lints this repository's sources (runtime/, checks/, compiler/, eslint-plugin/) with types.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const args = process.argv.slice(2);
const dirArg = args.indexOf('--dir');
const work = dirArg >= 0 ? resolve(args[dirArg + 1]) : join(tmpdir(), 'hotpath-corpus');
const PACKAGE = 'jsonparse@1.3.1';
const require = createRequire(join(repo, 'package.json'));
const eslintBin = join(repo, 'node_modules/eslint/bin/eslint.js');
const url = (p) => pathToFileURL(p).href;

const pluginEntry = join(repo, 'build/eslint-plugin/index.js');
if (!existsSync(pluginEntry)) throw new Error(`${pluginEntry} missing: run \`npm run build\` first`);

function sh(cmd, argv, cwd, env = {}) {
  const r = spawnSync(cmd, argv, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout ?? '', err: r.stderr ?? '' };
}

function unpack() {
  mkdirSync(work, { recursive: true });
  const tgz = execFileSync('npm', ['pack', PACKAGE, '--silent'], { cwd: work, encoding: 'utf8' }).trim().split('\n').pop();
  const dir = join(work, 'package');
  rmSync(dir, { recursive: true, force: true });
  execFileSync('tar', ['xzf', tgz], { cwd: work });
  if (!existsSync(join(work, 'node_modules/tape'))) {
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', work, 'tape@5'], { cwd: work, stdio: 'ignore' });
  }
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { allowJs: true, checkJs: false, noEmit: true, target: 'ES2022', module: 'commonjs', types: [] }, include: ['*.js', 'test/*.js'] }),
  );
  return dir;
}

function runTests(dir) {
  const files = sh('sh', ['-c', 'ls test/*.js'], dir).out.trim().split('\n');
  const r = sh(process.execPath, [join(work, 'node_modules/tape/bin/tape'), ...files], dir);
  const num = (name) => Number((r.out.match(new RegExp(`# ${name}\\s+(\\d+)`)) ?? [])[1] ?? 0);
  return { tests: num('tests'), pass: num('pass'), fail: num('fail'), exit: r.code };
}

/** An eslint.config.mjs in `dir`: the rule alone, or beside the recommended sets (timing). */
function writeConfig(dir, { typed, withRecommended, files, tsconfigRootDir = dir, sourceType = 'commonjs' }) {
  const lines = [
    `import hotpath from ${JSON.stringify(url(pluginEntry))};`,
    `import tseslint from ${JSON.stringify(url(require.resolve('typescript-eslint')))};`,
    'export default [',
    `  { files: ${JSON.stringify(files)}, languageOptions: { sourceType: ${JSON.stringify(sourceType)}, ecmaVersion: 'latest',`,
    typed
      ? `    parser: tseslint.parser, parserOptions: { project: './tsconfig.json', tsconfigRootDir: ${JSON.stringify(tsconfigRootDir)} } },`
      : '  },',
    '    linterOptions: { reportUnusedDisableDirectives: false } },',
    ...(withRecommended
      ? [`  ...tseslint.configs.recommendedTypeChecked.map((c) => ({ ...c, files: ${JSON.stringify(files)} })),`]
      : []),
    `  { files: ${JSON.stringify(files)}, plugins: { hotpath }, rules: { 'hotpath/prefer-subtract-compare': 'error' } },`,
    '];',
  ];
  const file = join(dir, 'hotpath-corpus.eslint.config.mjs');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

function lint(dir, config, targets, { fix = false, timing = false } = {}) {
  const out = join(dir, '.eslint-result.json');
  const r = sh(
    process.execPath,
    [eslintBin, '-c', config, '--no-config-lookup', '-f', 'json', '-o', out, ...(fix ? ['--fix'] : []), ...targets],
    dir,
    timing ? { TIMING: 'all' } : {},
  );
  if (r.code === 2) throw new Error(`eslint failed:\n${r.err}\n${r.out}`);
  const results = JSON.parse(readFileSync(out, 'utf8'));
  rmSync(out);
  const ours = results.flatMap((f) => f.messages.filter((m) => m.ruleId === 'hotpath/prefer-subtract-compare'));
  const counts = {
    reports: ours.length,
    fixes: ours.filter((m) => m.fix).length,
    suggestions: ours.filter((m) => m.suggestions?.length).length,
    noFix: ours.filter((m) => !m.fix && !m.suggestions?.length).length,
    fatal: results.reduce((n, f) => n + f.fatalErrorCount, 0),
  };
  return { counts, timing: r.out, messages: ours, results };
}

function timingRow(text, rule) {
  const line = text.split('\n').find((l) => l.includes(rule));
  return line ? line.trim().replace(/\s+\|\s*/g, ' | ') : `(${rule} not in the TIMING table)`;
}

const dir = unpack();
const files = ['*.js', 'test/*.js'];
const before = runTests(dir);
console.log(`corpus: ${PACKAGE} in ${dir}`);
console.log(`tests before: ${before.pass}/${before.tests} pass, ${before.fail} fail`);

const syntax = lint(dir, writeConfig(dir, { typed: false, files }), files);
console.log('syntax only:', JSON.stringify(syntax.counts));
const typed = lint(dir, writeConfig(dir, { typed: true, files }), files);
console.log('with type information:', JSON.stringify(typed.counts));
for (const m of typed.messages) {
  console.log(`  ${m.line}:${m.column} ${m.fix ? 'FIX' : m.suggestions?.length ? 'SUGGEST' : 'REPORT'} ${m.message}`);
}

// Rule time against total rule time (TIMING=all), beside typescript-eslint's recommended type-checked rules.
const timed = lint(dir, writeConfig(dir, { typed: true, withRecommended: true, files }), files, { timing: true });
console.log('TIMING=all, type-checked recommended rules + this rule:');
console.log('  ' + timingRow(timed.timing, 'hotpath/prefer-subtract-compare'));
const total = timed.timing.split('\n').filter((l) => /\|\s*[\d.]+\s*\|/.test(l));
console.log(`  (${total.length} rules timed; the Relative column is the share of all rule time)`);

const sources = new Map(['jsonparse.js'].map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
const fixed = lint(dir, writeConfig(dir, { typed: true, files }), files, { fix: true });
const after = runTests(dir);
const remaining = lint(dir, writeConfig(dir, { typed: true, files }), files);
console.log(`eslint --fix (type information): ${typed.counts.fixes} fixes applied; after: ${JSON.stringify(remaining.counts)}`);
console.log(`tests after --fix: ${after.pass}/${after.tests} pass, ${after.fail} fail`);
for (const [file, text] of sources) {
  const now = readFileSync(join(dir, file), 'utf8').split('\n');
  text.split('\n').forEach((line, i) => {
    if (now[i] !== line) console.log(`  ${file}:${i + 1}\n    - ${line.trim()}\n    + ${now[i]?.trim()}`);
  });
}

// Suggestions are never applied by --fix. Applying all of them anyway shows whether this
// code base's values happen to be integers (they are bytes from a Buffer here).
for (const f of remaining.results) {
  const edits = f.messages.flatMap((m) => (m.ruleId === 'hotpath/prefer-subtract-compare' && m.suggestions?.[0] ? [m.suggestions[0].fix] : []));
  let text = readFileSync(f.filePath, 'utf8');
  for (const e of edits.sort((a, b) => b.range[0] - a.range[0])) text = text.slice(0, e.range[0]) + e.text + text.slice(e.range[1]);
  writeFileSync(f.filePath, text);
}
const suggested = runTests(dir);
console.log(`tests after also applying all ${remaining.counts.suggestions} suggestions: ${suggested.pass}/${suggested.tests} pass, ${suggested.fail} fail`);

if (args.includes('--own')) {
  const own = ['runtime/**/*.ts', 'checks/**/*.ts', 'compiler/**/*.ts', 'eslint-plugin/**/*.ts'];
  const cfg = writeConfig(work, { typed: true, files: own, tsconfigRootDir: repo, sourceType: 'module' });
  const r = lint(repo, cfg, own);
  console.log('own sources (runtime, compiler, eslint-plugin), with type information:', JSON.stringify(r.counts));
  for (const m of r.messages) console.log(`  ${m.line}:${m.column} ${m.fix ? 'FIX' : m.suggestions?.length ? 'SUGGEST' : 'REPORT'} ${m.message}`);
  if (r.counts.fatal) console.log('  (parse errors:', r.results.filter((f) => f.fatalErrorCount).map((f) => f.filePath).join(', '), ')');
}

void fixed;
process.exitCode = after.fail === 0 && after.pass === before.pass ? 0 : 1;
