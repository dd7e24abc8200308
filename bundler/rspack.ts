/**
 * `hotpath/rspack`: the hotpath plugin for rspack. `plugins: [hotpath()]`; docs/bundlers.md.
 */
import { withLoaderAssets } from './loader-assets.js';
import { hotpathUnplugin, type HotpathPluginOptions } from './plugin.js';

export type { HotpathPluginOptions };

const hotpath: typeof hotpathUnplugin.rspack = (options) => withLoaderAssets(hotpathUnplugin.rspack(options));

export default hotpath;
