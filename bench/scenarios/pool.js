// The pool check on every free (KFENCE's is_kfence_address): addresses on both sides of
// a 2 MiB pool, 0.2 % inside. Two-sided vs subtract-compare, with the pool's base read
// from a module-level `let`, a `const` object's property, a hand-written literal, and a
// slot compiled by `hotpath build` — patched after seal(), and unpatched for reference.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureDir } from '../lib/harness.js';
import { makePass, seededRandom, timePasses } from '../lib/measure.js';
import { compile, hotpathAvailable, writeProject } from '../lib/project.js';

export const POOL_BASE = 0x40000000;
export const POOL_SIZE = 0x200000;
const N = 1 << 20;

const FORMS = {
  two: (base) => `a >= ${base} && a < ${base} + 0x200000`,
  sub: (base) => `((a - ${base}) >>> 0) < 0x200000`,
};

/** Hand-written variant modules: `init(base)` then `check(address)`. */
function handWritten(form) {
  return {
    let: `let base = 0;\nexport function init(b) { base = b; }\nexport function check(a) { return ${FORMS[form]('base')}; }\n`,
    'const-obj': `const cfg = { base: 0 };\nexport function init(b) { cfg.base = b; }\nexport function check(a) { return ${FORMS[form]('cfg.base')}; }\n`,
    literal: `export function init(b) {}\nexport function check(a) { return ${FORMS[form](String(POOL_BASE))}; }\n`,
  };
}

/** The same checks as a user writes them for hotpath (issue 2's example). */
const TS_FILES = {
  'src/pool.ts': `export let poolBase = 0;\n/** @boot */\nexport function initPool(base: number): void {\n  poolBase = base;\n}\n`,
  'src/check-two.ts':
    `import { STATIC_VARIABLE_LOAD } from 'hotpath';\nimport { poolBase } from './pool.js';\n` +
    `export function check(a: number): boolean {\n  return a >= STATIC_VARIABLE_LOAD(poolBase) && a < STATIC_VARIABLE_LOAD(poolBase) + 0x200000;\n}\n`,
  'src/check-sub.ts':
    `import { STATIC_VARIABLE_LOAD } from 'hotpath';\nimport { poolBase } from './pool.js';\n` +
    `export function check(a: number): boolean {\n  return ((a - STATIC_VARIABLE_LOAD(poolBase)) >>> 0) < 0x200000;\n}\n`,
};

/** Writes the hand-written modules and builds the TypeScript project with `hotpath build`. */
export async function preparePoolModules(workDir, { withHotpath }) {
  ensureDir(workDir);
  for (const form of Object.keys(FORMS)) {
    for (const [source, text] of Object.entries(handWritten(form))) {
      writeFileSync(path.join(workDir, `${form}-${source}.mjs`), text);
    }
  }
  if (withHotpath) {
    const project = path.join(workDir, 'ts');
    writeProject(project, TS_FILES);
    compile(project);
  }
}

/**
 * Loads variant `<form>/<source>` and returns its check function. For `patched`, the
 * base is set in a @boot function, seal() installs the hooks, and the check module is
 * imported afterwards; the function's source must then show the literal, or the
 * figure would not be what its name says.
 */
export async function loadCheck(form, source, workDir) {
  if (source === 'patched' || source === 'unpatched') {
    const dist = path.join(workDir, 'ts/dist');
    const pool = await import(pathToFileURL(path.join(dist, 'pool.js')).href);
    pool.initPool(POOL_BASE);
    if (source === 'patched') (await import('hotpath')).seal();
    const m = await import(pathToFileURL(path.join(dist, `check-${form}.js`)).href);
    const patched = m.check.toString().includes(String(POOL_BASE));
    if (patched !== (source === 'patched')) {
      throw new Error(`${form}/${source}: check() is ${patched ? '' : 'not '}patched:\n${m.check}`);
    }
    return m.check;
  }
  const m = await import(pathToFileURL(path.join(workDir, `${form}-${source}.mjs`)).href);
  m.init(POOL_BASE);
  return m.check;
}

/** Addresses: `mixed` = half below the pool, half above; `below` = all below. 0.2 % inside either way. */
export function makeAddresses(mode) {
  const random = seededRandom(12345);
  const addrs = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    let a =
      mode === 'mixed' && random() >= 0.5
        ? POOL_BASE + POOL_SIZE + Math.floor(random() * 0x3f000000)
        : Math.floor(random() * POOL_BASE);
    if (random() < 0.002) a = POOL_BASE + Math.floor(random() * POOL_SIZE);
    addrs[i] = a;
  }
  return addrs;
}

export async function measureCheck(variant, workDir, mode) {
  const [form, source] = variant.split('/');
  const check = await loadCheck(form, source, workDir);
  const addrs = makeAddresses(mode);
  const chunk = (from, end) => {
    let inside = 0;
    for (let i = from; i < end; i++) if (check(addrs[i])) inside++;
    return inside;
  };
  return timePasses(makePass(chunk, N), { opsPerPass: N });
}

const SOURCES = ['let', 'const-obj', 'literal', 'patched', 'unpatched'];
const SOURCE_LABELS = {
  let: 'module-level let',
  'const-obj': 'const object property',
  literal: 'hand-written literal',
  patched: 'hotpath slot, patched',
  unpatched: 'hotpath slot, not patched',
};

export default {
  name: 'pool',
  title: 'Pool check on every free: 2 MiB pool, addresses on both sides, 0.2 % inside',
  unit: 'ns/op',
  defaultRuns: 7,
  variants: ['sub', 'two'].flatMap((form) =>
    SOURCES.map((source) => ({
      name: `${form}/${source}`,
      label: `${form === 'two' ? 'two-sided' : 'subtract'}, ${SOURCE_LABELS[source]}`,
      needsHotpath: source === 'patched' || source === 'unpatched',
    })),
  ),
  sameChecksum: [['sub/let', 'sub/const-obj', 'sub/literal', 'sub/patched', 'sub/unpatched', 'two/let', 'two/const-obj', 'two/literal', 'two/patched', 'two/unpatched']],
  comparisons: [
    { label: 'two-sided / subtract, base in a let', num: 'two/let', den: 'sub/let', target: { op: '>=', value: 5 }, issue: 3 },
    { label: 'two-sided / subtract, const-obj base', num: 'two/const-obj', den: 'sub/const-obj', target: { op: '>=', value: 5 }, issue: 3 },
    { label: 'two-sided / subtract, literal base', num: 'two/literal', den: 'sub/literal', target: { op: '>=', value: 5 }, issue: 3 },
    { label: 'two-sided / subtract, patched slot', num: 'two/patched', den: 'sub/patched', target: { op: '>=', value: 5 }, issue: 3 },
    { label: 'subtract: let / patched', num: 'sub/let', den: 'sub/patched', target: { op: '>=', value: 1.8 }, issue: 2 },
    { label: 'subtract: patched / literal', num: 'sub/patched', den: 'sub/literal', target: { op: '<=', value: 1.05 }, issue: 2 },
    { label: 'subtract: unpatched slot / patched', num: 'sub/unpatched', den: 'sub/patched' },
    { label: 'subtract: const-obj / literal', num: 'sub/const-obj', den: 'sub/literal' },
    { label: 'two-sided: let / patched', num: 'two/let', den: 'two/patched' },
    { label: 'two-sided: patched / literal', num: 'two/patched', den: 'two/literal' },
    { label: 'let two-sided / patched subtract (both changes)', num: 'two/let', den: 'sub/patched' },
  ],
  async prepare(ctx) {
    await preparePoolModules(ctx.workDir, { withHotpath: ctx.hotpath });
  },
  measure: (variant, { workDir }) => measureCheck(variant, workDir, 'mixed'),
};
