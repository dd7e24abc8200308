// Declares `limit`, as table.ts does: both may land in one chunk.
export let limit = 0;

/** @boot */
export function initLimits(seed: number): void {
  limit = seed + 1;
}
