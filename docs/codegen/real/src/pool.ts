// The pool's base: computed once at boot, read on every free().
export const POOL_SIZE = 0x200000;
export let poolBase = 0;

/** @boot */
export function initPool(base: number): void {
  poolBase = base;
}
