// npm run lint: the repo's own ESLint config (flat config).
// The TypeScript sources get typescript-eslint's strict-type-checked and hotpath's own
// recommended-type-checked. The plugin is the built one (build/eslint-plugin/, from
// `npm run build`, which `npm run lint` runs first): Node 20 cannot import the .ts sources,
// and the build does not run ESLint, so linting the built plugin has no cycle.
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import hotpath from './build/eslint-plugin/index.js';

export default defineConfig(
  {
    // test/pack-e2e/sites-app/ is an app the end-to-end tests build with its own tsconfig.
    ignores: ['build/', 'fixtures/', 'bench/.out/', '**/node_modules/', 'test/pack-e2e/sites-app/'],
  },
  {
    files: ['**/*.ts', '**/*.mts', '**/*.cts'],
    extends: [tseslint.configs.strictTypeChecked, hotpath.configs['recommended-type-checked']],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Under noUncheckedIndexedAccess a `!` is how this code says "this index is in range";
      // no-unnecessary-type-assertion still catches one that tsc does not need.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Messages print counts, lines and columns.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // The TypeScript API (program.emit, ts.sys.fileExists, host.getSourceFile), Node's
      // Module._resolveFilename and createMarkerChecks() hand out closures typed as methods:
      // each of this rule's 24 findings here was one of those, taken off to be wrapped or passed.
      '@typescript-eslint/unbound-method': 'off',
      // `const { dropped: _, ...kept } = x` and `_unused` parameters say "deliberately unused".
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // bench/, scripts/ and the JavaScript under test/ and tools/: typed by tsc from their
    // JSDoc (tsconfig.scripts.json, npm run typecheck); here only the rule that needs no types.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [hotpath.configs.recommended],
  },
  {
    // The plugin compares node.type with strings: it imports @typescript-eslint/utils for
    // types only, never at run time (configs.recommended needs ESLint alone), so not its enum.
    files: ['eslint-plugin/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-enum-comparison': 'off' },
  },
  {
    // bench/ measures both spellings of a range check on purpose; tests and their samples
    // write the two-sided check for what it says, not for speed.
    files: ['bench/**', 'test/**'],
    rules: { 'hotpath/prefer-subtract-compare': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests run generated code with new Function, stand async stubs in for async
      // interfaces, and hold parsed JSON configs as Record<string, any>.
      '@typescript-eslint/no-implied-eval': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // Tests read JSON that child processes print and assert its shape with expect();
      // a type for each would restate the assertion.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
