// A re-export chain: reader.ts reads `base` and `limit` through this module.
export { poolBase as base, mode } from './config.js';
export * from './limits.js';
