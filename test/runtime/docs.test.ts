import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RuntimeCode } from '../../runtime/codes.js';
import * as runtime from '../../runtime/index.js';

const doc = (name: string) => readFileSync(resolve(import.meta.dirname, '../../docs', name), 'utf8');

describe('docs/runtime.md', () => {
  it('documents every runtime code, and no other HP2xxx code', () => {
    const text = doc('runtime.md');
    const headings = [...text.matchAll(/^### (HP2\d{3})$/gm)].map((m) => m[1]);
    expect(headings).toEqual(Object.values(RuntimeCode));
    for (const name of ['boot-protocol.md', 'site-format.md', 'runtime.md']) {
      for (const [code] of doc(name).matchAll(/HP2\d{3}/g)) expect(Object.values(RuntimeCode)).toContain(code);
    }
  });

  it('lists every function the package exports', () => {
    const api = doc('runtime.md').slice(0, doc('runtime.md').indexOf('## Codes'));
    for (const [name, value] of Object.entries(runtime)) {
      if (typeof value === 'function' && !['readRecordTable', 'decodeRecordTable', 'variableKey', 'slotOpenText', 'slotCloseText', 'recordTableText'].includes(name)) {
        expect(api).toContain(`function ${name}`);
      }
    }
  });
});
