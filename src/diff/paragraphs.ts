/**
 * Paragraph layout of an extracted text.
 *
 * A paragraph break is any whitespace run holding two or more line feeds
 * ("\n\n", "\r\n\r\n", "\n \n\n"). A single line feed is a soft break inside a
 * paragraph (PDF and HTML extraction wrap lines arbitrarily), so it compares
 * like a space. Every byte of the text belongs to exactly one of: the leading
 * whitespace, a paragraph's content (never starting or ending with whitespace),
 * or the separator after a paragraph (the last one's separator is the
 * trailing whitespace). That partition is what lets the diff rebuild the
 * input byte for byte.
 */
import { isSpace, sameRange } from './chars.js';

export interface Layout {
  text: string;
  count: number;
  /** Content of paragraph i is text[starts[i], ends[i]); its separator runs to starts[i+1] (or text.length). */
  starts: Int32Array;
  ends: Int32Array;
}

export function splitParagraphs(text: string): Layout {
  const starts: number[] = [];
  const ends: number[] = [];
  const n = text.length;
  let i = 0;
  while (i < n && isSpace(text.charCodeAt(i))) i++;
  let paraStart = i;
  let search = i;
  while (paraStart < n) {
    const nl = text.indexOf('\n', search);
    if (nl < 0) {
      let e = n;
      while (e > paraStart && isSpace(text.charCodeAt(e - 1))) e--;
      starts.push(paraStart);
      ends.push(e);
      break;
    }
    // The maximal whitespace run around this line feed decides: two line feeds make a break.
    let a = nl;
    while (a > paraStart && isSpace(text.charCodeAt(a - 1))) a--;
    let b = nl + 1;
    let feeds = 1;
    while (b < n) {
      const c = text.charCodeAt(b);
      if (!isSpace(c)) break;
      if (c === 0x0a) feeds++;
      b++;
    }
    if (feeds >= 2 || b === n) {
      starts.push(paraStart);
      ends.push(a);
      paraStart = b;
    }
    search = b;
  }
  return { text, count: starts.length, starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
}

/** End of paragraph i's separator: the start of the next paragraph or the end of the text. */
export function blockEnd(layout: Layout, i: number): number {
  return i + 1 < layout.count ? layout.starts[i + 1] : layout.text.length;
}

/** Start of the region that begins with paragraph i (the end of the text when i === count). */
export function blockStart(layout: Layout, i: number): number {
  return i < layout.count ? layout.starts[i] : layout.text.length;
}

/** Characters sampled at each end of a paragraph for its hash. */
const SAMPLE = 24;

function sampleHash(text: string, s: number, e: number): number {
  let h = Math.imul(e - s, 0x9e3779b1);
  const head = Math.min(e, s + SAMPLE);
  for (let k = s; k < head; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
  for (let k = Math.max(head, e - SAMPLE); k < e; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
  return h;
}

/**
 * Dense ids for the paragraphs of both texts: equal ids iff byte-identical
 * content. Hashing samples the two ends and the length (O(1) per paragraph)
 * and confirms candidates with one native comparison, which is several times
 * cheaper than hashing whole paragraphs into a Map. Paragraphs that differ
 * only in spacing get different ids here; the word diff finds them equal.
 */
export function paragraphIds(A: Layout, B: Layout): [Int32Array, Int32Array] {
  const buckets = new Map<number, number[]>();
  // Representatives, by id: which text and where.
  const repText: string[] = [];
  const repStart: number[] = [];
  const repEnd: number[] = [];
  const map = (L: Layout): Int32Array => {
    const out = new Int32Array(L.count);
    for (let i = 0; i < L.count; i++) {
      const s = L.starts[i];
      const e = L.ends[i];
      const h = sampleHash(L.text, s, e);
      let list = buckets.get(h);
      let id = -1;
      if (list) {
        for (const cand of list) {
          if (repEnd[cand] - repStart[cand] === e - s && sameRange(L.text, s, repText[cand], repStart[cand], e - s)) {
            id = cand;
            break;
          }
        }
      } else buckets.set(h, (list = []));
      if (id < 0) {
        id = repText.length;
        repText.push(L.text);
        repStart.push(s);
        repEnd.push(e);
        list.push(id);
      }
      out[i] = id;
    }
    return out;
  };
  return [map(A), map(B)];
}

/** Index of the paragraph whose block (content plus separator) contains offset pos; -1 before the first. */
export function paragraphAt(layout: Layout, pos: number): number {
  let lo = 0;
  let hi = layout.count - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (layout.starts[mid] <= pos) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}
