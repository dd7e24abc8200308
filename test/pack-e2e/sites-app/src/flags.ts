// One link of the re-export chain: reader.ts imports fast and mode through index.ts, which re-exports this.
export { fast, mode } from './config.js';
