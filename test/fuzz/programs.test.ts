/**
 * Differential fuzzer (issue 8): generated multi-module programs must compute the same
 * uncompiled (tsc), compiled-unpatched and compiled-patched, and most of their sites must
 * be patched (a run that patches nothing proves nothing). CI default: FUZZ_PROGRAMS (200)
 * programs from FUZZ_SEED (1) on Node FUZZ_NODES (20); `npm run fuzz` sets them for long runs.
 */
import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import { CLI, nodeBinary } from '../e2e/harness.js';
import { describeFailure, minimise, programsFrom, runBatch } from './runner.js';

const PROGRAMS = Number(process.env.FUZZ_PROGRAMS ?? 200);
const SEED = Number(process.env.FUZZ_SEED ?? 1);
const MAJORS = (process.env.FUZZ_NODES ?? '20').split(',').map(Number);
/** Programs per build: larger batches amortise tsc's start-up, smaller ones bound memory. */
const BATCH = 400;
/** A program takes about 0.3 s per Node on the shared 2-core machine: a long run gets four times that, at least an hour. */
const TIMEOUT_MS = Math.max(3_600_000, PROGRAMS * MAJORS.length * 1_200);

it(`${PROGRAMS} generated programs from seed ${SEED} compute the same uncompiled, unpatched and patched on Node ${MAJORS.join(', ')}`, async () => {
  if (!existsSync(CLI)) throw new Error('build/compiler/cli.js is missing: run `npm run build` (npm test does)');
  const nodes = new Map<number, string>();
  for (const major of MAJORS) {
    const node = await nodeBinary(major);
    if (!node) throw new Error(`npx could not fetch node@${major}`);
    nodes.set(major, node);
  }
  const started = Date.now();
  const totals = { programs: 0, runs: 0, sites: 0, patched: 0, skipped: 0, typeErrors: 0, hostile: 0 };
  const failures = [];
  const knownHoles: Record<string, number> = {};
  for (let offset = 0; offset < PROGRAMS; offset += BATCH) {
    const r = await runBatch(programsFrom(SEED + offset, Math.min(BATCH, PROGRAMS - offset)), nodes);
    for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += r[k];
    for (const [code, n] of Object.entries(r.knownHoles)) knownHoles[code] = (knownHoles[code] ?? 0) + n;
    failures.push(...r.failures);
    // A long run prints where it is, so a run stopped early still says what it covered.
    if (PROGRAMS > BATCH) console.log(`fuzz: seeds ${SEED}–${SEED + offset + r.programs - 1}: ${JSON.stringify({ ...totals, knownHoles, failures: failures.length, seconds: Math.round((Date.now() - started) / 1000) })}`);
  }
  console.log(`fuzz: ${JSON.stringify({ seed: SEED, ...totals, knownHoles, failures: failures.length, seconds: Math.round((Date.now() - started) / 1000) })}`);
  const reports: string[] = [];
  for (const failure of failures.slice(0, 3)) reports.push(describeFailure(failure, await minimise(failure.program, nodes)));
  for (const failure of failures.slice(3)) reports.push(`seed ${failure.seed}: ${failure.what.split('\n')[0]}`);
  if (reports.length) console.log(reports.join('\n\n'));
  expect(failures.map((f) => `seed ${f.seed}: ${f.what.split('\n')[0]}`)).toEqual([]);
  // Not vacuous: most sites were patched (long strings and the like stay loads, counted as skipped).
  expect(totals.patched).toBeGreaterThan(totals.sites * 0.6);
  expect(totals.typeErrors).toBeLessThan(totals.programs * 0.05);
}, TIMEOUT_MS);
