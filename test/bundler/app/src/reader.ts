// The hot module: imported after seal(), every site patched. Every export takes no argument.
import { STATIC_VARIABLE_LOAD as load } from 'hotpath';
import * as hp from 'hotpath';
import { fast, shift, wide } from './config.js';
import { base, limit, mode } from './index.js';
import { limit as tableLimit } from './table.js';

const probe = 1024 * 0x100000 + 0x1234;

export function isPoolAddress(): boolean {
  return (probe - load(base)) >>> 0 < 0x200000;
}

export function slotOf(): number {
  return (probe - load(base)) >>> hp.STATIC_VARIABLE_LOAD(shift);
}

export function label(): string {
  return `${load(mode)}:${load(limit)}:${hp.STATIC_VARIABLE_LOAD(tableLimit)}`;
}

export function cube(): bigint {
  return load(wide) + 1n;
}

export function isFast(): string {
  return hp.STATIC_VARIABLE_LOAD(fast) ? 'yes' : 'no';
}

export function thrownAt(): string {
  return (new Error('where').stack ?? '').split('\n')[1]!.trim();
}
