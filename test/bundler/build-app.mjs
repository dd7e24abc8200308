// `node test/bundler/build-app.mjs <bundler> <plain|hotpath> <app dir> [sites expected]`: one build of a generated
// app (bench/lib/app-generator.js) with code splitting, minification and source maps, with or
// without hotpath's plugin (build/bundler/), configured as docs/bundlers.md documents each
// bundler. The bench scenario `bundle` times whole runs of it.
//   rolldown, esbuild, vite (SSR, minify: true), rspack (builtin:swc-loader): the TypeScript app;
//   rollup (terser), webpack (terser): the app as JavaScript (generateApp language 'js'), as
//   these hand the plugin JavaScript only after a TypeScript plugin or loader this repo does not install.
// The entry is src/main (the boot code, configure() and seal(), and the app) when there is one.
// After the build both variants count the slots in the output; with the plugin, fewer than the
// app's sites fails the run (a figure for a build that wrote nothing would mean nothing).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [bundler, variant, dir, expected = '0'] = process.argv.slice(2);
const withPlugin = variant === 'hotpath';
const input = ['main.ts', 'main.js', 'app.ts', 'app.js'].map((f) => join(dir, 'src', f)).find((f) => existsSync(f));
const expectedSites = Number(expected);
const outdir = join(dir, `dist-${bundler}-${variant}`);
const plugin = async (name) => (await import(`../../build/bundler/${name}.js`)).default({ root: dir });
// The generated app imports `hotpath`, which its folder does not install: external, as docs/bundlers.md's Rollup and Rolldown configs have it.
const external = ['hotpath'];

if (bundler === 'rolldown') {
  const { rolldown } = await import('rolldown');
  const plugins = withPlugin ? [await plugin('rolldown')] : [];
  const bundle = await rolldown({ input, cwd: dir, platform: 'node', external, plugins, logLevel: 'silent' });
  await bundle.write({ dir: outdir, format: 'es', minify: true, sourcemap: true });
} else if (bundler === 'esbuild') {
  const esbuild = await import('esbuild');
  const plugins = withPlugin ? [await plugin('esbuild')] : [];
  await esbuild.build({ entryPoints: [input], absWorkingDir: dir, bundle: true, splitting: true, minify: true, format: 'esm', platform: 'node', external, outdir, sourcemap: true, logLevel: 'error', plugins });
} else if (bundler === 'rollup') {
  const { rollup } = await import('rollup');
  const { default: terser } = await import('@rollup/plugin-terser');
  const plugins = [...(withPlugin ? [await plugin('rollup')] : []), terser()];
  const bundle = await rollup({ input, external, plugins, logLevel: 'silent' });
  await bundle.write({ dir: outdir, format: 'es', sourcemap: true });
} else if (bundler === 'vite') {
  const { build } = await import('vite');
  const plugins = withPlugin ? [await plugin('vite')] : [];
  await build({
    configFile: false,
    root: dir,
    logLevel: 'silent',
    plugins,
    build: { ssr: input, sourcemap: true, minify: true, outDir: outdir, emptyOutDir: true, rolldownOptions: { external } },
  });
} else if (bundler === 'webpack' || bundler === 'rspack') {
  const { default: compile } = bundler === 'webpack' ? await import('webpack') : await import('@rspack/core');
  const plugins = withPlugin ? [await plugin(bundler)] : [];
  const rules =
    bundler === 'rspack'
      ? [{ test: /\.ts$/, loader: 'builtin:swc-loader', options: { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }, type: 'javascript/auto' }]
      : [];
  const config = {
    mode: 'production',
    target: 'node',
    context: dir,
    entry: input,
    devtool: 'source-map',
    output: { path: outdir, filename: '[name].cjs', chunkFilename: '[name].cjs' },
    resolve: { extensionAlias: { '.js': ['.ts', '.js'] } },
    externals: [/^hotpath(\/.*)?$/],
    externalsType: 'commonjs',
    module: { rules },
    infrastructureLogging: { level: 'error' },
    stats: 'errors-only',
    plugins,
  };
  await new Promise((done, fail) =>
    compile(config, (error, stats) => {
      if (error) return fail(error);
      if (stats.hasErrors()) return fail(new Error(stats.toString('errors-only')));
      done();
    }),
  );
} else {
  throw new Error(`unknown bundler ${bundler}`);
}

const slots = readdirSync(outdir, { recursive: true })
  .filter((f) => /\.[cm]?js$/.test(f))
  .reduce((n, f) => n + readFileSync(join(outdir, f), 'utf8').split('/*@hp:').length - 1, 0);
// Each slot has an opening and a closing comment.
if (withPlugin && slots / 2 < expectedSites) {
  console.error(`${bundler} + hotpath: ${slots / 2} slots written, ${expectedSites} expected`);
  process.exit(1);
}
