/**
 * The boot tests' app: fixtures/apps/boot compiled with the built `hotpath build` (build/compiler/),
 * its ES-module build at the top of a temp dir and its CommonJS build in cjs/, beside what is no
 * compiler output: the entry scripts and loaders that drive each case (written here), the copy and
 * symlink layout, and the deliberately broken sites, each a checked edit of what the compiler emitted.
 * `node test/runtime/boot-app.mjs` (after `npm run build`) writes it and prints its directory.
 */
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runBuild } from '../../build/compiler/index.js';

const REPO = resolve(import.meta.dirname, '../..');
const FIXTURE = join(REPO, 'fixtures/apps/boot');
/** The pool's size, as the fixture's sources write it (1048576). */
const POOL_SIZE = 1 << 20;

/** `hotpath build -p fixtures/apps/boot/<project>` in this process: the emitted files by their path under outDir. */
function compile(project) {
  /** @type {Record<string, string>} */
  const out = {};
  let printed = '';
  const outDir = join(FIXTURE, project, 'dist');
  const status = runBuild(['-p', join(FIXTURE, project)], {
    write: (text) => (printed += text),
    currentDirectory: REPO,
    isTTY: false,
    writeFile: (fileName, text) => (out[relative(outDir, fileName).split('\\').join('/')] = text),
  });
  if (status !== 0 || printed !== '') throw new Error(`boot-app.mjs: hotpath build -p fixtures/apps/boot/${project} exited ${status}:\n${printed}`);
  return out;
}

/** A visible, checked edit of compiler output: `from` must occur exactly once in `text`. */
function edit(text, from, to, file) {
  const at = text.indexOf(from);
  if (at < 0 || text.includes(from, at + 1)) throw new Error(`boot-app.mjs: ${file} from the compiler does not hold ${JSON.stringify(from)} exactly once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** The app's files: compiler output (edited where a case needs a broken site) and the drivers. */
function appFiles() {
  const esm = compile('esm');
  const cjs = compile('cjs');
  /** @type {Record<string, string>} */
  const files = { 'package.json': '{ "type": "module" }\n' };
  // The ES-module build, as emitted: pool.js, free.js, early.js, check.cjs (src/check.cts), reexport.js,
  // free-reexport.js, pool-alt.js. gone.js is left out: its variable is never registered (HP2001).
  for (const name of ['pool.js', 'free.js', 'early.js', 'check.cjs', 'reexport.js', 'free-reexport.js', 'pool-alt.js']) {
    if (esm[name] === undefined) throw new Error(`boot-app.mjs: hotpath build emitted no ${name} for fixtures/apps/boot/esm`);
    files[name] = esm[name];
  }
  // A write outside @boot code, as code built without the pass could make (the compiler rejects it, HP1007):
  // verifyStaticVariables() must find it.
  files['pool.js'] += '/** A write outside @boot code, added by test/runtime/boot-app.mjs. */\nexport function movePool() { poolBase += 4096; }\n';
  // odd.js: `late` and `nowhere` become stand-ins (an import of the entry would wait on the entry's own
  // top-level await; gone.js is never loaded), so their sites stay loads of these; slot 5 reads
  // `poolBase + 1`, not what the compiler wrote (HP2008).
  let odd = edit(
    esm['odd.js'],
    'import { late } from "./main.mjs";\nimport { nowhere } from "./gone.js";\n',
    '// boot-app.mjs: stand-ins for a variable unreadable at seal() and one never registered\nconst late = 7, nowhere = "n";\n',
    'odd.js',
  );
  odd = edit(odd, '(/*@hp:5*/ (poolBase) /*@hp:5', '(/*@hp:5*/ (poolBase + 1) /*@hp:5', 'odd.js');
  files['odd.js'] = odd;
  // bundled.js, evaluated by main.mjs with new Function as a bundler's runtime would: its imports and
  // export dropped, the bindings passed in as parameters.
  const imports = esm['bundled.js'].match(/^import .* from ".*";\n/gm) ?? [];
  if (imports.length !== 3) throw new Error(`boot-app.mjs: bundled.js from the compiler has ${imports.length} imports, not 3`);
  files['bundled.js'] = edit(imports.reduce((text, line) => text.replace(line, ''), esm['bundled.js']), 'export const bundledBase', 'const bundledBase', 'bundled.js');
  // main.mjs: the compiled src/main.mts (`export let late`, then its registration) with the registration
  // moved above the declaration and the driver between them: at seal() `late` is in its TDZ (HP2002).
  const registration = '__hotpath_registerStaticVariable("src/main.mts#late", () => late, import.meta.url);\n';
  const declaration = 'export let late = 5;\n';
  const main = edit(esm['main.mjs'], `${declaration}${registration}`, `${registration}${MAIN_DRIVER}${declaration}`, 'main.mjs');
  files['main.mjs'] = main;

  // The CommonJS build of src/pool.ts and its readers, in cjs/ (its own package type): the same module
  // keys as the ES-module build, and the same pool.ts (one source, two builds).
  const pool = (project) => readFileSync(join(FIXTURE, project, 'src/pool.ts'), 'utf8');
  if (pool('cjs') !== pool('esm')) throw new Error('boot-app.mjs: fixtures/apps/boot/cjs/src/pool.ts must be a copy of esm/src/pool.ts');
  files['cjs/package.json'] = '{ "type": "commonjs" }\n';
  for (const name of ['pool.js', 'free.js', 'reexport.js', 'free-reexport.js', 'pool-alt.js']) {
    if (cjs[name] === undefined) throw new Error(`boot-app.mjs: hotpath build emitted no ${name} for fixtures/apps/boot/cjs`);
    files[`cjs/${name}`] = cjs[name];
  }
  // A second installed copy of the CommonJS build (main.cjs requires it after seal()).
  for (const name of ['package.json', 'pool.js', 'free.js']) files[`cjs-copy/${name}`] = files[`cjs/${name}`];
  // One built package in several places: copy-a/ and copy-b/ hold the same pool.js and free.js
  // (two installed copies); copy-s/pool.js is a symlink to copy-a/pool.js; linked/ links to copy-a/.
  for (const copy of ['copy-a', 'copy-b']) {
    files[`${copy}/pool.js`] = files['pool.js'];
    files[`${copy}/free.js`] = files['free.js'];
  }
  files['copy-s/free.js'] = files['free.js'];
  return { ...files, ...DRIVERS };
}

// The drivers: entry scripts and loaders, one per case, written by hand.

/** The entry, written into the compiled src/main.mts (see appFiles): boot, seal, then import the rest. */
const MAIN_DRIVER = `import { seal, bootReport, verifyStaticVariables, noteSiteModule } from "hotpath";
import { readFileSync } from "node:fs";
import { initPool, movePool, poolBase } from "./pool.js";
import { isPoolAddressEarly } from "./early.js";
initPool(1 << 26);
const base = (1 << 26) * 16;
const out = { node: process.version, sealReport: seal() };
const { isPoolAddress, describe } = await import(process.env.READER ?? "./free.js");
const odd = await import("./odd.js");
const cjs = await import("./check.cjs");
// a module evaluated by hand, as a bundler's runtime would: no hook sees it (HP2012)
new Function("__hotpath_noteSiteModule", "poolBase", readFileSync(new URL("./bundled.js", import.meta.url), "utf8"))(noteSiteModule, poolBase);
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
`;

const report = `(k, v) => (typeof v === "bigint" ? v + "n" : v)`;
const readers = (names) => `const out = {};
for (const name of ${JSON.stringify(names)}) {
    const free = await import(\`./\${name}/free.js\`);
    out[name] = { source: free.isPoolAddress.toString(), describe: free.describe(), results: [1, 2, 3].map((k) => free.isPoolAddress((1 << 26) * 16 * k)) };
}
out.report = bootReport();
console.log(JSON.stringify(out, ${report}));
`;
const REDIRECTED_PARENT = `(parentURL) => parentURL?.endsWith("/free.js") || parentURL?.endsWith("/reexport.js")`;

/** @type {Record<string, string>} */
const DRIVERS = {
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
  // Sealing in a preload: `node --import ./preload.mjs app.mjs`, `node --require ./preload.cjs app.cjs`.
  'preload.mjs': `import { seal } from "hotpath";
import { initPool } from "./pool.js";
initPool(1 << 26);
seal();
`,
  'app.mjs': `import { bootReport } from "hotpath";
import { isPoolAddress } from "./free.js";
console.log(JSON.stringify({ source: isPoolAddress.toString(), result: isPoolAddress((1 << 26) * 16), report: bootReport() }, ${report}));
`,
  'preload.cjs': `"use strict";
const hotpath = require("hotpath");
require("./cjs/pool.js").initPool(1 << 26);
hotpath.seal();
`,
  'app.cjs': `"use strict";
const free = require("./cjs/free.js");
console.log(JSON.stringify({ source: free.isPoolAddress.toString(), result: free.isPoolAddress((1 << 26) * 16), report: require("hotpath").bootReport() }));
`,
  // One file, cjs/pool.js, evaluated twice before seal() (require.cache cleared), with different values:
  // one run-time identity registered twice, so neither value is sealed (HP2003).
  'conflict.cjs': `"use strict";
const hotpath = require("hotpath");
const pool = require("./cjs/pool.js");
const cached = require.cache[require.resolve("./cjs/pool.js")];
delete require.cache[require.resolve("./cjs/pool.js")];
require("./cjs/pool.js");
require.cache[require.resolve("./cjs/pool.js")] = cached; // cjs/free.js gets the first instance
pool.initPool(1 << 26);
hotpath.seal();
const free = require("./cjs/free.js");
console.log(JSON.stringify({ source: free.isPoolAddress.toString(), result: free.isPoolAddress((1 << 26) * 16), report: hotpath.bootReport() }));
`,
  'main.cjs': `"use strict";
const hotpath = require("hotpath");
const pool = require("./cjs/pool.js");
pool.initPool(1 << 26);
const base = (1 << 26) * 16;
hotpath.seal();
const free = require("./cjs/free.js");
let bootAfterSeal;
try { pool.initPool(1); } catch (e) { bootAfterSeal = e.message; }
const verifyBefore = hotpath.verifyStaticVariables();
// a second copy of the CommonJS build (as two installed copies of a package would be) registers after seal(),
// and a reader of that copy loaded after seal() must read the copy, never the sealed cjs/pool.js
const copy = require("./cjs-copy/pool.js");
const freeCopy = require("./cjs-copy/free.js");
console.log(JSON.stringify({
    verifyBefore,
    verifyAfterCopy: hotpath.verifyStaticVariables(),
    copySource: freeCopy.isPoolAddress.toString(),
    copyResults: [freeCopy.isPoolAddress(base), freeCopy.isPoolAddress(0), copy.poolBase],
    source: free.isPoolAddress.toString(),
    results: [free.isPoolAddress(base), free.isPoolAddress(base - 1)],
    bootAfterSeal,
    report: hotpath.bootReport(),
}));
`,
  // CommonJS required after seal(), then import()ed (Node's ESM loader reads its source again but runs the
  // cached module), then evaluated a second time with require.cache cleared: two evaluations, two patches.
  'reimport.mjs': `import { createRequire } from "node:module";
import { seal, bootReport } from "hotpath";
const require = createRequire(import.meta.url);
require("./cjs/pool.js").initPool(1 << 26);
seal();
const required = require("./cjs/free.js");
const imported = await import("./cjs/free.js");
const sameModule = imported.default === required;
const afterImport = bootReport();
delete require.cache[require.resolve("./cjs/free.js")];
const again = require("./cjs/free.js");
console.log(JSON.stringify({
    sameModule,
    afterImport,
    again: { fresh: again !== required, source: again.isPoolAddress.toString(), result: again.isPoolAddress((1 << 26) * 16) },
    report: bootReport(),
}));
`,
  // Both copies booted with different values, then their readers loaded after seal().
  'copies.mjs': `import { seal, bootReport } from "hotpath";
import * as a from "./copy-a/pool.js";
import * as b from "./copy-b/pool.js";
a.initPool(1 << 26);
b.initPool(2 << 26);
seal();
${readers(['copy-a', 'copy-b', 'copy-s', 'linked'])}`,
  // Only copy-a booted; copy-b and its reader loaded after seal(): copy-b's sites must stay loads.
  'copy-late.mjs': `import { seal, bootReport } from "hotpath";
import * as a from "./copy-a/pool.js";
a.initPool(1 << 26);
seal();
${readers(['copy-a', 'copy-b'])}`,
  // copy-a booted; copy-s/free.js reads copy-s/pool.js, a symlink to copy-a/pool.js: the same module
  // unless --preserve-symlinks, where it is a module of its own that nobody booted.
  'symlinked.mjs': `import { seal, bootReport } from "hotpath";
import * as a from "./copy-a/pool.js";
a.initPool(1 << 26);
seal();
${readers(['copy-s'])}`,
  // The ES-module and the CommonJS build of src/pool.ts (one module key) booted with different values.
  'esm-cjs.mjs': `import { seal, bootReport } from "hotpath";
import { createRequire } from "node:module";
import * as esm from "./pool.js";
const require = createRequire(import.meta.url);
const cjs = require("./cjs/pool.js");
esm.initPool(1 << 26);
cjs.initPool(2 << 26);
seal();
const freeEsm = await import("./free.js");
const freeCjs = require("./cjs/free.js");
console.log(JSON.stringify({
    esm: { source: freeEsm.isPoolAddress.toString(), results: [freeEsm.isPoolAddress((1 << 26) * 16), freeEsm.isPoolAddress((2 << 26) * 16)] },
    cjs: { source: freeCjs.isPoolAddress.toString(), results: [freeCjs.isPoolAddress((1 << 26) * 16), freeCjs.isPoolAddress((2 << 26) * 16)] },
    report: bootReport(),
}, ${report}));
`,
  // A module hook (or node:test's mock.module) sends free.js's import of ./pool.js to pool-alt.js:
  // free.js must read pool-alt's values, patched or not (issue 8, item 5). free-reexport.js reads the same
  // variables through reexport.js: its records have no `via`, and a hook that redirects reexport.js's
  // import (by specifier and importing module) is one hotpath cannot ask about.
  'redirect-loader.mjs': `const redirected = ${REDIRECTED_PARENT};
export async function resolve(specifier, context, nextResolve) {
    return nextResolve(specifier === "./pool.js" && redirected(context.parentURL) ? "./pool-alt.js" : specifier, context);
}
`,
  // A tool that replaces Module._resolveFilename (module-alias does) before seal(): outside every hook chain.
  // cjs/free.js requires ./pool.js itself (records with `via`); cjs/free-reexport.js through cjs/reexport.js (no `via`).
  // In cjs/, beside the readers it requires, as an app's entry sits beside its modules.
  // node cjs/alias.cjs <none|passthrough|redirect> <./free.js|./free-reexport.js> [unsealed]
  'cjs/alias.cjs': `"use strict";
const Module = require("node:module");
const [how, reader, unsealed] = process.argv.slice(2);
if (how !== "none") {
    const own = Module._resolveFilename;
    Module._resolveFilename = function (request, parent, ...rest) {
        const redirected = how === "redirect" && request === "./pool.js" && /\\/cjs\\/(free|reexport)\\.js$/.test(parent?.filename ?? "");
        return own.call(this, redirected ? "./pool-alt.js" : request, parent, ...rest);
    };
}
const { seal, bootReport } = require("hotpath");
require(__dirname + "/pool.js").initPool(1 << 26); // not "./pool.js": require's cache by (directory, request) would answer the reader's
if (unsealed !== "unsealed") seal();
const free = require(reader);
const report = bootReport();
console.log(JSON.stringify({
    results: [free.isPoolAddress(5), free.isPoolAddress((1 << 26) * 16)],
    patched: report.sitesPatched,
    skipped: report.modules.flatMap((m) => m.sites.filter((s) => !s.patched).map((s) => s.code + " " + s.reason)),
}));
`,
  // A resolve hook registered before seal(), and a CommonJS reader in another folder than the entry (issue 11's
  // boot-app work found Node 22 answering for it from the entry's folder). node cross-dir.cjs <passthrough|redirect>
  'cross-dir.cjs': `"use strict";
const { registerHooks } = require("node:module");
const how = process.argv[2];
registerHooks({
    resolve: (specifier, context, next) =>
        next(how === "redirect" && specifier === "./pool.js" && (context.parentURL ?? "").endsWith("/cjs/free.js") ? "./pool-alt.js" : specifier, context),
});
const { seal, bootReport } = require("hotpath");
require("./cjs/pool.js").initPool(1 << 26);
seal();
const free = require("./cjs/free.js");
const report = bootReport();
console.log(JSON.stringify({
    results: [free.isPoolAddress(5), free.isPoolAddress((1 << 26) * 16)],
    patched: report.sitesPatched,
    skipped: report.modules.flatMap((m) => m.sites.filter((s) => !s.patched).map((s) => s.code + " " + s.reason)),
}));
`,
  // node redirect.mjs <none|passthrough|registerHooks|register|mock> <before|after> [unsealed]; READER=./free-reexport.js reads through a re-export
  'redirect.mjs': `import { seal, bootReport } from "hotpath";
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
`,
};

/** @type {Record<string, string> | undefined} compiled once per process */
let compiled;

/** Writes the app into a fresh temp dir with node_modules/hotpath linked to this repository. */
export function writeBootApp() {
  compiled ??= appFiles();
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-boot-'));
  for (const [name, text] of Object.entries(compiled)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  symlinkSync(join(dir, 'copy-a', 'pool.js'), join(dir, 'copy-s', 'pool.js'), 'file');
  symlinkSync(join(dir, 'copy-a'), join(dir, 'linked'), 'dir');
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO, join(dir, 'node_modules', 'hotpath'), 'dir');
  return dir;
}

export { POOL_SIZE };

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.log(writeBootApp());
