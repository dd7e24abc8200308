/**
 * The patcher: a pure function from a module's source and the sealed values to the
 * patched source. Valid only for source that has not been compiled yet (a loader
 * hook's output); it writes nothing but literals, and only into slot regions that
 * hold exactly what the compiler wrote, so a module patched or not computes the same.
 */
import { RuntimeCode } from './codes.js';
import { encodeLiteral } from './literal.js';
import { locateSlot, readRecordTable } from './site-format.js';

export type SiteOutcome =
  | { readonly site: number; readonly var: string; readonly patched: true; readonly literal: string }
  | { readonly site: number; readonly var: string; readonly patched: false; readonly code: RuntimeCode; readonly reason: string };

export interface PatchSourceResult {
  /** The patched source: same length, same lines, bytes changed only inside patched regions. */
  readonly source: string;
  /** The record table's module key; absent when the module has no readable table. */
  readonly module?: string;
  /** One outcome per record, in table order. */
  readonly sites: readonly SiteOutcome[];
  readonly patched: number;
  /** Why a record table that is present was not used. */
  readonly tableProblem?: { readonly code: RuntimeCode; readonly reason: string };
}

const SLOT_CODES = {
  missing: RuntimeCode.slotMissing,
  ambiguous: RuntimeCode.slotAmbiguous,
  mismatch: RuntimeCode.slotMismatch,
} as const;

interface Region {
  readonly site: number;
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Patches every slot whose variable has a value in `values` and whose slot checks out. Never throws. */
export function patchSource(source: string, values: ReadonlyMap<string, unknown>): PatchSourceResult {
  const read = readRecordTable(source);
  if (read.kind === 'none') return { source, sites: [], patched: 0 };
  if (read.kind === 'invalid') {
    const code = read.reason.startsWith('site format version') ? RuntimeCode.tableVersion : RuntimeCode.tableInvalid;
    return { source, sites: [], patched: 0, tableProblem: { code, reason: read.reason } };
  }
  const { table } = read;
  const outcomes: SiteOutcome[] = [];
  const regions: Region[] = [];
  table.sites.forEach((record, site) => {
    const skip = (code: RuntimeCode, reason: string) => outcomes.push({ site, var: record.var, patched: false, code, reason });
    if (!values.has(record.var)) return skip(RuntimeCode.notRegistered, `no sealed value for ${record.var}`);
    const literal = encodeLiteral(values.get(record.var));
    if (literal === undefined) return skip(RuntimeCode.noLiteral, `the value of ${record.var} (${typeof values.get(record.var)}) has no literal`);
    const slot = locateSlot(source, site, record);
    if (slot.kind !== 'slot') return skip(SLOT_CODES[slot.kind], slot.detail);
    const width = slot.end - slot.start;
    if (literal.length + 1 > width) {
      return skip(RuntimeCode.tooLong, `the literal of ${record.var} is ${literal.length} characters; slot ${site} holds ${width - 1}`);
    }
    regions.push({ site, start: slot.start, end: slot.end, text: ' ' + literal.padEnd(width - 1, ' ') });
    outcomes.push({ site, var: record.var, patched: true, literal });
  });
  if (regions.length === 0) return { source, module: table.module, sites: outcomes, patched: 0 };

  regions.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const region of regions) {
    if (region.start < at) {
      // Cannot happen for slots that check out (a region holds no marker); never write across one.
      const i = outcomes.findIndex((o) => o.site === region.site);
      outcomes[i] = { site: region.site, var: outcomes[i]!.var, patched: false, code: RuntimeCode.slotMismatch, reason: `slot ${region.site} overlaps another slot` };
      continue;
    }
    out += source.slice(at, region.start) + region.text;
    at = region.end;
  }
  out += source.slice(at);
  return { source: out, module: table.module, sites: outcomes, patched: outcomes.filter((o) => o.patched).length };
}
