/**
 * The patcher: a pure function from a module's source, its URL and the sealed values to
 * the patched source. Valid only for source that has not been compiled yet (a loader
 * hook's output); it writes nothing but literals, and only into slot regions that
 * hold exactly what the compiler wrote, so a module patched or not computes the same.
 */
import { RuntimeCode } from './codes.js';
import { encodeLiteral } from './literal.js';
import { locateSlot, readRecordTable, staticVariableId, variableName, type SiteRecord } from './site-format.js';

export type SiteOutcome =
  | { readonly site: number; readonly var: string; readonly id?: string; readonly patched: true; readonly literal: string }
  | { readonly site: number; readonly var: string; readonly id?: string; readonly patched: false; readonly code: RuntimeCode; readonly reason: string };
// `var` is the record's human-readable variable key; `id` the run-time identity it resolved to (absent when it did not).

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

export interface PatchSourceOptions {
  /**
   * The URL this module is loaded as: a load hook's `url`; for CommonJS its file name as a
   * file: URL. A record's `from` is resolved against it to find which loaded copy of the
   * declaring module a slot reads. Without it no site is patched (HP2016).
   */
  readonly url?: string;
  /**
   * Maps a resolved declaring-module URL to the URL that module is loaded as, as the
   * module loader would (Node: the real path, unless --preserve-symlinks). Default: as is.
   */
  readonly canonicalUrl?: (url: string) => string;
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

type Resolved = { readonly url: string } | { readonly reason: string };

/**
 * Patches every slot whose variable has a value in `values` and whose slot checks out.
 * `values` is keyed by run-time identity, `<declaring module URL>#<name>` (staticVariableId).
 * Never throws (a throwing `canonicalUrl` leaves the sites it was asked about loads).
 */
export function patchSource(source: string, values: ReadonlyMap<string, unknown>, options: PatchSourceOptions = {}): PatchSourceResult {
  const read = readRecordTable(source);
  if (read.kind === 'none') return { source, sites: [], patched: 0 };
  if (read.kind === 'invalid') {
    const code = read.reason.startsWith('site format version') ? RuntimeCode.tableVersion : RuntimeCode.tableInvalid;
    return { source, sites: [], patched: 0, tableProblem: { code, reason: read.reason } };
  }
  const { table } = read;
  const outcomes: SiteOutcome[] = [];
  const regions: Region[] = [];
  const resolved = new Map<string, Resolved>(); // by `from`: a table's records mostly share a few
  table.sites.forEach((record, site) => {
    const skip = (code: RuntimeCode, reason: string, id?: string) =>
      outcomes.push({ site, var: record.var, ...(id === undefined ? {} : { id }), patched: false, code, reason });
    const declaring = declaringModuleUrl(record, options, resolved);
    if ('reason' in declaring) return skip(RuntimeCode.unknownDeclaringModule, declaring.reason);
    const id = staticVariableId(declaring.url, variableName(record.var));
    if (!values.has(id)) return skip(RuntimeCode.notRegistered, `no sealed value for ${record.var} of ${declaring.url}`, id);
    const value = values.get(id);
    const literal = encodeLiteral(value);
    if (literal === undefined) return skip(RuntimeCode.noLiteral, `the value of ${record.var} (${typeof value}) has no literal`, id);
    const slot = locateSlot(source, site, record);
    if (slot.kind !== 'slot') return skip(SLOT_CODES[slot.kind], slot.detail, id);
    const width = slot.end - slot.start;
    if (literal.length + 1 > width) {
      return skip(RuntimeCode.tooLong, `the literal of ${record.var} is ${literal.length} characters; slot ${site} holds ${width - 1}`, id);
    }
    regions.push({ site, start: slot.start, end: slot.end, text: ' ' + literal.padEnd(width - 1, ' ') });
    outcomes.push({ site, var: record.var, id, patched: true, literal });
  });
  if (regions.length === 0) return { source, module: table.module, sites: outcomes, patched: 0 };

  regions.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const region of regions) {
    if (region.start < at) {
      // Cannot happen for slots that check out (a region holds no marker); never write across one.
      const i = outcomes.findIndex((o) => o.site === region.site);
      const { site, var: variable, id } = outcomes[i]!;
      outcomes[i] = { site, var: variable, ...(id === undefined ? {} : { id }), patched: false, code: RuntimeCode.slotMismatch, reason: `slot ${site} overlaps another slot` };
      continue;
    }
    out += source.slice(at, region.start) + region.text;
    at = region.end;
  }
  out += source.slice(at);
  return { source: out, module: table.module, sites: outcomes, patched: outcomes.filter((o) => o.patched).length };
}

/** The URL of the loaded module that declares `record`'s variable: `from` resolved against this module's URL. */
function declaringModuleUrl(record: SiteRecord, options: PatchSourceOptions, cache: Map<string, Resolved>): Resolved {
  const { url } = options;
  if (url === undefined) return { reason: `patchSource() was not given this module's URL: which loaded copy of the module declaring ${record.var} it reads is unknown` };
  const from = record.from;
  if (from === undefined) return { reason: `the record of ${record.var} has no "from": the compiler could not tell where its declaring module is emitted` };
  if (from === '') return { url }; // declared in this very module (as loaded, query included)
  let resolved = cache.get(from);
  if (!resolved) {
    try {
      const joined = new URL(from, url).href;
      resolved = { url: options.canonicalUrl ? options.canonicalUrl(joined) : joined };
    } catch (error) {
      resolved = { reason: `cannot resolve ${JSON.stringify(from)} against ${url} (${error instanceof Error ? error.message : 'not a URL'})` };
    }
    cache.set(from, resolved);
  }
  return resolved;
}
