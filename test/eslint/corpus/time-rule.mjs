#!/usr/bin/env node
// Where hotpath/prefer-subtract-compare's lint time goes on the corpus (not part of `npm test`).
// Needs `npm run build` and a run of run-corpus.mjs first: from its scratch directory this takes
// the jsonparse tarball and the tsconfig.json and unpacks a fresh, unfixed copy into `timing/`.
//
//   node test/eslint/corpus/time-rule.mjs [scratch dir, default $TMPDIR/hotpath-corpus] [--runs 8] [--profile] [--plugin build/eslint-plugin/index.js]
//
// Each run is a fresh process (the type checker's lazy work and V8's first compile of the rule
// are part of what a real `eslint` run pays) that lints the corpus once through the ESLint API
// with `stats: true`, with typescript-eslint's recommendedTypeChecked beside this rule, as
// run-corpus.mjs's TIMING step does. It prints the rule's time and share of all rule time per run
// and their medians; with --profile (which slows every rule, the rule's many small calls most),
// from a CPU profile of the same run, how much of the rule's time is spent inside the TypeScript
// checker (getTypeAtLocation / getSymbolAtLocation).
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const RULE = 'hotpath/prefer-subtract-compare';
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);

if (args[0] === '--child') {
  // One lint of the corpus; prints the rule's and all rules' time as JSON.
  const [, dir, pluginEntry] = args;
  const require = createRequire(join(repo, 'package.json'));
  const { ESLint } = require('eslint');
  const tseslint = (await import(pathToFileURL(require.resolve('typescript-eslint')).href)).default;
  const hotpath = (await import(pathToFileURL(resolve(pluginEntry)).href)).default;
  const files = ['*.js', 'test/*.js'];
  const config = [
    {
      files,
      languageOptions: { sourceType: 'commonjs', ecmaVersion: 'latest', parser: tseslint.parser, parserOptions: { project: './tsconfig.json', tsconfigRootDir: dir } },
      linterOptions: { reportUnusedDisableDirectives: false },
    },
    ...tseslint.configs.recommendedTypeChecked.map((c) => ({ ...c, files })),
    { files, plugins: { hotpath }, rules: { [RULE]: 'error' } },
  ];
  const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: config, stats: true });
  const results = await eslint.lintFiles(files);
  let all = 0;
  let ours = 0;
  for (const pass of results.flatMap((r) => r.stats?.times.passes ?? [])) {
    for (const [id, t] of Object.entries(pass.rules ?? {})) {
      all += t.total;
      if (id === RULE) ours += t.total;
    }
  }
  const reports = results.reduce((n, r) => n + r.messages.filter((m) => m.ruleId === RULE).length, 0);
  console.log(JSON.stringify({ ours, all, reports }));
  process.exit(0);
}

const scratch = resolve(args[0] && !args[0].startsWith('--') ? args[0] : join(tmpdir(), 'hotpath-corpus'));
const tarball = readdirSync(scratch).find((f) => /^jsonparse-.*\.tgz$/.test(f));
if (!tarball) throw new Error(`no jsonparse tarball in ${scratch}: run run-corpus.mjs first`);
const timing = join(scratch, 'timing');
rmSync(timing, { recursive: true, force: true });
mkdirSync(timing);
execFileSync('tar', ['xzf', join(scratch, tarball)], { cwd: timing });
const dir = join(timing, 'package');
copyFileSync(join(scratch, 'package/tsconfig.json'), join(dir, 'tsconfig.json'));
const runs = Number(opt('--runs', '8'));
const plugin = resolve(opt('--plugin', join(repo, 'build/eslint-plugin/index.js')));
const profile = args.includes('--profile');

/** Milliseconds of samples under the rule's listeners, and under checker calls made from them. */
function profileSplit(profileDir) {
  const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
  const p = JSON.parse(readFileSync(join(profileDir, file), 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map();
  p.samples.forEach((s, i) => self.set(s, (self.get(s) ?? 0) + (p.timeDeltas[i] ?? 0)));
  let rule = 0;
  let checker = 0;
  const walk = (n, inRule, inChecker) => {
    const url = n.callFrame.url;
    const name = n.callFrame.functionName;
    const r = inRule || (url.includes('eslint-plugin/rules/prefer-subtract-compare') && name === 'LogicalExpression');
    const c = inChecker || (r && url.includes('typescript/lib/') && (name === 'getTypeAtLocation' || name === 'getSymbolAtLocation'));
    const t = self.get(n.id) ?? 0;
    if (r) rule += t;
    if (c) checker += t;
    for (const child of n.children ?? []) walk(byId.get(child), r, c);
  };
  walk(p.nodes[0], false, false);
  return { rule: rule / 1000, checker: checker / 1000 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const rows = [];
for (let i = 0; i < runs; i++) {
  const profileDir = profile ? mkdtempSync(join(tmpdir(), 'hotpath-prof-')) : undefined;
  const flags = profileDir ? ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', profileDir] : [];
  const r = spawnSync(process.execPath, [...flags, fileURLToPath(import.meta.url), '--child', dir, plugin], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const row = { ...JSON.parse(r.stdout.trim().split('\n').pop()), ...(profileDir ? profileSplit(profileDir) : {}) };
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  rows.push(row);
  console.log(
    `run ${i + 1}: rule ${row.ours.toFixed(2)} ms of ${row.all.toFixed(1)} ms (${((100 * row.ours) / row.all).toFixed(2)} %), ${row.reports} reports` +
      (profileDir ? `; profile: ${row.rule.toFixed(2)} ms in the rule, ${row.checker.toFixed(2)} ms of it in the type checker` : ''),
  );
}
const shares = rows.map((r) => (100 * r.ours) / r.all);
console.log(
  `median of ${runs}: rule ${median(rows.map((r) => r.ours)).toFixed(2)} ms, share ${median(shares).toFixed(2)} % ` +
    `(min ${Math.min(...shares).toFixed(2)} %, max ${Math.max(...shares).toFixed(2)} %)` +
    (profile ? `; type checker inside the rule (profile): ${median(rows.map((r) => r.checker)).toFixed(2)} ms of ${median(rows.map((r) => r.rule)).toFixed(2)} ms` : ''),
);
