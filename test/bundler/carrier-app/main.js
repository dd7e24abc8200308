import { seal, bootReport } from "hotpath";
import { initPool } from "./pool.js";
import { configure } from "./config.js";
initPool(1024);
configure("fast");
if (process.env.SEAL === "1") seal();
const { isPoolAddress, label, slotOf, isFast } = await import("./reader.js");
const report = bootReport();
console.log(JSON.stringify({
  values: { isPoolAddress: isPoolAddress(2100), label: label(), slotOf: slotOf(77777), isFast: isFast() },
  sitesPatched: report.sitesPatched,
  skipped: report.modules.flatMap((m) => m.sites.filter((s) => !s.patched).map((s) => `${s.var}: ${s.code} ${s.reason}`)),
}));
