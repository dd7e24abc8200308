export { STATIC_VARIABLE_LOAD } from './marker.js';
export * from './site-format.js';
