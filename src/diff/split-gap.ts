/**
 * Splits a changed stretch of paragraphs into smaller regions before the word
 * diff. When 1% of the words of a long document change, nearly every
 * paragraph differs, so consecutive changed paragraphs form one long region
 * and its word diff would tokenize most of the document. Paragraphs that
 * plainly correspond (they share a good part of their beginning and end) are
 * (byte-identical, found by native comparisons) are diffed pair by pair instead, where the character-level trimming leaves only
 * a few words to tokenize. Paragraphs that do not correspond stay grouped, so
 * insertions, deletions, splits and merges are still diffed together.
 */
import { isSpace, rawPrefix, rawSuffix } from './chars.js';
import type { Layout } from './paragraphs.js';
import { diffRegion, type DiffContext } from './region.js';

/** Does text[s, s+len) contain whitespace? (Scans from the start, or from the end when fromEnd.) */
function hasSpace(text: string, s: number, len: number, fromEnd: boolean): boolean {
  for (let k = 0; k < len; k++) if (isSpace(text.charCodeAt(fromEnd ? s + len - 1 - k : s + k))) return true;
  return false;
}

/**
 * Do paragraph i of A and j of B look like two versions of one paragraph?
 * Unrelated paragraphs share almost nothing at their ends; one edited in a
 * few places keeps most of them. The shared beginning and end must each hold
 * a whole word (so "Industry Roundtable …" is not taken for its own second
 * half "Roundtable …" after a split), the lengths must agree, and when the
 * group has different paragraph counts on the two sides (where merges and
 * splits live) the tests are stricter. A false "no" only costs speed; a false
 * "yes" would cut a reflowed paragraph apart, hence the caution.
 */
function corresponds(A: Layout, i: number, B: Layout, j: number, strict: boolean): boolean {
  const la = A.ends[i] - A.starts[i];
  const lb = B.ends[j] - B.starts[j];
  const longer = Math.max(la, lb);
  if (Math.abs(la - lb) > (strict ? 0.1 : 0.25) * longer) return false;
  const pre = rawPrefix(A.text, A.starts[i], A.ends[i], B.text, B.starts[j], B.ends[j]);
  const suf = rawSuffix(A.text, A.starts[i] + pre, A.ends[i], B.text, B.starts[j] + pre, B.ends[j]);
  if (pre + suf < (strict ? 0.5 : 0.2) * longer) return false;
  return hasSpace(A.text, A.starts[i], pre, false) && hasSpace(A.text, A.ends[i] - suf, suf, true);
}

/** How far ahead to look for the partner of a paragraph (an inserted or deleted paragraph in between). */
const LOOKAHEAD = 2;

/** Diffs paragraphs [i0,i1) of A against [j0,j1) of B, region by region. */
export function diffGap(ctx: DiffContext, i0: number, i1: number, j0: number, j1: number): void {
  const { A, B } = ctx;
  const single = i1 - i0 <= 1 && j1 - j0 <= 1;
  let moved = false;
  for (let p = i0; p < i1 && !moved; p++) moved = ctx.movedA[p] >= 0;
  for (let q = j0; q < j1 && !moved; q++) moved = ctx.movedB[q] >= 0;
  if (single || moved || i0 === i1 || j0 === j1) {
    diffRegion(ctx, i0, i1, j0, j1);
    return;
  }
  const strict = i1 - i0 !== j1 - j0;
  // Greedy walk: emit corresponding pairs as their own regions, everything
  // between them as one region.
  let gi = i0;
  let gj = j0;
  let i = i0;
  let j = j0;
  const flushTo = (pi: number, pj: number): void => {
    if (pi > gi || pj > gj) diffRegion(ctx, gi, pi, gj, pj);
    gi = pi;
    gj = pj;
  };
  while (i < i1 && j < j1) {
    let found = false;
    for (let d = 0; d <= LOOKAHEAD && !found; d++) {
      for (let da = 0; da <= d && !found; da++) {
        const pi = i + da;
        const pj = j + (d - da);
        if (pi >= i1 || pj >= j1 || !corresponds(A, pi, B, pj, strict)) continue;
        flushTo(pi, pj);
        diffRegion(ctx, pi, pi + 1, pj, pj + 1);
        gi = i = pi + 1;
        gj = j = pj + 1;
        found = true;
      }
    }
    if (!found) {
      i++;
      j++;
    }
  }
  flushTo(i1, j1);
}
