// Keeps the benchmark harness from rotting: one tiny scenario, one run, through the CLI.
// It checks the shape of what the harness reports, never how fast anything is.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatMarkdown, formatTable, renderSvg } from '../../bench/lib/report.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function bench(...args: string[]) {
  return spawnSync(process.execPath, ['bench/run.js', ...args], { cwd: repo, encoding: 'utf8' });
}

describe('bench/run.js', () => {
  it('runs one scenario once and reports medians, ratios and versions as JSON', () => {
    const r = bench('charclass', '--runs', '1', '--json', '--no-svg');
    expect(r.stderr).toContain('== charclass');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.machine.cores).toBeGreaterThan(0);
    expect(report.nodes[0].node).toBe(process.version);
    const [result] = report.results;
    expect(result.scenario).toBe('charclass');
    expect(result.v8).toBe(process.versions.v8);
    expect(result.variants.map((v: { name: string }) => v.name)).toEqual(['two/u16', 'sub/u16', 'two/str', 'sub/str']);
    for (const v of result.variants) {
      expect(v.values).toHaveLength(1);
      expect(v.median).toBeGreaterThan(0);
      expect(v.min).toBeLessThanOrEqual(v.median);
      expect(v.max).toBeGreaterThanOrEqual(v.median);
    }
    // Both forms classify the same characters: same count of digits.
    expect(result.checksumMismatch).toEqual([]);
    const byName = Object.fromEntries(result.variants.map((v: { name: string; median: number }) => [v.name, v.median]));
    const [u16] = result.comparisons;
    expect(u16.ratio).toBeCloseTo(byName['two/u16'] / byName['sub/u16'], 10);

    const svg = renderSvg(report);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<rect [^>]*fill="#/g)?.length).toBeGreaterThanOrEqual(4 + 1);
    expect(formatTable(report)).toContain('two-sided / subtract, Uint16Array');
    expect(formatMarkdown(report)).toContain(`| two-sided / subtract, Uint16Array — target ≥ 1x (issue 3) | ${u16.ratio.toFixed(2)}x`);

    // --from-json redraws the same tables from a saved report, running nothing.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hotpath-bench-'));
    try {
      writeFileSync(path.join(dir, 'r.json'), r.stdout);
      const again = bench('--from-json', path.join(dir, 'r.json'), '--md', path.join(dir, 'r.md'), '--svg', path.join(dir, 'r.svg'));
      expect(again.status).toBe(0);
      expect(readFileSync(path.join(dir, 'r.md'), 'utf8')).toBe(formatMarkdown(report));
      expect(readFileSync(path.join(dir, 'r.svg'), 'utf8')).toBe(svg);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects an unknown scenario or option with a message', () => {
    const unknown = bench('no-such-scenario', '--no-svg');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown scenario no-such-scenario');
    const badRuns = bench('charclass', '--runs', '0');
    expect(badRuns.status).toBe(2);
    expect(badRuns.stderr).toContain('--runs takes a positive integer');
  });
});
