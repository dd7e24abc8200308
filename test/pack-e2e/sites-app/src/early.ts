// Imported statically by main.ts: loaded before seal(), so its site stays a load
// (correct, not faster) and the boot report lists it.
import { STATIC_VARIABLE_LOAD } from 'hotpath';
import { poolShift } from './config.js';

export function earlyShift(): number {
  return STATIC_VARIABLE_LOAD(poolShift);
}
