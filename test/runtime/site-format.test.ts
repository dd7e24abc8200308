import { describe, expect, it } from 'vitest';
import { locateSlot, readRecordTable, recordTableText, slotCloseText, slotOpenText } from '../../runtime/site-format.js';

const site = { var: 'src/pool.ts#poolBase', read: 'pb', export: 'poolBase' };
const slot = (read: string, id = 0) => `(/*${slotOpenText(id)}*/ (${read}) /*${slotCloseText(id)}*/)`;

describe('site format', () => {
  it('round-trips a record table, including a path holding */', () => {
    const table = { module: 'src/a*/b.ts', sites: [site] };
    const text = `/*${recordTableText(table)}*/\nexport {};`;
    expect(text.indexOf('*/')).toBe(text.indexOf('*/\n'));
    expect(readRecordTable(text)).toEqual({ kind: 'table', table });
  });

  it('rejects another version', () => {
    expect(readRecordTable('/*@hotpath-sites:99 {}*/').kind).toBe('invalid');
  });

  it('locates an ES-module and a CommonJS slot, and refuses anything else', () => {
    for (const read of ['pb', 'pool_js_1.poolBase']) {
      const src = `x = ${slot(read)};`;
      const loc = locateSlot(src, 0, site);
      expect(loc.kind).toBe('slot');
      if (loc.kind === 'slot') expect(src.slice(loc.end)).toBe(');');
    }
    expect(locateSlot(`x = ${slot('other')};`, 0, site).kind).toBe('mismatch');
    expect(locateSlot(`x = ${slot('pb')} + ${slot('pb')};`, 0, site).kind).toBe('ambiguous');
    expect(locateSlot('x = pb;', 0, site).kind).toBe('missing');
    // a record whose read or export is not an identifier never matches: a region holds no comment or string
    const odd = { var: site.var, read: 'pb /*', export: 'x) /*@hp:1*/ (y' };
    expect(locateSlot(`x = ${slot('pb /*')};`, 0, odd).kind).toBe('mismatch');
    expect(locateSlot(`x = ${slot('m.x) /*@hp:1*/ (y')};`, 0, odd).kind).toBe('mismatch');
  });
});
