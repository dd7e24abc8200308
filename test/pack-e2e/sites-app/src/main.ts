// Boot, seal(), then import the reader; print one JSON line: the values, the functions'
// sources and the boot report (test/pack-e2e/sites.test.ts).
import { bootReport, seal } from 'hotpath';
import { initConfig } from './config.js';
import { earlyShift } from './early.js';

async function main(): Promise<void> {
  initConfig(Number(process.env.SEED ?? '1024'));
  seal();
  const reader: Record<string, unknown> = await import('./reader.js');
  const values: Record<string, unknown> = { earlyShift: earlyShift() };
  const sources: Record<string, string> = {};
  for (const name of Object.keys(reader).sort()) {
    const fn = reader[name];
    if (typeof fn !== 'function') continue;
    const value: unknown = fn();
    values[name] = typeof value === 'bigint' ? `${value}n` : value;
    if (name !== 'where') sources[name] = String(fn);
  }
  const report = bootReport();
  console.log(JSON.stringify({ values, sources, report }, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
