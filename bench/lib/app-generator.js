// A generated application for the boot and build scenarios: `modules` modules under
// src/mods/, 10 STATIC_VARIABLE_LOAD sites each, five static variables set by one
// @boot function, and src/app.ts importing every module.
import { writeProject } from './project.js';

export const SITES_PER_MODULE = 10;

/** The values configure() sets; the boot child checks that patched code computes with them. */
export const CONFIG_VALUES = { poolBase: 0x40000000, poolSize: 0x200000, shift: 12, traceEnabled: false, mode: 'fast' };

const CONFIG_TS = `export let poolBase = 0;
export let poolSize = 0;
export let shift = 0;
export let traceEnabled = true;
export let mode = 'slow';

/** @boot */
export function configure(): void {
  poolBase = ${CONFIG_VALUES.poolBase};
  poolSize = ${CONFIG_VALUES.poolSize};
  shift = ${CONFIG_VALUES.shift};
  traceEnabled = ${CONFIG_VALUES.traceEnabled};
  mode = '${CONFIG_VALUES.mode}';
}
`;

const MAIN = `import { seal } from 'hotpath';
import { configure } from './config.js';
import { checksum } from './app.js';

configure();
seal();
// A use of the app the bundler cannot drop (an entry's unused exports are tree-shaken away).
Object.assign(globalThis, { hotpathAppChecksum: checksum });
`;

/** One module: five functions, ten sites (2 + 3 + 2 + 1 + 2). `t(annotation)` is the annotation in TypeScript, nothing in JavaScript. */
function moduleSource(i, t = (annotation) => annotation) {
  return `import { STATIC_VARIABLE_LOAD } from 'hotpath';
import { poolBase, poolSize, shift, traceEnabled, mode } from '../config.js';

const salt = ${i};

export function inPool(p${t(': number')})${t(': boolean')} {
  return ((p - STATIC_VARIABLE_LOAD(poolBase)) >>> 0) < STATIC_VARIABLE_LOAD(poolSize);
}

export function inPoolTwoSided(p${t(': number')})${t(': boolean')} {
  return p >= STATIC_VARIABLE_LOAD(poolBase) && p < STATIC_VARIABLE_LOAD(poolBase) + STATIC_VARIABLE_LOAD(poolSize);
}

export function pageOf(p${t(': number')})${t(': number')} {
  return (p - STATIC_VARIABLE_LOAD(poolBase)) >>> STATIC_VARIABLE_LOAD(shift);
}

export function pageSize()${t(': number')} {
  return 1 << STATIC_VARIABLE_LOAD(shift);
}

export function step(p${t(': number')})${t(': number')} {
  if (STATIC_VARIABLE_LOAD(traceEnabled)) console.log('step', salt, p);
  return STATIC_VARIABLE_LOAD(mode) === 'fast' ? p + salt : p - salt;
}
`;
}

function appSource(modules, t = (annotation) => annotation, loop = false) {
  const lines = [];
  for (let i = 0; i < modules; i++) lines.push(`import * as m${i} from './mods/m${pad(i)}.js';`);
  lines.push('');
  lines.push(`export const moduleCount = ${modules};`);
  lines.push('');
  lines.push('/** Calls every function of every module once; the same number whatever compiled or patched it. */');
  lines.push(`export function checksum(p${t(': number')})${t(': number')} {`);
  lines.push('  let sum = 0;');
  if (loop) {
    // One statement per module, folded by a minifier into one expression 1,000 deep, is more than a
    // parser's stack holds (rspack's SWC output, then acorn: HP1105); a loop is what an app would write.
    lines.push(`  for (const m of [${Array.from({ length: modules }, (_, i) => `m${i}`).join(', ')}]) {`);
    lines.push('    sum = (sum + (m.inPool(p) ? 1 : 0) + (m.inPoolTwoSided(p) ? 2 : 0) + m.pageOf(p) + m.pageSize() + m.step(p)) | 0;');
    lines.push('  }');
  }
  for (let i = 0; i < (loop ? 0 : modules); i++) {
    lines.push(`  sum = (sum + (m${i}.inPool(p) ? 1 : 0) + (m${i}.inPoolTwoSided(p) ? 2 : 0) + m${i}.pageOf(p) + m${i}.pageSize() + m${i}.step(p)) | 0;`);
  }
  lines.push('  return sum;');
  lines.push('}');
  lines.push('');
  return lines.join('\n');
}

function pad(i) {
  return String(i).padStart(4, '0');
}

/**
 * Writes the project (tsconfig.json → dist/, tsconfig.tsc.json → dist-tsc/) into `dir`; ES modules unless `commonjs`.
 * `language: 'js'`: the same app as JavaScript (src/*.js, no type annotations), for bundlers without a TypeScript step.
 */
/**
 * `bootEntry`: also src/main, a bundle's entry that runs the boot code (configure(), seal()), so
 * a bundler sees the writes and cannot fold the variables to constants. It is built, not run (the
 * bundle scenario), so it imports the app statically: rspack 2.3.4 crashes (SIGSEGV) on an
 * import() of the 1,000-module app.
 */
export function generateApp(dir, { modules = 1000, commonjs = false, language = 'ts', bootEntry = false } = {}) {
  const t = language === 'js' ? () => '' : (annotation) => annotation;
  const ext = language === 'js' ? 'js' : 'ts';
  const config = language === 'js' ? CONFIG_TS.replace('configure(): void {', 'configure() {') : CONFIG_TS;
  const files = { [`src/config.${ext}`]: config, [`src/app.${ext}`]: appSource(modules, t, bootEntry) };
  for (let i = 0; i < modules; i++) files[`src/mods/m${pad(i)}.${ext}`] = moduleSource(i, t);
  if (bootEntry) files[`src/main.${ext}`] = MAIN;
  writeProject(dir, files, { commonjs });
  return { modules, sites: modules * SITES_PER_MODULE };
}

/** The path of one generated module's output, to check what was loaded. */
export function moduleOutput(i) {
  return `mods/m${pad(i)}.js`;
}
