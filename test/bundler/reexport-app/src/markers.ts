// A re-export chain to the marker: reader.ts's namespace import of this module calls `m.load`.
export * from './hp.js';
