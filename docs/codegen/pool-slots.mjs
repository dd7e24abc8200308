// The pool check as `hotpath build` emits it, hand-written in the slot format of
// runtime/site-format.ts (the runtime calls the compiler also adds are left out).
// pool-slots.mjs: each STATIC_VARIABLE_LOAD(poolBase) is a slot that still reads poolBase.
// pool-patched.mjs: the same file after the boot patcher wrote poolBase's sealed value,
// 1073741824 (0x40000000), into every slot; lengths, lines and columns are unchanged.
const POOL_SIZE = 0x200000;
let poolBase = 0;

export function initPool(base) {
  poolBase = base;
}

// Two-sided: two compares, two branches.
export function isPoolAddress(a) {
  return a >= (/*@hp:0*/ (poolBase) /*@hp:0                   */) && a < (/*@hp:1*/ (poolBase) /*@hp:1                   */) + POOL_SIZE;
}

// Subtract-compare: one unsigned compare.
export function isPoolAddressSub(a) {
  return (a - (/*@hp:2*/ (poolBase) /*@hp:2                   */)) >>> 0 < POOL_SIZE;
}

initPool(0x40000000);
/*@hotpath-sites:3 ["pool.ts",[["",null,"pool.ts","poolBase","poolBase","poolBase"]],[0,0,0]]*/
