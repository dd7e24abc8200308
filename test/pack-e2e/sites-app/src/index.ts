// The other link: renames poolBase, passes the rest on.
export * from './flags.js';
export { poolBase as base, poolShift, limit } from './config.js';
