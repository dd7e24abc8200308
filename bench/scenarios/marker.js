// What the marker costs where it is not patched (issue 9, item 4). After seal() a call of
// STATIC_VARIABLE_LOAD is a site no pass rewrote, and the runtime names its module once
// (HP2018): before seal() the marker must cost what the plain read costs, patched code must
// not call it at all, and after seal() the naming must not make the hot loop slow.
// The pool check, `(a - STATIC_VARIABLE_LOAD(poolBase)) >>> 0 < SIZE`, over 2^20 addresses.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureDir } from '../lib/harness.js';
import { makePass, timePasses } from '../lib/measure.js';
import { compile, writeProject } from '../lib/project.js';
import { makeAddresses, POOL_BASE } from './pool.js';

const N = 1 << 20;

const TS_FILES = {
  'src/pool.ts': `export let poolBase = 0;\n/** @boot */\nexport function initPool(base: number): void {\n  poolBase = base;\n}\n`,
  'src/check.ts':
    `import { STATIC_VARIABLE_LOAD } from 'hotpath';\nimport { poolBase } from './pool.js';\n` +
    `export function check(a: number): boolean {\n  return ((a - STATIC_VARIABLE_LOAD(poolBase)) >>> 0) < 0x200000;\n}\n`,
  // The same read without the marker: what the marker must cost where it is not patched.
  'src/read.ts': `import { poolBase } from './pool.js';\nexport function check(a: number): boolean {\n  return ((a - poolBase) >>> 0) < 0x200000;\n}\n`,
};

const LABELS = {
  read: 'tsc output: the same read of the imported let, no marker',
  unsealed: 'tsc output: marker call, seal() not called',
  'sealed-quiet': 'tsc output: marker call after seal({ quiet: true })',
  'sealed-warn': 'tsc output: marker call after seal(), HP2018 naming on',
  patched: 'hotpath build output, patched',
};

async function loadCheck(variant, workDir) {
  const dist = path.join(workDir, 'ts', variant === 'patched' ? 'dist' : 'dist-tsc');
  const pool = await import(pathToFileURL(path.join(dist, 'pool.js')).href);
  pool.initPool(POOL_BASE);
  const hotpath = await import('hotpath');
  if (variant === 'sealed-quiet') hotpath.seal({ quiet: true });
  // (HOTPATH_QUIET is cleared for every variant, so the sealed ones name check.js on stderr once.)
  else if (variant === 'sealed-warn' || variant === 'patched') hotpath.seal();
  const m = await import(pathToFileURL(path.join(dist, variant === 'read' ? 'read.js' : 'check.js')).href);
  const calls = m.check.toString().includes('STATIC_VARIABLE_LOAD');
  if (calls !== (variant !== 'patched' && variant !== 'read')) throw new Error(`marker/${variant}: check() ${calls ? 'calls' : 'does not call'} the marker:\n${m.check}`);
  return m.check;
}

export default {
  name: 'marker',
  title: 'The marker where it is not patched: before seal(), after seal() (HP2018), and patched',
  unit: 'ns/op',
  defaultRuns: 7,
  variants: Object.entries(LABELS).map(([name, label]) => ({ name, label, needsHotpath: true, env: { HOTPATH_QUIET: '' } })),
  sameChecksum: [Object.keys(LABELS)],
  comparisons: [
    { label: 'marker unsealed / plain read', num: 'unsealed', den: 'read', target: { op: '<=', value: 1.03 }, issue: 9 },
    { label: 'marker after seal(), naming on / plain read', num: 'sealed-warn', den: 'read', issue: 9 },
    { label: 'marker after seal(), naming on / quiet', num: 'sealed-warn', den: 'sealed-quiet', issue: 9 },
    { label: 'patched / plain read', num: 'patched', den: 'read' },
  ],
  async prepare(ctx) {
    ensureDir(ctx.workDir);
    if (ctx.hotpath) {
      const project = path.join(ctx.workDir, 'ts');
      writeProject(project, TS_FILES);
      compile(project);
      compile(project, { tool: 'tsc', config: 'tsconfig.tsc.json' });
    }
  },
  async measure(variant, { workDir }) {
    const check = await loadCheck(variant, workDir);
    const addrs = makeAddresses('mixed');
    const chunk = (from, end) => {
      let inside = 0;
      for (let i = from; i < end; i++) if (check(addrs[i])) inside++;
      return inside;
    };
    return timePasses(makePass(chunk, N), { opsPerPass: N });
  },
};
