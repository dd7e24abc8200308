#!/usr/bin/env node
// Long runs of the differential program fuzzer (test/fuzz/programs.test.ts):
//   npm run fuzz -- --programs 5000 --seed 7 --node 20,22,24
// Program i of a run has seed S + i; a failing seed is printed with its minimised program
// and is reproduced alone by `--seed <that seed> --programs 1`.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const options = { programs: '200', seed: '1', node: '20' };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const arg = /** @type {string} */ (args[i]); // i < args.length
  const [flag = '', inline] = arg.split('=');
  const name = flag.replace(/^--/, '');
  if (!(name in options) || !flag.startsWith('--')) {
    console.error(`fuzz: unknown argument ${arg}\nusage: npm run fuzz -- [--programs N] [--seed S] [--node 20,22,24,26]`);
    process.exit(2);
  }
  options[name] = inline ?? args[++i];
}
if (!/^\d+$/.test(options.programs) || !/^\d+$/.test(options.seed) || !/^\d+(,\d+)*$/.test(options.node)) {
  console.error('fuzz: --programs and --seed take whole numbers, --node a comma-separated list of Node majors');
  process.exit(2);
}
const build = spawnSync('npm', ['run', 'build'], { cwd: repo, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const vitest = spawnSync(process.execPath, [join(repo, 'node_modules/vitest/vitest.mjs'), 'run', 'test/fuzz/programs.test.ts'], {
  cwd: repo,
  stdio: 'inherit',
  env: { ...process.env, FUZZ_PROGRAMS: options.programs, FUZZ_SEED: options.seed, FUZZ_NODES: options.node },
});
process.exit(vitest.status ?? 1);
