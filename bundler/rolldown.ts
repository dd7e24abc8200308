/**
 * `hotpath/rolldown`: the hotpath plugin for rolldown. `plugins: [hotpath()]`; docs/bundlers.md.
 */
import { hotpathUnplugin, type HotpathPluginOptions } from './plugin.js';

export type { HotpathPluginOptions };

export default hotpathUnplugin.rolldown;
