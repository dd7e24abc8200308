/**
 * Source maps survive patching: the runtime's patcher writes literals into slot
 * regions without moving a byte, so every mapping the compiler wrote still lands on
 * the same generated line and column, and each slot still maps to its marker.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { patchSource } from '../../runtime/patch-source.js';
import { buildCase, fixturesDir as fixtures } from './build-case.js';

interface Mapping {
  readonly genLine: number;
  readonly genCol: number;
  readonly source: number;
  readonly srcLine: number;
  readonly srcCol: number;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes a source map v3 `mappings` string (base64 VLQ, fields relative to the previous segment). */
function decodeMappings(mappings: string): Mapping[] {
  const out: Mapping[] = [];
  let source = 0;
  let srcLine = 0;
  let srcCol = 0;
  mappings.split(';').forEach((line, genLine) => {
    let genCol = 0;
    for (const segment of line.split(',')) {
      if (segment === '') continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of segment) {
        const digit = BASE64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) {
          shift += 5;
        } else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      genCol += fields[0]!;
      if (fields.length >= 4) {
        source += fields[1]!;
        srcLine += fields[2]!;
        srcCol += fields[3]!;
        out.push({ genLine, genCol, source, srcLine, srcCol });
      }
    }
  });
  return out;
}

// free.js is patched as loaded from /app/dist/; its records name ./pool.js beside it.
const values = new Map<string, unknown>([['file:///app/dist/pool.js#poolBase', 0x7fff_0000]]);
const patchFree = (js: string) => patchSource(js, values, { url: 'file:///app/dist/free.js' });

/** Line/column of every `STATIC_VARIABLE_LOAD(` in the source text (0-based). */
function markerPositions(text: string): { line: number; col: number }[] {
  const lines = text.split('\n');
  return lines.flatMap((l, line) => [...l.matchAll(/STATIC_VARIABLE_LOAD\(/g)].filter(() => !l.startsWith('import')).map((m) => ({ line, col: m.index })));
}

function checkMapsSurvive(js: string, map: { mappings: string; sourcesContent?: string[] }, tsSource: string) {
  const patched = patchFree(js);
  expect(patched.patched).toBe(3);
  expect(patched.source).not.toBe(js);
  expect(patched.source).toContain(String(0x7fff_0000));
  // Not a byte moved: same length, same line lengths.
  expect(patched.source.length).toBe(js.length);
  expect(patched.source.split('\n').map((l) => l.length)).toEqual(js.split('\n').map((l) => l.length));

  const mappings = decodeMappings(map.mappings);
  expect(mappings.length).toBeGreaterThan(0);
  const before = js.split('\n');
  const after = patched.source.split('\n');
  const srcLines = tsSource.split('\n');
  // Every mapping outside a patched region points at the same text as before patching.
  const regions = [...js.matchAll(/\(\/\*@hp:\d+\*\/ \([^)]*\) \/\*@hp:\d+ *\*\/\)/g)].map((m) => ({ start: m.index + m[0].indexOf('*/') + 2, end: m.index + m[0].length - 1 }));
  const offsetOf = (line: number, col: number) => before.slice(0, line).reduce((n, l) => n + l.length + 1, 0) + col;
  for (const m of mappings) {
    expect(m.genLine).toBeLessThan(after.length);
    expect(m.genCol).toBeLessThanOrEqual(after[m.genLine]!.length);
    const offset = offsetOf(m.genLine, m.genCol);
    const inRegion = regions.some((r) => offset >= r.start && offset < r.end);
    if (!inRegion) expect(after[m.genLine]!.slice(m.genCol, m.genCol + 8)).toBe(before[m.genLine]!.slice(m.genCol, m.genCol + 8));
    expect(m.srcLine).toBeLessThan(srcLines.length);
  }
  // Each slot (its opening parenthesis) still maps to its marker's source position.
  const markers = markerPositions(tsSource);
  expect(markers).toHaveLength(3); // the three patched slots
  expect(regions).toHaveLength(markers.length);
  regions.forEach((region, i) => {
    const slotOffset = js.lastIndexOf('(/*@hp:', region.start);
    const genLine = js.slice(0, slotOffset).split('\n').length - 1;
    const genCol = slotOffset - (js.lastIndexOf('\n', slotOffset - 1) + 1);
    const mapping = mappings.find((m) => m.genLine === genLine && m.genCol === genCol);
    expect(mapping, `slot ${i}`).toBeDefined();
    expect({ line: mapping!.srcLine, col: mapping!.srcCol }).toEqual(markers[i]);
    // And the patched literal sits where the read was: on the argument's mapping.
    expect(after[genLine]!.slice(genCol)).toMatch(/^\(\/\*@hp:\d+\*\/ \d+ +\)/);
  });
}

describe('source maps after patching', () => {
  it('sourceMap: the .js.map of a patched module stays exact', () => {
    const { outputs, exitCode } = buildCase(path.join(fixtures, 'sourcemap'));
    expect(exitCode).toBe(0);
    const js = outputs.get('free.js')!;
    const map = JSON.parse(outputs.get('free.js.map')!) as { mappings: string };
    const tsSource = readFileSync(path.join(fixtures, 'sourcemap/src/free.ts'), 'utf8');
    checkMapsSurvive(js, map, tsSource);
  });

  it('inlineSourceMap: the inline map is untouched by patching and stays exact', () => {
    const { outputs, exitCode } = buildCase(path.join(fixtures, 'inline-sourcemap'));
    expect(exitCode).toBe(0);
    const js = outputs.get('free.js')!;
    const comment = '//# sourceMappingURL=data:application/json;base64,';
    const at = js.lastIndexOf(comment);
    expect(at).toBeGreaterThan(0);
    const map = JSON.parse(Buffer.from(js.slice(at + comment.length).trim(), 'base64').toString('utf8')) as { mappings: string; sourcesContent: string[] };
    expect(patchFree(js).source.slice(at)).toBe(js.slice(at));
    checkMapsSurvive(js, map, map.sourcesContent[0]!);
  });
});
