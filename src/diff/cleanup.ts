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

/** Prefix sums of token weights (characters plus one for the gap), so any range's weight is O(1). */
function weights(t: Tokens): Float64Array {
  const w = new Float64Array(t.count + 1);
  for (let i = 0; i < t.count; i++) w[i + 1] = w[i] + (t.end[i] - t.start[i]) + 1;
  return w;
}

export function equalRuns(pairs: Pairs, A: Tokens, B: Tokens, semantic = true): EqualRuns {
  const a0: number[] = [];
  const b0: number[] = [];
  const len: number[] = [];
  for (let k = 0; k < pairs.length; k++) {
    const i = pairs.a[k];
    const j = pairs.b[k];
    const r = len.length - 1;
    if (r >= 0 && a0[r] + len[r] === i && b0[r] + len[r] === j) len[r]++;
    else {
      a0.push(i);
      b0.push(j);
      len.push(1);
    }
  }
  const n = len.length;
  if (!semantic || n === 0) return { a0: Int32Array.from(a0), b0: Int32Array.from(b0), len: Int32Array.from(len), count: n };

  const wA = weights(A);
  const wB = weights(B);
  // Doubly linked list over runs; indices -1 and n are the region's edges.
  const prev = new Int32Array(n);
  const next = new Int32Array(n);
  const alive = new Uint8Array(n).fill(1);
  for (let r = 0; r < n; r++) {
    prev[r] = r - 1;
    next[r] = r + 1;
  }
  const endA = (r: number): number => (r < 0 ? 0 : a0[r] + len[r]);
  const endB = (r: number): number => (r < 0 ? 0 : b0[r] + len[r]);
  const startA = (r: number): number => (r >= n ? A.count : a0[r]);
  const startB = (r: number): number => (r >= n ? B.count : b0[r]);

  let r = 0;
  while (r < n) {
    const p = prev[r];
    const q = next[r];
    const self = wA[a0[r] + len[r]] - wA[a0[r]];
    const left = Math.max(wA[startA(r)] - wA[endA(p)], wB[startB(r)] - wB[endB(p)]);
    const right = Math.max(wA[startA(q)] - wA[endA(r)], wB[startB(q)] - wB[endB(r)]);
    if (self <= left && self <= right) {
      alive[r] = 0;
      if (p >= 0) next[p] = q;
      if (q < n) prev[q] = p;
      // The run before now borders a larger edit: look at it again.
      r = p >= 0 ? p : q;
    } else r = q;
  }

  const ra: number[] = [];
  const rb: number[] = [];
  const rl: number[] = [];
  for (let k = 0; k < n; k++) {
    if (!alive[k]) continue;
    ra.push(a0[k]);
    rb.push(b0[k]);
    rl.push(len[k]);
  }
  return { a0: Int32Array.from(ra), b0: Int32Array.from(rb), len: Int32Array.from(rl), count: rl.length };
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
