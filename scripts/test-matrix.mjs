#!/usr/bin/env node
// The end-to-end suite from `npm pack` (test/pack-e2e/) on every TypeScript × Node cell:
// each cell is one `vitest run test/pack-e2e` with HOTPATH_E2E_TS and HOTPATH_E2E_NODE set
// (test/pack-e2e/harness.ts reads them). Prints a table and 'N passed, N failed'; exits 1 if
// any test failed. Needs build/ (npm run test:matrix builds first).
//
//   node scripts/test-matrix.mjs [--ts 5.9,6.0] [--node 20,22,24,26]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const ALL = { ts: ['5.9', '6.0'], node: ['20', '22', '24', '26'] };

function option(name) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return ALL[name];
  const values = (process.argv[i + 1] ?? '').split(',').filter(Boolean);
  const unknown = values.filter((v) => !ALL[name].includes(v));
  if (values.length === 0 || unknown.length) {
    console.error(`test-matrix: --${name} takes a comma-separated list of ${ALL[name].join(', ')}${unknown.length ? `; not ${unknown.join(', ')}` : ''}`);
    process.exit(2);
  }
  return values;
}
const cells = option('ts').flatMap((ts) => option('node').map((node) => ({ ts, node })));

const results = [];
const scratch = mkdtempSync(join(tmpdir(), 'hotpath-matrix-'));
for (const cell of cells) {
  const label = `TypeScript ${cell.ts}, Node ${cell.node}`;
  console.log(`\n=== ${label}`);
  const report = join(scratch, `${cell.ts}-${cell.node}.json`);
  const started = Date.now();
  const run = spawnSync(process.execPath, [join(REPO, 'node_modules/vitest/vitest.mjs'), 'run', 'test/pack-e2e', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], {
    cwd: REPO,
    stdio: 'inherit',
    env: { ...process.env, HOTPATH_E2E_TS: cell.ts, HOTPATH_E2E_NODE: cell.node, NO_COLOR: '1' },
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  let counts = { passed: 0, failed: 0, skipped: 0 };
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    counts = { passed: json.numPassedTests, failed: json.numFailedTests, skipped: json.numPendingTests + json.numTodoTests };
    // A file that failed to load counts as a failure even with no test in it.
    if (json.numFailedTestSuites > 0 && counts.failed === 0) counts.failed = json.numFailedTestSuites;
  } catch {
    counts.failed = 1; // no report: vitest itself failed
  }
  if (run.status !== 0 && counts.failed === 0) counts.failed = 1;
  results.push({ label, ...counts, seconds });
}
rmSync(scratch, { recursive: true, force: true });

const width = Math.max(...results.map((r) => r.label.length), 4);
console.log(`\n${'cell'.padEnd(width)}  passed  failed  skipped  time`);
for (const r of results) {
  console.log(`${r.label.padEnd(width)}  ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}  ${String(r.skipped).padStart(7)}  ${r.seconds} s`);
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
