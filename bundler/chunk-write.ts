/**
 * Writes the site format into one final (minified) chunk, in place of its carriers: each
 * site carrier becomes a slot, each needed registration carrier a registration with the
 * chunk's own location, the first note the chunk's note, and the chunk gets its record
 * table. Every text of the format comes from runtime/site-format.ts. Pure: code and plan in,
 * code and a source map of this one step out (the adapter chains it with the bundler's).
 */
import MagicString, { type SourceMap } from 'magic-string';
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

export interface ChunkWriteResult {
  readonly code: string;
  /** Maps the written chunk to the chunk it was given; undefined when nothing changed. */
  readonly map?: SourceMap;
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
  const out = new MagicString(code);
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
  const written = out.toString();
  return {
    code: written,
    map: out.generateMap({ hires: 'boundary', source: fileName, file: fileName, includeContent: false }),
    records,
    folded,
    unwritten,
    registered,
  };
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
