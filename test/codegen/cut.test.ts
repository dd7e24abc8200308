import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CODEGEN_EXIT,
  formatListing,
  instructionsOf,
  interpretRun,
  isConditionalBranch,
  OPT_STATUS,
  parseOptimizedCode,
  selectFunctionCode,
  summarize,
  type CodegenOptions,
  type DriverResult,
} from '../../tools/codegen/index.js';

const sample = (name: string): string => readFileSync(new URL(`samples/${name}`, import.meta.url), 'utf8');

describe('parseOptimizedCode', () => {
  it('cuts one block per --- Raw source --- … --- End code ---, fields and instructions apart', () => {
    const blocks = parseOptimizedCode(sample('node20-pool-let.txt'));
    expect(blocks).toHaveLength(1);
    const [b] = blocks;
    expect(b!.fields).toMatchObject({ kind: 'TURBOFAN', name: 'isPoolAddress', compiler: 'turbofan', optimization_id: '0' });
    expect(b!.rawSource).toBe('(a) {\n  return a >= poolBase && a < poolBase + POOL_SIZE;\n}');
    expect(b!.instructionsHeader).toBe('Instructions (size = 292)');
    // Every instruction line and its ;; continuation lines, nothing from the later sections.
    expect(b!.instructions[0]).toMatch(/^0x[0-9a-f]+\s+0\s+488b59f8\s+REX\.W movq rbx,\[rcx-0x8\]$/);
    expect(b!.instructions.at(-1)).toMatch(/\s123\s+90\s+nop$/);
    expect(b!.instructions.some((l) => l.startsWith('Source positions') || /^\s+[0-9a-f]+\s+[0-9a-f]+$/.test(l))).toBe(false);
    expect(b!.lines[0]).toBe('--- Raw source ---');
    expect(b!.lines.at(-1)).toBe('--- End code ---');
  });

  it('keeps the instruction lines exactly as V8 printed them', () => {
    const text = sample('node20-pool-let.txt');
    const [b] = parseOptimizedCode(text);
    const start = text.indexOf('Instructions (size');
    const section = text.slice(start, text.indexOf('\n\n', start)).split('\n').slice(1);
    expect(b!.instructions).toEqual(section);
  });

  it('finds both TurboFan versions of a function that was deoptimised and optimised again', () => {
    const blocks = parseOptimizedCode(sample('node22-two-versions.txt'));
    expect(blocks.map((b) => [b.fields['name'], b.fields['optimization_id']])).toEqual([
      ['checkLet', '0'],
      ['checkLet', '2'],
    ]);
  });

  it('ignores the program output between and after blocks, and parses unnamed blocks', () => {
    const blocks = parseOptimizedCode(sample('node24-unfiltered.txt'));
    expect(blocks).toHaveLength(2);
    expect(blocks[0]!.fields).toMatchObject({ kind: 'TURBOFAN_JS', name: 'checkLet' });
    expect(blocks[1]!.fields['name']).toBeUndefined();
    expect(blocks[1]!.inlined[0]).toMatch(/^Inlined functions \(count = 1\)/);
    expect(blocks.every((b) => !b.instructions.includes('0'))).toBe(true);
  });

  it('returns nothing for output without blocks', () => {
    expect(parseOptimizedCode('hello\n0\n')).toEqual([]);
  });
});

describe('selectFunctionCode', () => {
  it('takes the last optimised version', () => {
    const sel = selectFunctionCode(parseOptimizedCode(sample('node22-two-versions.txt')), 'checkLet');
    expect(sel.kind).toBe('found');
    if (sel.kind !== 'found') return;
    expect(sel.block.fields['optimization_id']).toBe('2');
    expect(sel.versions).toBe(2);
    expect(sel.tier).toBe('turbofan');
  });

  it('tells a function from another of the same name by its source', () => {
    const text = sample('node22-two-versions.txt');
    const [first, second] = parseOptimizedCode(text);
    const other = { ...second!, rawSource: '(x){ return x; }' };
    const sel = selectFunctionCode([first!, other], 'checkLet', 'function checkLet(a){ return a >= base && a < base + 0x200000; }');
    expect(sel.kind === 'found' && sel.block).toBe(first);
  });

  it('does not take an unnamed block (here: the caller that inlined it)', () => {
    const blocks = parseOptimizedCode(sample('node24-unfiltered.txt'));
    const sel = selectFunctionCode(blocks, 'checkLet');
    expect(sel.kind === 'found' && sel.block).toBe(blocks[0]);
    expect(selectFunctionCode(blocks, 'init').kind).toBe('none');
  });

  it('prefers TurboFan over a later Maglev block', () => {
    const [b] = parseOptimizedCode(sample('node20-pool-let.txt'));
    const maglev = { ...b!, fields: { ...b!.fields, kind: 'MAGLEV', compiler: 'maglev' } };
    const sel = selectFunctionCode([b!, maglev], 'isPoolAddress');
    expect(sel.kind === 'found' && sel.block).toBe(b);
    const only = selectFunctionCode([maglev], 'isPoolAddress');
    expect(only.kind === 'found' && only.tier).toBe('maglev');
  });
});

describe('instruction summary', () => {
  it('reads offsets, mnemonics, jump targets and deopt reasons', () => {
    const [b] = parseOptimizedCode(sample('node20-pool-let.txt'));
    const ins = instructionsOf(b!.instructions);
    expect(ins[0]).toEqual({ offset: 0, mnemonic: 'movq' });
    expect(ins.find((i) => i.offset === 0x5b)).toEqual({ offset: 0x5b, mnemonic: 'jle', target: 0x82 });
    expect(ins.filter((i) => i.deoptReason === 'not a Smi')).toHaveLength(2);
  });

  it('counts conditional branches, and those that go to deopt exits', () => {
    const [b] = parseOptimizedCode(sample('node20-pool-let.txt'));
    // jnz (lazy deopt), jna (stack), jz (hole), jnz, jnz (Smi), jle, jg (arguments), jo (overflow), jl
    expect(summarize(b!.instructions)).toEqual({ instructions: 66, conditionalBranches: 9, branchesToDeopt: 3, deoptExits: 5 });
  });

  it('knows x64 and arm64 conditional branches', () => {
    for (const m of ['jz', 'jnz', 'jle', 'jc', 'jna', 'b.eq', 'b.hs', 'cbz', 'tbnz']) expect(isConditionalBranch(m)).toBe(true);
    for (const m of ['jmp', 'b', 'call', 'cmpq', 'bl']) expect(isConditionalBranch(m)).toBe(false);
  });
});

describe('formatListing', () => {
  it('prints a ; header and the instruction lines unchanged, without the later sections', () => {
    const sel = selectFunctionCode(parseOptimizedCode(sample('node20-pool-let.txt')), 'isPoolAddress');
    if (sel.kind !== 'found') throw new Error('not found');
    const out = formatListing(sel, { node: 'v20.20.2', v8: '11.3', arch: 'x64' });
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe('; isPoolAddress: TURBOFAN code (compiler turbofan, optimization_id 0)');
    expect(lines[2]).toBe('; 66 instructions, 9 conditional branches (3 to deopt exits), 5 deopt exits');
    expect(lines[3]).toBe('; source: (a) {');
    expect(lines.slice(lines.indexOf('Instructions (size = 292)') + 1)).toEqual(sel.block.instructions);
    expect(out).not.toContain('RelocInfo');
    expect(formatListing(sel, { full: true })).toContain('RelocInfo');
  });
});

describe('interpretRun', () => {
  const options: CodegenOptions = { file: 'pool.js', functionName: 'isPoolAddress', args: [], calls: 1000, full: false, raw: false };
  const done: DriverResult = {
    stage: 'done',
    name: 'isPoolAddress',
    status: 1 | OPT_STATUS.optimized | OPT_STATUS.turboFanned,
    everOptimized: 1 | OPT_STATUS.optimized | OPT_STATUS.turboFanned,
    rounds: 1,
    node: 'v20.20.2',
    v8: '11.3',
    arch: 'x64',
  };
  const ok = { code: 0, stderr: '' };

  it('prints the listing and exits 0', () => {
    const r = interpretRun(options, done, sample('node20-pool-let.txt'), ok, 'node');
    expect(r.exit).toBe(CODEGEN_EXIT.ok);
    expect(r.stdout).toContain('REX.W cmpq [r13+0x198] (root (the_hole_value)),rdx');
    expect(r.stderr).toBe('');
  });

  it('says the build cannot print code when the function was optimised but nothing was printed', () => {
    const r = interpretRun(options, done, '', ok, 'node');
    expect(r.exit).toBe(CODEGEN_EXIT.cannotPrint);
    expect(r.stderr).toMatch(/printed no machine code.*cannot print code/);
  });

  it('says the same when V8 printed a block without instructions (no disassembler)', () => {
    const text = sample('node20-pool-let.txt');
    const noInstructions = text.slice(0, text.indexOf('Instructions (')) + text.slice(text.indexOf('Source positions'));
    expect(interpretRun(options, done, noInstructions, ok, 'node').exit).toBe(CODEGEN_EXIT.cannotPrint);
  });

  it('says the function never got optimised', () => {
    const r = interpretRun(options, { ...done, status: 1 | OPT_STATUS.maybeDeopted, everOptimized: 1, rounds: 3 }, '', ok, 'node');
    expect(r.exit).toBe(CODEGEN_EXIT.failed);
    expect(r.stderr).toMatch(/isPoolAddress never got optimised by TurboFan .*0x9 after 3 rounds of 1000 calls/);
  });

  it('warns when the last version did not stay installed', () => {
    const r = interpretRun(options, { ...done, status: 1 | OPT_STATUS.maybeDeopted, rounds: 3 }, sample('node20-pool-let.txt'), ok, 'node');
    expect(r.exit).toBe(CODEGEN_EXIT.ok);
    expect(r.stderr).toMatch(/warning: isPoolAddress was deoptimised again/);
  });

  it('reports a driver failure with its stage', () => {
    const r = interpretRun(options, { stage: 'lookup', error: 'isPoolAddres is not an exported function' }, '', ok, 'node');
    expect(r).toEqual({ exit: CODEGEN_EXIT.failed, stdout: '', stderr: 'hotpath codegen: pool.js: isPoolAddres is not an exported function\n' });
    const crash = interpretRun(options, undefined, '', { code: 134, stderr: 'npm warn x\nSegmentation fault\n' }, 'node@22');
    expect(crash.stderr).toBe('hotpath codegen: node@22 exited (code 134) before the driver finished\nSegmentation fault\n');
  });
});
