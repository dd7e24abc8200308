// As check.ts, with POOL_SIZE (an imported const) read through STATIC_VARIABLE_LOAD too.
import { STATIC_VARIABLE_LOAD } from 'hotpath';
import { POOL_SIZE, poolBase } from './pool.js';

export function isPoolAddressSub(a: number): boolean {
  return (a - STATIC_VARIABLE_LOAD(poolBase)) >>> 0 < STATIC_VARIABLE_LOAD(POOL_SIZE);
}
