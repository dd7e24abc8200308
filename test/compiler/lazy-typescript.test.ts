/**
 * `typescript` is an optional peer: importing the ESLint plugin must not load it, and the
 * rule that needs it (valid-static-variable-load) loads it when it runs (checks/typescript.ts),
 * and says once, as a lint message, when it is missing or when the file has no type
 * information. Child processes on the built package (`npm run build` first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');
const plugin = pathToFileURL(join(repo, 'build/eslint-plugin/index.js')).href;
const dir = mkdtempSync(join(tmpdir(), 'hotpath-lazy-ts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A preload that makes `typescript` unresolvable for require() (what checks/typescript.ts uses), as if not installed.
const hide = join(dir, 'hide-typescript.cjs');
writeFileSync(
  hide,
  `const Module = require("node:module");
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === "typescript" || request === "@typescript/typescript6") throw Object.assign(new Error("Cannot find module 'typescript'"), { code: "MODULE_NOT_FOUND" });
  return resolve.call(this, request, ...rest);
};
`,
);

/** Runs an ES-module script in a child node; returns its JSON output. */
function child(script: string, args: string[] = []) {
  const result = spawnSync(process.execPath, [...args, '--input-type=module', '-e', script], { cwd: repo, encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`child exited ${result.status}:\n${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

const loadedTypescript = `Object.keys(createRequire(import.meta.url).cache).filter((k) => /[\\\\/]node_modules[\\\\/]typescript[\\\\/]/.test(k))`;

describe('the ESLint plugin without typescript', () => {
  it('has the built plugin', () => {
    expect(existsSync(new URL(plugin))).toBe(true);
  });

  it('importing the plugin does not load typescript; running valid-static-variable-load does', () => {
    const out = child(`
import { createRequire } from "node:module";
const plugin = (await import(${JSON.stringify(plugin)})).default;
const afterImport = ${loadedTypescript};
const { ESLint } = await import("eslint");
const tsParser = await import("@typescript-eslint/parser");
const eslint = new ESLint({
  cwd: ${JSON.stringify(dir)},
  overrideConfigFile: true,
  overrideConfig: [{ files: ["**/*.ts"], languageOptions: { parser: tsParser, parserOptions: { projectService: { allowDefaultProject: ["*.ts"] }, tsconfigRootDir: ${JSON.stringify(dir)} } }, plugins: { hotpath: plugin }, rules: { "hotpath/valid-static-variable-load": "error" } }],
});
const [result] = await eslint.lintText("export let n = 1;\\nexport const f = (p: number) => p + n;\\n", { filePath: ${JSON.stringify(join(dir, 'a.ts'))} });
console.log(JSON.stringify({ rules: Object.keys(plugin.rules), configs: Object.keys(plugin.configs), afterImport, messages: result.messages, afterLint: ${loadedTypescript} }));
`);
    expect(out.rules).toEqual(['prefer-subtract-compare', 'valid-static-variable-load']);
    expect(out.configs).toEqual(['recommended', 'recommended-type-checked']);
    expect(out.afterImport).toEqual([]);
    expect(out.messages).toEqual([]);
    expect((out.afterLint as string[]).length).toBeGreaterThan(0);
  });

  it('loads where typescript is not installed; the rule says once, as a lint message, what to install', () => {
    const out = child(
      `
import { createRequire } from "node:module";
const plugin = (await import(${JSON.stringify(plugin)})).default;
const rule = plugin.rules["valid-static-variable-load"];
const reports = [];
const lint = (parserServices) => {
  const listeners = rule.create({ sourceCode: { parserServices, ast: {} }, options: [], report: (r) => reports.push(r) });
  for (const listener of Object.values(listeners)) listener();
};
const typed = { program: { getSourceFiles: () => [] }, esTreeNodeToTSNodeMap: new Map() };
lint(typed);
lint(typed); // a second file: not said again
const typeScriptReports = reports.splice(0);
lint({});
lint(undefined);
console.log(JSON.stringify({ rules: Object.keys(plugin.rules), typeScriptReports, untypedReports: reports, loaded: ${loadedTypescript} }));
`,
      ['--require', hide],
    );
    expect(out.rules).toEqual(['prefer-subtract-compare', 'valid-static-variable-load']);
    expect(out.loaded).toEqual([]);
    expect(out.typeScriptReports).toEqual([
      {
        messageId: 'typescript-unavailable',
        data: {
          message: "no usable TypeScript: the STATIC_VARIABLE_LOAD pass needs TypeScript's JavaScript API (5.9–6.x), and neither typescript nor @typescript/typescript6 is installed",
          hint: 'Install TypeScript 6 beside your TypeScript: `npm i -D @typescript/typescript6` (or use typescript 5.9–6.x).',
        },
        loc: { start: { line: 1, column: 0 }, end: { line: 1, column: 0 } },
      },
    ]);
    expect(out.untypedReports).toEqual([{ messageId: 'needs-type-information', loc: { start: { line: 1, column: 0 }, end: { line: 1, column: 0 } } }]);
  });
});
