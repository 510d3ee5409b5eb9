/**
 * Word-level alignment of one changed region, in layers:
 *   1. equal prefix/suffix tokens are matched directly;
 *   2. large ranges are cut into sentences ("chunks") and sentences that occur
 *      once on each side anchor the alignment (patience), recursively; then
 *      words that occur once on each side do the same inside what is left;
 *   3. what lies between anchors is diffed token by token with Myers, bounded,
 *      after dropping tokens found on one side only;
 *   4. if that gives up, the range is aligned sentence by sentence (Myers over
 *      sentence ids) and only the unmatched sentences are word-diffed;
 *   5. if even that gives up, the range is left unmatched (whole paragraphs
 *      out, whole paragraphs in) and recorded as degraded.
 */
import { myers } from './myers.js';
import { Pairs, type Budget } from './pairs.js';
import { longestIncreasing, uniqueAnchors } from './patience.js';
import type { Tokens } from './tokens.js';

/** Below this many tokens (both sides) plain Myers is cheap enough without sentence anchoring. */
const ANCHOR_MIN = 400;
/** Above this many tokens, words unique on both sides anchor before Myers runs (patience diff on words). */
const WORD_ANCHOR_MIN = 40;
/** Below this, filtering out one-sided tokens costs more than it saves. */
const FILTER_MIN = 24;
/**
 * When less than this share of a stretch's tokens (within one paragraph on
 * each side) occur on both sides, the two sides are different sentences: the
 * only matches a minimal diff could find are scattered common words ("the",
 * "of", ","), which the semantic cleanup would fold away again, so the search
 * is skipped and the stretch is one replacement. (Git's xdiff takes similar
 * shortcuts.)
 */
const MIN_SHARED = 0.5;
const MAX_ANCHOR_DEPTH = 6;

export interface Unresolved {
  aLo: number;
  aHi: number;
  bLo: number;
  bHi: number;
  granularity: 'sentence' | 'paragraph';
  reason: string;
}

interface Chunks {
  start: number[];
  end: number[];
  hash: Float64Array;
}

/**
 * Sentence-like chunks of t[lo,hi): a chunk ends after sentence punctuation,
 * or after a token whose id hashes to 0 mod 16 (content-defined, so text
 * without punctuation still falls into chunks that survive insertions).
 */
function chunks(t: Tokens, lo: number, hi: number): Chunks {
  const start: number[] = [];
  const end: number[] = [];
  const hashes: number[] = [];
  let s = lo;
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = lo; i < hi; i++) {
    const id = t.id[i];
    h1 = Math.imul(h1 ^ id, 0x01000193);
    h2 = Math.imul(h2 + id + 0x9e3779b9, 0x5bd1e995);
    h2 ^= h2 >>> 15;
    const cut = t.isSentenceEnd(i) || (Math.imul(id + 0x61c88647, 0x85ebca6b) >>> 28) === 0;
    if (cut || i === hi - 1) {
      start.push(s);
      end.push(i + 1);
      // 32 + 21 bits: exact in a double; equal hashes are still verified before use.
      hashes.push((h1 >>> 0) * 2097152 + (h2 >>> 11));
      s = i + 1;
      h1 = 0x811c9dc5;
      h2 = 0x9747b28c;
    }
  }
  return { start, end, hash: Float64Array.from(hashes) };
}

/**
 * Per-token-id scratch reused across regions of one diff (ids are dense), so
 * filtering or counting a range costs no allocation proportional to the
 * vocabulary. An entry is valid only when its stamp is the current one.
 */
export class Marks {
  a: Int32Array = new Int32Array(1024);
  b: Int32Array = new Int32Array(1024);
  countA: Int32Array = new Int32Array(1024);
  countB: Int32Array = new Int32Array(1024);
  posA: Int32Array = new Int32Array(1024);
  posB: Int32Array = new Int32Array(1024);
  stamp = 0;

  reserve(size: number): void {
    if (size <= this.a.length) return;
    const n = Math.max(size, this.a.length * 2);
    const grow = (x: Int32Array): Int32Array => {
      const y = new Int32Array(n);
      y.set(x);
      return y;
    };
    this.a = grow(this.a);
    this.b = grow(this.b);
    this.countA = grow(this.countA);
    this.countB = grow(this.countB);
    this.posA = grow(this.posA);
    this.posB = grow(this.posB);
  }
}

export class TokenAligner {
  readonly unresolved: Unresolved[] = [];

  constructor(
    private readonly A: Tokens,
    private readonly B: Tokens,
    private readonly budget: Budget,
    private readonly marks: Marks = new Marks(),
    /** Receives the matched pairs; reset here so one buffer serves every region. */
    readonly out: Pairs = new Pairs(256),
  ) {
    out.length = 0;
  }

  /** Patience anchors over token ids: words that occur exactly once in each range, longest in-order run. */
  private uniqueWords(aLo: number, aHi: number, bLo: number, bHi: number): { a: Int32Array; b: Int32Array } {
    const { A, B, marks } = this;
    marks.reserve(Math.max(A.maxId(), B.maxId()) + 1);
    const stamp = ++marks.stamp;
    for (let i = aLo; i < aHi; i++) {
      const id = A.id[i];
      if (marks.a[id] !== stamp) {
        marks.a[id] = stamp;
        marks.countA[id] = 1;
        marks.posA[id] = i;
      } else marks.countA[id]++;
    }
    for (let j = bLo; j < bHi; j++) {
      const id = B.id[j];
      if (marks.a[id] !== stamp || marks.countA[id] !== 1) continue;
      if (marks.b[id] !== stamp) {
        marks.b[id] = stamp;
        marks.countB[id] = 1;
        marks.posB[id] = j;
      } else marks.countB[id]++;
    }
    const candA: number[] = [];
    const candB: number[] = [];
    for (let i = aLo; i < aHi; i++) {
      const id = A.id[i];
      if (marks.countA[id] === 1 && marks.b[id] === stamp && marks.countB[id] === 1) {
        candA.push(i);
        candB.push(marks.posB[id]);
      }
    }
    return longestIncreasing(candA, candB);
  }

  /**
   * Myers on the range after dropping tokens that occur on one side only
   * (they can never match; as in git's xdiff): exact, and a rewrite's
   * one-sided words no longer cost search steps.
   */
  private lcs(aLo: number, aHi: number, bLo: number, bHi: number): boolean {
    const { A, B, budget, marks } = this;
    if (aHi - aLo + (bHi - bLo) < FILTER_MIN) return myers(A.id, aLo, aHi, B.id, bLo, bHi, this.out, budget);
    marks.reserve(Math.max(A.maxId(), B.maxId()) + 1);
    const stamp = ++marks.stamp;
    for (let j = bLo; j < bHi; j++) marks.b[B.id[j]] = stamp;
    for (let i = aLo; i < aHi; i++) marks.a[A.id[i]] = stamp;
    const ra = new Int32Array(aHi - aLo);
    const rb = new Int32Array(bHi - bLo);
    let na = 0;
    let nb = 0;
    for (let i = aLo; i < aHi; i++) if (marks.b[A.id[i]] === stamp) ra[na++] = i;
    for (let j = bLo; j < bHi; j++) if (marks.a[B.id[j]] === stamp) rb[nb++] = j;
    if (na === 0 || nb === 0) return true;
    // Only within one paragraph a side: across several, a low share can hide one paragraph's small edit.
    const oneParagraph = A.para[aLo] === A.para[aHi - 1] && B.para[bLo] === B.para[bHi - 1];
    if (oneParagraph && na + nb < MIN_SHARED * (aHi - aLo + (bHi - bLo))) return true;
    if (na === aHi - aLo && nb === bHi - bLo) return myers(A.id, aLo, aHi, B.id, bLo, bHi, this.out, budget);
    const ia = new Int32Array(na);
    const ib = new Int32Array(nb);
    for (let k = 0; k < na; k++) ia[k] = A.id[ra[k]];
    for (let k = 0; k < nb; k++) ib[k] = B.id[rb[k]];
    const tmp = new Pairs(Math.min(na, nb) + 1);
    if (!myers(ia, 0, na, ib, 0, nb, tmp, budget)) return false;
    for (let k = 0; k < tmp.length; k++) this.out.push(ra[tmp.a[k]], rb[tmp.b[k]]);
    return true;
  }

  private sameChunk(ca: Chunks, x: number, cb: Chunks, y: number): boolean {
    const len = ca.end[x] - ca.start[x];
    if (len !== cb.end[y] - cb.start[y]) return false;
    for (let k = 0; k < len; k++) if (this.A.id[ca.start[x] + k] !== this.B.id[cb.start[y] + k]) return false;
    return true;
  }

  private pushRun(aLo: number, bLo: number, len: number): void {
    for (let k = 0; k < len; k++) this.out.push(aLo + k, bLo + k);
  }

  private giveUp(aLo: number, aHi: number, bLo: number, bHi: number, granularity: Unresolved['granularity']): void {
    const reason = this.budget.timedOut
      ? 'time budget exhausted'
      : this.budget.workLeft <= 0
        ? 'search budget for the whole diff exhausted'
        : `word diff exceeded maxEditLength ${this.budget.maxEditLength} or its search limit`;
    this.unresolved.push({ aLo, aHi, bLo, bHi, granularity, reason });
  }

  /** Aligns A[aLo,aHi) with B[bLo,bHi), appending matched pairs in order. */
  align(aLo: number, aHi: number, bLo: number, bHi: number, depth = 0): void {
    const { A, B, out } = this;
    while (aLo < aHi && bLo < bHi && A.id[aLo] === B.id[bLo]) out.push(aLo++, bLo++);
    let aE = aHi;
    let bE = bHi;
    while (aE > aLo && bE > bLo && A.id[aE - 1] === B.id[bE - 1]) {
      aE--;
      bE--;
    }
    if (aLo < aE && bLo < bE) this.middle(aLo, aE, bLo, bE, depth);
    this.pushRun(aE, bE, aHi - aE);
  }

  private middle(aLo: number, aHi: number, bLo: number, bHi: number, depth: number): void {
    const { A, B, budget } = this;
    if (budget.workLeft <= 0 || budget.expired()) {
      this.giveUp(aLo, aHi, bLo, bHi, 'paragraph');
      return;
    }
    if (aHi - aLo + (bHi - bLo) > ANCHOR_MIN && depth < MAX_ANCHOR_DEPTH) {
      const ca = chunks(A, aLo, aHi);
      const cb = chunks(B, bLo, bHi);
      const anchors = uniqueAnchors(ca.hash, 0, ca.hash.length, cb.hash, 0, cb.hash.length, (x) => ca.end[x] - ca.start[x]);
      let pa = aLo;
      let pb = bLo;
      let used = 0;
      for (let k = 0; k < anchors.a.length; k++) {
        const x = anchors.a[k];
        const y = anchors.b[k];
        if (!this.sameChunk(ca, x, cb, y)) continue;
        this.align(pa, ca.start[x], pb, cb.start[y], depth + 1);
        this.pushRun(ca.start[x], cb.start[y], ca.end[x] - ca.start[x]);
        pa = ca.end[x];
        pb = cb.end[y];
        used++;
      }
      if (used > 0) {
        this.align(pa, aHi, pb, bHi, depth + 1);
        return;
      }
    }
    if (aHi - aLo + (bHi - bLo) > WORD_ANCHOR_MIN && depth < MAX_ANCHOR_DEPTH) {
      const anchors = this.uniqueWords(aLo, aHi, bLo, bHi);
      if (anchors.a.length > 0) {
        let pa = aLo;
        let pb = bLo;
        for (let k = 0; k < anchors.a.length; k++) {
          this.align(pa, anchors.a[k], pb, anchors.b[k], depth + 1);
          this.out.push(anchors.a[k], anchors.b[k]);
          pa = anchors.a[k] + 1;
          pb = anchors.b[k] + 1;
        }
        this.align(pa, aHi, pb, bHi, depth + 1);
        return;
      }
    }
    if (this.lcs(aLo, aHi, bLo, bHi)) return;
    this.bySentence(aLo, aHi, bLo, bHi);
  }

  /** Fallback: align whole sentences, then word-diff only the unmatched ones. */
  private bySentence(aLo: number, aHi: number, bLo: number, bHi: number): void {
    const { A, B, budget } = this;
    const ca = chunks(A, aLo, aHi);
    const cb = chunks(B, bLo, bHi);
    const dense = new Map<number, number>();
    const ids = (c: Chunks): Int32Array =>
      Int32Array.from(c.hash, (h) => {
        let v = dense.get(h);
        if (v === undefined) dense.set(h, (v = dense.size));
        return v;
      });
    const ia = ids(ca);
    const ib = ids(cb);
    const cp = new Pairs(64);
    if (budget.expired() || !myers(ia, 0, ia.length, ib, 0, ib.length, cp, budget)) {
      this.giveUp(aLo, aHi, bLo, bHi, 'paragraph');
      return;
    }
    let pa = aLo;
    let pb = bLo;
    for (let k = 0; k < cp.length; k++) {
      const x = cp.a[k];
      const y = cp.b[k];
      if (!this.sameChunk(ca, x, cb, y)) continue;
      this.between(pa, ca.start[x], pb, cb.start[y]);
      this.pushRun(ca.start[x], cb.start[y], ca.end[x] - ca.start[x]);
      pa = ca.end[x];
      pb = cb.end[y];
    }
    this.between(pa, aHi, pb, bHi);
  }

  private between(aLo: number, aHi: number, bLo: number, bHi: number): void {
    if (aLo >= aHi || bLo >= bHi) return; // a pure insertion or deletion is exact as it is
    if (this.budget.expired() || !this.lcs(aLo, aHi, bLo, bHi)) {
      this.giveUp(aLo, aHi, bLo, bHi, 'sentence');
    }
  }
}
