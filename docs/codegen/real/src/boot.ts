// Boot: compute the base, seal. hotpath codegen --boot imports this before check.js.
import { seal } from 'hotpath';
import { initPool } from './pool.js';

initPool(0x40000000);
seal();
