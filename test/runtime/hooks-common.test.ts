import { describe, expect, it } from 'vitest';
import { mayHaveSites, patchModule } from '../../runtime/hooks/common.js';
import { patchSource } from '../../runtime/patch-source.js';
import { recordTableText, slotCloseText, slotOpenText } from '../../runtime/site-format.js';

const table = `/*${recordTableText({ module: 'src/a.ts', sites: [{ var: 'src/p.ts#b', read: 'b', export: 'b', from: './p.js' }] })}*/`;
const source = `${table}\nexport const f = () => (/*${slotOpenText(0)}*/ (b) /*${slotCloseText(0)}*/);\n`;

describe('module hook helpers', () => {
  it('finds the record-table prefix in every source shape a load hook returns, without decoding', () => {
    const bytes = new TextEncoder().encode('x'.repeat(7) + source);
    for (const s of [source, Buffer.from(source), bytes.subarray(7), bytes.buffer.slice(7)]) expect(mayHaveSites(s)).toBe(true);
    for (const s of ['export {}', Buffer.from('export {}'), bytes.subarray(0, 7), null, undefined]) expect(mayHaveSites(s)).toBe(false);
  });

  it('returns the input unchanged when nothing is patched, the patched text otherwise', () => {
    const buffer = Buffer.from(source);
    const none = patchModule('file:///a.js', buffer, (text, options) => patchSource(text, new Map(), options), 'register', { url: 'file:///a.js' });
    expect(none.source).toBe(buffer);
    expect(none.report).toMatchObject({ url: 'file:///a.js', module: 'src/a.ts', hook: 'register', patched: 0 });
    const done = patchModule('file:///a.js', buffer, (text, options) => patchSource(text, new Map([['file:///p.js#b', 5n]]), options), 'register', { url: 'file:///a.js' });
    expect(done.source).toBe(source.replace(/ \(b\) \/\*@hp:0 +\*\//, (region) => ' 5n'.padEnd(region.length, ' ')));
    expect(done.report.patched).toBe(1);
  });
});
