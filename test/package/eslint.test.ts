// The ESLint plugin alone, from the packed tarball: a JavaScript project with ESLint 9 or 10,
// no typescript-eslint and no typescript, lints with configs.recommended (flat config as an ES
// module and as CommonJS) and reports the range check; the installed plugin names its version
// and docs pages that exist.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installProject, packOnce, removeProject, REPO, run, type Packed, type Project } from './tarball.js';

const CODE = 'export function isDigit(v) {\n  const c = v & 0xff;\n  return c >= 48 && c <= 57;\n}\n';
const FIXED = 'return (c - 48) >>> 0 <= 9;';
const ESLINTS = {
  'ESLint 9, eslint.config.cjs': { eslint: 'eslint@9.39.5', config: 'eslint.config.cjs', text: "module.exports = [require('hotpath/eslint-plugin').default.configs.recommended];\n" },
  'ESLint 10, eslint.config.mjs': { eslint: 'eslint@10.15.0', config: 'eslint.config.mjs', text: "import hotpath from 'hotpath/eslint-plugin';\nexport default [hotpath.configs.recommended];\n" },
} as const;
type Setup = keyof typeof ESLINTS;

/** Files of the built plugin with a value (not type-only) import of @typescript-eslint/utils. */
function valueImportsOfUtils(): string[] {
  const dir = join(REPO, 'build/eslint-plugin');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
  return files.filter((f) => /(from|import|require\()\s*['"]@typescript-eslint\/utils['"]/.test(readFileSync(join(dir, f), 'utf8'))).map((f) => f.split('\\').join('/'));
}

let packed: Packed;
const projects = new Map<Setup, Project>();

beforeAll(async () => {
  packed = await packOnce();
  const setups = Object.keys(ESLINTS) as Setup[];
  const installed = await Promise.all(
    setups.map((s) => installProject(packed.tarball, [ESLINTS[s].eslint], { [ESLINTS[s].config]: ESLINTS[s].text, 'src/digit.js': CODE })),
  );
  setups.forEach((s, i) => projects.set(s, installed[i]!));
}, 300_000);
afterAll(() => {
  projects.forEach(removeProject);
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- packed is unset when beforeAll failed
  packed?.cleanup();
});

it('the built plugin imports @typescript-eslint/utils for types only (no runtime import)', () => {
  expect(valueImportsOfUtils()).toEqual([]);
});

describe.each(Object.keys(ESLINTS) as Setup[])('%s, JavaScript only', (setup) => {
  it('installs without typescript-eslint or typescript', () => {
    const { dir, install } = projects.get(setup)!;
    expect(install.code, install.stderr).toBe(0);
    expect(existsSync(join(dir, 'node_modules/@typescript-eslint'))).toBe(false);
    expect(existsSync(join(dir, 'node_modules/typescript'))).toBe(false);
  });

  it('configs.recommended reports the range check and fixes it', async () => {
    const { dir } = projects.get(setup)!;
    const eslint = join(dir, 'node_modules/eslint/bin/eslint.js');
    const result = await run(process.execPath, [eslint, '--format', 'json', '--fix-dry-run', 'src/digit.js'], { cwd: dir });
    expect(result.stderr).toBe('');
    const [file] = JSON.parse(result.stdout) as [{ messages: { ruleId: string }[]; output?: string }];
    // A fix was applied (dry run): the message is gone from what remains, the output has the rewrite.
    expect(file.output).toContain(FIXED);
    const report = await run(process.execPath, [eslint, '--format', 'json', 'src/digit.js'], { cwd: dir });
    expect(report.code).toBe(1);
    const [linted] = JSON.parse(report.stdout) as [{ messages: { ruleId: string; line: number }[] }];
    expect(linted.messages.map((m) => [m.ruleId, m.line])).toEqual([['hotpath/prefer-subtract-compare', 3]]);
  });

  it('the installed plugin names the package version, and its docs URLs are shipped pages', async () => {
    const { dir } = projects.get(setup)!;
    const script =
      "import('hotpath/eslint-plugin').then(({ default: p }) => console.log(JSON.stringify({ version: p.meta.version, urls: Object.fromEntries(Object.entries(p.rules).map(([n, r]) => [n, r.meta.docs.url])) })))";
    const result = await run(process.execPath, ['-e', script], { cwd: dir });
    expect(result.stderr).toBe('');
    const { version, urls } = JSON.parse(result.stdout) as { version: string; urls: Record<string, string> };
    expect(version).toBe((JSON.parse(readFileSync(join(dir, 'node_modules/hotpath/package.json'), 'utf8')) as { version: string }).version);
    expect(version).not.toBe('0.0.0');
    expect(Object.keys(urls).sort()).toEqual(['prefer-subtract-compare', 'valid-static-variable-load']);
    for (const [name, url] of Object.entries(urls)) {
      const file = fileURLToPath(url);
      expect(file).toBe(join(dir, 'node_modules/hotpath/docs/rules', `${name}.md`));
      expect(readFileSync(file, 'utf8')).toMatch(new RegExp(`^# \`?hotpath/${name}`));
    }
  });
});
