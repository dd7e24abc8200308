// Build cost: `hotpath build -p` vs `tsc -p` on the boot scenario's generated project
// (1,000 modules, 10,000 sites), wall time of the whole compiler process.
import path from 'node:path';
import { generateApp } from '../lib/app-generator.js';
import { compileArgs } from '../lib/project.js';

const MODULES = 1000;

export default {
  name: 'build',
  title: `Build: ${MODULES} modules with ${MODULES * 10} sites, wall time of the compiler process`,
  unit: 'ms',
  defaultRuns: 3,
  variants: [
    { name: 'tsc', label: 'tsc -p', command: ({ workDir }) => ({ args: compileArgs(path.join(workDir, 'app'), { tool: 'tsc', config: 'tsconfig.tsc.json' }) }) },
    { name: 'hotpath', label: 'hotpath build -p', needsHotpath: true, command: ({ workDir }) => ({ args: compileArgs(path.join(workDir, 'app')) }) },
  ],
  comparisons: [{ label: 'hotpath build / tsc', num: 'hotpath', den: 'tsc', target: { op: '<=', value: 1.1 }, issue: 10 }],
  async prepare(ctx) {
    generateApp(path.join(ctx.workDir, 'app'), { modules: MODULES });
  },
};
