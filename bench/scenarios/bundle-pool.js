// The pool check (pool.js) in a bundled app: the same TypeScript modules built by Rolldown
// with hotpath's plugin (code splitting, minification, hotpath external), the check chunks
// imported after seal() — patched — or without seal() — unpatched —, against pool.js's
// hand-written literal. Issue 9: patched = literal within 3 %.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoDir } from '../lib/harness.js';
import { makePass, timePasses } from '../lib/measure.js';
import { POOL_BASE, loadCheck, makeAddresses, preparePoolModules } from './pool.js';

const N = 1 << 20;

/** pool.js's TypeScript modules, each its own entry so pool.js (the @boot side) and the check chunks are separate chunks. */
const FILES = {
  'src/pool.ts': `export let poolBase = 0;\n/** @boot */\nexport function initPool(base: number): void {\n  poolBase = base;\n}\n`,
  'src/check-two.ts':
    `import { STATIC_VARIABLE_LOAD } from 'hotpath';\nimport { poolBase } from './pool.js';\n` +
    `export function check(a: number): boolean {\n  return a >= STATIC_VARIABLE_LOAD(poolBase) && a < STATIC_VARIABLE_LOAD(poolBase) + 0x200000;\n}\n`,
  'src/check-sub.ts':
    `import { STATIC_VARIABLE_LOAD } from 'hotpath';\nimport { poolBase } from './pool.js';\n` +
    `export function check(a: number): boolean {\n  return ((a - STATIC_VARIABLE_LOAD(poolBase)) >>> 0) < 0x200000;\n}\n`,
};

/** Builds FILES with Rolldown + hotpath() into <workDir>/bundle/dist. */
export async function prepareBundledPool(workDir) {
  const dir = path.join(workDir, 'bundle');
  rmSync(dir, { recursive: true, force: true });
  for (const [rel, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  const { rolldown } = await import('rolldown');
  const hotpath = (await import(pathToFileURL(path.join(repoDir, 'build/bundler/rolldown.js')).href)).default;
  const input = Object.fromEntries(['pool', 'check-two', 'check-sub'].map((n) => [n, path.join(dir, `src/${n}.ts`)]));
  const bundle = await rolldown({ input, cwd: dir, platform: 'node', external: ['hotpath'], plugins: [hotpath({ root: dir })], logLevel: 'silent' });
  await bundle.write({ dir: path.join(dir, 'dist'), format: 'es', minify: true, entryFileNames: '[name].js' });
}

/** `patched`/`unpatched`: the bundled check (after seal() or not; its source must say which); anything else: pool.js's hand-written modules. */
async function loadBundledCheck(form, source, workDir) {
  if (source !== 'patched' && source !== 'unpatched') return loadCheck(form, source, workDir);
  const dist = path.join(workDir, 'bundle/dist');
  const pool = await import(pathToFileURL(path.join(dist, 'pool.js')).href);
  pool.initPool(POOL_BASE);
  if (source === 'patched') (await import('hotpath')).seal();
  const m = await import(pathToFileURL(path.join(dist, `check-${form}.js`)).href);
  const patched = m.check.toString().includes(String(POOL_BASE));
  if (patched !== (source === 'patched')) throw new Error(`bundled ${form}/${source}: check() is ${patched ? '' : 'not '}patched:\n${m.check}`);
  return m.check;
}

const SOURCE_LABELS = { literal: 'hand-written literal', patched: 'bundled slot, patched', unpatched: 'bundled slot, not patched' };

export default {
  name: 'bundle-pool',
  title: 'Pool check in a Rolldown bundle (splitting + minify): patched slot vs unpatched vs a hand-written literal',
  unit: 'ns/op',
  defaultRuns: 7,
  // The plugin strips TypeScript with node:module stripTypeScriptTypes where Node has it; Rolldown's transform otherwise.
  variants: ['sub', 'two'].flatMap((form) =>
    Object.keys(SOURCE_LABELS).map((source) => ({
      name: `${form}/${source}`,
      label: `${form === 'two' ? 'two-sided' : 'subtract'}, ${SOURCE_LABELS[source]}`,
      needsHotpath: source !== 'literal',
    })),
  ),
  sameChecksum: [['sub/literal', 'sub/patched', 'sub/unpatched', 'two/literal', 'two/patched', 'two/unpatched']],
  comparisons: [
    { label: 'subtract: bundled patched / literal', num: 'sub/patched', den: 'sub/literal', target: { op: '<=', value: 1.03 }, issue: 9 },
    { label: 'two-sided: bundled patched / literal', num: 'two/patched', den: 'two/literal', target: { op: '<=', value: 1.03 }, issue: 9 },
    { label: 'subtract: bundled unpatched / patched', num: 'sub/unpatched', den: 'sub/patched' },
    { label: 'two-sided: bundled unpatched / patched', num: 'two/unpatched', den: 'two/patched' },
  ],
  async prepare(ctx) {
    await preparePoolModules(ctx.workDir, { withHotpath: false });
    if (ctx.hotpath) await prepareBundledPool(ctx.workDir);
  },
  async measure(variant, { workDir }) {
    const [form, source] = variant.split('/');
    const check = await loadBundledCheck(form, source, workDir);
    const addrs = makeAddresses('mixed');
    const chunk = (from, end) => {
      let inside = 0;
      for (let i = from; i < end; i++) if (check(addrs[i])) inside++;
      return inside;
    };
    return timePasses(makePass(chunk, N), { opsPerPass: N });
  },
};
