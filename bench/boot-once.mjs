// One boot of the boot scenario's app in this process, its figures as one JSON line: run it from a
// directory whose node_modules/hotpath is the runtime to measure (bench/.out/boot after a run of
// `npm run bench -- boot`), with the app's dist folder as argument. Alternating it between two
// checkouts compares two runtimes at one load (docs/measurements.md, "Boot cost").
//   cd bench/.out/boot && node ../../boot-once.mjs "$PWD/app/dist"       (UNSEALED=1: no seal())
import { pathToFileURL } from 'node:url';

const dist = process.argv[2];
if (!dist) throw new Error('usage: node boot-once.mjs <app dist folder>');
const i0 = performance.now();
const runtime = await import('hotpath');
const i1 = performance.now();
const config = await import(pathToFileURL(`${dist}/config.js`).href);
config.configure();
const t0 = performance.now();
if (process.env['UNSEALED'] !== '1') runtime.seal();
const t1 = performance.now();
await import(pathToFileURL(`${dist}/app.js`).href);
const t2 = performance.now();
const report = runtime.bootReport();
const round = (/** @type {number} */ x) => Math.round(x * 100) / 100;
console.log(JSON.stringify({ importHotpath: round(i1 - i0), seal: round(t1 - t0), importApp: round(t2 - t1), patchMs: round(report.patchMs), patched: report.sitesPatched, hooks: report.hooks }));
