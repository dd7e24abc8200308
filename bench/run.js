#!/usr/bin/env node
// `npm run bench [-- <scenario>…] [--runs N] [--node 22,24] [--loop chunked|long] [--json] [--svg FILE | --no-svg] [--md FILE] [--list]`
// `node bench/run.js --from-json FILE [--svg FILE] [--md FILE]` redraws a report saved with --json.
// Every variant runs in its own process; see docs/measurements.md for what each figure means.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { benchDir, ensureDir, machineInfo, outDir, repoDir, resolveNode, runScenario } from './lib/harness.js';
import { hotpathAvailable } from './lib/project.js';
import { formatMarkdown, formatTable, renderSvg } from './lib/report.js';

const ORDER = ['pool', 'onesided', 'charclass', 'bigint', 'flag', 'boot', 'build'];

/** `--name value` and `--name=value`; a value-less flag is an error, as is any other option. */
/** @satisfies {import('node:util').ParseArgsConfig['options']} */
const OPTIONS = {
  json: { type: 'boolean' },
  list: { type: 'boolean' },
  'no-svg': { type: 'boolean' },
  svg: { type: 'string' },
  md: { type: 'string' },
  'from-json': { type: 'string' },
  loop: { type: 'string' },
  runs: { type: 'string' },
  node: { type: 'string' },
};

/** @param {string[]} argv */
function parseCommandLine(argv) {
  // Not strict: node's parseArgs then hands back every token, and the messages are this script's.
  const { tokens = [] } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: false, tokens: true });
  /** @type {{ names: string[], runs: number | undefined, nodes: string[], json: boolean, svg: string | null, md: string | null, loop: string, list: boolean, fromJson: string | null }} */
  const opts = { names: [], runs: undefined, nodes: [], json: false, svg: path.join(repoDir, 'docs/bench.svg'), md: null, loop: 'chunked', list: false, fromJson: null };
  for (const token of tokens) {
    if (token.kind === 'positional') {
      if (token.value === '-') throw new Error('unknown option -');
      opts.names.push(token.value);
      continue;
    }
    if (token.kind === 'option-terminator') throw new Error('unknown option --');
    const type = Object.hasOwn(OPTIONS, token.name) ? OPTIONS[/** @type {keyof typeof OPTIONS} */ (token.name)].type : undefined;
    if (type === undefined || (type === 'boolean' && token.value !== undefined)) {
      throw new Error(`unknown option ${argv[token.index]}`);
    }
    const value = token.value;
    if (type === 'string' && value === undefined) throw new Error(`${token.rawName} needs a value`);
    const v = value ?? '';
    switch (token.name) {
      case 'json': opts.json = true; break;
      case 'list': opts.list = true; break;
      case 'no-svg': opts.svg = null; break;
      case 'svg': opts.svg = path.resolve(v); break;
      case 'md': opts.md = path.resolve(v); break;
      case 'from-json': opts.fromJson = path.resolve(v); break;
      case 'loop':
        opts.loop = v;
        if (opts.loop !== 'chunked' && opts.loop !== 'long') throw new Error('--loop takes chunked or long');
        break;
      case 'runs':
        opts.runs = Number(v);
        if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new Error('--runs takes a positive integer');
        break;
      case 'node':
        opts.nodes = v.split(',').map((s) => s.trim()).filter(Boolean);
        for (const n of opts.nodes) if (!/^\d+(\.\d+){0,2}$/.test(n)) throw new Error(`--node ${n}: expected a version such as 22 or 24.1`);
        break;
    }
  }
  return opts;
}

async function loadScenarios() {
  const dir = path.join(benchDir, 'scenarios');
  const files = readdirSync(dir).filter((f) => f.endsWith('.js'));
  const scenarios = [];
  for (const f of files) {
    const file = path.join(dir, f);
    const { default: s } = await import(pathToFileURL(file).href);
    scenarios.push({ ...s, file });
  }
  const rank = (s) => (ORDER.includes(s.name) ? ORDER.indexOf(s.name) : ORDER.length);
  return scenarios.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/** Prints and draws a report saved with --json, without running anything. */
function fromJson(opts) {
  const text = readFileSync(opts.fromJson, 'utf8');
  const report = JSON.parse(text.slice(text.indexOf('{'))); // npm may print its banner first
  process.stdout.write(formatTable(report));
  if (opts.md) writeFileSync(opts.md, formatMarkdown(report));
  if (opts.svg) writeFileSync(opts.svg, renderSvg(report));
  return 0;
}

async function main() {
  const opts = parseCommandLine(process.argv.slice(2));
  if (opts.fromJson) return fromJson(opts);
  const all = await loadScenarios();
  if (opts.list) {
    for (const s of all) console.log(`${s.name.padEnd(10)} ${s.title}`);
    return 0;
  }
  const unknown = opts.names.filter((n) => !all.some((s) => s.name === n));
  if (unknown.length) throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${all.map((s) => s.name).join(', ')}`);
  const chosen = opts.names.length ? all.filter((s) => opts.names.includes(s.name)) : all;
  const log = (line) => process.stderr.write(line + '\n');

  const machine = machineInfo();
  // Read by bench/lib/measure.js makePass() in every child process.
  process.env.HOTPATH_BENCH_LOOP = opts.loop;
  const nodes = [resolveNode('host')];
  for (const spec of opts.nodes) {
    log(`resolving node@${spec} through npx …`);
    const node = resolveNode(spec);
    if (!nodes.some((n) => n.node === node.node)) nodes.push(node);
  }
  const hotpath = await hotpathAvailable();
  if (!hotpath) log('note: build/compiler/cli.js or the runtime\'s seal() is missing: variants that need hotpath output are skipped');

  const results = [];
  const errors = [];
  for (const s of chosen) {
    const ctx = { workDir: ensureDir(path.join(outDir, s.name)), hotpath };
    const scenario = {
      ...s,
      variants: s.variants.map((v) => ({ ...v, skip: v.skip || (v.needsHotpath && !hotpath) })),
    };
    try {
      log(`${s.name}: preparing`);
      await scenario.prepare?.(ctx);
      for (const node of nodes) {
        if (scenario.minNode && !atLeast(node.node, scenario.minNode)) continue;
        results.push(runScenario(scenario, node, { runs: opts.runs ?? s.defaultRuns ?? 5, ctx, log }));
      }
    } catch (/** @type {any} */ e) {
      errors.push({ scenario: s.name, error: String(e?.stack ?? e) });
      log(`${s.name}: FAILED\n${e?.stack ?? e}`);
    }
  }

  const summaries = chosen
    .filter((s) => s.crossVerdict && results.some((r) => r.scenario === s.name))
    .map((s) => ({ scenario: s.name, verdict: s.crossVerdict(results.filter((r) => r.scenario === s.name)) }));
  const report = { machine, loop: opts.loop, nodes: nodes.map(({ node, v8, spec }) => ({ node, v8, spec })), command: commandLine(), results, summaries, errors };
  const table = formatTable(report);
  if (opts.json) {
    process.stderr.write(table);
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  } else {
    process.stdout.write(table);
  }
  if (opts.md) writeFileSync(opts.md, formatMarkdown(report));
  if (opts.svg && results.length) {
    writeFileSync(opts.svg, renderSvg(report));
    log(`chart written to ${path.relative(process.cwd(), opts.svg) || opts.svg}`);
  }
  return errors.length ? 1 : 0;
}

function atLeast(version, min) {
  const a = version.replace(/^v/, '').split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

function commandLine() {
  const args = process.argv.slice(2);
  return `npm run bench${args.length ? ' -- ' + args.join(' ') : ''}`;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`bench: ${e.message}\n`);
    process.exit(2);
  },
);
