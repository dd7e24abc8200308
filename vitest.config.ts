import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    env: {
      // With CI=true, typescript-eslint assumes a one-shot CLI run and builds each typed
      // program once; the rule tests lint many sources under one file name, so they need
      // the long-running (editor) mode, as they would get without CI=true.
      TSESTREE_SINGLE_RUN: 'false',
    },
  },
});
