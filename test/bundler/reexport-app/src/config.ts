// Boot-time configuration: written once by initConfig() before seal().
export let poolBase = 0;
export let shift = 0;
export let mode = 'safe';

/** @boot */
export function initConfig(seed: number): void {
  poolBase = seed * 0x100000;
  shift = (seed % 7) + 3;
  mode = seed > 0 ? 'fast' : 'safe';
}
