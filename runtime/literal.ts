/**
 * Exact source literals for sealed values. A literal is written into a slot's region,
 * which the site format keeps parenthesised, so it is always one operand: `-0`, `0/0`
 * and `void 0` need no further parentheses. Only literals and operators on them are
 * used, never an identifier (`NaN`, `Infinity`, `undefined` can be shadowed).
 */

/**
 * The literal that evaluates to a value `Object.is`-equal to `value`, or `undefined`
 * when there is none (objects, functions, symbols). Pure ASCII, never a line break, and
 * never `/` outside a division (a string's `/` is `\x2F`), so no value can open or end
 * a comment, or spell a slot marker.
 */
export function encodeLiteral(value: unknown): string | undefined {
  switch (typeof value) {
    case 'number':
      if (value !== value) return '0/0';
      if (value === Infinity) return '1/0';
      if (value === -Infinity) return '-1/0';
      if (Object.is(value, -0)) return '-0';
      return String(value); // ECMAScript's Number::toString is the shortest round-trip form
    case 'bigint':
      return `${value}n`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return encodeString(value);
    case 'undefined':
      return 'void 0';
    case 'object':
      return value === null ? 'null' : undefined;
    default:
      return undefined;
  }
}

const SHORT_ESCAPES: Record<number, string> = {
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0b: '\\v',
  0x0c: '\\f',
  0x0d: '\\r',
  0x22: '\\"',
  0x27: "\\'",
  0x5c: '\\\\',
};

/** A double-quoted string: printable ASCII as is, everything else escaped per UTF-16 unit. */
function encodeString(value: string): string {
  let out = '"';
  let runStart = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const short = SHORT_ESCAPES[c];
    // eslint-disable-next-line hotpath/prefer-subtract-compare -- c is NaN past the end of the string, where the rewrite would differ
    if (short === undefined && c >= 0x20 && c < 0x7f && c !== 0x2f /* / */) continue;
    out += value.slice(runStart, i);
    runStart = i + 1;
    // \x / \u with fixed digit counts: never an octal escape, valid in strict code
    out += short ?? (c < 0x100 ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`);
  }
  return out + value.slice(runStart) + '"';
}

function hex(code: number, digits: number): string {
  return code.toString(16).toUpperCase().padStart(digits, '0');
}
