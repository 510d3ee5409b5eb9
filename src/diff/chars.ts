/**
 * Character classes shared by the paragraph splitter, the tokenizer and the
 * whitespace-insensitive comparisons. They must agree exactly: if one module
 * thought a character was whitespace and another did not, "reflow is not a
 * change" would break and the rebuild could drop bytes.
 *
 * Whitespace is exactly JavaScript's `\s` so regexes elsewhere can use `\s`.
 */

export const CLASS_OTHER = 0;
export const CLASS_WORD = 1; // letters, marks, and digits that are not a number start
export const CLASS_DIGIT = 2;
export const CLASS_SPACE = 3;

const UNKNOWN = 255;
// One byte per BMP code unit, filled lazily: classifying with a Unicode regex
// costs ~100 ns, a table lookup ~1 ns, and documents repeat the same characters.
const table = new Uint8Array(65536).fill(UNKNOWN);
const WORD_RE = /^[\p{L}\p{M}\p{N}\p{Pc}]$/u;
const DIGIT_RE = /^[0-9]$/;
const SPACE_RE = /^\s$/;

function classify(ch: string): number {
  if (SPACE_RE.test(ch)) return CLASS_SPACE;
  if (DIGIT_RE.test(ch)) return CLASS_DIGIT;
  // Surrogate halves are classified by the pair in codePointClass.
  if (WORD_RE.test(ch)) return CLASS_WORD;
  return CLASS_OTHER;
}

for (let c = 0; c < 128; c++) table[c] = classify(String.fromCharCode(c));

/** Class of one UTF-16 code unit (surrogates report OTHER; see codePointClass). */
export function charClass(code: number): number {
  const k = table[code];
  if (k !== UNKNOWN) return k;
  const v = code >= 0xd800 && code <= 0xdfff ? CLASS_OTHER : classify(String.fromCharCode(code));
  table[code] = v;
  return v;
}

const astral = new Map<number, number>();

/** Class of the code point starting at `i` (handles astral letters such as 𝐀 or CJK extension B). */
export function codePointClass(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff) return charClass(c);
  const cp = text.codePointAt(i) as number;
  if (cp <= 0xffff) return CLASS_OTHER; // lone high surrogate
  let v = astral.get(cp);
  if (v === undefined) {
    v = classify(String.fromCodePoint(cp));
    astral.set(cp, v);
  }
  return v;
}

/** Length in code units of the code point starting at `i` (1 or 2). */
export function codePointLength(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

export function isSpace(code: number): boolean {
  return charClass(code) === CLASS_SPACE;
}

/** True when the string is empty or only whitespace. */
export function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isSpace(s.charCodeAt(i))) return false;
  return true;
}

/**
 * Length of the identical beginning of a[aS,aE) and b[bS,bE), found by
 * galloping slice comparisons (memcmp speed) instead of a character loop:
 * two versions of a long document are mostly identical.
 */
export function rawPrefix(a: string, aS: number, aE: number, b: string, bS: number, bE: number): number {
  const max = Math.min(aE - aS, bE - bS);
  let lo = 0;
  let step = 32;
  while (lo < max) {
    const len = Math.min(step, max - lo);
    if (sameRange(a, aS + lo, b, bS + lo, len)) {
      lo += len;
      step *= 2;
      continue;
    }
    let hi = lo + len; // the first difference is in [lo, hi)
    while (hi - lo > 16) {
      const mid = (lo + hi) >> 1;
      if (sameRange(a, aS + lo, b, bS + lo, mid - lo)) lo = mid;
      else hi = mid;
    }
    while (lo < hi && a.charCodeAt(aS + lo) === b.charCodeAt(bS + lo)) lo++;
    return lo;
  }
  return lo;
}

/** Length of the identical end of a[aS,aE) and b[bS,bE) (see rawPrefix). */
export function rawSuffix(a: string, aS: number, aE: number, b: string, bS: number, bE: number): number {
  const max = Math.min(aE - aS, bE - bS);
  let lo = 0;
  let step = 32;
  while (lo < max) {
    const len = Math.min(step, max - lo);
    if (sameRange(a, aE - lo - len, b, bE - lo - len, len)) {
      lo += len;
      step *= 2;
      continue;
    }
    let hi = lo + len;
    while (hi - lo > 16) {
      const mid = (lo + hi) >> 1;
      if (sameRange(a, aE - mid, b, bE - mid, mid - lo)) lo = mid;
      else hi = mid;
    }
    while (lo < hi && a.charCodeAt(aE - lo - 1) === b.charCodeAt(bE - lo - 1)) lo++;
    return lo;
  }
  return lo;
}

/**
 * a[aS, aS+len) === b[bS, bS+len). Comparing two slices is the fast path in
 * V8 (a memcmp); `startsWith` with a position was measured 5–30× slower here
 * once optimised. Short ranges use a loop to avoid copying tiny slices.
 */
export function sameRange(a: string, aS: number, b: string, bS: number, len: number): boolean {
  if (len < 16) {
    for (let k = 0; k < len; k++) if (a.charCodeAt(aS + k) !== b.charCodeAt(bS + k)) return false;
    return true;
  }
  return a.slice(aS, aS + len) === b.slice(bS, bS + len);
}
