import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRecordTable, readRecordTable, recordTableText, slotCloseText, slotOpenText, staticVariableId, variableName } from '../../runtime/site-format.js';
import { locateSlot } from './locate-slot.js';

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
    const bad = `/*${recordTableText({ module: 'm', sites: [site] })}*/`.replace('"../lib/pool.js"', '7');
    expect(readRecordTable(bad)).toEqual({ kind: 'invalid', reason: 'record table has the wrong shape' });
  });

  it('round-trips any records: names, paths and specifiers holding */, #, quotes, line breaks, any code point (property)', () => {
    const text = fc.oneof(fc.string(), fc.constantFrom('*/', 'a*/b', '#', 'a#b', '"', '\\', '\n', '\u2028', '*', '/'));
    const name = fc.oneof(fc.constantFrom('poolBase', 'x', '$'), fc.string().filter((n) => !n.includes('#')));
    const record = fc.record(
      { module: text, name, read: text, export: text, from: text, via: text },
      { requiredKeys: ['module', 'name', 'read', 'export'] },
    );
    fc.assert(
      fc.property(text, fc.array(record, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 30 }), (module, records, picks) => {
        if (records.length === 0) return;
        const sites = picks.map((i) => {
          const { module: declaring, name: n, ...rest } = records[i % records.length]!;
          return { var: `${declaring}#${n}`, ...rest };
        });
        const source = `/*${recordTableText({ module, sites })}*/\nexport {};`;
        expect(source.indexOf('*/')).toBe(source.indexOf('*/\nexport'));
        expect(readRecordTable(source)).toEqual({ kind: 'table', table: { module, sites } });
        // Each distinct record is written once; sites point at it.
        const decoded = decodeRecordTable(source);
        if (decoded.kind !== 'table') throw new Error(decoded.kind);
        expect(decoded.table.sites).toHaveLength(sites.length);
        expect(new Set(decoded.table.bindings.map((b) => JSON.stringify(b))).size).toBe(decoded.table.bindings.length);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects another version, saying which (HP2010), and tables of the wrong shape', () => {
    expect(readRecordTable('/*@hotpath-sites:99 {}*/').kind).toBe('invalid');
    const v2 = '/*@hotpath-sites:2 {"module":"src/free.ts","sites":[{"var":"src/pool.ts#poolBase","read":"pb","export":"poolBase","from":"./pool.js"}]}*/';
    expect(decodeRecordTable(v2)).toMatchObject({ kind: 'invalid', version: '2', reason: expect.stringContaining('rebuild the module with this version of hotpath') });
    const b = '["./p.js",null,"src/p.ts","x","x","x"]';
    for (const body of [
      '{"module":"m","sites":[]}',
      `["m",[${b}]]`,
      `["m",[${b}],[1]]`, // a site names no binding
      `["m",[${b}],[-1]]`,
      `["m",[${b}],[0.5]]`,
      `["m",[${b}],["0"]]`,
      '["m",[["./p.js",null,"src/p.ts","x","x"]],[0]]', // five fields
      '["m",[["./p.js",null,"src/p.ts","x","x",null]],[0]]',
      `[7,[${b}],[0]]`,
    ]) {
      expect(decodeRecordTable(`/*@hotpath-sites:3 ${body}*/`), body).toEqual({ kind: 'invalid', reason: 'record table has the wrong shape' });
    }
    expect(decodeRecordTable(`/*@hotpath-sites:3 ["m",[${b}],[0,0]]*/`)).toMatchObject({ kind: 'table', table: { module: 'm', sites: [0, 0] } });
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
