// Loaded after seal(): every site here is patched. Every export takes no argument
// (main.ts calls each one, by name). SITES in sites.test.ts counts the marker calls.
import { STATIC_VARIABLE_LOAD as load } from 'hotpath';
import * as hp from 'hotpath';
import { base, fast, limit, mode, poolShift } from './index.js';

const probe = 1024 * 0x100000 + 0x1234;

export function isPoolAddress(): boolean {
  return (probe - load(base)) >>> 0 < 0x200000;
}

export function slotOf(): number {
  return (probe - hp.STATIC_VARIABLE_LOAD(base)) >>> load(poolShift);
}

export function label(): string {
  return `${load(mode)}:${hp.STATIC_VARIABLE_LOAD(fast)}`;
}

export function cube(): bigint {
  return load(limit) + 1n;
}

/** The top frame of a stack taken here: with source maps on, a line of this file. */
export function where(): string {
  const stack = new Error('where').stack ?? '';
  return stack.split('\n')[1]!.trim().replace(/^at (?:\S+ )?\(?/, '').replace(/^.*[\\/](src|dist)[\\/]/, '$1/').replace(/\)$/, '');
}
