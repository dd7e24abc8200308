/**
 * `hotpath codegen <file.js> <function>`: the godbolt view, for V8. Runs one exported
 * function hot under node, has TurboFan optimise it, and prints that function's
 * optimised machine code as V8's `--print-opt-code` writes it.
 *
 * Pure core (argument parsing, cutting V8's output, the listing) and one thin adapter
 * (`runCodegen`: temp dir, child process, exit code); the program that runs in the child
 * is driver.mjs. Its own room (tools/codegen/), not the compiler's: it imports no
 * TypeScript and runs on plain .js files.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/** Exit codes of `hotpath codegen` (docs/codegen.md lists them). */
export const CODEGEN_EXIT = {
  ok: 0,
  /** The function threw, was not found, or never got (or stayed) optimised. */
  failed: 1,
  /** Bad command line. */
  usage: 2,
  /** This node printed no machine code (no disassembler in the build). */
  cannotPrint: 3,
} as const;

export const CODEGEN_USAGE = `usage: hotpath codegen <file.js> <function> [options]

Runs <function>, an export of the ES module or CommonJS module <file.js>, until V8 has
optimised it with TurboFan, and prints its optimised machine code.

options:
  --args <json>      a JSON array: the arguments of one call (repeat for several calls;
                     calls cycle through them), e.g. --args '[1073741824]' --args '[5]'
  --driver <file.js> a module whose default export is an array of argument lists, or a
                     function (i) => argument list for call number i
  --boot <file.js>   a module to import before <file.js> (boot work, seal(), loader hooks)
  --calls <n>        calls before optimising and again after (default 1000)
  --node <version>   run under another node: npx -y -p node@<version> node
  --full             print V8's whole block (source positions, deopt data, relocations)
  --raw              print V8's whole code trace, uncut (what the cutting works on)
  -h, --help         this text

exit codes: 0 printed, 1 not found / threw / never optimised, 2 usage, 3 this node cannot
print machine code.`;

export interface CodegenOptions {
  readonly file: string;
  readonly functionName: string;
  /** Argument lists, one per call, cycled. Empty: the default arguments. */
  readonly args: readonly (readonly unknown[])[];
  readonly driver?: string;
  readonly boot?: string;
  readonly calls: number;
  readonly node?: string;
  readonly full: boolean;
  readonly raw: boolean;
}

export type ParsedArgs =
  | { readonly kind: 'run'; readonly options: CodegenOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

const DEFAULT_CALLS = 1000;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  full: { type: 'boolean' },
  raw: { type: 'boolean' },
  args: { type: 'string' },
  driver: { type: 'string' },
  boot: { type: 'string' },
  node: { type: 'string' },
  calls: { type: 'string' },
} as const;

/** Parses `codegen`'s arguments (without the `codegen` word). Never throws. */
export function parseCodegenArgs(argv: readonly string[]): ParsedArgs {
  // Not strict: node's parseArgs hands back every token in order, and the messages are ours.
  const { tokens } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: false, tokens: true });
  const positional: string[] = [];
  const args: unknown[][] = [];
  let driver: string | undefined;
  let boot: string | undefined;
  let node: string | undefined;
  let calls = DEFAULT_CALLS;
  let full = false;
  let raw = false;
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positional.push(token.value);
      continue;
    }
    const written = argv[token.index]!;
    // `--`, an unknown option, or short options run together (`-hx`): not ours.
    if (token.kind === 'option-terminator' || !Object.hasOwn(OPTIONS, token.name) || (token.rawName.length === 2 && written !== token.rawName)) {
      return { kind: 'error', message: `unknown option ${written}` };
    }
    const name = token.name as keyof typeof OPTIONS;
    const flag = `--${name}`;
    const value = token.value;
    switch (name) {
      case 'help':
        return { kind: 'help' };
      case 'full':
        full = true;
        break;
      case 'raw':
        raw = true;
        break;
      case 'args': {
        if (value === undefined) return { kind: 'error', message: '--args needs a JSON array, e.g. --args \'[1, 2]\'' };
        let parsed: unknown;
        try {
          parsed = JSON.parse(value);
        } catch {
          return { kind: 'error', message: `--args ${value}: not valid JSON` };
        }
        if (!Array.isArray(parsed)) {
          return { kind: 'error', message: `--args ${value}: give the arguments of one call as a JSON array, e.g. --args '[${value}]'` };
        }
        args.push(parsed);
        break;
      }
      case 'driver':
      case 'boot':
      case 'node': {
        if (value === undefined || value === '') return { kind: 'error', message: `${flag} needs a value` };
        if (name === 'driver') driver = value;
        else if (name === 'boot') boot = value;
        else if (!/^[\w.^~<>=-]+$/.test(value)) return { kind: 'error', message: `--node ${value}: not a version (e.g. 22, 24.1.0)` };
        else node = value;
        break;
      }
      case 'calls': {
        const n = Number(value);
        // eslint-disable-next-line hotpath/prefer-subtract-compare -- argument validation: not hot, and a fraction must fail it
        if (!Number.isInteger(n) || n < 1 || n > 1e8) return { kind: 'error', message: `--calls ${value}: give a whole number from 1 to 1e8` };
        calls = n;
        break;
      }
    }
  }
  if (positional.length !== 2) {
    return { kind: 'error', message: `expected <file.js> <function>, got ${positional.length === 0 ? 'nothing' : positional.join(' ')}` };
  }
  if (driver !== undefined && args.length > 0) return { kind: 'error', message: 'give --args or --driver, not both' };
  const [file, functionName] = positional as [string, string];
  return { kind: 'run', options: { file, functionName, args, driver, boot, calls, node, full, raw } };
}

/** What the driver reports back (written as JSON to a file in the temp dir). */
export interface DriverResult {
  readonly stage: 'import' | 'lookup' | 'driver' | 'call' | 'done';
  readonly error?: string;
  /** `fn.name`: the name V8 prints (an export may be an alias). */
  readonly name?: string;
  readonly source?: string;
  /** `%GetOptimizationStatus(fn)` after the last round. */
  readonly status?: number;
  /** Every status bit seen in any round (was it optimised at all?). */
  readonly everOptimized?: number;
  /** Optimise-then-run rounds used (a round repeats if the code was deoptimised). */
  readonly rounds?: number;
  readonly defaultArgs?: boolean;
  readonly node?: string;
  readonly v8?: string;
  readonly arch?: string;
}

/** Bits of V8's `%GetOptimizationStatus` (src/runtime/runtime-test.cc, stable since V8 10). */
export const OPT_STATUS = { maybeDeopted: 1 << 3, optimized: 1 << 4, maglevved: 1 << 5, turboFanned: 1 << 6 } as const;

const ROUNDS = 3;

/**
 * What runCodegen hands the driver (driver.mjs, a real module beside this one) as a JSON
 * file named on its command line: the target, the argument lists, and where to write.
 */
export interface DriverConfig {
  readonly moduleUrl: string;
  readonly exportName: string;
  readonly args: readonly (readonly unknown[])[];
  readonly driverUrl?: string;
  readonly bootUrl?: string;
  readonly calls: number;
  /** Optimise-then-run rounds at most. */
  readonly rounds: number;
  readonly optStatus: { readonly optimized: number; readonly turboFanned: number };
  readonly resultPath: string;
  /** Where V8 writes the code (`--redirect-code-traces-to`): a file is closed after each
   * function, so nothing is lost in a stdout buffer if the process ends abruptly. */
  readonly codePath: string;
}

/** The driver program; node runs it as it is (the build holds a copy beside index.js). */
export const DRIVER_PATH = fileURLToPath(new URL('./driver.mjs', import.meta.url));

/** One `--- Raw source --- … --- End code ---` block of `--print-opt-code` output. */
export interface OptimizedCodeBlock {
  readonly rawSource: string;
  /** `key = value` lines after `--- Optimized code ---` (kind, name, compiler, …). */
  readonly fields: Readonly<Record<string, string>>;
  /** The `Instructions (size = N)` line, or undefined when the build printed none. */
  readonly instructionsHeader?: string;
  /** Instruction lines as V8 printed them, with their `;;` continuation lines. */
  readonly instructions: readonly string[];
  /** `Inlined functions (count = N)` and the lines listing them. */
  readonly inlined: readonly string[];
  /** Every line of the block, from `--- Raw source ---` to `--- End code ---`. */
  readonly lines: readonly string[];
}

const RAW_SOURCE = '--- Raw source ---';
const OPTIMIZED_CODE = '--- Optimized code ---';
const END_CODE = '--- End code ---';

/** Cuts V8's `--print-opt-code` output into blocks. Lines outside blocks are ignored. */
export function parseOptimizedCode(output: string): OptimizedCodeBlock[] {
  const lines = output.split(/\r?\n/);
  const blocks: OptimizedCodeBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i] !== RAW_SOURCE && lines[i] !== OPTIMIZED_CODE) {
      i++;
      continue;
    }
    const start = i;
    let end = start + 1;
    while (end < lines.length && lines[end] !== END_CODE && (end === start || lines[end] !== RAW_SOURCE)) end++;
    const blockLines = lines.slice(start, Math.min(end + 1, lines.length));
    const block = parseBlock(blockLines.filter((l) => l !== END_CODE));
    blocks.push({ ...block, lines: blockLines });
    i = end + (lines[end] === END_CODE ? 1 : 0);
  }
  return blocks;
}

function parseBlock(lines: readonly string[]): Omit<OptimizedCodeBlock, 'lines'> {
  let at = 0;
  const raw: string[] = [];
  if (lines[0] === RAW_SOURCE) {
    at = 1;
    while (at < lines.length && lines[at] !== OPTIMIZED_CODE) raw.push(lines[at++]!);
  }
  at++; // the `--- Optimized code ---` line
  const fields: Record<string, string> = {};
  for (; at < lines.length; at++) {
    const line = lines[at]!;
    const m = /^(\w+) = (.*)$/.exec(line);
    if (m) fields[m[1]!] = m[2]!;
    else if (line.startsWith('Instructions (') || /^[A-Z]/.test(line)) break;
  }
  let instructionsHeader: string | undefined;
  const instructions: string[] = [];
  const inlined: string[] = [];
  for (; at < lines.length; at++) {
    const line = lines[at]!;
    if (instructionsHeader === undefined && line.startsWith('Instructions (')) {
      instructionsHeader = line;
      for (at++; at < lines.length && lines[at] !== '' && !isSectionHeader(lines[at]!); at++) instructions.push(lines[at]!);
      at--;
    } else if (line.startsWith('Inlined functions (')) {
      inlined.push(line);
      for (at++; at < lines.length && lines[at] !== '' && !isSectionHeader(lines[at]!); at++) inlined.push(lines[at]!);
      at--;
    }
  }
  return { rawSource: raw.join('\n').trim(), fields, instructionsHeader, instructions, inlined };
}

/** The headings V8 puts between sections (e.g. `Source positions:`, `Safepoints (…)`). */
function isSectionHeader(line: string): boolean {
  return /^[A-Z][A-Za-z ]*( \(.*\))?:?$/.test(line) && !line.startsWith('0x');
}

export type Selection =
  | { readonly kind: 'found'; readonly block: OptimizedCodeBlock; readonly tier: 'turbofan' | 'maglev' | 'other'; readonly versions: number }
  | { readonly kind: 'none' };

/**
 * The last optimised version of the function: blocks named `name` whose raw source
 * is the end of the function's own source (when known, to tell same-named functions
 * apart), TurboFan's last if any, else the last of any tier.
 */
export function selectFunctionCode(blocks: readonly OptimizedCodeBlock[], name: string, source?: string): Selection {
  // V8's raw source starts at the parameters and may run one character past the body.
  const normalize = (s: string): string => s.replace(/\s+/g, ' ').trim().replace(/;$/, '');
  const named = name === '' ? [...blocks] : blocks.filter((b) => b.fields['name'] === name);
  const wanted =
    source === undefined ? named : named.filter((b) => b.rawSource !== '' && normalize(source).endsWith(normalize(b.rawSource)));
  const candidates = wanted.length > 0 || name === '' ? wanted : named;
  if (candidates.length === 0) return { kind: 'none' };
  const tierOf = (b: OptimizedCodeBlock): 'turbofan' | 'maglev' | 'other' => {
    const kind = (b.fields['kind'] ?? '') + ' ' + (b.fields['compiler'] ?? '');
    return /TURBOFAN|turbofan/.test(kind) ? 'turbofan' : /MAGLEV|maglev/.test(kind) ? 'maglev' : 'other';
  };
  const turbofan = candidates.filter((b) => tierOf(b) === 'turbofan');
  const block = (turbofan.length > 0 ? turbofan : candidates).at(-1)!;
  return { kind: 'found', block, tier: tierOf(block), versions: candidates.length };
}

/** One machine instruction of a listing: its offset and mnemonic, when the line has them. */
export interface InstructionInfo {
  readonly offset: number;
  readonly mnemonic: string;
  /** Offset of a jump's target, from V8's `<+0x4b>` annotation. */
  readonly target?: number;
  readonly deoptReason?: string;
}

// `0x7f…  4b  488b4d18   REX.W movq rcx,[rbp+0x18]` (x64) or `0x…  4b  d10083ff  sub sp, sp…` (arm64)
const INSTRUCTION = /^0x[0-9a-f]+\s+([0-9a-f]+)\s+[0-9a-f]+\s+(?:REX\.W\s+)?([a-z][\w.]*)/;

/** The instructions of a listing (continuation lines folded into the one before). */
export function instructionsOf(lines: readonly string[]): InstructionInfo[] {
  const out: { offset: number; mnemonic: string; target?: number; deoptReason?: string }[] = [];
  for (const line of lines) {
    const m = INSTRUCTION.exec(line);
    const reason = /;; debug: deopt reason '(.*)'/.exec(line)?.[1];
    const target = / <\+0x([0-9a-f]+)>/.exec(line)?.[1];
    if (m) {
      out.push({
        offset: parseInt(m[1]!, 16),
        mnemonic: m[2]!,
        ...(target !== undefined ? { target: parseInt(target, 16) } : {}),
        ...(reason !== undefined ? { deoptReason: reason } : {}),
      });
    }
    else if (reason !== undefined && out.length > 0) out[out.length - 1]!.deoptReason = reason;
  }
  return out;
}

/** x64 `jcc` (not `jmp`), arm64 `b.cond`, `cbz`/`cbnz`, `tbz`/`tbnz`. */
export function isConditionalBranch(mnemonic: string): boolean {
  return (/^j[a-z]+$/.test(mnemonic) && mnemonic !== 'jmp') || /^(b\.[a-z]+|cbn?z|tbn?z)$/.test(mnemonic);
}

export interface ListingSummary {
  readonly instructions: number;
  readonly conditionalBranches: number;
  /** Conditional branches whose target is a deopt exit: V8's speculation guards. */
  readonly branchesToDeopt: number;
  readonly deoptExits: number;
}

export function summarize(lines: readonly string[]): ListingSummary {
  const all = instructionsOf(lines);
  const deoptAt = new Set(all.filter((i) => i.deoptReason !== undefined).map((i) => i.offset));
  const branches = all.filter((i) => isConditionalBranch(i.mnemonic));
  return {
    instructions: all.length,
    conditionalBranches: branches.length,
    branchesToDeopt: branches.filter((i) => i.target !== undefined && deoptAt.has(i.target)).length,
    deoptExits: deoptAt.size,
  };
}

/** The listing `hotpath codegen` prints: a `;` header, then V8's lines unchanged. */
export function formatListing(
  selection: Extract<Selection, { kind: 'found' }>,
  context: { readonly node?: string; readonly v8?: string; readonly arch?: string; readonly full?: boolean },
): string {
  const { block } = selection;
  const f = block.fields;
  const s = summarize(block.instructions);
  const header = [
    `; ${f['name'] ?? '?'}: ${f['kind'] ?? '?'} code (compiler ${f['compiler'] ?? '?'}, optimization_id ${f['optimization_id'] ?? '?'})` +
      (selection.versions > 1 ? `, the last of ${selection.versions} optimised versions` : ''),
    `; node ${context.node ?? '?'}, V8 ${context.v8 ?? '?'}, ${context.arch ?? '?'}`,
    `; ${s.instructions} instructions, ${s.conditionalBranches} conditional branches (${s.branchesToDeopt} to deopt exits), ${s.deoptExits} deopt exits`,
    ...block.rawSource.split('\n').map((l, i) => (i === 0 ? `; source: ${l}` : `;         ${l}`)),
  ];
  if (context.full) return [...header, ...block.lines].join('\n') + '\n';
  return [...header, block.instructionsHeader ?? '', ...block.instructions, ...(block.inlined.length > 1 ? ['', ...block.inlined] : [])].join('\n') + '\n';
}

interface ChildOutput {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly spawnError?: string;
}

function runChild(command: string, args: readonly string[]): Promise<ChildOutput> {
  return new Promise((done) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => done({ code: null, stdout: '', stderr: '', spawnError: e.message }));
    child.on('close', (code) =>
      done({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
  });
}

function lastLines(text: string, n: number): string {
  const lines = text
    .split('\n')
    .filter((l) => l.trim() !== '' && !/^npm (warn|notice)/.test(l));
  return lines.slice(-n).join('\n');
}

function existingFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

export interface RunOutcome {
  readonly exit: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * What to print and return once the driver has run: the listing, or why there is none.
 * `trace` is V8's `--print-opt-code` output; `child` the node process's exit code and stderr.
 */
export function interpretRun(
  o: CodegenOptions,
  result: DriverResult | undefined,
  trace: string,
  child: { readonly code: number | null; readonly stderr: string },
  nodeLabel: string,
): RunOutcome {
  const fail = (exit: number, message: string): RunOutcome => ({ exit, stdout: '', stderr: `hotpath codegen: ${message}\n` });
  if (result === undefined) {
    const tail = lastLines(child.stderr, 15);
    return fail(CODEGEN_EXIT.failed, `${nodeLabel} exited (code ${child.code}) before the driver finished` + (tail ? `\n${tail}` : ''));
  }
  if (result.stage !== 'done') {
    const what = {
      import: `could not import ${o.boot !== undefined ? `${o.boot} or ` : ''}${o.file}`,
      lookup: o.file,
      driver: `--driver ${o.driver}`,
      call: `calling ${o.functionName} threw`,
      done: '',
    }[result.stage];
    return fail(CODEGEN_EXIT.failed, `${what}: ${result.error ?? 'unknown error'}`);
  }
  const name = result.name ?? o.functionName;
  const label = name === '' ? `${o.functionName} (anonymous)` : name;
  const runtime = `node ${result.node}, V8 ${result.v8}, ${result.arch}`;
  const notes = result.defaultArgs
    ? `hotpath codegen: no --args given; called ${label} with small integers 0..999 (pass --args or --driver to choose)\n`
    : '';
  const selection = selectFunctionCode(parseOptimizedCode(trace), name, result.source);
  const status = result.status ?? 0;
  if (selection.kind === 'none' || selection.block.instructions.length === 0) {
    if ((result.everOptimized ?? status) & OPT_STATUS.optimized) {
      return fail(
        CODEGEN_EXIT.cannotPrint,
        `${label} was optimised, but ${runtime} printed no machine code for it: this node build cannot print ` +
          `code (--print-opt-code needs V8's disassembler, which official nodejs.org builds have). ` +
          `Try an official build, e.g. --node 22.`,
      );
    }
    return fail(
      CODEGEN_EXIT.failed,
      `${label} never got optimised by TurboFan on ${runtime} (%GetOptimizationStatus = 0x${status.toString(16)} ` +
        `after ${result.rounds} rounds of ${o.calls} calls): V8 refuses to optimise it, or deoptimises it at once. ` +
        `Try other --args, or run node --trace-opt --trace-deopt to see why.`,
    );
  }
  const warning = status & OPT_STATUS.turboFanned
    ? ''
    : `hotpath codegen: warning: ${label} was deoptimised again in each of ${result.rounds} rounds; ` +
      `this is the last code V8 produced, not code that stays installed\n`;
  return {
    exit: CODEGEN_EXIT.ok,
    stdout: formatListing(selection, { node: result.node, v8: result.v8, arch: result.arch, full: o.full }),
    stderr: notes + warning,
  };
}

export interface CodegenIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const defaultIO: CodegenIO = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

/** `hotpath codegen <args…>`; returns the exit code. Writes only to a temp dir it removes. */
export async function runCodegen(args: string[], io: CodegenIO = defaultIO): Promise<number> {
  const parsed = parseCodegenArgs(args);
  if (parsed.kind === 'help') {
    io.stdout(CODEGEN_USAGE + '\n');
    return CODEGEN_EXIT.ok;
  }
  if (parsed.kind === 'error') {
    io.stderr(`hotpath codegen: ${parsed.message}\n\n${CODEGEN_USAGE}\n`);
    return CODEGEN_EXIT.usage;
  }
  const o = parsed.options;
  for (const [what, file] of [['module', o.file], ['--driver', o.driver], ['--boot', o.boot]] as const) {
    if (file === undefined) continue;
    if (!existingFile(resolve(file))) {
      io.stderr(`hotpath codegen: ${what} ${file}: no such file\n`);
      return CODEGEN_EXIT.usage;
    }
  }
  if (/\.[cm]?tsx?$/.test(o.file)) {
    io.stderr(`hotpath codegen: ${o.file} is TypeScript; build it first (hotpath build) and pass the emitted .js file\n`);
    return CODEGEN_EXIT.usage;
  }

  const dir = mkdtempSync(join(tmpdir(), 'hotpath-codegen-'));
  try {
    const resultPath = join(dir, 'result.json');
    const configPath = join(dir, 'config.json');
    const codePath = join(dir, 'code.asm');
    const url = (p: string | undefined): string | undefined => (p === undefined ? undefined : pathToFileURL(resolve(p)).href);
    const config: DriverConfig = {
      moduleUrl: url(o.file)!,
      exportName: o.functionName,
      args: o.args,
      driverUrl: url(o.driver),
      bootUrl: url(o.boot),
      calls: o.calls,
      rounds: ROUNDS,
      optStatus: { optimized: OPT_STATUS.optimized, turboFanned: OPT_STATUS.turboFanned },
      resultPath,
      codePath,
    };
    writeFileSync(configPath, JSON.stringify(config));
    // Synchronous tier-up: no compile job in flight when the driver asks for TurboFan.
    const nodeArgs = ['--allow-natives-syntax', '--no-concurrent-recompilation', DRIVER_PATH, configPath];
    const [command, commandArgs] =
      o.node === undefined ? [process.execPath, nodeArgs] : ['npx', ['-y', '-p', `node@${o.node}`, 'node', ...nodeArgs]];
    const child = await runChild(command, commandArgs);
    const nodeLabel = o.node === undefined ? `node ${process.version}` : `node@${o.node}`;
    if (child.spawnError !== undefined) {
      io.stderr(`hotpath codegen: could not start ${command}: ${child.spawnError}\n`);
      return CODEGEN_EXIT.failed;
    }
    let result: DriverResult | undefined;
    try {
      result = JSON.parse(readFileSync(resultPath, 'utf8')) as DriverResult;
    } catch {
      result = undefined;
    }
    const code = existsSync(codePath) ? readFileSync(codePath, 'utf8') : '';
    if (o.raw) {
      io.stdout(code);
      return result?.stage === 'done' ? CODEGEN_EXIT.ok : CODEGEN_EXIT.failed;
    }
    const outcome = interpretRun(o, result, code, child, nodeLabel);
    if (outcome.stderr) io.stderr(outcome.stderr);
    if (outcome.stdout) io.stdout(outcome.stdout);
    return outcome.exit;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
