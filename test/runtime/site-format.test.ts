import { describe, expect, it } from 'vitest';
import { locateSlot, readRecordTable, recordTableText, slotCloseText, slotOpenText, staticVariableId, variableName } from '../../runtime/site-format.js';

const site = { var: 'src/pool.ts#poolBase', read: 'pb', export: 'poolBase', from: '../lib/pool.js' };
const slot = (read: string, id = 0) => `(/*${slotOpenText(id)}*/ (${read}) /*${slotCloseText(id)}*/)`;

describe('site format', () => {
  it('round-trips a record table, including a path holding */', () => {
    const table = { module: 'src/a*/b.ts', sites: [site] };
    const text = `/*${recordTableText(table)}*/\nexport {};`;
    expect(text.indexOf('*/')).toBe(text.indexOf('*/\n'));
    expect(readRecordTable(text)).toEqual({ kind: 'table', table });
  });

  it('names a variable at run time by its declaring module\'s URL as loaded (query and fragment kept: another instance), plus its name', () => {
    expect(staticVariableId('file:///a/pool.js', 'poolBase')).toBe('file:///a/pool.js#poolBase');
    expect(staticVariableId('file:///a/pool.js?v=1#x', 'b')).toBe('file:///a/pool.js?v=1#x#b');
    expect(staticVariableId('file:///a/pool.js#x', 'b')).not.toBe(staticVariableId('file:///a/pool.js', 'b'));
    expect(variableName('src/a#b/pool.ts#poolBase')).toBe('poolBase');
    expect(variableName(staticVariableId('file:///a/pool.js#x', 'poolBase'))).toBe('poolBase');
  });

  it('reads a record without from (the compiler could not tell), and refuses a non-string from', () => {
    const { from: _, ...noFrom } = site;
    expect(readRecordTable(`/*${recordTableText({ module: 'm', sites: [noFrom] })}*/`)).toEqual({ kind: 'table', table: { module: 'm', sites: [noFrom] } });
    const bad = `/*${recordTableText({ module: 'm', sites: [site] })}*/`.replace('"../lib/pool.js"', 'null');
    expect(readRecordTable(bad)).toEqual({ kind: 'invalid', reason: 'record table has the wrong shape' });
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
