import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RuntimeCode } from '../../runtime/codes.js';
import * as runtime from '../../runtime/index.js';

const doc = (name: string) => readFileSync(resolve(import.meta.dirname, '../../docs', name), 'utf8');

/** The text of a page's `## heading` section, up to the next `## ` heading. */
function section(text: string, heading: string): string {
  const start = text.indexOf(`\n## ${heading}\n`);
  expect(start, `## ${heading}`).toBeGreaterThanOrEqual(0);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

describe('docs/codes.md and docs/runtime.md', () => {
  it('codes.md documents every runtime code, and no page names another HP2xxx code', () => {
    const headings = [...doc('codes.md').matchAll(/^### (HP2\d{3})$/gm)].map((m) => m[1]);
    expect(headings).toEqual(Object.values(RuntimeCode));
    for (const name of ['boot-protocol.md', 'site-format.md', 'runtime.md', 'codes.md']) {
      for (const [code] of doc(name).matchAll(/HP2\d{3}/g)) expect(Object.values(RuntimeCode)).toContain(code);
    }
  });

  it("runtime.md's API section lists every function the package exports", () => {
    const api = section(doc('runtime.md'), 'API');
    for (const [name, value] of Object.entries(runtime)) {
      if (typeof value === 'function' && !['readRecordTable', 'decodeRecordTable', 'variableKey', 'slotOpenText', 'slotCloseText', 'recordTableText'].includes(name)) {
        expect(api).toContain(`function ${name}`);
      }
    }
  });
});
