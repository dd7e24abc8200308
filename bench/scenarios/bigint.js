// bigint range checks: is `BigInt.asUintN(64, x - lo) < size` faster than
// `x >= lo && x < lo + size`? The ESLint rule offers a bigint rewrite only if so
// (issue 3); the verdict line says which way the measurement went.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureDir } from '../lib/harness.js';
import { makePass, seededRandom, timePasses } from '../lib/measure.js';

const N = 1 << 18;
const LO = 0x4000_0000_0000_0000n;
const SIZE = 0x20_0000n;

const MODULES = {
  'two-literal': `export function check(x) { return x >= ${LO}n && x < ${LO + SIZE}n; }\n`,
  'sub-literal': `export function check(x) { return BigInt.asUintN(64, x - ${LO}n) < ${SIZE}n; }\n`,
  'two-let': `let lo = 0n, size = 0n;\nexport function init(l, s) { lo = l; size = s; }\nexport function check(x) { return x >= lo && x < lo + size; }\n`,
  'sub-let': `let lo = 0n, size = 0n;\nexport function init(l, s) { lo = l; size = s; }\nexport function check(x) { return BigInt.asUintN(64, x - lo) < size; }\n`,
};

/** Unsigned 64-bit values on both sides of [LO, LO + SIZE), 0.2 % inside. */
function makeValues() {
  const random = seededRandom(4242);
  const word = () => BigInt(Math.floor(random() * 0x1_0000_0000));
  const values = new Array(N);
  for (let i = 0; i < N; i++) {
    let x = (word() << 32n) | word();
    if (random() < 0.002) x = LO + BigInt(Math.floor(random() * Number(SIZE)));
    values[i] = x;
  }
  return values;
}

export default {
  name: 'bigint',
  title: 'bigint range check, unsigned 64-bit values on both sides, 0.2 % inside',
  unit: 'ns/op',
  defaultRuns: 5,
  variants: [
    { name: 'two/literal', label: 'x >= LOn && x < HIn (literals)' },
    { name: 'sub/literal', label: 'BigInt.asUintN(64, x - LOn) < SIZEn' },
    { name: 'two/let', label: 'x >= lo && x < lo + size (let)' },
    { name: 'sub/let', label: 'BigInt.asUintN(64, x - lo) < size (let)' },
  ],
  sameChecksum: [['two/literal', 'sub/literal', 'two/let', 'sub/let']],
  comparisons: [
    { label: 'two-sided / asUintN subtract, literals', num: 'two/literal', den: 'sub/literal' },
    { label: 'two-sided / asUintN subtract, let', num: 'two/let', den: 'sub/let' },
  ],
  async prepare(ctx) {
    ensureDir(ctx.workDir);
    for (const [name, text] of Object.entries(MODULES)) writeFileSync(path.join(ctx.workDir, `${name}.mjs`), text);
  },
  async measure(variant, { workDir }) {
    const m = await import(pathToFileURL(path.join(workDir, `${variant.replace('/', '-')}.mjs`)).href);
    m.init?.(LO, SIZE);
    const check = m.check;
    const values = makeValues();
    const chunk = (from, end) => {
      let inside = 0;
      for (let i = from; i < end; i++) if (check(values[i])) inside++;
      return inside;
    };
    return timePasses(makePass(chunk, N), { opsPerPass: N });
  },
  /** Over every Node version run: the rewrite may be offered only if it was faster on each. */
  crossVerdict(results) {
    const slower = results.filter((r) => !r.verdict.startsWith('the asUintN rewrite is faster'));
    if (slower.length === 0) return `asUintN rewrite faster on every Node version run (${results.map((r) => r.node).join(', ')})`;
    return `asUintN rewrite NOT faster on ${slower.map((r) => r.node).join(', ')}: for bigint operands, report nothing (issue 3)`;
  },
  /** A rewrite counts as faster only if its slowest run beats the two-sided form's fastest, in both spellings. */
  verdict(result) {
    const v = Object.fromEntries(result.variants.map((x) => [x.name, x]));
    const faster = (two, sub) => v[sub].max < v[two].min;
    const slower = (two, sub) => v[sub].min > v[two].max;
    const lit = faster('two/literal', 'sub/literal');
    const let_ = faster('two/let', 'sub/let');
    if (lit && let_) return 'the asUintN rewrite is faster for bigint (every run, both spellings): a rewrite may be offered';
    if (slower('two/literal', 'sub/literal') || slower('two/let', 'sub/let')) {
      return 'the asUintN rewrite is SLOWER for bigint in at least one spelling: report nothing for bigint operands';
    }
    return 'no consistent gain for bigint (ranges overlap or spellings disagree): report nothing for bigint operands';
  },
};
