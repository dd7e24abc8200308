// The same boot work without seal(): check.js then keeps its slots (they read poolBase).
import { initPool } from './pool.js';

initPool(0x40000000);
