/**
 * One changed region: the paragraphs between two paragraph-level anchors.
 *
 * The common beginning and end are found by walking characters (whitespace
 * runs compare equal whatever their spacing or line breaks), so only the
 * stretch that really differs is tokenized and aligned: a one-word edit in a
 * long paragraph costs a few dozen tokens, not the paragraph. Then the middle
 * is aligned word by word, cleaned of chaff, written to the edit script and
 * turned into changes.
 */
import { TokenAligner, type Marks } from './align-tokens.js';
import { addHunk, type ChangeList, type Edge, type HunkSides } from './changes.js';
import { isSpace, rawPrefix, rawSuffix, sameRange } from './chars.js';
import { equalRuns, slideEdits } from './cleanup.js';
import type { Budget, Pairs } from './pairs.js';
import { blockStart, type Layout } from './paragraphs.js';
import type { ScriptBuilder } from './script.js';
import { Tokens, type Interner } from './tokens.js';
import type { DegradedRegion } from './types.js';

export interface DiffContext {
  A: Layout;
  B: Layout;
  interner: Interner;
  budget: Budget;
  script: ScriptBuilder;
  changes: ChangeList;
  /** Per paragraph: index of the exact move it belongs to, or -1. Moved paragraphs are not word-diffed. */
  movedA: Int32Array;
  movedB: Int32Array;
  contextWords: number;
  degraded: DegradedRegion[];
  marks: Marks;
  /** Reused for every region: allocation per region was a tenth of the run time on 2 MB inputs. */
  tokensA: Tokens;
  tokensB: Tokens;
  pairs: Pairs;
}

/**
 * Snap points must be token boundaries on both sides. A whitespace run start
 * is one, except inside a date ("October 3, 2017" holds two runs), so the
 * walk backs off three runs from the first difference.
 */
const SNAP_RUNS = 3;

/** End of the equal beginning of a[aS,aLim) and b[bS,bLim); `all` when nothing differs. */
function commonPrefix(a: string, aS: number, aLim: number, b: string, bS: number, bLim: number) {
  // Jump over the byte-identical beginning, then step back to the start of the
  // whitespace run we may be in, so the walk below sees whole runs.
  let i = aS + rawPrefix(a, aS, aLim, b, bS, bLim);
  while (i > aS && isSpace(a.charCodeAt(i - 1))) i--;
  let j = bS + (i - aS);
  // The last three whitespace-run starts before i (identical offsets on both sides).
  const ringA = [aS, aS, aS];
  const ringB = [bS, bS, bS];
  let r = 0;
  let found = 0;
  for (let p = i - 1; p > aS && found < SNAP_RUNS; p--) {
    if (isSpace(a.charCodeAt(p)) && !isSpace(a.charCodeAt(p - 1))) {
      found++;
      ringA[SNAP_RUNS - found] = p;
      ringB[SNAP_RUNS - found] = bS + (p - aS);
    }
  }
  while (i < aLim && j < bLim) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    const wa = isSpace(ca);
    const wb = isSpace(cb);
    if (wa && wb) {
      ringA[r] = i;
      ringB[r] = j;
      r = (r + 1) % SNAP_RUNS;
      while (i < aLim && isSpace(a.charCodeAt(i))) i++;
      while (j < bLim && isSpace(b.charCodeAt(j))) j++;
      continue;
    }
    if (wa || wb || ca !== cb) break;
    i++;
    j++;
  }
  while (i < aLim && isSpace(a.charCodeAt(i))) i++;
  while (j < bLim && isSpace(b.charCodeAt(j))) j++;
  if (i === aLim && j === bLim) return { a: aLim, b: bLim, all: true };
  return { a: ringA[r], b: ringB[r], all: false };
}

/** Start of the equal end of a[aLo,aE) and b[bLo,bE), always at a whitespace run (or the ends). */
function commonSuffix(a: string, aLo: number, aE: number, b: string, bLo: number, bE: number) {
  const k = rawSuffix(a, aLo, aE, b, bLo, bE);
  let i = aE - k;
  let j = bE - k;
  // The three whitespace-run starts nearest after i; the walk below records older ones.
  const ringA = [aE, aE, aE];
  const ringB = [bE, bE, bE];
  let r = 0;
  const near: number[] = [];
  for (let p = i; p < aE && near.length < SNAP_RUNS; p++) {
    if (isSpace(a.charCodeAt(p)) && (p === i || !isSpace(a.charCodeAt(p - 1)))) near.push(p);
  }
  // Ring order: oldest recorded (farthest from i) first, so r points at the oldest.
  for (let n = near.length - 1, slot = SNAP_RUNS - near.length; n >= 0; n--, slot++) {
    ringA[slot] = near[n];
    ringB[slot] = bE - (aE - near[n]);
  }
  while (i > aLo && j > bLo) {
    const ca = a.charCodeAt(i - 1);
    const cb = b.charCodeAt(j - 1);
    const wa = isSpace(ca);
    const wb = isSpace(cb);
    if (wa && wb) {
      while (i > aLo && isSpace(a.charCodeAt(i - 1))) i--;
      while (j > bLo && isSpace(b.charCodeAt(j - 1))) j--;
      ringA[r] = i;
      ringB[r] = j;
      r = (r + 1) % SNAP_RUNS;
      continue;
    }
    if (wa || wb || ca !== cb) break;
    i--;
    j--;
  }
  return { a: ringA[r], b: ringB[r] };
}

function firstMoved(moved: Int32Array, from: number, to: number): number {
  for (let p = from; p < to; p++) if (moved[p] >= 0) return p;
  return -1;
}

function lastMoved(moved: Int32Array, from: number, to: number): number {
  for (let p = to - 1; p >= from; p--) if (moved[p] >= 0) return p;
  return -1;
}

function tokenizeMiddle(t: Tokens, layout: Layout, moved: Int32Array, p0: number, p1: number, s: number, e: number) {
  for (let p = p0; p < p1; p++) {
    if (moved[p] >= 0 || layout.ends[p] <= s) continue;
    if (layout.starts[p] >= e) break;
    t.add(Math.max(layout.starts[p], s), Math.min(layout.ends[p], e), p);
  }
}

function skipSpace(text: string, i: number, end: number): number {
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Diffs paragraphs [i0,i1) of A against [j0,j1) of B, emitting script entries and changes. */
export function diffRegion(ctx: DiffContext, i0: number, i1: number, j0: number, j1: number): void {
  const { A, B, script } = ctx;
  const a = A.text;
  const b = B.text;
  const aS = blockStart(A, i0);
  const aE = blockStart(A, i1);
  const bS = blockStart(B, j0);
  const bE = blockStart(B, j1);

  // Moved paragraphs are reported as moves, so the equal walk must not cross them.
  const fmA = firstMoved(ctx.movedA, i0, i1);
  const fmB = firstMoved(ctx.movedB, j0, j1);
  const pre = commonPrefix(a, aS, fmA >= 0 ? A.starts[fmA] : aE, b, bS, fmB >= 0 ? B.starts[fmB] : bE);
  if (pre.all && fmA < 0 && fmB < 0) {
    script.equalIgnoringSpace(aS, aE, bS, bE);
    return;
  }
  const lmA = lastMoved(ctx.movedA, i0, i1);
  const lmB = lastMoved(ctx.movedB, j0, j1);
  const lowA = Math.max(pre.a, lmA >= 0 ? A.ends[lmA] : pre.a);
  const lowB = Math.max(pre.b, lmB >= 0 ? B.ends[lmB] : pre.b);
  const suf = commonSuffix(a, lowA, aE, b, lowB, bE);

  const TA = ctx.tokensA;
  const TB = ctx.tokensB;
  TA.reset();
  TB.reset();
  tokenizeMiddle(TA, A, ctx.movedA, i0, i1, pre.a, suf.a);
  tokenizeMiddle(TB, B, ctx.movedB, j0, j1, pre.b, suf.b);

  const aligner = new TokenAligner(TA, TB, ctx.budget, ctx.marks, ctx.pairs);
  aligner.align(0, TA.count, 0, TB.count);
  for (const u of aligner.unresolved) {
    const region: DegradedRegion = { granularity: u.granularity, reason: u.reason };
    if (u.aHi > u.aLo) region.beforeParagraphs = [TA.para[u.aLo], TA.para[u.aHi - 1]];
    if (u.bHi > u.bLo) region.afterParagraphs = [TB.para[u.bLo], TB.para[u.bHi - 1]];
    ctx.degraded.push(region);
  }
  const runs = slideEdits(equalRuns(aligner.out, TA, TB), TA, TB, A, B);

  const sides: HunkSides = { A: TA, B: TB, layoutA: A, layoutB: B, contextWords: ctx.contextWords, origin: { a: aS, b: bS } };
  script.equalIgnoringSpace(aS, pre.a, bS, pre.b);
  let posA = pre.a;
  let posB = pre.b;
  let prev: Edge | null = pre.a > aS ? { a: pre.a, b: pre.b } : null;
  let ta = 0;
  let tb = 0;
  for (let r = 0; r < runs.count; r++) {
    const x = runs.a0[r];
    const y = runs.b0[r];
    const len = runs.len[r];
    if (x > ta || y > tb) addHunk(ctx.changes, sides, ta, x, tb, y, prev, { a: TA.start[x], b: TB.start[y] });
    script.between(posA, TA.start[x], posB, TB.start[y]);
    const ra0 = TA.start[x];
    const ra1 = TA.end[x + len - 1];
    const rb0 = TB.start[y];
    const rb1 = TB.end[y + len - 1];
    if (ra1 - ra0 === rb1 - rb0 && sameRange(a, ra0, b, rb0, ra1 - ra0)) script.eq(ra0, ra1);
    else {
      for (let k = 0; k < len; k++) {
        if (k > 0) script.between(TA.end[x + k - 1], TA.start[x + k], TB.end[y + k - 1], TB.start[y + k]);
        script.equalIgnoringSpace(TA.start[x + k], TA.end[x + k], TB.start[y + k], TB.end[y + k]);
      }
    }
    posA = ra1;
    posB = rb1;
    prev = { a: ra1, b: rb1 };
    ta = x + len;
    tb = y + len;
  }
  if (ta < TA.count || tb < TB.count) {
    const next = suf.a < aE ? { a: skipSpace(a, suf.a, aE), b: skipSpace(b, suf.b, bE) } : null;
    addHunk(ctx.changes, sides, ta, TA.count, tb, TB.count, prev, next && next.a < aE && next.b < bE ? next : null);
  }
  script.between(posA, suf.a, posB, suf.b);
  script.equalIgnoringSpace(suf.a, aE, suf.b, bE);
}
