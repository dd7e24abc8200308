/**
 * The slot half of the site format, owned here: the markers' texts as the compiler writes
 * them and the check of one slot as the patcher reads it (docs/site-format.md documents the whole
 * format; site-format.ts re-exports what writers use). The patcher finds every opening marker of a module
 * in one left-to-right scan, then checks each slot where it is, instead of searching the whole
 * module for each slot.
 */
/** What a slot marker's comment text starts with; the slot number follows. */
export const SLOT_MARKER = '@hp:';

/** Default inner length of a slot's closing comment: sets how long a literal fits. */
export const DEFAULT_SLOT_WIDTH = 24;

/** Inner text of slot `id`'s opening comment (without the comment delimiters). */
export function slotOpenText(id: number): string {
  return `${SLOT_MARKER}${id}`;
}

/** Inner text of slot `id`'s closing comment, padded with spaces to `width`. */
export function slotCloseText(id: number, width: number = DEFAULT_SLOT_WIDTH): string {
  return slotOpenText(id).padEnd(width, ' ');
}

/** `/*@hp:`: the start of every slot marker, opening or closing. */
const MARKER_START = `/*${SLOT_MARKER}`;

export type SlotCheck =
  | { readonly kind: 'slot'; readonly start: number; readonly end: number }
  | { readonly kind: 'missing' | 'ambiguous' | 'mismatch'; readonly detail: string };

/**
 * Where the opening marker `/*@hp:N*\/` of each slot 0 ≤ N < `count` first occurs
 * (-1: nowhere), and whether it occurs again at or after the end of that first
 * occurrence (what a search for a second occurrence after the first finds). One pass of
 * indexOf; N is spelled as String(N) writes it, so `/*@hp:01*\/` is not slot 1.
 */
export function scanOpenMarkers(source: string, count: number): { readonly first: Int32Array; readonly repeated: Uint8Array } {
  const first = new Int32Array(count).fill(-1);
  const repeated = new Uint8Array(count);
  const digitsAt = MARKER_START.length;
  for (let at = source.indexOf(MARKER_START); at >= 0; at = source.indexOf(MARKER_START, at + digitsAt)) {
    let i = at + digitsAt;
    let id = 0;
    const firstDigit = i;
    // eslint-disable-next-line hotpath/prefer-subtract-compare -- c is NaN past the end of the string, where the rewrite would differ
    for (let c = source.charCodeAt(i); c >= 0x30 && c <= 0x39; c = source.charCodeAt(++i)) id = id * 10 + (c - 0x30);
    const digits = i - firstDigit;
    // Not an opening marker: no digits, a leading zero, too many digits, or not followed by `*/`.
    if (digits === 0 || digits > 9 || (digits > 1 && source.charCodeAt(firstDigit) === 0x30)) continue;
    if (source.charCodeAt(i) !== 0x2a /* * */ || source.charCodeAt(i + 1) !== 0x2f /* / */) continue;
    if (id >= count) continue;
    const known = first[id]!;
    if (known < 0) first[id] = at;
    else if (at >= known + (i + 2 - at)) repeated[id] = 1;
  }
  return { first, repeated };
}

/**
 * Checks slot `id` whose opening marker (`open`, `/*@hp:N*\/`) is at `at` and occurs
 * once: it holds exactly what the compiler wrote for a record whose read is `read` (or, in
 * CommonJS, `<binding>.<exported>`), as static keys compare the expected bytes before patching.
 * `start`/`end` delimit the region to overwrite.
 */
export function checkSlotAt(source: string, at: number, open: string, id: number, read: string, exported: string, closeOpen: string = open.slice(0, -2) /* `/*@hp:N` */): SlotCheck {
  if (source.charCodeAt(at - 1) !== 0x28 /* ( */) return { kind: 'mismatch', detail: `${open} does not follow "("` };
  const start = at + open.length;
  const closeAt = source.indexOf(closeOpen, start);
  if (closeAt < 0) return { kind: 'mismatch', detail: `slot ${id} has no closing comment` };
  const closeEnd = source.indexOf('*/', closeAt + closeOpen.length);
  if (closeEnd < 0) return { kind: 'mismatch', detail: `slot ${id}'s closing comment is not closed` };
  const end = closeEnd + 2;
  if (source.charCodeAt(end) !== 0x29 /* ) */) return { kind: 'mismatch', detail: `slot ${id} is not followed by ")"` };
  if (!source.startsWith(spaces(closeEnd - closeAt - closeOpen.length), closeAt + closeOpen.length)) {
    return { kind: 'mismatch', detail: `slot ${id}'s closing comment holds more than padding` };
  }
  if (!isExpectedRead(source, start, closeAt, read, exported)) {
    return { kind: 'mismatch', detail: `slot ${id} holds ${JSON.stringify(source.slice(start, closeAt).trim())}, not a read of ${read}` };
  }
  return { kind: 'slot', start, end };
}

/** `source[from, to)` is ` (READ) ` where READ is the local name, or `<binding>.<export>` (CommonJS). */
function isExpectedRead(source: string, from: number, to: number, read: string, exported: string): boolean {
  if (
    to - from < 4 ||
    source.charCodeAt(from) !== 0x20 ||
    source.charCodeAt(from + 1) !== 0x28 /* ( */ ||
    source.charCodeAt(to - 2) !== 0x29 /* ) */ ||
    source.charCodeAt(to - 1) !== 0x20
  ) {
    return false;
  }
  const readFrom = from + 2;
  const readTo = to - 2;
  // Identifiers only: a region then holds no comment, string or line break to misread.
  if (readTo - readFrom === read.length && source.startsWith(read, readFrom)) return isName(read);
  const dot = source.indexOf('.', readFrom);
  // eslint-disable-next-line hotpath/prefer-subtract-compare -- the rule cannot prove the rewrite equivalent; once per slot
  if (dot <= readFrom || dot >= readTo) return false;
  return (
    readTo - (dot + 1) === exported.length &&
    source.startsWith(exported, dot + 1) &&
    isIdentifier(source, readFrom, dot) &&
    isName(exported)
  );
}

/**
 * Slot N's marker texts, `/*@hp:N*\/` and `/*@hp:N`, made once per N: every module numbers its
 * slots from 0, so a boot of many modules asks for the same few (checkSlotAt(), patchSource()).
 */
const MARKER_TEXTS: Array<{ readonly open: string; readonly closeOpen: string }> = [];
export function markerTexts(id: number): { readonly open: string; readonly closeOpen: string } {
  return (MARKER_TEXTS[id] ??= { open: `${MARKER_START}${id}*/`, closeOpen: `${MARKER_START}${id}` });
}

const SPACES: string[] = [''];

/** `n` spaces (padding is compared with a native startsWith, not char by char). */
function spaces(n: number): string {
  while (SPACES.length <= n) SPACES.push(SPACES[SPACES.length - 1]! + ' ');
  return SPACES[n]!;
}

/** isIdentifier() of a record's name, remembered: a program has few names and every module repeats them. */
const names = new Map<string, boolean>();
function isName(name: string): boolean {
  let known = names.get(name);
  if (known === undefined) names.set(name, (known = isIdentifier(name, 0, name.length)));
  return known;
}

/** `text[from, to)` matches /^[A-Za-z_$][\w$]*$/. */
function isIdentifier(text: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    // eslint-disable-next-line hotpath/prefer-subtract-compare -- c is NaN past the end of the string, where the rewrite would differ
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f /* _ */ || c === 0x24; /* $ */
    // eslint-disable-next-line hotpath/prefer-subtract-compare -- c is NaN past the end of the string, where the rewrite would differ
    if (!letter && (i === from || c < 0x30 || c > 0x39)) return false;
  }
  return true;
}
