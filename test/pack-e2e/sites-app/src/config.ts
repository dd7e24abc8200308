// Boot-time configuration: written once by initConfig() before seal(), read by reader.ts
// (through a re-export chain) and by early.ts (loaded before seal()).
export let poolBase = 0;
export let poolShift = 0;
export let limit = 0n;
export let fast = false;
export let mode = 'safe';

/** @boot */
export function initConfig(seed: number): void {
  poolBase = seed * 0x100000;
  poolShift = (seed % 7) + 3;
  limit = BigInt(seed) ** 3n;
  fast = seed > 0;
  mode = fast ? 'fast' : 'safe';
}
