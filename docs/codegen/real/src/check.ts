// The pool check, through STATIC_VARIABLE_LOAD. Loaded after seal(), so its slots are patched.
import { STATIC_VARIABLE_LOAD } from 'hotpath';
import { POOL_SIZE, poolBase } from './pool.js';

export function isPoolAddress(a: number): boolean {
  return a >= STATIC_VARIABLE_LOAD(poolBase) && a < STATIC_VARIABLE_LOAD(poolBase) + POOL_SIZE;
}

export function isPoolAddressSub(a: number): boolean {
  return (a - STATIC_VARIABLE_LOAD(poolBase)) >>> 0 < POOL_SIZE;
}
