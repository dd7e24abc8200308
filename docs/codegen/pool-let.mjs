// The pool check as written by hand: the base is a module-level `let`, set once at start-up.
const POOL_SIZE = 0x200000;
let poolBase = 0;

export function initPool(base) {
  poolBase = base;
}

// Two-sided: two compares, two branches.
export function isPoolAddress(a) {
  return a >= poolBase && a < poolBase + POOL_SIZE;
}

// Subtract-compare: one unsigned compare.
export function isPoolAddressSub(a) {
  return (a - poolBase) >>> 0 < POOL_SIZE;
}

initPool(0x40000000);
