/**
 * `hotpath/vite`: the hotpath plugin for vite. `plugins: [hotpath()]`; docs/bundlers.md.
 *
 * Two plugins: the build's (bundler/plugin.ts: carriers, then the site format in the output)
 * and development's (dev-transform.ts: in the dev server, its SSR module runner, vite-node and
 * vitest, each site is the plain read; nothing is patched there, and nothing says otherwise).
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Plugin } from 'vite';
import { devTransformModule } from './dev-transform.js';
import { defaultInclude, hotpathUnplugin, type HotpathPluginOptions } from './plugin.js';

export type { HotpathPluginOptions };

export default function hotpath(options?: HotpathPluginOptions): Plugin[] {
  return [hotpathUnplugin.vite(options), hotpathDev(options ?? {})];
}

function hotpathDev(options: HotpathPluginOptions): Plugin {
  let root = resolve(options.root ?? process.cwd());
  const include = options.include ?? defaultInclude;
  return {
    name: 'hotpath:dev',
    apply: 'serve',
    enforce: 'post',
    configResolved(config) {
      if (options.root === undefined) root = config.root;
    },
    transform(code, id) {
      if (!include(id)) return null;
      const file = id.replace(/[?#].*$/, '');
      const moduleKey = (isAbsolute(file) ? relative(root, file) : file).split(sep).join('/');
      const result = devTransformModule(code, id, moduleKey);
      return result === undefined ? null : { code: result.code, map: result.map as never };
    },
  };
}
