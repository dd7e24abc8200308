// bench/ and scripts/ are JavaScript: tsconfig.scripts.json type-checks them from their JSDoc
// (checkJs). Here so that npm test, and with it CI, runs that check (npm run typecheck does too).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

it('tsc -p tsconfig.scripts.json: bench/ and scripts/ type-check', () => {
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.scripts.json'], { cwd: repo, encoding: 'utf8' });
  expect(r.stdout + r.stderr).toBe('');
  expect(r.status).toBe(0);
});
