// @ts-check
/**
 * The driver of `hotpath codegen`: the program runCodegen (index.ts) starts as
 * `node --allow-natives-syntax --no-concurrent-recompilation driver.mjs <config.json>`.
 * It imports the target, warms the function with the arguments, optimises it with TurboFan
 * (synchronously, via V8's natives), runs it again and re-optimises if it was deoptimised,
 * so the last printed version is a stable one. `--print-opt-code` is switched on only now,
 * filtered to `fn.name`, so node's own code is not printed. It writes what happened as JSON
 * to `config.resultPath` (index.ts's DriverResult).
 *
 * Plain JavaScript, not TypeScript: node runs it as it is, from the sources (tests) and from
 * the build (tsc copies it there, allowJs).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import v8 from 'node:v8';

/**
 * index.ts's DriverConfig.
 * @typedef {{
 *   moduleUrl: string,
 *   exportName: string,
 *   args: unknown[][],
 *   driverUrl?: string,
 *   bootUrl?: string,
 *   calls: number,
 *   rounds: number,
 *   optStatus: { optimized: number, turboFanned: number },
 *   resultPath: string,
 *   codePath: string,
 * }} DriverConfig
 */

/** @typedef {(...args: unknown[]) => unknown} AnyFunction */

/** @type {DriverConfig} */
const o = JSON.parse(readFileSync(/** @type {string} */ (process.argv[2]), 'utf8'));

// V8's runtime functions parse only under --allow-natives-syntax, which holds for Function
// bodies too: written this way, this module stays JavaScript that tsc and ESLint can read.
const natives = {
  prepareForOptimization: /** @type {(fn: AnyFunction) => void} */ (new Function('fn', '%PrepareFunctionForOptimization(fn);')),
  optimizeOnNextCall: /** @type {(fn: AnyFunction) => void} */ (new Function('fn', '%OptimizeFunctionOnNextCall(fn);')),
  deoptimize: /** @type {(fn: AnyFunction) => void} */ (new Function('fn', '%DeoptimizeFunction(fn);')),
  optimizationStatus: /** @type {(fn: AnyFunction) => number} */ (new Function('fn', 'return %GetOptimizationStatus(fn);')),
};

/** @param {Record<string, unknown>} r */
const report = (r) => writeFileSync(o.resultPath, JSON.stringify({ node: process.version, v8: process.versions.v8, arch: process.arch, ...r }));
/** @param {string} stage @param {unknown} e @returns {never} */
const fail = (stage, e) => {
  report({ stage, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.exit(1);
};

/** @type {any} */
let m;
try {
  if (o.bootUrl) await import(o.bootUrl);
  m = await import(o.moduleUrl);
} catch (e) {
  fail('import', e);
}
const name = o.exportName;
/** @type {AnyFunction} */
let fn = m[name];
if (typeof fn !== 'function' && m.default != null && typeof m.default[name] === 'function') fn = m.default[name];
if (typeof fn !== 'function') {
  const exported = Object.keys(m).filter((k) => typeof m[k] === 'function');
  if (m.default != null && typeof m.default === 'object') for (const k of Object.keys(m.default)) if (typeof m.default[k] === 'function') exported.push(k);
  fail('lookup', name + ' is not an exported function of the module' + (exported.length ? '; its exported functions: ' + [...new Set(exported)].join(', ') : '; it exports no functions'));
}
/** @type {(i: number) => unknown[]} */
let argsOf = () => [];
let defaultArgs = false;
try {
  if (o.driverUrl) {
    /** @type {unknown} */
    const d = (await import(o.driverUrl)).default;
    if (Array.isArray(d) && d.length > 0 && d.every(Array.isArray)) argsOf = (i) => /** @type {unknown[]} */ (d[i % d.length]); // in range: d is not empty
    else if (typeof d === 'function') {
      argsOf = (i) => {
        const a = d(i);
        if (!Array.isArray(a)) throw new TypeError('the driver returned ' + typeof a + ', not an argument list (an array)');
        return a;
      };
    } else throw new TypeError('the driver module must default-export an array of argument lists or a function (i) => argument list');
  } else if (o.args.length > 0) {
    const lists = o.args;
    argsOf = (i) => /** @type {unknown[]} */ (lists[i % lists.length]);
  } else {
    // No arguments given: small integers, different per argument, so comparisons go both ways.
    defaultArgs = true;
    argsOf = (i) => Array.from({ length: fn.length }, (_, k) => (i * (2 * k + 1) + 7 * k) % 1000);
  }
} catch (e) {
  fail('driver', e);
}
const calls = o.calls;
const run = () => {
  for (let i = 0; i < calls; i++) fn(...argsOf(i));
};
let status = 0;
let everOptimized = 0;
let rounds = 0;
try {
  v8.setFlagsFromString('--redirect-code-traces');
  v8.setFlagsFromString('--redirect-code-traces-to=' + o.codePath);
  v8.setFlagsFromString('--print-opt-code');
  // V8 prints a function's debug name; an anonymous one has none, so print all.
  v8.setFlagsFromString('--print-opt-code-filter=' + (fn.name || '*'));
  natives.prepareForOptimization(fn);
  run();
  while (rounds < o.rounds) {
    rounds++;
    // Optimised already (tiered up, or on-stack replacement of a loop during warm-up):
    // drop that code so TurboFan compiles the function's entry with all the feedback.
    if (natives.optimizationStatus(fn) & o.optStatus.optimized) natives.deoptimize(fn);
    natives.optimizeOnNextCall(fn);
    fn(...argsOf(0));
    run();
    status = natives.optimizationStatus(fn);
    everOptimized |= status;
    if (status & o.optStatus.turboFanned) break;
    natives.prepareForOptimization(fn);
  }
} catch (e) {
  fail('call', e);
}
v8.setFlagsFromString('--no-print-opt-code');
report({ stage: 'done', name: fn.name, source: Function.prototype.toString.call(fn), status, everOptimized, rounds, defaultArgs });
