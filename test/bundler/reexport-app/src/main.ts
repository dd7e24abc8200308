// Boots, seals (through the user's hp.ts), imports the hot module, prints one JSON line: values and the boot report.
import { bootReport } from 'hotpath';
import { seal } from './hp.js';
import { initConfig } from './config.js';

initConfig(Number(process.env.SEED ?? '1024'));
if (process.env.HOTPATH_NO_SEAL !== '1') seal();
const reader: Record<string, () => unknown> = await import('./reader.js');
const values: Record<string, unknown> = {};
for (const name of Object.keys(reader).sort()) values[name] = reader[name]!();
console.log(JSON.stringify({ values, report: bootReport() }));
