// One-sided data: every address below the pool (0.2 % inside), so the two-sided check's
// first branch is predictable. Shows that the subtract form is never slower here either.
import { measureCheck, preparePoolModules } from './pool.js';

export default {
  name: 'onesided',
  title: 'Pool check, addresses all below the pool, 0.2 % inside',
  unit: 'ns/op',
  defaultRuns: 5,
  variants: [
    { name: 'two/literal', label: 'two-sided, hand-written literal' },
    { name: 'sub/literal', label: 'subtract, hand-written literal' },
    { name: 'two/let', label: 'two-sided, module-level let' },
    { name: 'sub/let', label: 'subtract, module-level let' },
  ],
  sameChecksum: [['two/literal', 'sub/literal', 'two/let', 'sub/let']],
  comparisons: [
    { label: 'two-sided / subtract, literal base', num: 'two/literal', den: 'sub/literal', target: { op: '>=', value: 1 }, issue: 3 },
    { label: 'two-sided / subtract, base in a let', num: 'two/let', den: 'sub/let', target: { op: '>=', value: 1 }, issue: 3 },
  ],
  async prepare(ctx) {
    await preparePoolModules(ctx.workDir, { withHotpath: false });
  },
  measure: (variant, { workDir }) => measureCheck(variant, workDir, 'below'),
};
