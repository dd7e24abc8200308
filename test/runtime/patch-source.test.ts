import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RuntimeCode } from '../../runtime/codes.js';
import { encodeLiteral } from '../../runtime/literal.js';
import { patchSource, sealedPatcher, siteOutcomes, type PatchSourceResult, type SealedEntry } from '../../runtime/patch-source.js';
import { recordTableText, SITE_FORMAT_VERSION, slotCloseText, slotOpenText, staticVariableId, type SiteRecord } from '../../runtime/site-format.js';
import { locateSlot } from './locate-slot.js';

const POOL = 'src/pool.ts#poolBase';
const MODE = 'src/mode.ts#mode';
const esmSite: SiteRecord = { var: POOL, read: 'pb', export: 'poolBase', from: './pool.js' };
const modeSite: SiteRecord = { var: MODE, read: 'mode', export: 'mode', from: './mode.js' };
/** The module being patched, and the run-time ids of the variables its records resolve to. */
const URL = 'file:///app/dist/free.js';
const POOL_ID = 'file:///app/dist/pool.js#poolBase';
const MODE_ID = 'file:///app/dist/mode.js#mode';
const X = (name: string) => `file:///app/dist/x.js#${name}`;
const xSite = (name: string, read: string): SiteRecord => ({ var: `src/x.ts#${name}`, read, export: read, from: './x.js' });
const patch = (source: string, values: ReadonlyMap<string, unknown>, url = URL) => patchSource(source, values, { url });

/** A slot as the compiler emits it: `(/*@hp:N*\/ (READ) /*@hp:N<pad>*\/)`. */
const slot = (id: number, read: string, width?: number) => `(/*${slotOpenText(id)}*/ (${read}) /*${slotCloseText(id, width)}*/)`;
const table = (sites: SiteRecord[], module = 'src/free.ts') => `/*${recordTableText({ module, sites })}*/`;

/** ES-module output: the local name, as TypeScript prints it. */
const esmSource = (): string =>
  [
    `import { poolBase as pb } from "./pool.js";`,
    `import { mode } from "./mode.js";`,
    `export function isPoolAddress(p) {`,
    `    return (p - ${slot(0, 'pb')}) >>> 0 < 100;`,
    `}`,
    `export const describe = () => ${slot(1, 'mode')} + ":" + typeof ${slot(2, 'pb')};`,
    table([esmSite, modeSite, esmSite]),
    '',
  ].join('\n');

/** CommonJS output: `<binding>.<export>`. */
const cjsSource = (): string =>
  [
    `"use strict";`,
    `const pool_js_1 = require("./pool.js");`,
    `function isPoolAddress(p) {`,
    `    return (p - ${slot(0, 'pool_js_1.poolBase')}) >>> 0 < 100;`,
    `}`,
    table([esmSite]),
  ].join('\n');

/** Every byte outside the patched regions is unchanged, and each region is " " + literal + spaces. */
function expectOnlyRegionsChanged(before: string, result: PatchSourceResult): void {
  const after = result.source;
  expect(after.length).toBe(before.length);
  expect(after.split('\n').length).toBe(before.split('\n').length);
  let i = 0;
  while (i < before.length) {
    if (after[i] === before[i]) {
      i++;
      continue;
    }
    // a changed byte must lie in a region, which starts right after an opening marker
    // (a patched region holds no marker, so the last one before i in `after` is its own)
    const open = after.lastIndexOf('/*@hp:', i);
    const id = Number(after.slice(open + 6, after.indexOf('*/', open)));
    const start = open + `/*${slotOpenText(id)}*/`.length;
    expect(before.slice(open, start)).toBe(`/*${slotOpenText(id)}*/`);
    expect(start).toBeLessThanOrEqual(i);
    const end = before.indexOf('*/', before.indexOf(`/*${slotOpenText(id)}`, start)) + 2;
    const outcome = result.sites.find((o) => o.site === id);
    expect(outcome?.patched).toBe(true);
    if (outcome?.patched) expect(after.slice(start, end)).toBe(` ${outcome.literal}`.padEnd(end - start, ' '));
    expect(after[end]).toBe(')');
    i = end;
  }
}

describe('patchSource', () => {
  it('patches an ES module: every slot gets its literal, nothing else moves', () => {
    const source = esmSource();
    const result = patch(source, new Map<string, unknown>([[POOL_ID, 1073741824], [MODE_ID, 'fast']]));
    expect(result.module).toBe('src/free.ts');
    expect(result.patched).toBe(3);
    expect(result.tableProblem).toBeUndefined();
    expect(result.source).toMatch(/^    return \(p - \(\/\*@hp:0\*\/ 1073741824 +\)\) >>> 0 < 100;$/m);
    expect(result.source).toContain(`(/*@hp:1*/ "fast"`);
    expectOnlyRegionsChanged(source, result);
  });

  it('patches CommonJS output, which reads <binding>.<export>', () => {
    const source = cjsSource();
    const result = patch(source, new Map([[POOL_ID, -0]]));
    expect(result.sites).toEqual([{ site: 0, var: POOL, id: POOL_ID, patched: true, literal: '-0' }]);
    expect(result.source).toContain('(p - (/*@hp:0*/ -0 ');
    expectOnlyRegionsChanged(source, result);
  });

  it('leaves a module without a record table untouched', () => {
    const source = `export const x = ${slot(0, 'pb')};`;
    expect(patch(source, new Map([[POOL_ID, 1]]))).toEqual({ source, sites: [], patched: 0 });
  });

  it('reports an invalid or foreign-version table and patches nothing', () => {
    const body = `x = ${slot(0, 'pb')};\n`;
    const v = SITE_FORMAT_VERSION;
    // version 1 named variables by module key only: a runtime cannot tell which loaded copy a site reads
    const older = body + table([esmSite]).replace(`@hotpath-sites:${v} `, `@hotpath-sites:${v - 1} `);
    const newer = body + table([esmSite]).replace(`@hotpath-sites:${v} `, `@hotpath-sites:${v + 1} `);
    const broken = body + `/*@hotpath-sites:${v} {"module":*/`;
    const unclosed = body + `/*@hotpath-sites:${v} {`;
    const badFrom = body + `/*@hotpath-sites:${v} ["m",[[7,null,"a","b","b","b"]],[0]]*/`;
    // what hotpath wrote before site format 3: the whole module stays loads, HP2010 says rebuild
    const format2 = body + '/*@hotpath-sites:2 {"module":"src/free.ts","sites":[{"var":"src/pool.ts#poolBase","read":"pb","export":"poolBase","from":"./pool.js"}]}*/';
    for (const [source, code] of [
      [older, RuntimeCode.tableVersion],
      [format2, RuntimeCode.tableVersion],
      [newer, RuntimeCode.tableVersion],
      [broken, RuntimeCode.tableInvalid],
      [unclosed, RuntimeCode.tableInvalid],
      [badFrom, RuntimeCode.tableInvalid],
    ] as const) {
      const result = patch(source, new Map([[POOL_ID, 1]]));
      expect(result.source).toBe(source);
      expect(result.tableProblem?.code).toBe(code);
    }
  });

  it('skips each site that does not check out, with a stable code, and patches the rest', () => {
    const sites: SiteRecord[] = [
      esmSite, // 0: fine
      xSite('unknown', 'u'), // 1: not registered
      xSite('obj', 'o'), // 2: no literal
      xSite('long', 'l'), // 3: too long
      esmSite, // 4: no slot
      esmSite, // 5: slot twice
      esmSite, // 6: slot reads something else
      esmSite, // 7: closing comment holds more than padding
      esmSite, // 8: wider slot: the long literal fits
    ];
    const source = [
      `a = ${slot(0, 'pb')};`,
      `b = ${slot(1, 'u')};`,
      `c = ${slot(2, 'o')};`,
      `d = ${slot(3, 'l')};`,
      `f = ${slot(5, 'pb')} + ${slot(5, 'pb')};`,
      `g = ${slot(6, 'other')};`,
      `h = (/*@hp:7*/ (pb) /*@hp:7 pb */);`,
      table(sites),
    ].join('\n');
    const long = 'x'.repeat(40);
    const values = new Map<string, unknown>([[POOL_ID, 7], [X('obj'), {}], [X('long'), long]]);
    const result = patch(source, values);
    const codes = result.sites.map((o) => (o.patched ? 'patched' : o.code));
    expect(codes).toEqual([
      'patched',
      RuntimeCode.notRegistered,
      RuntimeCode.noLiteral,
      RuntimeCode.tooLong,
      RuntimeCode.slotMissing,
      RuntimeCode.slotAmbiguous,
      RuntimeCode.slotMismatch,
      RuntimeCode.slotMismatch,
      RuntimeCode.slotMissing,
    ]);
    expect(result.patched).toBe(1);
    expectOnlyRegionsChanged(source, result);

    const wide = source + `\ni = ${slot(8, 'l', 48)};`;
    const sites8 = [...sites.slice(0, 8), xSite('long', 'l')];
    const widened = patch(wide.replace(table(sites), table(sites8)), values);
    expect(widened.sites[8]).toMatchObject({ patched: true, literal: `"${long}"` });
  });

  it('names a variable by the loaded copy of its declaring module: each copy of a reader gets its own copy\'s value', () => {
    // One built package in two places (two installed copies); both declaring modules sealed, with different values.
    const source = esmSource();
    const values = new Map<string, unknown>([
      ['file:///a/node_modules/lib/dist/pool.js#poolBase', 1],
      ['file:///b/node_modules/lib/dist/pool.js#poolBase', 2],
      ['file:///a/node_modules/lib/dist/mode.js#mode', 'a'],
    ]);
    const a = patch(source, values, 'file:///a/node_modules/lib/dist/free.js');
    const b = patch(source, values, 'file:///b/node_modules/lib/dist/free.js');
    expect(a.sites.map((o) => (o.patched ? o.literal : o.code))).toEqual(['1', '"a"', '1']);
    expect(b.sites.map((o) => (o.patched ? o.literal : o.code))).toEqual(['2', RuntimeCode.notRegistered, '2']);
    expect(b.sites[1]).toMatchObject({ var: MODE, id: 'file:///b/node_modules/lib/dist/mode.js#mode', reason: `no sealed value for ${MODE} of file:///b/node_modules/lib/dist/mode.js` });
    // A third copy nobody sealed: every site stays a load, never another copy's value.
    const c = patch(source, values, 'file:///c/dist/free.js');
    expect(c.patched).toBe(0);
    expect(c.source).toBe(source);
  });

  it('resolves from like a relative import: ../ paths, the reader\'s query and fragment dropped, "" for the reader itself as loaded', () => {
    const up: SiteRecord = { ...esmSite, from: '../lib/pool.js' };
    const self: SiteRecord = { var: 'src/free.ts#own', read: 'own', export: 'own', from: '' };
    const source = `x = ${slot(0, 'pb')} + ${slot(1, 'own')};\n${table([up, self])}`;
    const values = new Map<string, unknown>([
      ['file:///app/lib/pool.js#poolBase', 5],
      [staticVariableId('file:///app/dist/free.js?v=2#frag', 'own'), 6],
    ]);
    const result = patch(source, values, 'file:///app/dist/free.js?v=2#frag');
    expect(result.sites).toEqual([
      { site: 0, var: POOL, id: 'file:///app/lib/pool.js#poolBase', patched: true, literal: '5' },
      { site: 1, var: 'src/free.ts#own', id: 'file:///app/dist/free.js?v=2#frag#own', patched: true, literal: '6' },
    ]);
    // the loader's canonical URL (a real path) is the one looked up
    const canonical = patchSource(source, new Map([['file:///real/lib/pool.js#poolBase', 7]]), {
      url: 'file:///app/dist/free.js',
      canonicalUrl: (u) => u.replace('file:///app/', 'file:///real/'),
    });
    expect(canonical.sites[0]).toMatchObject({ patched: true, literal: '7', id: 'file:///real/lib/pool.js#poolBase' });
  });

  it('keeps a module loaded with a fragment its own instance: `./pool.js#again` never gets `./pool.js`\'s value (issue 8, item 4)', () => {
    // Node loads import('./pool.js#again') as a second instance, import.meta.url keeping the fragment.
    const self: SiteRecord = { var: 'src/pool.ts#poolBase', read: 'poolBase', export: 'poolBase', from: '' };
    const source = `x = ${slot(0, 'poolBase')};\n${table([self], 'src/pool.ts')}`;
    const first = new Map<string, unknown>([[staticVariableId('file:///app/dist/pool.js', 'poolBase'), 2]]);
    const again = patch(source, first, 'file:///app/dist/pool.js#again');
    expect(again.patched).toBe(0);
    expect(again.source).toBe(source);
    expect(again.sites[0]).toMatchObject({ patched: false, id: 'file:///app/dist/pool.js#again#poolBase' });
    const both = new Map([...first, [staticVariableId('file:///app/dist/pool.js#again', 'poolBase'), 3]]);
    expect(patch(source, both, 'file:///app/dist/pool.js#again').sites[0]).toMatchObject({ patched: true, literal: '3' });
    expect(patch(source, both, 'file:///app/dist/pool.js').sites[0]).toMatchObject({ patched: true, literal: '2' });
  });

  it('leaves every site a load (HP2016) without the module\'s URL, without a record\'s from, or when it does not resolve', () => {
    const source = esmSource();
    const values = new Map<string, unknown>([[POOL_ID, 1], [MODE_ID, 'm'], [POOL, 1], [MODE, 'm']]);
    const noUrl = patchSource(source, values);
    expect(noUrl.source).toBe(source);
    expect(noUrl.sites.map((o) => !o.patched && o.code)).toEqual([RuntimeCode.unknownDeclaringModule, RuntimeCode.unknownDeclaringModule, RuntimeCode.unknownDeclaringModule]);
    expect(noUrl.sites[0]).toMatchObject({ reason: expect.stringContaining("was not given this module's URL") });
    const { from: _, ...noFrom } = esmSite;
    const withoutFrom = patch(`x = ${slot(0, 'pb')};\n${table([noFrom])}`, values);
    expect(withoutFrom.sites[0]).toMatchObject({ patched: false, code: RuntimeCode.unknownDeclaringModule, reason: expect.stringContaining('no "from"') });
    const notAUrl = patch(source, values, 'free.js');
    expect(notAUrl.sites[0]).toMatchObject({ patched: false, code: RuntimeCode.unknownDeclaringModule, reason: expect.stringContaining('cannot resolve "./pool.js" against free.js') });
    const throwing = patchSource(source, values, { url: URL, canonicalUrl: () => { throw new Error('boom'); } });
    expect(throwing.patched).toBe(0);
    expect(throwing.sites[0]).toMatchObject({ code: RuntimeCode.unknownDeclaringModule, reason: expect.stringContaining('boom') });
  });

  it('reads the values map on every call: a value changed or removed between calls is never patched in from a cache', () => {
    const values = new Map<string, unknown>([[POOL_ID, 1], [MODE_ID, 'm']]);
    const literals = () => patch(esmSource(), values).sites.map((o) => (o.patched ? o.literal : o.code));
    expect(literals()).toEqual(['1', '"m"', '1']);
    values.set(POOL_ID, 2);
    expect(literals()).toEqual(['2', '"m"', '2']);
    values.set(POOL_ID, -0);
    expect(literals()).toEqual(['-0', '"m"', '-0']);
    values.delete(MODE_ID);
    expect(literals()).toEqual(['-0', RuntimeCode.notRegistered, '-0']);
    values.set(MODE_ID, undefined);
    expect(literals()).toEqual(['-0', 'void 0', '-0']);
  });

  it('does not patch a patched module again', () => {
    const once = patch(esmSource(), new Map<string, unknown>([[POOL_ID, 1], [MODE_ID, 'm']]));
    const twice = patch(once.source, new Map<string, unknown>([[POOL_ID, 2], [MODE_ID, 'n']]));
    expect(twice.source).toBe(once.source);
    expect(twice.sites.map((o) => (o.patched ? 'patched' : o.code))).toEqual([RuntimeCode.slotMismatch, RuntimeCode.slotMismatch, RuntimeCode.slotMismatch]);
  });

  it('finds and checks each slot exactly as locateSlot() does, in any arrangement of markers (property)', () => {
    // patchSource() scans a module's markers once; locateSlot() searches per slot: same verdict, same detail, same region.
    const token = fc.constantFrom(
      '(', ')', ' ', '(pb)', ' (pb) ', ' (m.poolBase) ', ' (m.other) ', ' (pb', '*/', '/*', '/*@hp:', '0', '1', '01',
      '/*@hp:0*/', '/*@hp:1*/', '/*@hp:2*/', '/*@hp:01*/', '/*@hp:10*/', '/*@hp:0   */', '/*@hp:1   */', '/*@hp:1 x */', '/*@hp:0*/*@hp:0*/', '/*@hp:12  */', '/*@hp:00 */', '/*@hp:1   *', '/*@hp:1 */)',
      slot(0, 'pb'), slot(1, 'pb'), slot(2, 'm.poolBase'), slot(1, 'other'),
    );
    const sites = [esmSite, esmSite, esmSite];
    const values = new Map([[POOL_ID, 7]]);
    fc.assert(
      fc.property(fc.array(token, { maxLength: 30 }), (tokens) => {
        const source = tokens.join('') + '\n' + table(sites);
        const result = patch(source, values);
        sites.forEach((record, id) => {
          const where = locateSlot(source, id, record);
          const outcome = result.sites[id]!;
          if (where.kind === 'slot') {
            expect(outcome).toMatchObject({ patched: true, literal: '7' });
            expect(result.source.slice(where.start, where.end)).toBe(' 7'.padEnd(where.end - where.start, ' '));
          } else {
            const code = { missing: RuntimeCode.slotMissing, ambiguous: RuntimeCode.slotAmbiguous, mismatch: RuntimeCode.slotMismatch }[where.kind];
            expect(outcome).toMatchObject({ patched: false, code, reason: where.detail });
          }
        });
        expectOnlyRegionsChanged(source, result);
      }),
      { numRuns: 2000 },
    );
  });

  it('computes what the unpatched module computes, for any value (property)', () => {
    const value = fc.oneof(
      fc.double(),
      fc.integer({ min: -(2 ** 31), max: 2 ** 32 }),
      fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
      fc.string({ maxLength: 40 }),
      fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 12 }).map((u) => String.fromCharCode(...u)),
      fc.constantFrom(true, false, null, undefined, -0, NaN, Infinity, -Infinity),
    );
    // Both spellings, the value used as an operand of -, typeof, ===, a call argument and a template.
    const body = (read: (id: number) => string) =>
      [
        `"use strict";`,
        `const id = (x) => x;`,
        `const sub = (a) => { try { return a - ${read(0)}; } catch (e) { return e.constructor.name; } };`,
        `return [typeof ${read(1)}, ${read(2)} === pool.poolBase, id(${read(3)}), \`\${String(${read(4)})}\`, sub(1), sub(1n), -${read(5)}];`,
        table([0, 1, 2, 3, 4, 5].map(() => esmSite)),
      ].join('\n');
    const esm = body((id) => slot(id, 'pb'));
    const cjs = body((id) => slot(id, 'pool.poolBase'));
    const run = (source: string, v: unknown) => new Function('pb', 'pool', source)(v, { poolBase: v }) as unknown[];
    fc.assert(
      fc.property(value, (v) => {
        for (const [source, read] of [[esm, 'pb'], [cjs, 'pool.poolBase']] as const) {
          const result = patch(source, new Map([[POOL_ID, v]]));
          const regionWidth = slot(0, read).length - '(/*@hp:0*/'.length - 1;
          const fits = encodeLiteral(v)!.length + 1 <= regionWidth;
          expect(result.patched).toBe(fits ? 6 : 0);
          expectOnlyRegionsChanged(source, result);
          // patched code must not read the variable any more: give it a different one
          const decoy = typeof v === 'symbol' ? 0 : Symbol('decoy');
          const patched = run(result.source, fits ? decoy : v);
          const original = run(source, v);
          patched.forEach((x, i) => {
            if (i === 1 && fits) return; // compares the slot with the (decoy) variable itself
            expect(Object.is(x, original[i]) || (x !== x && original[i] !== original[i])).toBe(true);
          });
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('sealedPatcher (what the hooks patch with: seal()\'s table, caches kept across modules)', () => {
  it('patches every module as patchSource() does with the same values, whatever the modules\' URLs (property)', () => {
    // One patcher for a whole run of modules: its caches (variables by declaring URL, `from` by directory) must never
    // hand one module another's answer. URLs include what the directory cache must not trust: a query, a fragment,
    // a backslash, a `..` or `%2e` last segment, a tab.
    const dirs = ['file:///app/dist/', 'file:///app/dist/mods/', 'file:///app/other/', 'file:///app/dist\\mods\\', 'file:///app/%2e%2e/dist/', 'file:///app/d\tist/'];
    const names = ['free.js', 'a.mjs', 'b.cjs', '..', '%2e%2e', '.%2E', 'x.js?v=1', 'x.js#f', 'odd.ts', 'js', '.js'];
    const froms = ['./pool.js', '../pool.js', '../dist/pool.js', './mods/pool.js', '', '?q', '#h', '../../pool.js'];
    const value = fc.constantFrom<unknown>(1, -0, 'm', 2n ** 70n, Symbol('s'), undefined, NaN);
    const module = fc.record({ dir: fc.constantFrom(...dirs), name: fc.constantFrom(...names), from: fc.array(fc.constantFrom(...froms), { minLength: 1, maxLength: 4 }) });
    fc.assert(
      fc.property(fc.array(module, { minLength: 1, maxLength: 12 }), fc.array(value, { minLength: 8, maxLength: 8 }), (modules, picks) => {
        // Values for every declaring module any URL above can resolve to: each `from` of each module's URL.
        const values = new Map<string, unknown>();
        const sealedTable = new Map<string, SealedEntry>();
        let i = 0;
        for (const dir of dirs) for (const name of names) for (const from of froms) {
          let declaring: string;
          try {
            declaring = from === '' ? dir + name : new globalThis.URL(from, dir + name).href;
          } catch {
            continue;
          }
          const id = staticVariableId(declaring, 'pb');
          if (values.has(id)) continue;
          const v = picks[i++ % picks.length];
          values.set(id, v);
          const literal = encodeLiteral(v);
          sealedTable.set(id, literal === undefined ? { code: RuntimeCode.noLiteral, reason: `no literal for ${id}` } : { literal });
        }
        const sealed = sealedPatcher(sealedTable);
        for (const { dir, name, from } of modules) {
          const sites = from.map((f) => ({ var: 'src/pool.ts#pb', read: 'pb', export: 'pb', from: f }));
          const source = sites.map((_, id) => `const v${id} = ${slot(id, 'pb')};`).join('\n') + '\n' + table(sites);
          const url = dir + name;
          const expected = patchSource(source, values, { url });
          const got = sealed(source, { url });
          expect(got.source).toBe(expected.source);
          expect(got.patched).toBe(expected.patched);
          // The same outcome for each site; a variable without a literal is skipped with the table's reason.
          expect(siteOutcomes(got.tally).map((o) => (o.patched ? o : { ...o, reason: o.code === RuntimeCode.noLiteral ? 'no literal' : o.reason }))).toEqual(
            expected.sites.map((o) => (o.patched ? o : { ...o, reason: o.code === RuntimeCode.noLiteral ? 'no literal' : o.reason })),
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('skips a variable the table has no literal for with the table\'s code and reason, one it does not have with HP2001', () => {
    const sites = [esmSite, modeSite, xSite('x', 'x')];
    const source = [`const a = ${slot(0, 'pb')};`, `const b = ${slot(1, 'mode')};`, `const c = ${slot(2, 'x')};`, table(sites)].join('\n');
    const patchWith = sealedPatcher(new Map<string, SealedEntry>([[POOL_ID, { literal: '7' }], [MODE_ID, { code: RuntimeCode.unreadable, reason: 'src/mode.ts#mode was not sealed: it threw' }]]));
    const result = patchWith(source, { url: URL });
    expect(result.patched).toBe(1);
    expect(siteOutcomes(result.tally)).toEqual([
      { site: 0, var: POOL, id: POOL_ID, patched: true, literal: '7' },
      { site: 1, var: MODE, id: MODE_ID, patched: false, code: RuntimeCode.unreadable, reason: 'src/mode.ts#mode was not sealed: it threw' },
      { site: 2, var: 'src/x.ts#x', id: X('x'), patched: false, code: RuntimeCode.notRegistered, reason: 'no sealed value for src/x.ts#x of file:///app/dist/x.js' },
    ]);
  });
});

describe('never throws, whatever a loader passes (issue 8, item 12)', () => {
  const values = new Map<string, unknown>([[POOL_ID, 1], [MODE_ID, 'm']]);

  it('a values map whose get or has throws: those sites stay loads (HP2002), the rest is patched', () => {
    const hostile = new Map(values);
    hostile.get = (key: string) => {
      if (key === MODE_ID) throw new Error('no mode for you');
      return Map.prototype.get.call(values, key);
    };
    const result = patchSource(esmSource(), hostile, { url: URL });
    expect(result.sites.map((o) => (o.patched ? o.literal : o.code))).toEqual(['1', RuntimeCode.unreadable, '1']);
    expect(result.sites[1]).toMatchObject({ reason: expect.stringContaining('no mode for you') });
    const proxy = new Proxy(values, { get: () => { throw new Error('trap'); } });
    expect(patchSource(esmSource(), proxy, { url: URL }).patched).toBe(0);
  });

  it('canonicalUrl returning a non-string: HP2016, not a crash', () => {
    for (const bad of [undefined, null, 42, {}, new globalThis.URL(POOL_ID)]) {
      const result = patchSource(esmSource(), values, { url: URL, canonicalUrl: () => bad as string });
      expect(result.patched).toBe(0);
      expect(result.sites[0]).toMatchObject({ code: RuntimeCode.unknownDeclaringModule, reason: expect.stringContaining('not a URL string') });
    }
  });

  it('null or wrong-typed arguments leave the source as it is', () => {
    const source = esmSource();
    const call = (...args: unknown[]) => (patchSource as (...a: unknown[]) => PatchSourceResult)(...args);
    for (const [v, o] of [[null, { url: URL }], [values, null], [undefined, undefined], [{}, { url: 42 }], [[], 'x']] as const) {
      const result = call(source, v, o);
      expect(result.source).toBe(source);
      expect(result.patched).toBe(0);
    }
    expect(call(undefined, values, { url: URL })).toMatchObject({ patched: 0, sites: [] });
    expect(call(42, null, null)).toMatchObject({ patched: 0, sites: [] });
  });

  it('random hostile arguments never throw', () => {
    const anything = fc.oneof(fc.anything(), fc.constant(null), fc.constant(values), fc.constant(URL));
    fc.assert(
      fc.property(anything, anything, anything, anything, (v, url, canonical, thrown) => {
        const hostile = v instanceof Map ? v : new Proxy(new Map(), { get: () => { throw thrown; } });
        const options = { url, canonicalUrl: typeof canonical === 'function' ? canonical : () => canonical };
        expect(() => patchSource(esmSource(), hostile as ReadonlyMap<string, unknown>, options as never)).not.toThrow();
        expect(() => patchSource(esmSource(), v as never, url as never)).not.toThrow();
      }),
      { numRuns: 300, seed: 20261201 },
    );
  });
});

describe('patchSource() checkResolution (issue 8, item 5: a hook may send the import elsewhere)', () => {
  const values = new Map<string, unknown>([
    [POOL_ID, 1 << 30],
    [MODE_ID, 'fast'],
  ]);

  it('is asked once per `from`, with the declaring URL, only when a site would be patched; a reason leaves that module\'s sites loads', () => {
    const asked: [string, string][] = [];
    const result = patchSource(esmSource(), new Map([[POOL_ID, 1 << 30]]), {
      url: URL,
      checkResolution: (from, declaringUrl) => {
        asked.push([from, declaringUrl]);
        return from === './pool.js' ? 'a module hook resolves "./pool.js" to file:///app/dist/pool-mock.js' : undefined;
      },
    });
    // mode.js has no sealed value: nothing to patch, so nothing to ask
    expect(asked).toEqual([['./pool.js', 'file:///app/dist/pool.js']]);
    expect(result.patched).toBe(0);
    expect(result.source).toBe(esmSource());
    expect(result.sites.map((s) => (s.patched ? 'patched' : s.code))).toEqual([RuntimeCode.redirected, RuntimeCode.notRegistered, RuntimeCode.redirected]);
    expect(result.sites[0]).toMatchObject({ id: POOL_ID, reason: 'a module hook resolves "./pool.js" to file:///app/dist/pool-mock.js' });
  });

  it('undefined patches as without it', () => {
    const plain = patchSource(esmSource(), values, { url: URL });
    const checked = patchSource(esmSource(), values, { url: URL, checkResolution: () => undefined });
    expect(checked).toEqual(plain);
    expect(checked.patched).toBe(3);
  });

  it.each([
    ['throws', () => { throw new Error('hook failed'); }, /^checking where "\.\/pool\.js" resolves threw \(hook failed\)$/],
    ['returns a number', () => 42 as unknown as string, /^checkResolution\("\.\/pool\.js"\) returned number, not a reason or undefined$/],
  ])('one that %s leaves the loads, and patchSource() does not throw', (_, checkResolution, reason) => {
    const result = patchSource(esmSource(), values, { url: URL, checkResolution: checkResolution });
    expect(result.patched).toBe(0);
    expect(result.sites.every((s) => !s.patched && s.code === RuntimeCode.redirected)).toBe(true);
    expect((result.sites[0] as { reason: string }).reason).toMatch(reason);
  });

  it('is not asked for a variable the module declares itself (`from: ""`: no import)', () => {
    const own: SiteRecord = { var: 'src/free.ts#limit', read: 'limit', export: 'limit', from: '' };
    const source = `export let limit = 1;\nexport const f = () => ${slot(0, 'limit')};\n${table([own])}\n`;
    const result = patchSource(source, new Map([[staticVariableId(URL, 'limit'), 7]]), { url: URL, checkResolution: () => 'must not be asked' });
    expect(result.patched).toBe(1);
  });
});
