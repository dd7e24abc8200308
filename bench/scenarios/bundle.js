// Bundle cost: what hotpath's bundler plugin adds to each bundler's build (code splitting,
// minification, source maps, as docs/bundlers.md configures each) of the boot scenario's
// generated app (1,000 modules, 10,000 sites): wall time of the whole build process, with
// and without the plugin. Rollup and webpack build the same app as JavaScript (no TypeScript
// plugin or loader is installed here); the others build its TypeScript (test/bundler/build-app.mjs).
import path from 'node:path';
import { generateApp } from '../lib/app-generator.js';
import { repoDir } from '../lib/harness.js';

const MODULES = 1000;
const script = path.join(repoDir, 'test/bundler/build-app.mjs');
const BUNDLERS = [
  { name: 'rolldown', app: 'app' },
  { name: 'esbuild', app: 'app' },
  { name: 'rollup', app: 'app-js' },
  { name: 'vite', app: 'app' },
  { name: 'webpack', app: 'app-js' },
  { name: 'rspack', app: 'app' },
];
const variant = ({ name, app }, plugin) => ({
  name: `${name}-${plugin}`,
  label: plugin === 'hotpath' ? `${name} + hotpath()` : name,
  ...(plugin === 'hotpath' ? { needsHotpath: true } : {}),
  command: ({ workDir }) => ({ args: [script, name, plugin, path.join(workDir, app), String(MODULES * 10)] }),
});

export default {
  name: 'bundle',
  title: `Bundle: ${MODULES} modules with ${MODULES * 10} sites, splitting + minify, wall time of the build process`,
  unit: 'ms',
  defaultRuns: 3,
  // The plugin strips the app's TypeScript with node:module stripTypeScriptTypes (keeping `@boot`); esbuild's own transform drops it.
  minNode: '22.13.0',
  variants: BUNDLERS.flatMap((b) => [variant(b, 'plain'), variant(b, 'hotpath')]),
  // Issue 9: the plugin adds at most 5 % to the bundler's own build.
  comparisons: BUNDLERS.map(({ name }) => ({
    label: `${name} + hotpath / ${name}`,
    num: `${name}-hotpath`,
    den: `${name}-plain`,
    target: { op: '<=', value: 1.05 },
    issue: 9,
  })),
  async prepare(ctx) {
    // The boot entry writes the variables: without it the minifiers fold them and no slot is left to write.
    generateApp(path.join(ctx.workDir, 'app'), { modules: MODULES, bootEntry: true });
    generateApp(path.join(ctx.workDir, 'app-js'), { modules: MODULES, language: 'js', bootEntry: true });
  },
};
