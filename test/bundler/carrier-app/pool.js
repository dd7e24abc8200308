import { register as __hotpath_register } from "hotpath/bundler-carriers";
export let poolBase = 0;
export let limit = 0;
export let wide = 0n;
export function initPool(n) { poolBase = n * 2; limit = n + 1; wide = BigInt(n) << 40n; }
__hotpath_register("@hotpath-var:src/pool.ts#poolBase", () => poolBase);
__hotpath_register("@hotpath-var:src/pool.ts#limit", () => limit);
__hotpath_register("@hotpath-var:src/pool.ts#wide", () => wide);
