// Character classification with an unpredictable result: half digits, half other
// characters, in random order. Both forms pay for the branch on the result itself.
import { makePass, seededRandom, timePasses } from '../lib/measure.js';

const N = 1 << 20;
const STR_N = 1 << 16;

const FORMS = {
  two: (c) => c >= 48 && c <= 57,
  sub: (c) => ((c - 48) >>> 0) <= 9,
};

function makeChars() {
  const random = seededRandom(777);
  const chars = new Uint16Array(N);
  for (let i = 0; i < N; i++) {
    chars[i] =
      random() < 0.5
        ? 48 + Math.floor(random() * 10)
        : random() < 0.5
          ? 32 + Math.floor(random() * 16)
          : 65 + Math.floor(random() * 26);
  }
  return chars;
}

export default {
  name: 'charclass',
  title: 'Is it a digit? Random text, half digits (Uint16Array element / str.charCodeAt(i))',
  unit: 'ns/op',
  defaultRuns: 5,
  variants: [
    { name: 'two/u16', label: 'c >= 48 && c <= 57, Uint16Array' },
    { name: 'sub/u16', label: '((c - 48) >>> 0) <= 9, Uint16Array' },
    { name: 'two/str', label: 'c >= 48 && c <= 57, charCodeAt' },
    { name: 'sub/str', label: '((c - 48) >>> 0) <= 9, charCodeAt' },
  ],
  sameChecksum: [['two/u16', 'sub/u16'], ['two/str', 'sub/str']],
  comparisons: [
    { label: 'two-sided / subtract, Uint16Array', num: 'two/u16', den: 'sub/u16', target: { op: '>=', value: 1 }, issue: 3 },
    { label: 'two-sided / subtract, charCodeAt', num: 'two/str', den: 'sub/str', target: { op: '>=', value: 1 }, issue: 3 },
  ],
  async measure(variant) {
    const [form, input] = variant.split('/');
    const isDigit = FORMS[form];
    const chars = makeChars();
    if (input === 'u16') {
      const chunk = (from, end) => {
        let digits = 0;
        for (let i = from; i < end; i++) if (isDigit(chars[i])) digits++;
        return digits;
      };
      return timePasses(makePass(chunk, N), { opsPerPass: N });
    }
    let str = '';
    for (let i = 0; i < STR_N; i += 4096) str += String.fromCharCode(...chars.subarray(i, i + 4096));
    const chunk = (from, end) => {
      let digits = 0;
      for (let i = from; i < end; i++) if (isDigit(str.charCodeAt(i))) digits++;
      return digits;
    };
    return timePasses(makePass(chunk, str.length), { opsPerPass: STR_N, warmup: 300, passesPerSample: 80 });
  },
};
