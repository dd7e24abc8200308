// A feature flag on a hot path: `if (STATIC_VARIABLE_LOAD(traceEnabled)) …` with tracing
// off. Patched, the test is `if (false)` and TurboFan drops the branch; read from a
// module `let`, every call loads the binding, checks it for the hole, and branches.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureDir } from '../lib/harness.js';
import { makePass, seededRandom, timePasses } from '../lib/measure.js';
import { compile, writeProject } from '../lib/project.js';

const N = 1 << 20;
const BODY = (flag) =>
  `const y = Math.imul(x, 0x9e3779b1) >>> 0;\n  if (${flag}) traced.push(y);\n  return y & 0xff;`;

const HAND_WRITTEN = {
  let: `const traced = [];\nlet traceEnabled = true;\nexport function init(on) { traceEnabled = on; }\nexport function step(x) {\n  ${BODY('traceEnabled')}\n}\n`,
  'const-obj': `const traced = [];\nconst cfg = { traceEnabled: true };\nexport function init(on) { cfg.traceEnabled = on; }\nexport function step(x) {\n  ${BODY('cfg.traceEnabled')}\n}\n`,
  literal: `const traced = [];\nexport function init(on) {}\nexport function step(x) {\n  ${BODY('false')}\n}\n`,
};

const TS_FILES = {
  'src/config.ts': `export let traceEnabled = true;\n/** @boot */\nexport function configure(trace: boolean): void {\n  traceEnabled = trace;\n}\n`,
  'src/step.ts':
    `import { STATIC_VARIABLE_LOAD } from 'hotpath';\nimport { traceEnabled } from './config.js';\nconst traced: number[] = [];\n` +
    `export function step(x: number): number {\n  ${BODY('STATIC_VARIABLE_LOAD(traceEnabled)')}\n}\n`,
};

const LABELS = {
  let: 'module-level let',
  'const-obj': 'const object property',
  literal: 'hand-written if (false)',
  patched: 'hotpath slot, patched',
  unpatched: 'hotpath slot, not patched',
};

async function loadStep(source, workDir) {
  if (source === 'patched' || source === 'unpatched') {
    const dist = path.join(workDir, 'ts/dist');
    const config = await import(pathToFileURL(path.join(dist, 'config.js')).href);
    config.configure(false);
    if (source === 'patched') (await import('hotpath')).seal();
    const m = await import(pathToFileURL(path.join(dist, 'step.js')).href);
    // Unpatched, the slot still reads the binding: ` (traceEnabled) `.
    const patched = !/\(\s*traceEnabled\s*\)/.test(m.step.toString());
    if (patched !== (source === 'patched')) throw new Error(`flag/${source}: step() is ${patched ? '' : 'not '}patched:\n${m.step}`);
    return m.step;
  }
  const m = await import(pathToFileURL(path.join(workDir, `${source}.mjs`)).href);
  m.init(false);
  return m.step;
}

export default {
  name: 'flag',
  title: 'Feature flag off on a hot path: if (STATIC_VARIABLE_LOAD(traceEnabled)) …',
  unit: 'ns/op',
  defaultRuns: 7,
  variants: Object.entries(LABELS).map(([name, label]) => ({ name, label, needsHotpath: name === 'patched' || name === 'unpatched' })),
  sameChecksum: [Object.keys(LABELS)],
  comparisons: [
    { label: 'let / patched', num: 'let', den: 'patched' },
    { label: 'patched / literal', num: 'patched', den: 'literal', target: { op: '<=', value: 1.05 } },
    { label: 'unpatched slot / patched', num: 'unpatched', den: 'patched' },
    { label: 'let / literal', num: 'let', den: 'literal' },
  ],
  async prepare(ctx) {
    ensureDir(ctx.workDir);
    for (const [name, text] of Object.entries(HAND_WRITTEN)) writeFileSync(path.join(ctx.workDir, `${name}.mjs`), text);
    if (ctx.hotpath) {
      writeProject(path.join(ctx.workDir, 'ts'), TS_FILES);
      compile(path.join(ctx.workDir, 'ts'));
    }
  },
  async measure(source, { workDir }) {
    const step = await loadStep(source, workDir);
    const random = seededRandom(99);
    const inputs = new Int32Array(N);
    for (let i = 0; i < N; i++) inputs[i] = Math.floor(random() * 0x7fffffff);
    const chunk = (from, end) => {
      let acc = 0;
      for (let i = from; i < end; i++) acc = (acc + step(inputs[i])) | 0;
      return acc;
    };
    return timePasses(makePass(chunk, N), { opsPerPass: N });
  },
};
