// The parent side: runs every variant of a scenario in its own child process, several
// rounds (each round runs every variant once, in a rotated order), and reduces the
// figures to median, min and max per variant and ratios within this one invocation.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeThroughNpxSync } from '../../scripts/lib/node-through-npx.js';
import { median } from './measure.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const benchDir = path.dirname(here);
export const repoDir = path.dirname(benchDir);
/** Generated projects and modules; inside the package so `hotpath` resolves to it by self-reference. */
export const outDir = path.join(benchDir, '.out');
const childScript = path.join(here, 'child.js');

/**
 * Finds the node binary for a major version. `npx -y -p node@N node` is asked once for
 * its executable's path, so npx's own start-up (seconds) never lands in a figure.
 */
export function resolveNode(spec) {
  if (spec === 'host') return { spec, bin: process.execPath, ...versionsOf(process.execPath) };
  const found = nodeThroughNpxSync(spec);
  if (found.bin === undefined) throw new Error(found.error);
  return { spec, bin: found.bin, ...versionsOf(found.bin) };
}

function versionsOf(bin) {
  const r = spawnSync(bin, ['-p', 'JSON.stringify({node: process.version, v8: process.versions.v8})'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${bin} did not start:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
  };
}

/** Runs one variant once; returns its figure (and anything the child reports with it). */
function runOnce(scenario, variant, node, ctx) {
  if (variant.command) {
    // Wall time of a whole process (build cost): measured here, around the spawn.
    const { args, cwd } = variant.command(ctx);
    const t0 = process.hrtime.bigint();
    const r = spawnSync(node.bin, args, { cwd: cwd ?? repoDir, encoding: 'utf8', maxBuffer: 64 << 20 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0 && !(variant.okStatus ?? [0]).includes(r.status)) {
      throw new Error(`${scenario.name} ${variant.name}: exit ${r.status}\n${r.stdout}\n${r.stderr}`.slice(0, 4000));
    }
    return { value: ms };
  }
  const r = spawnSync(
    node.bin,
    [...(variant.nodeArgs ?? []), childScript, scenario.file, variant.name, ctx.workDir],
    { cwd: repoDir, encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, ...(variant.env ?? {}) } },
  );
  const line = r.stdout.split('\n').find((l) => l.startsWith('@@result '));
  if (r.status !== 0 || !line) {
    throw new Error(`${scenario.name} ${variant.name} on node ${node.node}: exit ${r.status}\n${r.stdout}\n${r.stderr}`.slice(0, 4000));
  }
  return JSON.parse(line.slice('@@result '.length));
}

/**
 * Runs a prepared scenario under one node binary. `runs` rounds; round r starts at
 * variant r (rotation), so no variant always runs first or right after the same one.
 */
export function runScenario(scenario, node, { runs, ctx, log }) {
  const variants = scenario.variants.filter((v) => !v.skip);
  const values = new Map(variants.map((v) => [v.name, []]));
  const checksums = new Map();
  const extras = new Map(variants.map((v) => [v.name, []]));
  const samples = new Map(variants.map((v) => [v.name, []]));
  const loadBefore = os.loadavg()[0];
  for (let w = 0; w < (scenario.warmupRounds ?? 0); w++) {
    for (const v of variants) runOnce(scenario, v, node, ctx);
  }
  for (let r = 0; r < runs; r++) {
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(k + r) % variants.length];
      log(`  ${scenario.name} [node ${node.node}] run ${r + 1}/${runs} ${v.name}`);
      const res = runOnce(scenario, v, node, ctx);
      values.get(v.name).push(res.value);
      if (res.checksum !== undefined) checksums.set(v.name, res.checksum);
      if (res.extra) extras.get(v.name).push(res.extra);
      if (res.samples?.length) samples.get(v.name).push(res.samples);
    }
  }
  const stats = variants.map((v) => {
    const xs = values.get(v.name);
    return {
      name: v.name,
      label: v.label ?? v.name,
      values: xs,
      median: median(xs),
      min: Math.min(...xs),
      max: Math.max(...xs),
      checksum: checksums.get(v.name),
      extra: extras.get(v.name),
      /** Per process, every in-process sample (the process's figure is its fastest). */
      samples: samples.get(v.name),
    };
  });
  const byName = new Map(stats.map((s) => [s.name, s]));
  const comparisons = (scenario.comparisons ?? [])
    .filter((c) => byName.has(c.num) && byName.has(c.den))
    .map((c) => compare(c, byName.get(c.num), byName.get(c.den)));
  const checksumGroups = checkChecksums(scenario, stats);
  const result = {
    scenario: scenario.name,
    title: scenario.title,
    unit: scenario.unit,
    node: node.node,
    v8: node.v8,
    runs,
    loadavg: { before: round2(loadBefore), after: round2(os.loadavg()[0]) },
    variants: stats,
    comparisons,
    checksumMismatch: checksumGroups,
    skipped: scenario.variants.filter((v) => v.skip).map((v) => v.name),
  };
  if (scenario.verdict) result.verdict = scenario.verdict(result);
  if (scenario.derived) result.derived = scenario.derived(result);
  return result;
}

/** ratio = median(num) / median(den); the range is over the per-round ratios of this invocation. */
function compare(c, num, den) {
  const perRound = num.values.map((x, i) => x / den.values[i]);
  const ratio = num.median / den.median;
  const out = {
    label: c.label,
    num: num.name,
    den: den.name,
    ratio,
    roundMin: Math.min(...perRound),
    roundMax: Math.max(...perRound),
  };
  if (c.target) {
    out.target = c.target;
    if (c.issue) out.issue = c.issue;
    const meets = (x) => (c.target.op === '>=' ? x >= c.target.value : x <= c.target.value);
    out.met = meets(ratio);
    out.metInSomeRun = perRound.some(meets);
  }
  return out;
}

/** Every variant that computes the same thing must give the same checksum: a fast wrong answer is no answer. */
function checkChecksums(scenario, stats) {
  const problems = [];
  for (const group of scenario.sameChecksum ?? []) {
    const seen = stats.filter((s) => group.includes(s.name) && s.checksum !== undefined);
    const first = seen[0];
    for (const s of seen) {
      if (s.checksum !== first.checksum) problems.push(`${s.name} computed ${s.checksum}, ${first.name} computed ${first.checksum}`);
    }
  }
  return problems;
}

function round2(x) {
  return Math.round(x * 100) / 100;
}

export function ensureDir(dir) {
  mkdirSync(dir, { recursive: true });
  return dir;
}
