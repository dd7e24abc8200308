/**
 * `npm start`'s job, scripts/demo.js, runs to the end (one benchmark run per variant, this
 * Node only) and prints every step: CI runs `npm test`, not `npm start`, so this is what
 * keeps the demo working as the compiler, runtime and plugin change.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { REPO, run } from './harness.js';

it('scripts/demo.js builds, lints, boots, reports the bugs, checks the unpatched run and measures', async () => {
  const result = await run(process.execPath, [join(REPO, 'scripts/demo.js'), '--node', 'none', '--runs', '1', '--seed', '7'], {
    cwd: REPO,
    env: { NO_COLOR: '1' },
    timeout: 90_000,
  });
  expect(result.code, result.stdout + result.stderr).toBe(0);
  const out = result.stdout;
  for (const step of ['[1/5] build', '[2/5] lint', '[3/5] boot', '[4/5] run', '[5/5] bench']) expect(out).toContain(step);
  expect(out).toContain('✓ exit 0');
  expect(out).toMatch(/hotpath\/valid-static-variable-load +✓ no findings/);
  expect(out).toMatch(/hotpath\/prefer-subtract-compare +\d+ finding/);
  expect(out).toMatch(/V8 compiles is_kfence_address\(\) as\n +return \(address - \(\/\*@hp:0\*\/ \d+ +\)\) >>> 0 < KFENCE_POOL_SIZE;/);
  expect(out).toContain('hotpath boot report: sealed');
  expect(out).toContain('modules patched after seal(): 2, 6 of 6 sites');
  expect(out).toContain('BUG: KFENCE: use-after-free read in logSessionStats');
  expect(out).toContain('BUG: KFENCE: invalid free in retirePacket');
  expect(out).toContain('✓ same result unpatched');
  expect(out).toMatch(/kfree\(\) +\d+\.\d\d ns .+ \d+\.\d\dx/);
  expect(out).toContain('Reproduce this run: node scripts/demo.js --seed 7');
});
