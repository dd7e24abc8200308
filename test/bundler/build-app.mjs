// `node test/bundler/build-app.mjs <rolldown|esbuild> <plain|hotpath> <app dir>`: one build of a
// generated app (bench/lib/app-generator.js) with code splitting and minification, with or
// without hotpath's plugin (build/bundler/). The bench scenario `bundle` times whole runs of it.
import { join } from 'node:path';

const [bundler, variant, dir] = process.argv.slice(2);
const withPlugin = variant === 'hotpath';
const input = join(dir, 'src/app.ts');
const outdir = join(dir, `dist-${bundler}-${variant}`);
if (bundler === 'rolldown') {
  const { rolldown } = await import('rolldown');
  const plugins = withPlugin ? [(await import('../../build/bundler/rolldown.js')).default({ root: dir })] : [];
  const bundle = await rolldown({ input, cwd: dir, platform: 'node', external: ['hotpath'], plugins, logLevel: 'silent' });
  await bundle.write({ dir: outdir, format: 'es', minify: true, sourcemap: true });
} else if (bundler === 'esbuild') {
  const esbuild = await import('esbuild');
  const plugins = withPlugin ? [(await import('../../build/bundler/esbuild.js')).default({ root: dir })] : [];
  await esbuild.build({ entryPoints: [input], absWorkingDir: dir, bundle: true, splitting: true, minify: true, format: 'esm', platform: 'node', external: ['hotpath'], outdir, sourcemap: true, logLevel: 'error', plugins });
} else {
  throw new Error(`unknown bundler ${bundler}`);
}
