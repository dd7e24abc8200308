// A second module declaring a variable named `limit`.
export let limit = 0;

/** @boot */
export function initTable(seed: number): void {
  limit = seed * 3;
}
