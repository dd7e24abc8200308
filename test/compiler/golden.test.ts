/**
 * Golden cases: every folder of fixtures/compiler/ is a project (tsconfig.json, src/);
 * `hotpath build -p <folder>` must print diagnostics.txt (with the exit code) and emit
 * exactly the files under expected/. UPDATE_GOLDENS=1 rewrites both, never under CI.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCase, fixturesDir as root } from './build-case.js';

const update = process.env['UPDATE_GOLDENS'] === '1';
const ci = process.env['CI'] !== undefined && !['', '0', 'false'].includes(process.env['CI']);
// Rewriting the goldens makes every case pass whatever the compiler prints: CI must compare, never rewrite.
if (update && ci) throw new Error('UPDATE_GOLDENS=1 is refused under CI: goldens are rewritten on a developer machine and committed');
const cases = fs
  .readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!fs.existsSync(dir)) return files;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
  }
  return files;
}

describe('golden cases (fixtures/compiler)', () => {
  it('has the runtime declarations the fixtures resolve `hotpath` to (run `npm run build` first)', () => {
    expect(fs.existsSync(path.resolve(root, '../../build/runtime/marker.d.ts'))).toBe(true);
  });

  it('finds the golden cases (an empty fixtures/compiler would pass every case vacuously)', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases)('%s', (name) => {
    const dir = path.join(root, name);
    const { outputs, diagnostics } = buildCase(dir);
    if (update) {
      fs.rmSync(path.join(dir, 'expected'), { recursive: true, force: true });
      for (const [file, text] of outputs) {
        const target = path.join(dir, 'expected', file);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, text);
      }
      fs.writeFileSync(path.join(dir, 'diagnostics.txt'), diagnostics);
    }
    expect(diagnostics).toBe(fs.readFileSync(path.join(dir, 'diagnostics.txt'), 'utf8'));
    const expected = readTree(path.join(dir, 'expected'));
    expect([...outputs.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [file, text] of outputs) expect(text, file).toBe(expected.get(file));
  });
});
