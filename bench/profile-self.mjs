// Self time of the functions under one named function, summed over V8 CPU profiles (what
// docs/boot-protocol.md's profile figures come from). Profile a few boots first, e.g.
//   cd bench/.out/boot && for i in 1 2 3; do node --cpu-prof --cpu-prof-dir /tmp/prof --cpu-prof-interval 100 \
//     ../../boot-once.mjs "$PWD/app/dist"; done
//   node bench/profile-self.mjs /tmp/prof patchModule 30
// Prints the top functions by self time (ms, summed over the profiles), then the total under the
// named function, the profiles' total, and garbage collection anywhere (not attributed to a caller).
import { readFileSync, readdirSync } from 'node:fs';

const [dir, ancestor = 'patchModule', top = '25'] = process.argv.slice(2);
if (!dir) throw new Error('usage: node bench/profile-self.mjs <profile folder> [function name] [rows]');
/** @type {Map<string, number>} */
const totals = new Map();
let under = 0;
let all = 0;
let gc = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
  /** @type {{ nodes: { id: number, callFrame: { functionName: string, url: string, lineNumber: number }, children?: number[] }[], samples: number[], timeDeltas: number[] }} */
  const profile = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  /** @type {Map<number, number>} */
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  /** @param {number} id */
  const inside = (id) => {
    for (let x = /** @type {number | undefined} */ (id); x !== undefined; x = parent.get(x)) if (byId.get(x)?.callFrame.functionName === ancestor) return true;
    return false;
  };
  profile.samples.forEach((id, i) => {
    const t = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    all += t;
    if (node === undefined) return;
    if (node.callFrame.functionName === '(garbage collector)') gc += t;
    if (!inside(id)) return;
    under += t;
    const key = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').pop()}:${node.callFrame.lineNumber}`;
    totals.set(key, (totals.get(key) ?? 0) + t);
  });
}
const ms = (/** @type {number} */ us) => (us / 1000).toFixed(2);
for (const [key, t] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) console.log(ms(t).padStart(8), 'ms', key);
console.log(`under ${ancestor}: ${ms(under)} ms; all: ${ms(all)} ms; garbage collection anywhere: ${ms(gc)} ms`);
