// Bundle cost: what hotpath's bundler plugin adds to a bundler's build (code splitting,
// minification, source maps) of the boot scenario's generated app (1,000 modules, 10,000
// sites): wall time of the whole build process, with and without the plugin.
import path from 'node:path';
import { generateApp } from '../lib/app-generator.js';
import { repoDir } from '../lib/harness.js';

const MODULES = 1000;
const script = path.join(repoDir, 'test/bundler/build-app.mjs');
const variant = (bundler, plugin) => ({
  name: `${bundler}-${plugin}`,
  label: plugin === 'hotpath' ? `${bundler} + hotpath()` : bundler,
  ...(plugin === 'hotpath' ? { needsHotpath: true } : {}),
  command: ({ workDir }) => ({ args: [script, bundler, plugin, path.join(workDir, 'app')] }),
});

export default {
  name: 'bundle',
  title: `Bundle: ${MODULES} modules with ${MODULES * 10} sites, splitting + minify, wall time of the build process`,
  unit: 'ms',
  defaultRuns: 3,
  // The plugin strips the app's TypeScript with node:module stripTypeScriptTypes (keeping `@boot`); esbuild's own transform drops it.
  minNode: '22.13.0',
  variants: [variant('rolldown', 'plain'), variant('rolldown', 'hotpath'), variant('esbuild', 'plain'), variant('esbuild', 'hotpath')],
  comparisons: [
    // Issue 9: the plugin adds at most 5 % to the bundler's own build.
    { label: 'rolldown + hotpath / rolldown', num: 'rolldown-hotpath', den: 'rolldown-plain', target: { op: '<=', value: 1.05 }, issue: 9 },
    { label: 'esbuild + hotpath / esbuild', num: 'esbuild-hotpath', den: 'esbuild-plain', target: { op: '<=', value: 1.05 }, issue: 9 },
  ],
  async prepare(ctx) {
    generateApp(path.join(ctx.workDir, 'app'), { modules: MODULES });
  },
};
