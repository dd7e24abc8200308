/**
 * Builds generated programs three ways and compares what they print: plain tsc (the
 * marker is the identity), `hotpath build` with every reader loaded before seal()
 * (unpatched), and `hotpath build` sealed first (patched). Programs sharing a format and
 * target share one project, so each batch costs one tsc and one hotpath build per group.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, REPO, TSC, pool, run } from '../e2e/harness.js';
import { countSites, generate, render, type Program } from './generate.js';

export const MODES = ['uncompiled', 'unpatched', 'patched'] as const;
type Mode = (typeof MODES)[number];

export interface Failure {
  readonly seed: number;
  readonly what: string;
  readonly program: Program;
}

export interface BatchResult {
  programs: number;
  runs: number;
  sites: number;
  /** Sites patched, summed over the patched runs (one per program and Node). */
  patched: number;
  /** Sites the patched runs' boot reports list as skipped. */
  skipped: number;
  /** Programs TypeScript reported a type error for (they still emit; counted, not failed). */
  typeErrors: number;
  /** Sites left loads for a known hole (KNOWN_HOLES), by code. */
  knownHoles: Record<string, number>;
  /** Every loaded site of a patched run left a load for a known hole, with its program. */
  unpatched: Array<{ seed: number; skip: string }>;
  /** Programs with a form the compiler must reject: built, not run. */
  hostile: number;
  failures: Failure[];
}

const groupOf = (p: Program) => `${p.format}-${p.target}`;

function writeProject(dir: string, programs: readonly Program[]): void {
  const first = programs[0]!;
  const esm = first.format === 'esm';
  mkdirSync(join(dir, 'node_modules/@types'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ private: true, type: esm ? 'module' : 'commonjs' })}\n`);
  symlinkSync(REPO, join(dir, 'node_modules/hotpath'), 'dir');
  symlinkSync(join(REPO, 'node_modules/@types/node'), join(dir, 'node_modules/@types/node'), 'dir');
  const compilerOptions = {
    target: first.target,
    lib: ['es2022'],
    module: esm ? 'nodenext' : 'commonjs',
    moduleResolution: esm ? 'nodenext' : 'bundler',
    strict: true,
    skipLibCheck: true,
    types: ['node'],
    rootDir: 'src',
    outDir: 'dist',
  };
  writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify({ compilerOptions, include: ['src'] }, null, 2)}\n`);
  for (const program of programs) {
    const folder = join(dir, 'src', `p${program.seed}`);
    mkdirSync(folder, { recursive: true });
    for (const [name, text] of Object.entries(render(program))) writeFileSync(join(folder, name), text);
  }
}

/** Diagnostics per program folder, from tsc-style `src/pN/file.ts(l,c): error CODE: text` lines. */
function diagnosticsByProgram(output: string): Map<number, string[]> {
  const found = new Map<number, string[]>();
  for (const line of output.split('\n')) {
    const m = /^src\/p(\d+)\/\S+\(\d+,\d+\): (?:error|warning) (\w+):/.exec(line);
    if (!m) continue;
    const list = found.get(Number(m[1])) ?? [];
    list.push(line);
    found.set(Number(m[1]), list);
  }
  return found;
}

/**
 * Why a loaded site may stay a load: HP2005, the literal is longer than the slot (long
 * strings). KNOWN_HOLES: codes of holes found and not yet fixed, pinned as `it.fails` in
 * test/fuzz/findings.test.ts and counted apart until then. Empty: HP2006 (`||=`/`&&=`/`??=`
 * right sides below ES2021) and HP2008 (a comment after the argument) are fixed, and any
 * other skip of a loaded site fails the program.
 */
export const EXPECTED_SKIPS: ReadonlySet<string> = new Set(['HP2005']);
export const KNOWN_HOLES: ReadonlySet<string> = new Set<string>([]);

interface Printed {
  skips?: string[];
  results?: unknown;
  patched?: number;
  skipped?: number;
  crashed?: string;
}

function parse(stdout: string): Printed | undefined {
  try {
    return JSON.parse(stdout) as Printed;
  } catch {
    return undefined;
  }
}

/** Build and run `programs` on each Node binary; every difference is a failure. */
export async function runBatch(programs: readonly Program[], nodes: ReadonlyMap<number, string>, concurrency = 3): Promise<BatchResult> {
  const root = mkdtempSync(join(tmpdir(), 'hotpath-fuzz-'));
  const result: BatchResult = { programs: programs.length, runs: 0, sites: 0, patched: 0, skipped: 0, typeErrors: 0, knownHoles: {}, unpatched: [], hostile: 0, failures: [] };
  const fail = (program: Program, what: string) => result.failures.push({ seed: program.seed, what, program });
  try {
    const groups = new Map<string, Program[]>();
    for (const p of programs) groups.set(groupOf(p), [...(groups.get(groupOf(p)) ?? []), p]);
    for (const [name, members] of groups) writeProject(join(root, name), members);
    const builds = new Map<string, { hotpath: string; tsc: string }>();
    await pool(
      2,
      [...groups.keys()].flatMap((name) => {
        const cwd = join(root, name);
        const entry = { hotpath: '', tsc: '' };
        builds.set(name, entry);
        return [
          async () => {
            const r = await run(process.execPath, [CLI, 'build', '-p', 'tsconfig.json'], { cwd, timeout: 600_000 });
            entry.hotpath = r.stdout + r.stderr;
          },
          async () => {
            const r = await run(process.execPath, [TSC, '-p', 'tsconfig.json', '--outDir', 'dist-tsc'], { cwd, timeout: 600_000 });
            entry.tsc = r.stdout + r.stderr;
          },
        ];
      }),
    );
    const broken = new Set<number>();
    for (const [name, members] of groups) {
      const { hotpath, tsc } = builds.get(name)!;
      const hp = diagnosticsByProgram(hotpath);
      const ts = diagnosticsByProgram(tsc);
      for (const p of members) {
        const hpLines = hp.get(p.seed) ?? [];
        const tsLines = ts.get(p.seed) ?? [];
        if (tsLines.length && !p.hostile) result.typeErrors++;
        const hpOnly = hpLines.filter((l) => / (?:error|warning) HP\d+:/.test(l) || !tsLines.includes(l));
        if (p.hostile) {
          result.hostile++;
          broken.add(p.seed);
          if (!hpLines.some((l) => l.includes(` error ${p.hostile!.expect}:`))) {
            fail(p, `hotpath build did not report ${p.hostile.expect} for the ${p.hostile.form} form:\n${hpLines.join('\n') || '(no diagnostic)'}`);
          } else if (hpLines.some((l) => l.includes(' error HP1010:'))) fail(p, `internal error:\n${hpLines.join('\n')}`);
        } else if (hpOnly.length) {
          fail(p, `hotpath build reports what tsc does not:\n${hpOnly.join('\n')}`);
          broken.add(p.seed);
        }
      }
      if (!/^\s*$/.test(hotpath.replace(/^src\/p\d+\/.*$/gm, '').replace(/^ .*$/gm, ''))) {
        for (const p of members) fail(p, `hotpath build printed something that is not a diagnostic:\n${hotpath.slice(0, 2000)}`);
        for (const p of members) broken.add(p.seed);
      }
    }

    const tasks = programs
      .filter((p) => !broken.has(p.seed))
      .flatMap((p) =>
        [...nodes].map(([major, node]) => async () => {
          const cwd = join(root, groupOf(p));
          const printed = new Map<Mode, Printed | undefined>();
          const raw = new Map<Mode, string>();
          for (const mode of MODES) {
            const entry = join(mode === 'uncompiled' ? 'dist-tsc' : 'dist', `p${p.seed}`, 'main.js');
            const r = await run(node, [entry], { cwd, env: { FUZZ_PRELOAD: mode === 'unpatched' ? '1' : '0', HOTPATH_REPORT: '' } });
            printed.set(mode, parse(r.stdout));
            raw.set(mode, `exit ${r.code}\n${r.stdout.slice(0, 4000)}${r.stderr.slice(0, 4000)}`);
            result.runs++;
          }
          const reference = printed.get('uncompiled');
          if (!reference || reference.crashed !== undefined) {
            fail(p, `Node ${major}: the uncompiled program did not print results (generator bug?):\n${raw.get('uncompiled')}`);
            return;
          }
          for (const mode of ['unpatched', 'patched'] as const) {
            const got = printed.get(mode);
            if (JSON.stringify(got?.results) !== JSON.stringify(reference.results)) {
              fail(p, `Node ${major}: ${mode} differs from uncompiled\nuncompiled: ${JSON.stringify(reference.results)}\n${mode}: ${got ? JSON.stringify(got.results ?? got) : raw.get(mode)}`);
              return;
            }
          }
          for (const skip of printed.get('patched')?.skips ?? []) {
            const code = skip.slice(skip.lastIndexOf(' ') + 1);
            if (KNOWN_HOLES.has(code)) {
              result.knownHoles[code] = (result.knownHoles[code] ?? 0) + 1;
              result.unpatched.push({ seed: p.seed, skip });
            }
            else if (!EXPECTED_SKIPS.has(code)) fail(p, `Node ${major}: a loaded site stayed a load: ${skip}`);
          }
          result.patched += printed.get('patched')?.patched ?? 0;
          result.skipped += printed.get('patched')?.skipped ?? 0;
          if ((printed.get('unpatched')?.patched ?? 0) !== 0) fail(p, `Node ${major}: the unpatched run patched ${printed.get('unpatched')?.patched} sites`);
        }),
      );
    await pool(concurrency, tasks);
    result.sites = programs.filter((p) => !broken.has(p.seed)).reduce((n, p) => n + countSites(p), 0) * nodes.size;
  } finally {
    if (process.env.FUZZ_KEEP) console.log(`fuzz: kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
  return result;
}

/** Seeds `seed`, `seed + 1`, … `seed + count - 1`: a failing program is reproduced by its own seed alone. */
export const programsFrom = (seed: number, count: number): Program[] => Array.from({ length: count }, (_, i) => generate(seed + i));

/**
 * Drops readers, then sites (halves, then one at a time), then unused variables, while
 * the program still fails on `nodes`: a short reproduction. Bounded by `budget` builds.
 */
export async function minimise(program: Program, nodes: ReadonlyMap<number, string>, budget = 24): Promise<Program> {
  let best = program;
  let left = budget;
  const stillFails = async (candidate: Program) => {
    if (left-- <= 0) return false;
    const r = await runBatch([candidate], nodes);
    return r.failures.length > 0;
  };
  for (let i = best.readers.length - 1; i >= 0 && best.readers.length > 1; i--) {
    const candidate = { ...best, readers: best.readers.filter((_, j) => j !== i) };
    if (await stillFails(candidate)) best = candidate;
  }
  for (let r = 0; r < best.readers.length; r++) {
    for (let chunk = Math.ceil(best.readers[r]!.sites.length / 2); chunk >= 1; chunk = chunk === 1 ? 0 : Math.ceil(chunk / 2)) {
      for (let start = 0; start < best.readers[r]!.sites.length; ) {
        const reader = best.readers[r]!;
        if (reader.sites.length <= 1) break;
        const sites = reader.sites.filter((_, j) => j < start || j >= start + chunk);
        const candidate = { ...best, readers: best.readers.map((x, j) => (j === r ? { ...reader, sites } : x)) };
        if (sites.length && (await stillFails(candidate))) best = candidate;
        else start += chunk;
        if (left <= 0) return best;
      }
    }
  }
  return best;
}

/** A failure as text: seed, what differs, and the (minimised) program's files. */
export function describeFailure(failure: Failure, minimised?: Program): string {
  const show = (p: Program) =>
    Object.entries(render(p))
      .map(([name, text]) => `--- ${name}\n${text}`)
      .join('');
  return [
    `seed ${failure.seed} (${failure.program.format}, ${failure.program.target}): ${failure.what}`,
    `reproduce: npm run fuzz -- --seed ${failure.seed} --programs 1`,
    minimised ? `minimised program:\n${show(minimised)}` : `program:\n${show(failure.program)}`,
  ].join('\n');
}
