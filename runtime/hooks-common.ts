/** What every module hook does with a module's source: a cheap test, then patchSource(). */
import { patchSource } from './patch-source.js';
import type { HookKind, ModulePatchReport } from './report.js';
import { RECORD_TABLE_PREFIX } from './site-format.js';

export type SealedValues = ReadonlyMap<string, unknown>;
export type ModuleSource = string | ArrayBufferView | ArrayBuffer | null | undefined;

/** True when the raw source holds a record table prefix; tested on the bytes, before any decoding. */
export function mayHaveSites(source: ModuleSource): source is string | ArrayBufferView | ArrayBuffer {
  if (typeof source === 'string') return source.includes(RECORD_TABLE_PREFIX);
  if (source == null) return false;
  const bytes = ArrayBuffer.isView(source)
    ? Buffer.from(source.buffer, source.byteOffset, source.byteLength)
    : Buffer.from(source);
  return bytes.indexOf(RECORD_TABLE_PREFIX, 0, 'latin1') >= 0;
}

/** Patches one module's source; returns the source to compile (the input when nothing was patched) and the report. */
export function patchModule(
  url: string,
  source: string | ArrayBufferView | ArrayBuffer,
  values: SealedValues,
  hook: HookKind,
): { source: string | ArrayBufferView | ArrayBuffer; report: ModulePatchReport } {
  const started = performance.now();
  const text = typeof source === 'string' ? source : new TextDecoder().decode(source);
  const result = patchSource(text, values);
  const report: ModulePatchReport = {
    url,
    ...(result.module === undefined ? {} : { module: result.module }),
    hook,
    sites: result.sites,
    patched: result.patched,
    ...(result.tableProblem ? { tableProblem: result.tableProblem } : {}),
    ms: performance.now() - started,
  };
  return { source: result.patched ? result.source : source, report };
}
