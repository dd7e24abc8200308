// Boots, seals, imports the hot module, prints one JSON line: values, the boot report, the reader's function sources.
import { bootReport, seal } from 'hotpath';
import { initConfig } from './config.js';
import { earlyShift } from './early.js';
import { initLimits } from './limits.js';
import { initTable } from './table.js';

const seed = Number(process.env.SEED ?? '1024');
initConfig(seed);
initLimits(seed);
initTable(seed);
if (process.env.HOTPATH_NO_SEAL !== '1') seal();
const reader: Record<string, unknown> = await import('./reader.js');
const values: Record<string, unknown> = { earlyShift: earlyShift() };
const sources: Record<string, string> = {};
for (const name of Object.keys(reader).sort()) {
  const fn = reader[name];
  if (typeof fn !== 'function') continue;
  const value: unknown = fn();
  values[name] = typeof value === 'bigint' ? `${value}n` : value;
  sources[name] = String(fn);
}
const report = bootReport();
console.log(JSON.stringify({ values, sources, report }, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value)));
