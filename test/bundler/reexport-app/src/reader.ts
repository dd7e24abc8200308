// The hot module: every marker comes through the user's own modules, none from 'hotpath' itself.
import { load } from './hp.js';
import * as m from './markers.js';
import { mode, poolBase, shift } from './config.js';

const probe = 1024 * 0x100000 + 0x1234;

export function isPoolAddress(): boolean {
  return (probe - load(poolBase)) >>> 0 < 0x200000;
}

export function slotOf(): number {
  return (probe - load(poolBase)) >>> m.load(shift);
}

export function label(): string {
  return load(mode);
}
