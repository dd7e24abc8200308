/** docs/codes.md has a `### HP10xx` heading (its link anchor, `codes.md#hp1007`) for every code the compiler's checks and CLI give. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '../../checks/marker-rules.js';

describe('docs/codes.md', () => {
  it('documents every compiler code (HP1000, the command line, and each of DIAGNOSTIC_CODES), and no other HP10xx code', () => {
    const text = readFileSync(resolve(import.meta.dirname, '../../docs/codes.md'), 'utf8');
    const headings = [...text.matchAll(/^### (HP10\d{2})$/gm)].map((m) => m[1]);
    expect(headings).toEqual(['HP1000', ...Object.keys(DIAGNOSTIC_CODES)]);
  });
});
