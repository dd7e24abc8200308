// Boot cost: a generated app of 1,000 modules with 10,000 sites, imported after the
// boot code ran. Four processes tell the two costs apart:
//   tsc/unsealed      tsc's output (markers are identity calls), no hooks
//   tsc/sealed        the same, after seal(): Node's hook mechanism on 1,000 modules with nothing to patch
//   hotpath/unsealed  `hotpath build` output, no seal(): every slot reads its variable
//   hotpath/sealed    the same, after seal(): every module patched on load
// added by Node's hook mechanism = tsc/sealed − tsc/unsealed
// added by patching              = (hotpath/sealed − hotpath/unsealed) − (tsc/sealed − tsc/unsealed)
// added at boot by hotpath       = hotpath/sealed − hotpath/unsealed
// Issue 10's targets (printed met / NOT met): added at boot ≤ 8 ms, of which patching ≤ 3 ms;
// registrations and record tables unsealed ≤ 1 ms; import('hotpath') ≤ 2 ms; seal() ≤ 2 ms.
// and the same app emitted as CommonJS (cjs/unsealed, cjs/sealed): on Node 20 its require()s are
// patched by the runtime's in-thread require hook instead of the off-thread module.register hooks.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONFIG_VALUES, generateApp, moduleOutput } from '../lib/app-generator.js';
import { compile } from '../lib/project.js';

const MODULES = 1000;
const PROBE = CONFIG_VALUES.poolBase + 5000;

const VARIANTS = [
  { name: 'tsc/unsealed', label: 'tsc output, no seal(): no hooks' },
  { name: 'tsc/sealed', label: 'tsc output, after seal(): hooks, nothing to patch', needsHotpath: true },
  { name: 'hotpath/unsealed', label: 'hotpath output, no seal(): slots read variables', needsHotpath: true },
  { name: 'hotpath/sealed', label: 'hotpath output, after seal(): hooks + patching', needsHotpath: true },
  { name: 'cjs/unsealed', label: 'hotpath output as CommonJS, no seal()', needsHotpath: true },
  { name: 'cjs/sealed', label: 'hotpath output as CommonJS, after seal(): hooks + patching', needsHotpath: true },
  { name: 'patchSource', label: 'patchSource() alone on the 1,000 sources, first pass (cold)', needsHotpath: true },
];
const STARTUP = VARIANTS.slice(0, 4);
const SAME_RESULT = VARIANTS.slice(0, 6);

function median(name, result) {
  return result.variants.find((v) => v.name === name)?.median;
}

export default {
  name: 'boot',
  title: `Start-up: import() of an app of ${MODULES} modules with ${MODULES * 10} sites, seal() included`,
  unit: 'ms',
  defaultRuns: 7,
  warmupRounds: 1,
  variants: VARIANTS,
  sameChecksum: [SAME_RESULT.map((v) => v.name)],
  comparisons: [
    { label: 'hotpath sealed / unsealed', num: 'hotpath/sealed', den: 'hotpath/unsealed' },
    { label: 'tsc sealed / unsealed (hook mechanism)', num: 'tsc/sealed', den: 'tsc/unsealed' },
    { label: 'CommonJS sealed / unsealed', num: 'cjs/sealed', den: 'cjs/unsealed' },
  ],
  async prepare(ctx) {
    const dir = path.join(ctx.workDir, 'app');
    generateApp(dir, { modules: MODULES });
    compile(dir, { tool: 'tsc', config: 'tsconfig.tsc.json' });
    if (ctx.hotpath) {
      compile(dir);
      const cjs = path.join(ctx.workDir, 'app-cjs');
      generateApp(cjs, { modules: MODULES, commonjs: true });
      compile(cjs);
    }
  },
  async measure(variant, { workDir }) {
    if (variant === 'patchSource') return measurePatchSource(path.join(workDir, 'app/dist'));
    const [build, mode] = variant.split('/');
    const dist = path.join(workDir, build === 'cjs' ? 'app-cjs' : 'app', build === 'tsc' ? 'dist-tsc' : 'dist');
    if (!existsSync(path.join(dist, 'app.js'))) throw new Error(`${dist}/app.js is missing: run the scenario's prepare step`);
    // The first import of hotpath in this process: what every process pays, sealed or not.
    const i0 = performance.now();
    const runtime = await import('hotpath');
    const importHotpathMs = performance.now() - i0;
    const config = await import(pathToFileURL(path.join(dist, 'config.js')).href);
    config.configure();
    const t0 = performance.now();
    if (mode === 'sealed') runtime.seal();
    const t1 = performance.now();
    const app = await import(pathToFileURL(path.join(dist, 'app.js')).href);
    const t2 = performance.now();
    // Read before the check below imports a module again (an import() of a required module loads its source again).
    const report = runtime.bootReport();
    const first = await import(pathToFileURL(path.join(dist, moduleOutput(0))).href);
    const patched = first.inPool.toString().includes(String(CONFIG_VALUES.poolBase));
    if (patched !== (build !== 'tsc' && mode === 'sealed')) {
      throw new Error(`boot ${variant}: ${moduleOutput(0)} is ${patched ? '' : 'not '}patched:\n${first.inPool}`);
    }
    if (app.moduleCount !== MODULES) throw new Error(`boot ${variant}: app has ${app.moduleCount} modules`);
    const extra = { sealMs: t1 - t0, importMs: t2 - t1, importHotpathMs };
    if (mode === 'sealed') {
      // The runtime's own account: which hooks, how many sites patched, time inside patchSource.
      const expected = build === 'tsc' ? 0 : MODULES * 10;
      if (report.sitesPatched !== expected || report.sitesSkipped !== 0) {
        throw new Error(`boot ${variant}: ${report.sitesPatched} sites patched, ${report.sitesSkipped} skipped; expected ${expected} and 0`);
      }
      Object.assign(extra, { hooks: report.hooks, sitesPatched: report.sitesPatched, patchMs: report.patchMs });
    }
    return { value: t2 - t0, checksum: app.checksum(PROBE), extra };
  },
  derived(result) {
    const [tu, ts, hu, hs] = STARTUP.map((v) => median(v.name, result));
    const lines = [];
    const ms = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(1)} ms`;
    const target = (x, limit) => `target ≤ ${limit} ms (issue 10): ${x <= limit ? 'met' : 'NOT met'}`;
    // A difference between processes is decided by every round (same load in a round): met only
    // when each round's difference meets it, NOT met only when none does; otherwise noise decides.
    const values = (name) => result.variants.find((v) => v.name === name)?.values ?? [];
    const roundTarget = (terms, limit) => {
      const rounds = Math.min(...terms.map(([name]) => values(name).length));
      const diffs = Array.from({ length: rounds }, (_, i) => terms.reduce((sum, [name, sign]) => sum + sign * values(name)[i], 0));
      const status = diffs.every((d) => d <= limit) ? 'met' : diffs.every((d) => d > limit) ? 'NOT met' : `undecided (rounds ${ms(Math.min(...diffs))} … ${ms(Math.max(...diffs))}: noise)`;
      return `target ≤ ${limit} ms (issue 10): ${status}`;
    };
    const mid = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    const extras = (name) => result.variants.find((v) => v.name === name)?.extra ?? [];
    if (tu !== undefined && ts !== undefined) lines.push(`added by Node's hook mechanism (tsc sealed − unsealed): ${ms(ts - tu)}`);
    if (hu !== undefined && hs !== undefined) {
      lines.push(`added at boot by hotpath (hotpath sealed − unsealed): ${ms(hs - hu)}   ${roundTarget([['hotpath/sealed', 1], ['hotpath/unsealed', -1]], 8)}`);
      if (tu !== undefined && ts !== undefined) lines.push(`of which hotpath's own patching ((hotpath sealed − unsealed) − hook mechanism): ${ms(hs - hu - (ts - tu))}   ${roundTarget([['hotpath/sealed', 1], ['hotpath/unsealed', -1], ['tsc/sealed', -1], ['tsc/unsealed', 1]], 3)}`);
    }
    if (tu !== undefined && hu !== undefined) lines.push(`hotpath output vs tsc output, both unsealed (registrations, record tables): ${ms(hu - tu)}   ${roundTarget([['hotpath/unsealed', 1], ['tsc/unsealed', -1]], 1)}`);
    const imports = [...extras('tsc/unsealed'), ...extras('hotpath/unsealed')].map((e) => e.importHotpathMs).filter((x) => x !== undefined);
    if (imports.length) lines.push(`import('hotpath') in a process that never seals: median ${mid(imports).toFixed(1)} ms   ${target(mid(imports), 2)}`);
    const hsExtra = extras('hotpath/sealed');
    if (hsExtra.length) {
      const seal = mid(hsExtra.map((e) => e.sealMs));
      lines.push(`hooks: ${hsExtra[0].hooks}; ${hsExtra[0].sitesPatched} sites patched per process`);
      lines.push(`seal() (snapshot, installing hooks): median ${seal.toFixed(1)} ms   ${target(seal, 2)}`);
      // Measured in the process, so it decides where the difference between processes cannot: a lower bound of hotpath's own work.
      const patchMs = mid(hsExtra.map((e) => e.patchMs));
      lines.push(`inside patchSource (runtime's patchMs, in the process: part of hotpath's own work): median ${patchMs.toFixed(1)} ms   ${patchMs > 3 ? 'target ≤ 3 ms (issue 10): NOT met' : '(≤ 3 ms; the hooks\' work around it is not in this figure)'}`);
    }
    const cu = median('cjs/unsealed', result);
    const cs = median('cjs/sealed', result);
    if (cu !== undefined && cs !== undefined) {
      const cjsHooks = extras('cjs/sealed')[0]?.hooks;
      lines.push(`added at boot by hotpath, CommonJS output (cjs sealed − unsealed; ${cjsHooks}): ${ms(cs - cu)}   ${roundTarget([['cjs/sealed', 1], ['cjs/unsealed', -1]], 8)}`);
    }
    const ps = result.variants.find((v) => v.name === 'patchSource');
    if (ps?.extra.length) {
      lines.push(`patchSource() alone on the 1,000 sources: first pass ${ps.median.toFixed(1)} ms, warm ${mid(ps.extra.map((e) => e.warmMs)).toFixed(1)} ms (${(mid(ps.extra.map((e) => e.warmMs)) * 1000 / (MODULES * 10)).toFixed(2)} µs per site)`);
    }
    return lines;
  },
};

/** The pure patcher over every module source of the app, in memory: no loader, no hooks. */
async function measurePatchSource(dist) {
  const { patchSource, staticVariableId } = await import('hotpath');
  const dir = path.join(dist, 'mods');
  const modules = readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => ({ url: pathToFileURL(path.join(dir, f)).href, source: readFileSync(path.join(dir, f), 'utf8') }));
  // Values are keyed by run-time identity: the declaring module's URL and the variable's name.
  const configUrl = pathToFileURL(path.join(dist, 'config.js')).href;
  const values = new Map(Object.entries(CONFIG_VALUES).map(([name, value]) => [staticVariableId(configUrl, name), value]));
  const pass = () => {
    let patched = 0;
    for (const m of modules) patched += patchSource(m.source, values, { url: m.url }).patched;
    return patched;
  };
  const t0 = performance.now();
  const patched = pass();
  const coldMs = performance.now() - t0;
  if (patched !== MODULES * 10) throw new Error(`patchSource patched ${patched} sites, expected ${MODULES * 10}`);
  const warm = [];
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    pass();
    warm.push(performance.now() - t);
  }
  warm.sort((a, b) => a - b);
  return { value: coldMs, extra: { warmMs: warm[warm.length >> 1] } };
}
