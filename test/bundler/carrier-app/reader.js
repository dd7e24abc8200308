import { site as __hotpath_site, note as __hotpath_note } from "hotpath/bundler-carriers";
import { poolBase, limit as poolLimit, wide } from "./pool.js";
import * as config from "./config.js";
__hotpath_note("@hotpath-note:src/reader.ts");
export function isPoolAddress(p) { return (p - __hotpath_site(poolBase, "@hotpath-site:src/reader.ts:0")) >>> 0 < 4096; }
export function label() { return `${__hotpath_site(config.mode, "@hotpath-site:src/reader.ts:1")}:${__hotpath_site(config.limit, "@hotpath-site:src/reader.ts:2")}`; }
export function slotOf(p) { return Number(BigInt(p) ^ __hotpath_site(wide, "@hotpath-site:src/reader.ts:3")) % __hotpath_site(poolLimit, "@hotpath-site:src/reader.ts:4"); }
export function isFast() { return __hotpath_site(config.fast, "@hotpath-site:src/reader.ts:5") ? "yes" : "no"; }
