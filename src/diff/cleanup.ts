/**
 * Turns matched token pairs into runs of equal tokens and removes "chaff":
 * a minimal diff of a rewritten sentence matches stray words ("the", "of",
 * ",") and shows confetti. As in diff-match-patch's semantic cleanup, an
 * equal run no longer than the edits on both of its sides is folded into
 * them, so a rewrite reads as one replacement.
 */
import type { Pairs } from './pairs.js';
import type { Layout } from './paragraphs.js';
import type { Tokens } from './tokens.js';

/** Equal runs: tokens A[a0+k] and B[b0+k] for k < len, in order. */
export interface EqualRuns {
  a0: Int32Array;
  b0: Int32Array;
  len: Int32Array;
  count: number;
}

/** Weight of tokens [s,e): the characters they span, whitespace between them included. */
function span(t: Tokens, s: number, e: number): number {
  return e > s ? t.end[e - 1] - t.start[s] + 1 : 0;
}

export function equalRuns(pairs: Pairs, A: Tokens, B: Tokens, semantic = true): EqualRuns {
  const cap = pairs.length;
  const a0 = new Int32Array(cap);
  const b0 = new Int32Array(cap);
  const len = new Int32Array(cap);
  let n = 0;
  for (let k = 0; k < pairs.length; k++) {
    const i = pairs.a[k];
    const j = pairs.b[k];
    const r = n - 1;
    if (r >= 0 && a0[r] + len[r] === i && b0[r] + len[r] === j) len[r]++;
    else {
      a0[n] = i;
      b0[n] = j;
      len[n] = 1;
      n++;
    }
  }
  if (!semantic || n === 0) return { a0, b0, len, count: n };

  // Doubly linked list over runs; -1 and n stand for the region's edges.
  const prev = new Int32Array(n);
  const next = new Int32Array(n);
  const alive = new Uint8Array(n).fill(1);
  for (let r = 0; r < n; r++) {
    prev[r] = r - 1;
    next[r] = r + 1;
  }
  let r = 0;
  while (r < n) {
    const p = prev[r];
    const q = next[r];
    const pa = p < 0 ? 0 : a0[p] + len[p];
    const pb = p < 0 ? 0 : b0[p] + len[p];
    const qa = q >= n ? A.count : a0[q];
    const qb = q >= n ? B.count : b0[q];
    const self = span(A, a0[r], a0[r] + len[r]);
    const left = Math.max(span(A, pa, a0[r]), span(B, pb, b0[r]));
    const right = Math.max(span(A, a0[r] + len[r], qa), span(B, b0[r] + len[r], qb));
    if (self <= left && self <= right) {
      alive[r] = 0;
      if (p >= 0) next[p] = q;
      if (q < n) prev[q] = p;
      // The run before now borders a larger edit: look at it again.
      r = p >= 0 ? p : q;
    } else r = q;
  }
  let m = 0;
  for (let k = 0; k < n; k++) {
    if (!alive[k]) continue;
    a0[m] = a0[k];
    b0[m] = b0[k];
    len[m] = len[k];
    m++;
  }
  return { a0, b0, len, count: m };
}

/** How good a place a token boundary is for an edit to start or end: paragraph > sentence > word. */
function edgeScore(t: Tokens, layout: Layout, s: number, e: number): number {
  const para = t.para[s];
  const last = t.para[e - 1];
  let score = 0;
  if (t.start[s] === layout.starts[para]) score += 3;
  else if (s > 0 && t.isSentenceEnd(s - 1)) score += 2;
  if (t.end[e - 1] === layout.ends[last]) score += 3;
  else if (t.isSentenceEnd(e - 1)) score += 2;
  return score;
}

/**
 * A pure insertion or deletion can often sit in several places with the same
 * cost ("departments[. New paragraph.]" vs "departments.[ New paragraph.]").
 * Slide each one to where it starts and ends on paragraph, then sentence,
 * boundaries, as git's diff heuristics do, so an inserted paragraph is shown
 * as that paragraph. Runs that slide to nothing are dropped.
 */
export function slideEdits(runs: EqualRuns, A: Tokens, B: Tokens, layoutA: Layout, layoutB: Layout): EqualRuns {
  const { a0, b0, len, count } = runs;
  for (let g = 0; g <= count; g++) {
    const aS = g > 0 ? a0[g - 1] + len[g - 1] : 0;
    const bS = g > 0 ? b0[g - 1] + len[g - 1] : 0;
    const aE = g < count ? a0[g] : A.count;
    const bE = g < count ? b0[g] : B.count;
    const insert = aS === aE && bE > bS;
    const remove = bS === bE && aE > aS;
    if (!insert && !remove) continue;
    const T = insert ? B : A;
    const layout = insert ? layoutB : layoutA;
    const s = insert ? bS : aS;
    const e = insert ? bE : aE;
    let left = 0;
    while (g > 0 && left < len[g - 1] && T.id[s - 1 - left] === T.id[e - 1 - left]) left++;
    let right = 0;
    while (g < count && right < len[g] && T.id[s + right] === T.id[e + right]) right++;
    if (left === 0 && right === 0) continue;
    let best = 0;
    let bestScore = edgeScore(T, layout, s, e);
    for (let d = -left; d <= right; d++) {
      const sc = d === 0 ? bestScore : edgeScore(T, layout, s + d, e + d);
      if (sc > bestScore) {
        bestScore = sc;
        best = d;
      }
    }
    if (best === 0) continue;
    len[g - 1] += best;
    a0[g] += best;
    b0[g] += best;
    len[g] -= best;
  }
  let n = 0;
  for (let r = 0; r < count; r++) {
    if (len[r] === 0) continue;
    a0[n] = a0[r];
    b0[n] = b0[r];
    len[n] = len[r];
    n++;
  }
  return { a0, b0, len, count: n };
}
