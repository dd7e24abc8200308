// The patcher alone, cold, over the boot app's 1,000 module sources in one fresh process: `decode`
// reads every record table, `patch` patches every module as the hooks do (sealedPatcher, the
// sources already decoded), `decode+patch` decodes each module's bytes first, as the hooks do. Two
// floors, below any patcher that reads a per-module table: `find` decodes each module and finds its
// table, `parse` also parses it (JSON.parse, nothing checked). Prints one line: phase, ms. Run it from the repository, after a run of
// `npm run bench -- boot` (bench/.out/boot) and `npm run build`:
//   node bench/patch-phases.mjs . decode|patch|decode+patch|find|parse
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [rootArg = '.', phase = 'patch'] = process.argv.slice(2);
const root = path.resolve(rootArg);
const dist = path.join(root, 'bench/.out/boot/app/dist');
const siteFormat = await import(pathToFileURL(path.join(root, 'build/runtime/site-format.js')).href);
const { sealedPatcher } = await import(pathToFileURL(path.join(root, 'build/runtime/patch-source.js')).href);
const files = readdirSync(path.join(dist, 'mods')).map((f) => path.join(dist, 'mods', f));
const decoder = new TextDecoder();
const buffers = files.map((f) => readFileSync(f));
const texts = buffers.map((b) => decoder.decode(b));
const urls = files.map((f) => pathToFileURL(f).href);
const config = pathToFileURL(path.join(dist, 'config.js')).href;
const literals = { poolBase: '1073741824', poolSize: '2097152', shift: '12', traceEnabled: 'false', mode: '"fast"' };
const patch = sealedPatcher(new Map(Object.entries(literals).map(([name, literal]) => [`${config}#${name}`, { literal }])));
const decode = siteFormat.decodeRecordTable ?? siteFormat.readRecordTable; // format 3, or an older checkout's reader
let patched = 0;
const t0 = performance.now();
for (let i = 0; i < texts.length; i++) {
  if (phase === 'find') patched += decoder.decode(buffers[i]).indexOf('/*@hotpath-sites:') >= 0 ? 1 : 0;
  else if (phase === 'parse') patched += parseTable(decoder.decode(buffers[i])).length;
  else if (phase === 'decode') patched += decode(texts[i]).kind === 'table' ? 1 : 0;
  else if (phase === 'decode+patch') patched += patch(decoder.decode(buffers[i]), { url: urls[i], canonicalUrl: (/** @type {string} */ u) => u }).patched;
  else patched += patch(texts[i], { url: urls[i], canonicalUrl: (/** @type {string} */ u) => u }).patched;
}
/** The least any patcher reading a per-module JSON table does: find it and parse it (no checks, no slots). */
function parseTable(/** @type {string} */ text) {
  const at = text.indexOf('/*@hotpath-sites:');
  return JSON.parse(text.slice(text.indexOf(' ', at) + 1, text.indexOf('*/', at)))[2];
}
console.log(phase, (performance.now() - t0).toFixed(2), 'ms', phase === 'decode' || phase === 'find' ? `${patched} tables` : phase === 'parse' ? `${patched} sites read` : `${patched} sites patched`);
