import { register as __hotpath_register } from "hotpath/bundler-carriers";
export let limit = 3;
export let mode = "slow";
export let fast = false;
export let unread = 1;
export function configure(m) { mode = m; fast = m === "fast"; limit = m.length; unread = 2; }
__hotpath_register("@hotpath-var:src/config.ts#limit", () => limit);
__hotpath_register("@hotpath-var:src/config.ts#mode", () => mode);
__hotpath_register("@hotpath-var:src/config.ts#fast", () => fast);
__hotpath_register("@hotpath-var:src/config.ts#unread", () => unread);
