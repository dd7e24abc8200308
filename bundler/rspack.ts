/**
 * `hotpath/rspack`: the hotpath plugin for rspack. `plugins: [hotpath()]`; docs/bundlers.md.
 */
import { hotpathUnplugin, type HotpathPluginOptions } from './plugin.js';

export type { HotpathPluginOptions };

export default hotpathUnplugin.rspack;
