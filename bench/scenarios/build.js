// Build cost: `hotpath build -p` vs `tsc -p` on the boot scenario's generated project
// (1,000 modules, 10,000 sites), wall time of the whole compiler process.
// HOTPATH_BUILD_BASELINE=<another built checkout> adds its `hotpath build` to the same rounds (before/after under one load).
import path from 'node:path';
import { generateApp } from '../lib/app-generator.js';
import { compileArgs } from '../lib/project.js';

const MODULES = 1000;
/** Another checkout of hotpath (built), run on the same project in the same rounds: a before/after figure under one load. */
const BASELINE = process.env.HOTPATH_BUILD_BASELINE ? path.resolve(process.env.HOTPATH_BUILD_BASELINE) : undefined;

export default {
  name: 'build',
  title: `Build: ${MODULES} modules with ${MODULES * 10} sites, wall time of the compiler process`,
  unit: 'ms',
  defaultRuns: 3,
  variants: [
    { name: 'tsc', label: 'tsc -p', command: ({ workDir }) => ({ args: compileArgs(path.join(workDir, 'app'), { tool: 'tsc', config: 'tsconfig.tsc.json' }) }) },
    { name: 'hotpath', label: 'hotpath build -p', needsHotpath: true, command: ({ workDir }) => ({ args: compileArgs(path.join(workDir, 'app')) }) },
    {
      name: 'baseline',
      label: `hotpath build -p of HOTPATH_BUILD_BASELINE`,
      skip: !BASELINE,
      // Run only when BASELINE is set (skip above).
      command: ({ workDir }) => ({ args: [path.join(/** @type {string} */ (BASELINE), 'build/compiler/cli.js'), 'build', '-p', path.join(workDir, 'app', 'tsconfig.json')] }),
    },
  ],
  comparisons: [
    { label: 'hotpath build / tsc', num: 'hotpath', den: 'tsc', target: { op: '<=', value: 1.1 }, issue: 10 },
    { label: 'baseline / tsc', num: 'baseline', den: 'tsc' },
    { label: 'hotpath build / baseline', num: 'hotpath', den: 'baseline' },
  ],
  async prepare(ctx) {
    generateApp(path.join(ctx.workDir, 'app'), { modules: MODULES });
  },
};
