/**
 * `typescript` is an optional peer: importing the ESLint plugin must not load it, and the
 * rule that needs it (valid-static-variable-load) loads it when it runs, with a clear error
 * when it is missing. Child processes on the built package (`npm run build` first).
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

// A preload that makes `typescript` unresolvable for require() (what marker-checks uses), as if not installed.
const hide = join(dir, 'hide-typescript.cjs');
writeFileSync(
  hide,
  `const Module = require("node:module");
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === "typescript") throw Object.assign(new Error("Cannot find module 'typescript'"), { code: "MODULE_NOT_FOUND" });
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

  it('loads where typescript is not installed, and the rule says what to install when it runs', () => {
    const out = child(
      `
import { createRequire } from "node:module";
const plugin = (await import(${JSON.stringify(plugin)})).default;
let error;
try {
  plugin.rules["valid-static-variable-load"].create({ sourceCode: {}, parserServices: {}, options: [] });
} catch (e) {
  error = e.message;
}
console.log(JSON.stringify({ rules: Object.keys(plugin.rules), error, loaded: ${loadedTypescript} }));
`,
      ['--require', hide],
    );
    expect(out.rules).toEqual(['prefer-subtract-compare', 'valid-static-variable-load']);
    expect(out.loaded).toEqual([]);
    expect(out.error).toBe(
      'hotpath: the STATIC_VARIABLE_LOAD checks (hotpath build, the ESLint rule hotpath/valid-static-variable-load) need the "typescript" package, ' +
        'an optional peer dependency of hotpath that is not installed: run `npm install -D typescript`.',
    );
  });
});
