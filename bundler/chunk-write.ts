/**
 * Writes the site format into one final (minified) chunk, in place of its carriers: each
 * site carrier becomes a slot, each needed registration carrier a registration with the
 * chunk's own location, the first note the chunk's note, and the chunk gets its record
 * table. Every text of the format comes from runtime/site-format.ts. Pure: code and plan in,
 * code and a source map of this one step out (the adapter chains it with the bundler's).
 */
import MagicString, { SourceMap } from 'magic-string';
import { TraceMap, decodedMappings } from '@jridgewell/trace-mapping';
import { recordTableText, slotCloseText, slotOpenText, DEFAULT_SLOT_WIDTH, type SiteRecord } from '../runtime/site-format.js';
import type { ChunkScan, SiteCarrier } from './chunk-scan.js';

export type ChunkFormat = 'esm' | 'cjs';

/** What the bundle-wide plan says about one site: its record, less what the chunk decides (`read`, `export` of a member read). */
export interface SitePlan {
  /** Variable key, as the registration says it (`src/pool.ts#poolBase`, or a name made unique in its chunk). */
  readonly var: string;
  /** The name the variable is declared as (the record's `export` for an identifier read). */
  readonly name: string;
  /** The declaring chunk relative to this one; absent when it is unknown (the site then stays a load: HP2016). */
  readonly from?: string;
}

export interface ChunkPlan {
  /** The chunk's key: its record table's `module`, and what its note says. */
  readonly moduleKey: string;
  /** How the chunk's registrations name their location: `import.meta.url` or `__filename`. */
  readonly format: ChunkFormat;
  /** By site token; `plain`: a read with no slot (linking rejected the site); undefined: the transform did not write that token (a cache from another build). */
  readonly site: (token: string) => SitePlan | 'plain' | undefined;
  /** By registration token (variable key as the transform wrote it): the key to register, or undefined when no site reads it. */
  readonly registration: (token: string) => string | undefined;
  readonly slotWidth?: number;
}

/** A site carrier left as it is (still correct: it returns its argument), and why. */
export interface UnwrittenSite {
  readonly token: string;
  readonly start: number;
  readonly reason: 'not-a-read' | 'unknown-token';
  /** The argument as the minifier left it. */
  readonly text: string;
}

/** One edit of the chunk: `[start, end)` of the given code replaced by `text` (`start === end`: `text` inserted before `start`). */
export interface ChunkEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface ChunkWriteResult {
  readonly code: string;
  /** Maps the written chunk to the chunk it was given (made when first read); undefined when nothing changed. */
  readonly map?: SourceMap;
  /** What was written where, in source order (carryMap moves the bundler's map through them). */
  readonly edits?: readonly ChunkEdit[];
  readonly records: readonly SiteRecord[];
  /** Sites the minifier folded to a constant: written as the constant. */
  readonly folded: number;
  readonly unwritten: readonly UnwrittenSite[];
  /** Registrations written with a location (those a site reads). */
  readonly registered: readonly string[];
}

const LOCATION: Record<ChunkFormat, string> = {
  esm: 'import.meta.url',
  // As the TypeScript pass writes it: CommonJS run outside Node may have no __filename.
  cjs: 'typeof __filename=="string"?__filename:void 0',
};

export function writeChunk(code: string, scan: ChunkScan & { kind: 'scanned' }, plan: ChunkPlan, fileName: string): ChunkWriteResult {
  if (scan.carriers.length === 0) return { code, records: [], folded: 0, unwritten: [], registered: [] };
  const magic = new MagicString(code);
  const edits: ChunkEdit[] = [];
  const out = {
    overwrite(start: number, end: number, text: string) {
      magic.overwrite(start, end, text);
      edits.push({ start, end, text });
    },
    appendLeft(at: number, text: string) {
      magic.appendLeft(at, text);
      edits.push({ start: at, end: at, text });
    },
  };
  const records: SiteRecord[] = [];
  const unwritten: UnwrittenSite[] = [];
  const registered: string[] = [];
  let folded = 0;
  const width = plan.slotWidth ?? DEFAULT_SLOT_WIDTH;

  for (const carrier of scan.carriers) {
    if (carrier.kind !== 'site') continue;
    const site = plan.site(carrier.token);
    const { read } = carrier.argument;
    const argumentText = code.slice(carrier.argument.start, carrier.argument.end);
    if (read.kind === 'constant' || site === 'plain') {
      out.overwrite(carrier.start, carrier.end, statementSafe(carrier, `(${argumentText})`));
      if (read.kind === 'constant') folded++;
      continue;
    }
    if (site === undefined || read.kind === 'other') {
      unwritten.push({ token: carrier.token, start: carrier.start, reason: site === undefined ? 'unknown-token' : 'not-a-read', text: argumentText });
      continue;
    }
    const id = records.length;
    records.push(
      read.kind === 'identifier'
        ? { var: site.var, read: read.name, export: site.name, ...(site.from === undefined ? {} : { from: site.from }) }
        : { var: site.var, read: read.object, export: read.property, ...(site.from === undefined ? {} : { from: site.from }) },
    );
    out.overwrite(carrier.start, carrier.end, statementSafe(carrier, `(/*${slotOpenText(id)}*/ (${argumentText}) /*${slotCloseText(id, width)}*/)`));
  }

  let noted = false;
  for (const carrier of scan.carriers) {
    if (carrier.kind === 'registration') {
      const key = plan.registration(carrier.token);
      if (key === undefined) {
        out.overwrite(carrier.start, carrier.end, 'void 0');
        continue;
      }
      out.overwrite(carrier.keyArgument.start, carrier.keyArgument.end, JSON.stringify(key));
      out.appendLeft(carrier.readArgument.end, `,${LOCATION[plan.format]}`);
      registered.push(key);
    } else if (carrier.kind === 'note') {
      if (noted || records.length === 0) {
        out.overwrite(carrier.start, carrier.end, 'void 0');
        continue;
      }
      out.overwrite(carrier.argument.start, carrier.argument.end, `${JSON.stringify(plan.moduleKey)},${records.length}`);
      noted = true;
    }
  }

  if (records.length > 0) out.appendLeft(tableOffset(code), `/*${recordTableText({ module: plan.moduleKey, sites: records })}*/`);
  const written = magic.toString();
  // Inserted before an edit that starts at the same offset (appendLeft goes to the left of it), as magic-string writes them.
  edits.sort((a, b) => a.start - b.start || (a.end === a.start ? 0 : 1) - (b.end === b.start ? 0 : 1));
  let map: SourceMap | undefined;
  return {
    code: written,
    // A map of the whole chunk at every word boundary is the costly part of writing a big chunk: made only for who asks (webpack's SourceMapSource).
    get map() {
      return (map ??= magic.generateMap({ hires: 'boundary', source: fileName, file: fileName, includeContent: false }));
    },
    edits,
    records,
    folded,
    unwritten,
    registered,
  };
}

/**
 * The bundler's map of the chunk (minified chunk → sources), moved through this step's edits:
 * each segment shifted by what was written before it on its line, those inside a replaced range
 * dropped, and each replacement mapped where its range began — what chaining with the map of
 * this step gives (a replacement's one segment traced to the segment at or before its start),
 * without a segment at every word boundary of the chunk to trace. Undefined (chain the maps
 * instead) when a line break is replaced or written, the chunk has other line terminators than
 * `\n`, or the map is sectioned.
 */
export function carryMap(code: string, edits: readonly ChunkEdit[], theirs: object | string): Record<string, unknown> | undefined {
  const raw = (typeof theirs === 'string' ? JSON.parse(theirs) : theirs) as Record<string, unknown>;
  if (raw.sections !== undefined || typeof raw.mappings !== 'string') return undefined;
  if (/[\r\u2028\u2029]/.test(code)) return undefined;
  let previousEnd = -1;
  for (const edit of edits) {
    if (edit.start < previousEnd || edit.text.includes('\n') || code.slice(edit.start, edit.end).includes('\n')) return undefined;
    previousEnd = edit.end;
  }
  const lines = decodedMappings(new TraceMap(raw as never));
  const lineStarts = [0];
  for (let i = code.indexOf('\n'); i >= 0; i = code.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const editsOn = new Map<number, ChunkEdit[]>();
  let line = 0;
  for (const edit of edits) {
    while (line + 1 < lineStarts.length && lineStarts[line + 1]! <= edit.start) line++;
    const on = editsOn.get(line) ?? [];
    on.push(edit);
    editsOn.set(line, on);
  }
  type Segment = readonly number[];
  const carried: Segment[][] = lines.map((segments, index) => {
    const on = editsOn.get(index);
    if (!on) return segments;
    const lineStart = lineStarts[index] ?? 0;
    // In column order: inserts, then where a replaced range ends (the text after it starts a chunk of its own in
    // the chained map, traced from that column), then replacements — as magic-string orders them at one offset.
    type Event = { readonly kind: 'insert' | 'end' | 'replace'; readonly column: number; readonly length: number; readonly replaced: number };
    const events: Event[] = [];
    for (const edit of on) {
      const column = edit.start - lineStart;
      const replaced = edit.end - edit.start;
      if (replaced === 0) events.push({ kind: 'insert', column, length: edit.text.length, replaced });
      else events.push({ kind: 'replace', column, length: edit.text.length, replaced }, { kind: 'end', column: column + replaced, length: 0, replaced: 0 });
    }
    const rank = { insert: 0, end: 1, replace: 2 } as const;
    events.sort((a, b) => a.column - b.column || rank[a.kind] - rank[b.kind]);
    const out: Segment[] = [];
    let delta = 0;
    let next = 0;
    let replacedEnd = -1;
    let before: Segment | undefined; // the segment at or before the current column: what a lookup there gives
    const mapped = (column: number, at: Segment | undefined) => {
      if (at === undefined) return;
      const segment = at.slice();
      segment[0] = column;
      out.push(segment);
    };
    const apply = (event: Event, segmentHere: Segment | undefined) => {
      if (event.kind === 'insert') delta += event.length;
      else if (event.kind === 'replace') {
        mapped(event.column + delta, segmentHere ?? before);
        replacedEnd = event.column + event.replaced;
        delta += event.length - event.replaced;
      } else if (segmentHere === undefined && !(events[next]?.kind === 'replace' && events[next]!.column === event.column)) {
        mapped(event.column + delta, before);
      }
    };
    for (const segment of segments) {
      const column = segment[0];
      while (next < events.length && events[next]!.column <= column) {
        const event = events[next++]!;
        apply(event, event.column === column ? segment : undefined);
      }
      before = segment;
      if (column < replacedEnd) continue;
      // The decoded segments are this function's own (a TraceMap made here): moved in place.
      (segment as number[])[0] = column + delta;
      out.push(segment);
    }
    while (next < events.length) apply(events[next++]!, undefined);
    return out;
  });
  return { ...raw, mappings: new SourceMap({ mappings: carried as never } as never).mappings };
}

/** A slot begins with `(`: at the start of a statement it would call the previous line's value. */
function statementSafe(carrier: SiteCarrier, text: string): string {
  return carrier.startsStatement ? `void ${text}` : text;
}

/** Where the record table goes: the top, after a hashbang line. */
function tableOffset(code: string): number {
  if (!code.startsWith('#!')) return 0;
  const end = code.indexOf('\n');
  return end < 0 ? code.length : end + 1;
}
