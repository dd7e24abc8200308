#!/usr/bin/env node
// `npm start`: the demo. Builds fixtures/apps/kfence (a KFENCE-style sampling guard
// allocator) with `hotpath build`, lints it with hotpath's ESLint plugin, boots it, seals,
// runs a workload with injected bugs, prints the KFENCE reports and the boot report, checks
// that the unpatched program computes the same, and measures free() patched vs unpatched.
//
//   node scripts/demo.js [--runs N] [--node 24 | --node none] [--seed N]
//   (run `npm run build` first; `npm start` does). Every number printed is measured here.
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { nodeThroughNpx } from './lib/node-through-npx.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const APP = join(REPO, 'fixtures/apps/kfence');
const DIST = join(APP, 'dist');
const CLI = join(REPO, 'build/compiler/cli.js');

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    /** Node majors to measure besides this one, fetched with npx (`none`: only this one). */
    node: { type: 'string', multiple: true, default: ['24'] },
    seed: { type: 'string' },
    /** Internal: the lint step, run in a child process so it overlaps the build. */
    'lint-only': { type: 'boolean', default: false },
  },
});
if (options['lint-only']) {
  process.stdout.write(JSON.stringify(await lint()));
  process.exit(0);
}
const RUNS = Math.max(1, Number(options.runs));

// ── terminal ──────────────────────────────────────────────────────────────────────────
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code) => (text) => (color ? `\x1b[${code}m${text}\x1b[0m` : String(text));
const bold = paint('1');
const dim = paint('2');
const red = paint('31');
const green = paint('32');
const yellow = paint('33');
const cyan = paint('36');
const say = (text = '') => process.stdout.write(`${text}\n`);
const indent = (text, pad = '    ') => text.replace(/\n$/, '').split('\n').map((l) => pad + l).join('\n');
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const started = performance.now();
let stepNumber = 0;
function step(title, detail = '') {
  stepNumber++;
  say();
  say(`${bold(cyan(`[${stepNumber}/5]`))} ${bold(title)}${detail ? `  ${dim(detail)}` : ''}`);
}
function fail(message, output = '') {
  say(red(`\n✗ ${message}`));
  if (output) say(indent(output));
  process.exit(1);
}

function run(file, args, env = {}, timeout = 0) {
  return new Promise((done) => {
    const t0 = performance.now();
    execFile(file, args, { cwd: REPO, env: { ...process.env, ...env }, maxBuffer: 64 << 20, encoding: 'utf8', timeout }, (error, stdout, stderr) => {
      done({ code: error ? (error.code ?? 1) : 0, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}

function json(result, what) {
  if (result.code !== 0) fail(`${what} exited ${result.code}`, result.stderr || result.stdout);
  try {
    return JSON.parse(result.stdout);
  } catch {
    return fail(`${what} printed no JSON`, result.stdout + result.stderr);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

// ── header ────────────────────────────────────────────────────────────────────────────
const cpu = os.cpus()[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
say(bold('hotpath demo: a KFENCE-style sampling guard allocator') + dim('  (fixtures/apps/kfence)'));
say(dim(`Node ${process.version} · V8 ${process.versions.v8} · ${cpu} · ${os.cpus().length} cores · load ${/** @type {number} */ (os.loadavg()[0]).toFixed(1)}`));

// ── 1 + 2: build with the pass, and lint, side by side ────────────────────────────────
const building = run(process.execPath, [CLI, 'build', '-p', relative(REPO, join(APP, 'tsconfig.json'))]);
const linting = run(process.execPath, [fileURLToPath(import.meta.url), '--lint-only']);
const build = await building;

step('build', `hotpath build -p fixtures/apps/kfence/tsconfig.json (${seconds(build.ms)})`);
if (build.code !== 0) fail(`hotpath build exited ${build.code}`, build.stdout + build.stderr);
const { readRecordTable } = await import('hotpath');
const tables = readdirSync(DIST)
  .filter((f) => f.endsWith('.js'))
  .map((f) => readRecordTable(readFileSync(join(DIST, f), 'utf8')))
  .filter((t) => t.kind === 'table')
  .map((t) => t.table);
const siteCount = tables.reduce((n, t) => n + t.sites.length, 0);
say(`    ${green('✓')} exit 0, tsc-compatible output in fixtures/apps/kfence/dist`);
const reads = new Map();
for (const site of tables.flatMap((t) => t.sites)) reads.set(site.var, (reads.get(site.var) ?? 0) + 1);
say(`    ${siteCount} patch sites in ${tables.map((t) => `${t.module} (${t.sites.length})`).join(', ')}, reading ${[...reads].map(([v, n]) => `${v} (${n})`).join(', ')}`);
const builtCheck = readFileSync(join(DIST, 'kfence.js'), 'utf8').split('\n').find((l) => l.includes('return (address - ('));
say(`    is_kfence_address() as emitted (a slot that still reads poolBase until the boot patches it):`);
say(dim(indent(builtCheck?.trim() ?? '(not found)', '      ')));

step('lint', "eslint with hotpath/eslint-plugin's recommended-type-checked config over fixtures/apps/kfence/src");
printLint(json(await linting, 'the lint step'));

// ── 3 + 4: boot, seal, run the workload; the same run unpatched must compute the same ──
const seed = options.seed ?? String(1 + Math.floor(Math.random() * 2 ** 31));
const patchedRun = run(process.execPath, ['--enable-source-maps', join(DIST, 'main.js')], { KFENCE_SEED: seed });
const unpatchedRun = run(process.execPath, ['--enable-source-maps', join(DIST, 'main.js')], { KFENCE_SEED: seed, KFENCE_UNPATCHED: '1' });
const patched = json(await patchedRun, 'the workload (patched)');
const unpatched = json(await unpatchedRun, 'the workload (unpatched)');

step('boot', `node --enable-source-maps fixtures/apps/kfence/dist/main.js  (KFENCE_SEED=${seed})`);
say(`    kfenceInit(): poolBase = ${bold(patched.poolBase)}: a ${patched.poolSize >> 10} KiB pool placed at boot in the ${patched.heapSize >> 20} MiB heap; 1 allocation in ${patched.sampleInterval} sampled`);
say(`    seal(), then import() the allocator: V8 compiles is_kfence_address() as`);
say(indent(bold(green(patched.isKfenceAddress.split('\n')[1].trim())), '      '));
say(indent(patched.bootReport, `    ${dim('│')} `));

step('run', `${patched.computed.result.iterations.toLocaleString('en-US')} iterations of a packet path with three planted bugs (${seconds(patched.elapsedMs)})`);
printReports(patched);
const same = JSON.stringify(patched.computed) === JSON.stringify(unpatched.computed);
if (!same) {
  fail('the unpatched run computed something else', `patched:   ${JSON.stringify(patched.computed)}\nunpatched: ${JSON.stringify(unpatched.computed)}`);
}
say(
  `    ${green('✓')} same result unpatched: the same build with the allocator loaded before seal() (every site a load) computed\n` +
    `      checksum 0x${patched.computed.result.checksum.toString(16)}, ${patched.computed.sampled} sampled objects and ${patched.computed.reports.length} identical reports (kind, address, object)`,
);

// ── 5: free() ns/op, patched vs unpatched, one process per run ────────────────────────
const nodes = [{ label: `Node ${process.versions.node}`, bin: process.execPath }];
const skippedNodes = [];
for (const major of options.node.filter((n) => n !== 'none' && n !== process.versions.node.split('.')[0])) {
  const { bin } = await nodeThroughNpx(major, { timeout: 30_000 });
  const version = bin !== undefined ? (await run(bin, ['--version'])).stdout.trim() : '';
  if (version && bin !== undefined) nodes.push({ label: `Node ${version.replace(/^v/, '')}`, bin });
  else skippedNodes.push(major);
}
step('bench', `free() ns/op, patched vs unpatched: ${RUNS} runs each, alternating, each its own process; median (min–max)`);
for (const node of nodes) await bench(node);
for (const major of skippedNodes) say(yellow(`    Node ${major}: not measured (npx could not fetch node@${major}; offline?)`));
say(dim('    Both builds use the one-compare form; only the read of poolBase differs: a literal, or a module `let`'));
say(dim('    (a context load and a hole check). A verdict needs the middle halves of the runs not to overlap. On a'));
say(dim('    shared machine single figures are noisy; `npm run bench` measures with more runs and more care.'));
say();
say(dim(`Done in ${seconds(performance.now() - started)}. Reproduce this run: node scripts/demo.js --seed ${seed}`));

// ── helpers ───────────────────────────────────────────────────────────────────────────
async function lint() {
  const t0 = performance.now();
  const [{ ESLint }, tseslint, { default: hotpath }] = await Promise.all([import('eslint'), import('typescript-eslint'), import('hotpath/eslint-plugin')]);
  const eslint = new ESLint({
    cwd: APP,
    overrideConfigFile: true,
    // typescript-eslint's config type and ESLint's differ in their index signatures only.
    overrideConfig: /** @type {import('eslint').Linter.Config[]} */ ([
      { files: ['src/**/*.ts'], languageOptions: { parser: tseslint.default.parser, parserOptions: { projectService: true, tsconfigRootDir: APP } } },
      { files: ['src/**/*.ts'], ...hotpath.configs['recommended-type-checked'] },
    ]),
  });
  const results = (await eslint.lintFiles(['src/**/*.ts'])).map((r) => ({ filePath: r.filePath, messages: r.messages }));
  return { results, rules: Object.keys(/** @type {object} */ (hotpath.configs['recommended-type-checked'].rules)), ms: performance.now() - t0 };
}

function printLint({ results, rules, ms }) {
  const messages = results.flatMap((r) => r.messages.map((m) => ({ ...m, file: relative(APP, r.filePath), source: readFileSync(r.filePath, 'utf8') })));
  say(dim(`    ${results.length} files in ${seconds(ms)}`));
  for (const rule of rules) {
    const mine = messages.filter((m) => m.ruleId === rule);
    const fixes = mine.filter((m) => m.fix).length;
    const suggestions = mine.filter((m) => !m.fix && m.suggestions?.length).length;
    const summary =
      mine.length === 0
        ? `${green('✓')} no findings`
        : `${yellow(`${mine.length} finding${mine.length === 1 ? '' : 's'}`)}${fixes ? `, ${fixes} autofixable` : ''}${suggestions ? `, ${suggestions} with a suggestion only` : ''}`;
    say(`    ${rule.padEnd(38)} ${summary}`);
    for (const m of mine) {
      const line = m.source.split('\n')[m.line - 1] ?? '';
      const code = m.endLine === m.line ? line.slice(m.column - 1, m.endColumn - 1) : line.slice(m.column - 1).trim();
      // "…, but equivalence is not proven: why" or, with several reasons, one a numbered line: the first, and how many more.
      const [what, unproven] = m.message.split(', but equivalence is not proven:');
      const reasons = unproven?.replace(/\.$/, '').split(/;?\n {2}\d+\. /).map((r) => r.trim()).filter(Boolean) ?? [];
      const more = reasons.length > 1 ? ` (and ${reasons.length - 1} more)` : '';
      say(`      ${m.file}:${m.line}:${m.column}  ${bold(code)}`);
      say(dim(`        ${what}${reasons.length > 0 ? ` — not fixed automatically: ${reasons[0]}${more}` : ''}`));
    }
  }
  const other = messages.filter((m) => !rules.includes(m.ruleId));
  for (const m of other) say(`    ${red(m.ruleId ?? 'error')} ${m.file}:${m.line}:${m.column} ${m.message}`);
  say(dim("    is_kfence_address() is already in the one-compare form, so the rule has nothing to say about the hot check."));
}

function printReports(out) {
  const first = new Map();
  out.reports.forEach((text, i) => {
    const kind = out.computed.reports[i][0];
    if (!first.has(kind)) first.set(kind, text);
  });
  say(`    KFENCE printed ${out.reports.length} reports; the first of each kind:`);
  for (const text of first.values()) {
    say();
    say(
      indent(
        text
          .split('\n')
          .map((l) => (l.startsWith('BUG:') ? bold(red(l)) : l.startsWith('===') ? dim(l) : l))
          .join('\n'),
      ),
    );
  }
  const { bugRuns } = out.computed.result;
  const c = out.caught;
  say();
  say(`    ${'planted bug'.padEnd(60)}${'path ran'.padStart(9)}${'caught'.padStart(9)}`);
  const row = (name, ran, caught, how) => say(`    ${name.padEnd(60)}${String(ran).padStart(9)}${String(caught).padStart(9)}  ${dim(how)}`);
  row('use after free   closeSession → logSessionStats', bugRuns.useAfterFree, c.useAfterFree, 'use-after-free read');
  row('double free      handleMalformed, then retire', bugRuns.doubleFree, c.doubleFree, 'invalid free');
  row('overflow         appendTrailer writes 8 bytes past the end', bugRuns.outOfBounds, c.overflow, `${c.outOfBounds} out-of-bounds (guard page), ${c.corruption} memory corruption (canaries)`);
  say(dim(`    KFENCE sees a bug only when it hits a sampled object: 1 allocation in ${out.sampleInterval} here (${out.computed.sampled} of`));
  say(dim(`    ${out.computed.result.allocations.toLocaleString('en-US')}); the kernel samples about one per 100 ms, at next to no cost, across a fleet.`));
}

async function bench(node) {
  /** @type {Record<'patched' | 'unpatched', any[]>} bench-free.js's JSON lines, RUNS >= 1 of each */
  const samples = { patched: [], unpatched: [] };
  const script = join(DIST, 'bench-free.js');
  for (let i = 0; i < RUNS; i++) {
    for (const mode of i % 2 ? ['unpatched', 'patched'] : ['patched', 'unpatched']) {
      const out = json(await run(node.bin, [script, mode]), `bench-free.js ${mode} on ${node.label}`);
      if (out.patched !== (mode === 'patched')) fail(`bench-free.js ${mode}: is_kfence_address() was ${out.patched ? '' : 'not '}patched`);
      samples[mode].push(out);
    }
  }
  const { batch, rounds } = samples.patched[0];
  if (node === nodes[0]) {
    say(dim(`    each run: rounds of ${batch.toLocaleString('en-US')} kfree() of shuffled slab objects lying on both sides of the pool; ns per call, median of ${rounds} rounds`));
  }
  const stat = (mode, field) => {
    const xs = samples[mode].map((s) => s[field]).sort((a, b) => a - b);
    // Quartiles rounded outwards: with few runs they widen to the min and max.
    const last = xs.length - 1;
    return { median: median(xs), min: xs[0], max: xs[last], q1: xs[Math.floor(0.25 * last)], q3: xs[Math.ceil(0.75 * last)] };
  };
  const cell = (s) => `${s.median.toFixed(2)} ns ${dim(`(${s.min.toFixed(2)}–${s.max.toFixed(2)})`)}`;
  const width = 27;
  const pad = (text, n) => text + ' '.repeat(Math.max(0, n - text.replace(/\x1b\[[0-9;]*m/g, '').length));
  say(`    ${pad(bold(node.label), 24)}${pad('patched (literal)', width)}${pad('unpatched (module let)', width)}unpatched / patched`);
  // A difference is called one only when the middle halves of the runs (quartiles) do not overlap.
  const verdict = (p, u) => (p.q3 < u.q1 ? green('patched faster') : u.q3 < p.q1 ? red('patched slower') : yellow('within noise'));
  for (const [name, field] of [
    ['kfree()', 'freeNs'],
    ['is_kfence_address()', 'checkNs'],
  ]) {
    const p = stat('patched', field);
    const u = stat('unpatched', field);
    say(`    ${pad(name, 24)}${pad(cell(p), width)}${pad(cell(u), width)}${(u.median / p.median).toFixed(2)}x  ${verdict(p, u)}`);
  }
}
