/**
 * `hotpath/valid-static-variable-load` reports what `hotpath build` reports (both call
 * checkMarkers), at the same positions, with type information from a tsconfig.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RuleTester } from '@typescript-eslint/rule-tester';
import * as vitest from 'vitest';
import rule from '../../eslint-plugin/rules/valid-static-variable-load.js';

RuleTester.afterAll = vitest.afterAll;
RuleTester.describe = vitest.describe;
RuleTester.it = vitest.it;
RuleTester.itOnly = vitest.it.only;

const repo = path.resolve(import.meta.dirname, '../..');
// A project on disk: type-aware linting needs the files in a program. `hotpath` maps to the
// marker's source, so the rule finds it by its @hotpathMarker tag exactly as in a consumer.
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-rule-'));
vitest.afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
};
write('package.json', '{ "type": "module" }');
write(
  'tsconfig.json',
  JSON.stringify({
    compilerOptions: { target: 'es2022', module: 'nodenext', strict: true, noEmit: true, types: [], paths: { hotpath: [path.join(repo, 'runtime/marker.ts')] } },
    include: ['src'],
  }),
);
write('src/pool.ts', 'export let poolBase = 0;\n/** @boot */\nexport function initPool(b: number) { poolBase = b; }\nexport function reset() { poolBase = 0; }\nexport let goodBase = 0;\n/** @boot */\nexport function initGood(b: number) { goodBase = b; }\n');
write('src/snapshot.ts', 'let snap = 0;\nexport default snap;\n');
write('src/file.ts', 'export {};\n');
write('src/sizes.ts', 'export const POOL_SIZE = 2097152;\n');

const ruleTester = new RuleTester({
  languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: root } },
});

const filename = 'src/file.ts';

type MessageId = keyof typeof rule.meta.messages;
// @typescript-eslint/rule-tester 8.71 brings its own @typescript-eslint/utils types (the rule
// is built with 8.73): the same objects at run time, distinct declarations to the checker.
ruleTester.run<MessageId, []>('valid-static-variable-load', rule as never, {
  valid: [
    { filename, code: `import { STATIC_VARIABLE_LOAD } from 'hotpath';\nimport { goodBase } from './pool.js';\nexport const f = (p: number) => p - STATIC_VARIABLE_LOAD(goodBase);\n` },
    { filename, code: `import * as hp from 'hotpath';\nimport { goodBase as g } from './pool.js';\nexport const f = () => hp.STATIC_VARIABLE_LOAD(g);\n` },
    // A user's own function of the same name is not the marker.
    { filename, code: `function STATIC_VARIABLE_LOAD<T>(x: T): T { return x; }\nexport const f = (o: object) => STATIC_VARIABLE_LOAD(o);\n` },
    // A computed const is a valid site.
    { filename, code: `import { STATIC_VARIABLE_LOAD } from 'hotpath';\nconst size = Math.max(1, 2);\nexport const f = () => STATIC_VARIABLE_LOAD(size);\n` },
    // No HP1009: V8 loads an imported const, or one its ES module exports, from a module Cell (docs/codes.md#hp1009).
    { filename, code: `import { STATIC_VARIABLE_LOAD } from 'hotpath';\nimport { POOL_SIZE } from './sizes.js';\nexport const f = (a: number) => a < STATIC_VARIABLE_LOAD(POOL_SIZE);\n` },
    { filename, code: `import { STATIC_VARIABLE_LOAD } from 'hotpath';\nexport const SIZE = 4096;\nexport const f = () => STATIC_VARIABLE_LOAD(SIZE);\n` },
    { filename, code: `import { STATIC_VARIABLE_LOAD } from 'hotpath';\nconst SIZE = 4096;\nexport { SIZE as size };\nexport const f = () => STATIC_VARIABLE_LOAD(SIZE);\n` },
  ],
  invalid: [
    {
      filename,
      code: `import { STATIC_VARIABLE_LOAD } from 'hotpath';\nexport let a = 1;\n// @ts-expect-error\nexport const f = () => STATIC_VARIABLE_LOAD(a, a);\n`,
      errors: [{ messageId: 'marker-argument-count', line: 4, column: 24, endLine: 4, endColumn: 50 }],
    },
    {
      filename,
      code: `import { STATIC_VARIABLE_LOAD as load } from 'hotpath';\nexport const o = { n: 1 };\nexport const f = () => load(o.n);\n`,
      errors: [{ messageId: 'marker-argument-not-identifier', line: 3, column: 29 }],
    },
    {
      filename,
      code: `import { STATIC_VARIABLE_LOAD } from 'hotpath';\nexport const f = (p: number) => STATIC_VARIABLE_LOAD(p);\n`,
      errors: [{ messageId: 'not-module-level-variable', line: 2, column: 54 }],
    },
    {
      filename,
      code: `import { STATIC_VARIABLE_LOAD } from 'hotpath';\ndeclare let d: number;\nexport const f = () => STATIC_VARIABLE_LOAD(d);\n`,
      errors: [{ messageId: 'variable-outside-program' }],
    },
    {
      filename,
      code: `import { STATIC_VARIABLE_LOAD } from 'hotpath';\nimport snap from './snapshot.js';\nexport const f = () => STATIC_VARIABLE_LOAD(snap);\n`,
      errors: [{ messageId: 'not-live-binding', line: 3, column: 45 }],
    },
    {
      filename,
      code: `import { STATIC_VARIABLE_LOAD } from 'hotpath';\nexport let t = { size: 1 };\nexport const f = () => STATIC_VARIABLE_LOAD(t);\n`,
      errors: [{ messageId: 'type-not-primitive', line: 3, column: 45 }],
    },
    {
      filename,
      code: `import { STATIC_VARIABLE_LOAD } from 'hotpath';\nimport { poolBase } from './pool.js';\nexport const f = () => STATIC_VARIABLE_LOAD(poolBase);\n`,
      errors: [{ messageId: 'write-outside-boot', line: 3, column: 45 }],
    },
    {
      filename,
      code: `import { STATIC_VARIABLE_LOAD } from 'hotpath';\nconst SIZE = 4096;\nexport const f = () => STATIC_VARIABLE_LOAD(SIZE);\n`,
      errors: [{ messageId: 'const-literal', line: 3, column: 24 }],
    },
    // Without type information the checks cannot run: said once (per process), not silence.
    {
      filename,
      code: `import { STATIC_VARIABLE_LOAD } from 'hotpath';\nexport let n = 0;\nexport function reset() { n = 0; }\nexport const f = () => STATIC_VARIABLE_LOAD(n);\n`,
      languageOptions: { parserOptions: { project: null, projectService: false, programs: null } },
      errors: [{ messageId: 'needs-type-information', line: 1, column: 1 }],
    },
  ],
});

vitest.describe('valid-static-variable-load message', () => {
  vitest.it('carries the code, the positions and the hint', () => {
    const text = rule.meta.messages['write-outside-boot'];
    vitest.expect(text).toBe('HP1007: {{message}}. {{hint}}');
  });
});
