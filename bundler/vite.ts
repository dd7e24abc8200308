/**
 * `hotpath/vite`: the hotpath plugin for vite. `plugins: [hotpath()]`; docs/bundlers.md.
 */
import { hotpathUnplugin, type HotpathPluginOptions } from './plugin.js';

export type { HotpathPluginOptions };

export default hotpathUnplugin.vite;
