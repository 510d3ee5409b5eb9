/**
 * Word tokenizer for statement prose.
 *
 * A token is a word ("end-to-end", "Facebook’s"), a number ("12,300", "4.5%",
 * "$1.2", "2019-2022", "10:30", "21st"), a date ("16 January 2023",
 * "October 3, 2017", "March 2019") or one punctuation/symbol character (runs
 * of the same character such as "..." or "----" stay together). Whitespace is
 * never part of a token except inside a date, so a changed figure is reported
 * as that whole figure and never as half a word, and reflowed text (the same
 * tokens with different spacing or line breaks) compares equal.
 *
 * Invariant the diff relies on: tokens never start or end with whitespace, do
 * not overlap, and every non-whitespace character belongs to exactly one token.
 */
import { CLASS_DIGIT, CLASS_SPACE, CLASS_WORD, charClass, codePointClass, codePointLength } from './chars.js';

export type TokenKind = 'word' | 'number' | 'date' | 'punct';

export const KIND_WORD = 1;
export const KIND_NUMBER = 2;
export const KIND_DATE = 3;
export const KIND_PUNCT = 4;

const KIND_NAMES: Record<number, TokenKind> = { 1: 'word', 2: 'number', 3: 'date', 4: 'punct' };

export interface Token {
  text: string;
  kind: TokenKind;
  /** UTF-16 offsets into the tokenized string. */
  start: number;
  end: number;
}

/** Receives tokens in order; the diff uses a typed-array implementation. */
export interface TokenSink {
  push(start: number, end: number, kind: number): void;
}

const MONTHS = new Set([
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December', 'Jan', 'Feb', 'Mar', 'Apr', 'Jun', 'Jul', 'Aug', 'Sep', 'Sept', 'Oct',
  'Nov', 'Dec',
]);

const APOSTROPHE = 0x27;
const RIGHT_QUOTE = 0x2019;
const HYPHEN = 0x2d;
const isJoiner = (c: number): boolean =>
  c === APOSTROPHE || c === RIGHT_QUOTE || c === HYPHEN || c === 0x2010 || c === 0x2011;
const isCurrency = (c: number): boolean => c === 0x24 || c === 0x20ac || c === 0xa3 || c === 0xa5;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isAsciiUpper = (c: number): boolean => c >= 0x41 && c <= 0x5a;
const isWordish = (text: string, i: number, end: number): boolean => {
  if (i >= end) return false;
  const k = codePointClass(text, i);
  return k === CLASS_WORD || k === CLASS_DIGIT;
};

/** End of a run of digits starting at i. */
function digits(text: string, i: number, end: number): number {
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  return i;
}

/**
 * Skips the whitespace inside a date ("16 January", "October\n3"): at least one
 * space, at most one line break, so a date never spans a paragraph break.
 * Returns -1 when there is no such run at i.
 */
function inlineSpace(text: string, i: number, end: number): number {
  let j = i;
  let newlines = 0;
  while (j < end) {
    const c = text.charCodeAt(j);
    if (charClass(c) !== CLASS_SPACE) break;
    if (c === 0x0a && ++newlines > 1) return -1;
    j++;
  }
  return j > i ? j : -1;
}

/** ASCII letters, digits and underscore: the hot path of wordEnd. */
const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_WORD[c] = charClass(c) === CLASS_WORD || charClass(c) === CLASS_DIGIT ? 1 : 0;

/** End of the word starting at i: letters/digits joined by apostrophes or hyphens. */
function wordEnd(text: string, i: number, end: number): number {
  let j = i;
  for (;;) {
    while (j < end) {
      const c = text.charCodeAt(j);
      if (c < 128) {
        if (ASCII_WORD[c] === 0) break;
        j++;
      } else if (isWordish(text, j, end)) j += codePointLength(text, j);
      else break;
    }
    if (j + 1 < end && isJoiner(text.charCodeAt(j)) && isWordish(text, j + 1, end)) {
      j++;
      continue;
    }
    return j;
  }
}

/** End of a month name (with an optional abbreviation dot) at i, or -1. */
function monthEnd(text: string, i: number, end: number): number {
  if (i >= end || !isAsciiUpper(text.charCodeAt(i))) return -1;
  let j = i + 1;
  while (j < end && j - i < 10) {
    const c = text.charCodeAt(j);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a))) break;
    j++;
  }
  if (j - i < 3 || isWordish(text, j, end) || !MONTHS.has(text.slice(i, j))) return -1;
  if (j < end && text.charCodeAt(j) === 0x2e && j - i <= 4) j++;
  return j;
}

/** End of a 4-digit year at i that is not glued to more word characters, or -1. */
function yearEnd(text: string, i: number, end: number): number {
  const j = digits(text, i, end);
  return j - i === 4 && !isWordish(text, j, end) ? j : -1;
}

/** "16 January 2023" starting at the day number i..dayEnd, or -1. */
function dayMonthYear(text: string, dayEnd: number, end: number): number {
  const s1 = inlineSpace(text, dayEnd, end);
  if (s1 < 0) return -1;
  const m = monthEnd(text, s1, end);
  if (m < 0) return -1;
  const s2 = inlineSpace(text, m, end);
  return s2 < 0 ? -1 : yearEnd(text, s2, end);
}

/** "October 3, 2017", "October 3 2017" or "October 2017" after a month name ending at m, or -1. */
function monthDayYear(text: string, m: number, end: number): number {
  const s1 = inlineSpace(text, m, end);
  if (s1 < 0) return -1;
  const y = yearEnd(text, s1, end);
  if (y > 0) return y;
  const d = digits(text, s1, end);
  if (d - s1 < 1 || d - s1 > 2) return -1;
  let j = d;
  if (j < end && text.charCodeAt(j) === 0x2c) j++;
  const s2 = inlineSpace(text, j, end);
  return s2 < 0 ? -1 : yearEnd(text, s2, end);
}

/** End of a number at i (digit or currency sign), or -1 when it is glued to letters ("5G"). */
function numberEnd(text: string, i: number, end: number): number {
  let j = isCurrency(text.charCodeAt(i)) ? i + 1 : i;
  j = digits(text, j, end);
  // Group and decimal separators, ranges, times and fractions only count
  // when a digit follows, so "12,300." ends before the full stop.
  while (j + 1 < end) {
    const c = text.charCodeAt(j);
    if ((c === 0x2c || c === 0x2e || c === 0x3a || c === 0x2f || c === HYPHEN) && isDigit(text.charCodeAt(j + 1))) {
      j = digits(text, j + 1, end);
    } else break;
  }
  if (j < end && text.charCodeAt(j) === 0x25) return j + 1;
  if (j + 1 < end) {
    const suffix = text.slice(j, j + 2).toLowerCase();
    if ((suffix === 'st' || suffix === 'nd' || suffix === 'rd' || suffix === 'th') && !isWordish(text, j + 2, end)) {
      return j + 2;
    }
  }
  return isWordish(text, j, end) ? -1 : j;
}

/**
 * Scans text[start, end) and pushes every token to the sink. Runs in one pass
 * with no allocation except month-name checks.
 */
export function scanTokens(text: string, start: number, end: number, sink: TokenSink): void {
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    const k = c < 0xd800 ? charClass(c) : codePointClass(text, i);
    if (k === CLASS_SPACE) {
      i++;
      continue;
    }
    if (k === CLASS_DIGIT || (isCurrency(c) && i + 1 < end && isDigit(text.charCodeAt(i + 1)))) {
      const n = numberEnd(text, i, end);
      if (n > 0) {
        const dayLen = n - i;
        const date = k === CLASS_DIGIT && dayLen <= 2 ? dayMonthYear(text, n, end) : -1;
        if (date > 0) sink.push(i, date, KIND_DATE);
        else sink.push(i, n, KIND_NUMBER);
        i = date > 0 ? date : n;
        continue;
      }
    }
    if (k === CLASS_WORD || k === CLASS_DIGIT) {
      const w = wordEnd(text, i, end);
      const m = w - i <= 9 ? monthEnd(text, i, end) : -1;
      const date = m > 0 ? monthDayYear(text, m, end) : -1;
      if (date > 0) {
        sink.push(i, date, KIND_DATE);
        i = date;
      } else {
        sink.push(i, w, KIND_WORD);
        i = w;
      }
      continue;
    }
    // Punctuation and symbols: one code point, or a run of the same one.
    const len = codePointLength(text, i);
    let j = i + len;
    if (len === 1) while (j < end && text.charCodeAt(j) === c) j++;
    sink.push(i, j, KIND_PUNCT);
    i = j;
  }
}

/** The comparison key of a token: its text, with the spacing inside a date made uniform. */
export function tokenKey(text: string, start: number, end: number, kind: number): string {
  const s = text.slice(start, end);
  return kind === KIND_DATE ? s.replace(/\s+/g, ' ') : s;
}

/** Tokens of `text` as objects (the diff itself uses scanTokens into typed arrays). */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  scanTokens(text, 0, text.length, {
    push(start, end, kind) {
      out.push({ text: text.slice(start, end), kind: KIND_NAMES[kind], start, end });
    },
  });
  return out;
}

/** Number of word, number and date tokens (punctuation does not count as a word). */
export function countWords(text: string, start = 0, end = text.length): number {
  let n = 0;
  scanTokens(text, start, end, {
    push(_s, _e, kind) {
      if (kind !== KIND_PUNCT) n++;
    },
  });
  return n;
}

export function kindName(kind: number): TokenKind {
  return KIND_NAMES[kind];
}
