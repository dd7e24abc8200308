// Has a site and is imported statically by main.ts, so it runs before seal(): its site stays a load (HP2011), still correct.
import { STATIC_VARIABLE_LOAD } from 'hotpath';
import { shift } from './config.js';

export function earlyShift(): number {
  return STATIC_VARIABLE_LOAD(shift);
}
