/**
 * `hotpath/rollup`: the hotpath plugin for rollup. `plugins: [hotpath()]`; docs/bundlers.md.
 */
import { hotpathUnplugin, type HotpathPluginOptions } from './plugin.js';

export type { HotpathPluginOptions };

export default hotpathUnplugin.rollup;
