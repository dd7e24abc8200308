/**
 * `hotpath/webpack`: the hotpath plugin for webpack. `plugins: [hotpath()]`; docs/bundlers.md.
 */
import { withLoaderAssets } from './loader-assets.js';
import { hotpathUnplugin, type HotpathPluginOptions } from './plugin.js';

export type { HotpathPluginOptions };

const hotpath: typeof hotpathUnplugin.webpack = (options) => withLoaderAssets(hotpathUnplugin.webpack(options));

export default hotpath;
