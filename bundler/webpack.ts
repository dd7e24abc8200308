/**
 * `hotpath/webpack`: the hotpath plugin for webpack. `plugins: [hotpath()]`; docs/bundlers.md.
 */
import { hotpathUnplugin, type HotpathPluginOptions } from './plugin.js';

export type { HotpathPluginOptions };

export default hotpathUnplugin.webpack;
