/**
 * A small app written by hand the way `hotpath build` emits it (slots, record tables,
 * injected runtime calls), in ES-module and CommonJS spellings, for the boot tests.
 * `node test/runtime/boot-app.mjs` (after `npm run build`) writes it and prints its directory.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readRecordTable, recordTableText, slotCloseText, slotOpenText } from '../../build/runtime/site-format.js';

const slot = (id, read) => `(/*${slotOpenText(id)}*/ (${read}) /*${slotCloseText(id)}*/)`;
const table = (module, sites) => `/*${recordTableText({ module, sites })}*/`;
/**
 * A record: `from` is the declaring module's emitted file relative to the reader's (default: pool.js beside it);
 * `via` the reader's own specifier for it, as the compiler writes for a direct import (null: none, a read through a re-export).
 */
const site = (name, read = name, declaredIn = 'src/pool.ts', from = './pool.js', via = from) => ({ var: `${declaredIn}#${name}`, read, export: name, from, ...(via === null ? {} : { via }) });

const POOL_SIZE = 1 << 20;

/** @type {Record<string, string>} */
const files = {
  // src/pool.ts: the static variables and the @boot function that computes them.
  'pool.js': `import { registerStaticVariable as hp_register, assertBootPhase as hp_assertBootPhase } from "hotpath";
export let poolBase = 0;
export let mode = "slow";
export let big = 0n;
export let weird = null;
export let label = "";
export function initPool(heapSize) {
    hp_assertBootPhase("initPool (src/pool.ts:7:17)");
    poolBase = heapSize * 16;
    mode = "fast";
    big = -9223372036854775808n;
    weird = Symbol("weird");
    label = "x".repeat(40);
}
/** A write outside @boot code, as uncompiled code could do: verifyStaticVariables() must find it. */
export function movePool() { poolBase += 4096; }
hp_register("src/pool.ts#poolBase", () => poolBase, import.meta.url);
hp_register("src/pool.ts#mode", () => mode, import.meta.url);
hp_register("src/pool.ts#big", () => big, import.meta.url);
hp_register("src/pool.ts#weird", () => weird, import.meta.url);
hp_register("src/pool.ts#label", () => label, import.meta.url);
`,
  // src/free.ts: the hot path, loaded after seal().
  'free.js': `import { noteSiteModule as hp_noteSiteModule } from "hotpath";
import { poolBase, mode, big } from "./pool.js";
hp_noteSiteModule("src/free.ts", 3);
export function isPoolAddress(p) {
    return (p - ${slot(0, 'poolBase')}) >>> 0 < ${POOL_SIZE};
}
export function describe() {
    return ${slot(1, 'mode')} + ":" + ${slot(2, 'big')};
}
${table('src/free.ts', [site('poolBase'), site('mode'), site('big')])}
`,
  // src/odd.ts: one good site and one of each skip reason.
  'odd.js': `import { noteSiteModule as hp_noteSiteModule } from "hotpath";
import { poolBase, weird, label } from "./pool.js";
// stand-ins for a variable that is unreadable at seal() and one never registered: their sites stay loads of these
const late = 7, nowhere = "n";
hp_noteSiteModule("src/odd.ts", 6);
export const values = () => [
    ${slot(0, 'poolBase')},
    typeof ${slot(1, 'weird')},
    ${slot(2, 'label')}.length,
    ${slot(3, 'late')},
    ${slot(4, 'nowhere')},
    (/*@hp:5*/ (poolBase + 1) /*${slotCloseText(5)}*/),
];
${table('src/odd.ts', [site('poolBase'), site('weird'), site('label'), site('late', 'late', 'src/main.ts', './main.mjs'), site('nowhere', 'nowhere', 'src/gone.ts', './gone.js'), site('poolBase')])}
`,
  // src/early.ts: statically imported by the entry, so it runs before seal().
  'early.js': `import { noteSiteModule as hp_noteSiteModule } from "hotpath";
import { poolBase } from "./pool.js";
hp_noteSiteModule("src/early.ts", 1);
export function isPoolAddressEarly(p) {
    return (p - ${slot(0, 'poolBase')}) >>> 0 < ${POOL_SIZE};
}
${table('src/early.ts', [site('poolBase')])}
`,
  'bundled.js': `hp_noteSiteModule("src/bundled.ts", 1);
${table('src/bundled.ts', [site('poolBase')])}
`,
  // src/main.ts (ES modules): boot, seal, then import the rest.
  'main.mjs': `import { seal, bootReport, verifyStaticVariables, registerStaticVariable as hp_register, noteSiteModule as hp_noteSiteModule } from "hotpath";
import { readFileSync } from "node:fs";
import { initPool, movePool } from "./pool.js";
import { isPoolAddressEarly } from "./early.js";
hp_register("src/main.ts#late", () => late, import.meta.url);
initPool(1 << 26);
const base = (1 << 26) * 16;
const out = { node: process.version, sealReport: seal() };
const { isPoolAddress, describe } = await import(process.env.READER ?? "./free.js");
const odd = await import("./odd.js");
const cjs = await import("./check.cjs");
// a module evaluated by hand, as a bundler's runtime would: no hook sees it (HP2012)
new Function("hp_noteSiteModule", readFileSync(new URL("./bundled.js", import.meta.url), "utf8"))(hp_noteSiteModule);
out.source = isPoolAddress.toString();
out.cjsSource = cjs.isPoolAddress.toString();
out.results = [isPoolAddress(base), isPoolAddress(base + ${POOL_SIZE - 1}), isPoolAddress(base + ${POOL_SIZE}), isPoolAddress(base - 1), describe(), isPoolAddressEarly(base), cjs.isPoolAddress(base)];
out.odd = odd.values();
try { seal(); } catch (e) { out.secondSeal = String(e.message); out.secondSealCode = e.code; }
try { initPool(1); } catch (e) { out.bootAfterSeal = String(e.message); }
out.report = bootReport();
out.verifyBefore = verifyStaticVariables();
movePool();
out.verifyAfter = verifyStaticVariables();
out.afterMove = [isPoolAddress(base), isPoolAddressEarly(base)];
console.log(JSON.stringify(out, (k, v) => (typeof v === "bigint" ? v + "n" : typeof v === "symbol" ? String(v) : v)));
export let late = 5;
`,
  // The same boot with HOTPATH_REPORT=1 and nothing else: the report printed at exit must show every patch.
  'report.mjs': `import { seal } from "hotpath";
import { initPool } from "./pool.js";
import "./early.js";
initPool(1 << 26);
seal();
const { isPoolAddress } = await import("./free.js");
console.log(isPoolAddress((1 << 26) * 16));
`,
  // Where Node's module APIs are missing (another runtime), seal() still seals and says nothing will be patched.
  'nohooks.mjs': `import { seal, formatBootReport } from "hotpath";
import { initPool } from "./pool.js";
initPool(1 << 26);
delete process.getBuiltinModule;
console.log(formatBootReport(seal()));
const { isPoolAddress } = await import("./free.js");
console.log(isPoolAddress((1 << 26) * 16), isPoolAddress.toString().includes("(poolBase)"));
`,
  // CommonJS output: src/pool.ts and src/free.ts compiled with module: commonjs.
  'package.json': '{ "type": "module" }\n',
  'pool.cjs': `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.mode = exports.poolBase = void 0;
exports.initPool = initPool;
const hotpath_1 = require("hotpath");
exports.poolBase = 0;
exports.mode = "slow";
function initPool(heapSize) {
    (0, hotpath_1.assertBootPhase)("initPool (src/pool.ts:7:17)");
    exports.poolBase = heapSize * 16;
    exports.mode = "fast";
}
(0, hotpath_1.registerStaticVariable)("src/pool.ts#poolBase", () => exports.poolBase, typeof __filename === "string" ? __filename : void 0);
(0, hotpath_1.registerStaticVariable)("src/pool.ts#mode", () => exports.mode, typeof __filename === "string" ? __filename : void 0);
`,
  'free.cjs': `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.isPoolAddress = isPoolAddress;
const hotpath_1 = require("hotpath");
const pool_js_1 = require("./pool.cjs");
(0, hotpath_1.noteSiteModule)("src/free.ts", 2);
function isPoolAddress(p) {
    return (p - ${slot(0, 'pool_js_1.poolBase')}) >>> 0 < ${POOL_SIZE} && ${slot(1, 'pool_js_1.mode')} === "fast";
}
${table('src/free.ts', [site('poolBase', 'poolBase', 'src/pool.ts', './pool.cjs'), site('mode', 'mode', 'src/pool.ts', './pool.cjs')])}
`,
  // CommonJS output requiring the ES-module pool (require(esm)): reads the same bindings, imported after seal() by main.mjs.
  'check.cjs': `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.isPoolAddress = isPoolAddress;
const hotpath_1 = require("hotpath");
const pool_js_1 = require("./pool.js");
(0, hotpath_1.noteSiteModule)("src/check.ts", 1);
function isPoolAddress(p) {
    return (p - ${slot(0, 'pool_js_1.poolBase')}) >>> 0 < ${POOL_SIZE};
}
${table('src/check.ts', [site('poolBase')])}
`,
  // Sealing in a preload: `node --import ./preload.mjs app.mjs`, `node --require ./preload.cjs app.cjs`.
  'preload.mjs': `import { seal } from "hotpath";
import { initPool } from "./pool.js";
initPool(1 << 26);
seal();
`,
  'app.mjs': `import { bootReport } from "hotpath";
import { isPoolAddress } from "./free.js";
console.log(JSON.stringify({ source: isPoolAddress.toString(), result: isPoolAddress((1 << 26) * 16), report: bootReport() }, (k, v) => (typeof v === "bigint" ? v + "n" : v)));
`,
  'preload.cjs': `"use strict";
const hotpath_1 = require("hotpath");
require("./pool.cjs").initPool(1 << 26);
hotpath_1.seal();
`,
  'app.cjs': `"use strict";
const free_js_1 = require("./free.cjs");
console.log(JSON.stringify({ source: free_js_1.isPoolAddress.toString(), result: free_js_1.isPoolAddress((1 << 26) * 16), report: require("hotpath").bootReport() }));
`,
  // One file, pool.cjs, evaluated twice before seal() (require.cache cleared), with different values:
  // one run-time identity registered twice, so neither value is sealed (HP2003).
  'conflict.cjs': `"use strict";
const hotpath_1 = require("hotpath");
const pool_js_1 = require("./pool.cjs");
const cached = require.cache[require.resolve("./pool.cjs")];
delete require.cache[require.resolve("./pool.cjs")];
require("./pool.cjs");
require.cache[require.resolve("./pool.cjs")] = cached; // free.cjs gets the first instance
pool_js_1.initPool(1 << 26);
hotpath_1.seal();
const free_js_1 = require("./free.cjs");
console.log(JSON.stringify({ source: free_js_1.isPoolAddress.toString(), result: free_js_1.isPoolAddress((1 << 26) * 16), report: hotpath_1.bootReport() }));
`,
  'main.cjs': `"use strict";
const hotpath_1 = require("hotpath");
const pool_js_1 = require("./pool.cjs");
pool_js_1.initPool(1 << 26);
const base = (1 << 26) * 16;
hotpath_1.seal();
const free_js_1 = require("./free.cjs");
let bootAfterSeal;
try { pool_js_1.initPool(1); } catch (e) { bootAfterSeal = e.message; }
const verifyBefore = hotpath_1.verifyStaticVariables();
// a second copy of src/pool.ts (as two installed copies of a package would be) registers after seal(),
// and a reader of that copy loaded after seal() must read the copy, never the sealed pool.cjs
const copy = require("./pool-copy.cjs");
const freeCopy = require("./free-copy.cjs");
console.log(JSON.stringify({
    verifyBefore,
    verifyAfterCopy: hotpath_1.verifyStaticVariables(),
    copySource: freeCopy.isPoolAddress.toString(),
    copyResults: [freeCopy.isPoolAddress(base), freeCopy.isPoolAddress(0), copy.poolBase],
    source: free_js_1.isPoolAddress.toString(),
    results: [free_js_1.isPoolAddress(base), free_js_1.isPoolAddress(base - 1)],
    bootAfterSeal,
    report: hotpath_1.bootReport(),
}));
`,
};

// CommonJS required after seal(), then import()ed (Node's ESM loader reads its source again but runs the
// cached module), then evaluated a second time with require.cache cleared: two evaluations, two patches.
files['reimport.mjs'] = `import { createRequire } from "node:module";
import { seal, bootReport } from "hotpath";
const require = createRequire(import.meta.url);
require("./pool.cjs").initPool(1 << 26);
seal();
const required = require("./free.cjs");
const imported = await import("./free.cjs");
const sameModule = imported.default === required;
const afterImport = bootReport();
delete require.cache[require.resolve("./free.cjs")];
const again = require("./free.cjs");
console.log(JSON.stringify({
    sameModule,
    afterImport,
    again: { fresh: again !== required, source: again.isPoolAddress.toString(), result: again.isPoolAddress((1 << 26) * 16) },
    report: bootReport(),
}));
`;
files['pool-copy.cjs'] = files['pool.cjs'];
// The require and every record's `from` and `via` name the copy (checked: a table left naming pool.cjs would get its value).
files['free-copy.cjs'] = files['free.cjs'].replaceAll('"./pool.cjs"', '"./pool-copy.cjs"');
if (readRecordTable(files['free-copy.cjs']).table?.sites.some((s) => s.from !== './pool-copy.cjs' || s.via !== './pool-copy.cjs') !== false) {
  throw new Error('boot-app.mjs: free-copy.cjs still names pool.cjs in its record table');
}

// One built package in several places: copy-a/ and copy-b/ hold the same pool.js and free.js
// (two installed copies); copy-s/pool.js is a symlink to copy-a/pool.js; linked/ links to copy-a/.
for (const copy of ['copy-a', 'copy-b']) {
  files[`${copy}/pool.js`] = files['pool.js'];
  files[`${copy}/free.js`] = files['free.js'];
}
files['copy-s/free.js'] = files['free.js'];
const report = `(k, v) => (typeof v === "bigint" ? v + "n" : v)`;
const readers = (names) => `const out = {};
for (const name of ${JSON.stringify(names)}) {
    const free = await import(\`./\${name}/free.js\`);
    out[name] = { source: free.isPoolAddress.toString(), describe: free.describe(), results: [1, 2, 3].map((k) => free.isPoolAddress((1 << 26) * 16 * k)) };
}
out.report = bootReport();
console.log(JSON.stringify(out, ${report}));
`;
// Both copies booted with different values, then their readers loaded after seal().
files['copies.mjs'] = `import { seal, bootReport } from "hotpath";
import * as a from "./copy-a/pool.js";
import * as b from "./copy-b/pool.js";
a.initPool(1 << 26);
b.initPool(2 << 26);
seal();
${readers(['copy-a', 'copy-b', 'copy-s', 'linked'])}`;
// Only copy-a booted; copy-b and its reader loaded after seal(): copy-b's sites must stay loads.
files['copy-late.mjs'] = `import { seal, bootReport } from "hotpath";
import * as a from "./copy-a/pool.js";
a.initPool(1 << 26);
seal();
${readers(['copy-a', 'copy-b'])}`;
// copy-a booted; copy-s/free.js reads copy-s/pool.js, a symlink to copy-a/pool.js: the same module
// unless --preserve-symlinks, where it is a module of its own that nobody booted.
files['symlinked.mjs'] = `import { seal, bootReport } from "hotpath";
import * as a from "./copy-a/pool.js";
a.initPool(1 << 26);
seal();
${readers(['copy-s'])}`;
// The ES-module and the CommonJS build of src/pool.ts (one module key) booted with different values.
files['esm-cjs.mjs'] = `import { seal, bootReport } from "hotpath";
import { createRequire } from "node:module";
import * as esm from "./pool.js";
const require = createRequire(import.meta.url);
const cjs = require("./pool.cjs");
esm.initPool(1 << 26);
cjs.initPool(2 << 26);
seal();
const freeEsm = await import("./free.js");
const freeCjs = require("./free.cjs");
console.log(JSON.stringify({
    esm: { source: freeEsm.isPoolAddress.toString(), results: [freeEsm.isPoolAddress((1 << 26) * 16), freeEsm.isPoolAddress((2 << 26) * 16)] },
    cjs: { source: freeCjs.isPoolAddress.toString(), results: [freeCjs.isPoolAddress((1 << 26) * 16), freeCjs.isPoolAddress((2 << 26) * 16)] },
    report: bootReport(),
}, ${report}));
`;

// A module hook (or node:test's mock.module) sends free.js's import of ./pool.js to pool-alt.js:
// free.js must read pool-alt's values, patched or not (issue 8, item 5).
files['pool-alt.js'] = `export let poolBase = 5;
export let mode = "alt";
export let big = 1n;
`;
// free-reexport.js reads the same variables through reexport.js: its records have no `via`, and a hook that
// redirects reexport.js's import (by specifier and importing module) is one hotpath cannot ask about.
files['reexport.js'] = `export { poolBase, mode, big } from "./pool.js";
`;
files['free-reexport.js'] = files['free.js'].replace('from "./pool.js"', 'from "./reexport.js"').replace(
  table('src/free.ts', [site('poolBase'), site('mode'), site('big')]),
  table('src/free-reexport.ts', [site('poolBase', 'poolBase', 'src/pool.ts', './pool.js', null), site('mode', 'mode', 'src/pool.ts', './pool.js', null), site('big', 'big', 'src/pool.ts', './pool.js', null)]),
).replace('"src/free.ts", 3', '"src/free-reexport.ts", 3');
const REDIRECTED_PARENT = `(parentURL) => parentURL?.endsWith("/free.js") || parentURL?.endsWith("/reexport.js")`;
files['redirect-loader.mjs'] = `const redirected = ${REDIRECTED_PARENT};
export async function resolve(specifier, context, nextResolve) {
    return nextResolve(specifier === "./pool.js" && redirected(context.parentURL) ? "./pool-alt.js" : specifier, context);
}
`;
// A tool that replaces Module._resolveFilename (module-alias does) before seal(): outside every hook chain.
// free.cjs requires ./pool.cjs itself (records with `via`); free-reexport.cjs through reexport.cjs (no `via`).
files['pool-alt.cjs'] = `"use strict";
exports.poolBase = 5;
exports.mode = "fast";
`;
files['reexport.cjs'] = `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.mode = exports.poolBase = void 0;
var pool_cjs_1 = require("./pool.cjs");
Object.defineProperty(exports, "poolBase", { enumerable: true, get: function () { return pool_cjs_1.poolBase; } });
Object.defineProperty(exports, "mode", { enumerable: true, get: function () { return pool_cjs_1.mode; } });
`;
files['free-reexport.cjs'] = files['free.cjs'].replace('require("./pool.cjs")', 'require("./reexport.cjs")').replace(
  table('src/free.ts', [site('poolBase', 'poolBase', 'src/pool.ts', './pool.cjs'), site('mode', 'mode', 'src/pool.ts', './pool.cjs')]),
  table('src/free-reexport.ts', [site('poolBase', 'poolBase', 'src/pool.ts', './pool.cjs', null), site('mode', 'mode', 'src/pool.ts', './pool.cjs', null)]),
).replace('"src/free.ts", 2', '"src/free-reexport.ts", 2');
// node alias.cjs <none|passthrough|redirect> <./free.cjs|./free-reexport.cjs> [unsealed]
files['alias.cjs'] = `"use strict";
const Module = require("node:module");
const [how, reader, unsealed] = process.argv.slice(2);
if (how !== "none") {
    const own = Module._resolveFilename;
    Module._resolveFilename = function (request, parent, ...rest) {
        const redirected = how === "redirect" && request === "./pool.cjs" && /\\/(free|reexport)\\.cjs$/.test(parent?.filename ?? "");
        return own.call(this, redirected ? "./pool-alt.cjs" : request, parent, ...rest);
    };
}
const { seal, bootReport } = require("hotpath");
require(__dirname + "/pool.cjs").initPool(1 << 26); // not "./pool.cjs": require's cache by (directory, request) would answer the reader's
if (unsealed !== "unsealed") seal();
const free = require(reader);
const report = bootReport();
console.log(JSON.stringify({
    results: [free.isPoolAddress(5), free.isPoolAddress((1 << 26) * 16)],
    patched: report.sitesPatched,
    skipped: report.modules.flatMap((m) => m.sites.filter((s) => !s.patched).map((s) => s.code + " " + s.reason)),
}));
`;

// node redirect.mjs <none|passthrough|registerHooks|register|mock> <before|after> [unsealed]; READER=./free-reexport.js reads through a re-export
files['redirect.mjs'] = `import { seal, bootReport } from "hotpath";
import * as nodeModule from "node:module";
import { register } from "node:module";
import { initPool } from "./pool.js";
const [how, when, unsealed] = process.argv.slice(2);
const redirected = ${REDIRECTED_PARENT};
initPool(1 << 26);
const redirect = async () => {
    if (how === "registerHooks") {
        nodeModule.registerHooks({ resolve: (s, c, next) => next(s === "./pool.js" && redirected(c.parentURL) ? "./pool-alt.js" : s, c) });
    } else if (how === "passthrough") {
        // a hook that sends nothing elsewhere: hotpath must ask it, and patch
        if (nodeModule.registerHooks) nodeModule.registerHooks({ resolve: (s, c, next) => next(s, c) });
        else register("data:text/javascript,export async function resolve(s, c, next) { return next(s, c); }");
    } else if (how === "register") {
        register("./redirect-loader.mjs", import.meta.url);
    } else if (how === "mock") {
        const { mock } = await import("node:test");
        mock.module("./pool.js", { namedExports: { poolBase: 5, mode: "alt", big: 1n } });
    }
};
if (when === "before") await redirect();
if (unsealed !== "unsealed") seal();
if (when === "after") await redirect();
const { isPoolAddress, describe } = await import(process.env.READER ?? "./free.js");
const report = bootReport();
console.log(JSON.stringify({
    results: [isPoolAddress(5), isPoolAddress((1 << 26) * 16), describe()],
    patched: report.sitesPatched,
    skipped: report.modules.flatMap((m) => m.sites.filter((s) => !s.patched).map((s) => s.code + " " + s.reason)),
}));
`;

/** Writes the app into a fresh temp dir with node_modules/hotpath linked to this repository. */
export function writeBootApp() {
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-boot-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  symlinkSync(join(dir, 'copy-a', 'pool.js'), join(dir, 'copy-s', 'pool.js'), 'file');
  symlinkSync(join(dir, 'copy-a'), join(dir, 'linked'), 'dir');
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(resolve(import.meta.dirname, '../..'), join(dir, 'node_modules', 'hotpath'), 'dir');
  return dir;
}

export { POOL_SIZE };

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.log(writeBootApp());
