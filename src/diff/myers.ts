/**
 * Myers' O(ND) diff in linear space (the "middle snake" bisection, as in
 * diff-match-patch), on integer arrays, with hard limits.
 *
 * Memory is O(min(N+M, maxEditLength)) per level and the recursion is
 * O(log D) deep, so even two 2 MB token streams cannot exhaust memory; the
 * edit-distance cap and the work counter make a failed search cheap and its
 * cost predictable. On failure nothing is emitted and the caller falls back to
 * a coarser granularity.
 */
import type { Budget, Pairs } from './pairs.js';

type Seq = Int32Array;

/**
 * Scratch diagonals shared by every search: a search only needs them inside
 * one bisect call, and searches never nest, so one pair serves all (a fresh
 * pair per call made garbage collection a sixth of the run time).
 */
let scratch1 = new Int32Array(256);
let scratch2 = new Int32Array(256);

function diagonals(size: number): [Int32Array, Int32Array] {
  if (scratch1.length < size) {
    const n = Math.max(size, scratch1.length * 2);
    scratch1 = new Int32Array(n);
    scratch2 = new Int32Array(n);
  }
  scratch1.fill(-1, 0, size);
  scratch2.fill(-1, 0, size);
  return [scratch1, scratch2];
}

const SPLIT = 1;
const NONE = 0;
const FAIL = -1;

class Search {
  work: number;
  splitA = 0;
  splitB = 0;
  private sinceCheck = 0;

  constructor(
    private readonly a: Seq,
    private readonly b: Seq,
    private readonly out: Pairs,
    private readonly budget: Budget,
    private readonly halfD: number,
  ) {
    this.work = budget.workPerSearch;
  }

  private spend(n: number): boolean {
    this.work -= n;
    this.sinceCheck += n;
    if (this.sinceCheck > 65536) {
      // Settle with the diff-wide account in batches, and look at the clock.
      this.budget.workLeft -= this.sinceCheck;
      this.sinceCheck = 0;
      if (this.budget.workLeft < 0 || this.budget.expired()) return false;
    }
    return this.work >= 0;
  }

  /** Charges what is left unsettled to the diff-wide account. */
  settle(): void {
    this.budget.workLeft -= this.sinceCheck;
    this.sinceCheck = 0;
  }

  solve(aLo: number, aHi: number, bLo: number, bHi: number): boolean {
    const { a, b, out } = this;
    while (aLo < aHi && bLo < bHi && a[aLo] === b[bLo]) out.push(aLo++, bLo++);
    let aE = aHi;
    let bE = bHi;
    while (aE > aLo && bE > bLo && a[aE - 1] === b[bE - 1]) {
      aE--;
      bE--;
    }
    if (aLo < aE && bLo < bE) {
      const r = this.bisect(aLo, aE, bLo, bE);
      if (r === FAIL) return false;
      if (r === SPLIT) {
        const x = this.splitA;
        const y = this.splitB;
        if (!this.solve(aLo, x, bLo, y) || !this.solve(x, aE, y, bE)) return false;
      }
    }
    for (let k = 0; k < aHi - aE; k++) out.push(aE + k, bE + k);
    return true;
  }

  /** Finds the middle snake of a[aLo,aHi) vs b[bLo,bHi); both ranges are non-empty. */
  private bisect(aLo: number, aHi: number, bLo: number, bHi: number): number {
    const { a, b } = this;
    const n = aHi - aLo;
    const m = bHi - bLo;
    const fullD = Math.ceil((n + m) / 2);
    const maxd = Math.min(fullD, this.halfD);
    const vOff = maxd;
    const vLen = 2 * maxd + 2;
    const [v1, v2] = diagonals(vLen);
    v1[vOff + 1] = 0;
    v2[vOff + 1] = 0;
    const delta = n - m;
    const front = (delta & 1) !== 0;
    let k1start = 0;
    let k1end = 0;
    let k2start = 0;
    let k2end = 0;
    for (let d = 0; d < maxd; d++) {
      if (!this.spend(2 * d + 2)) return FAIL;
      for (let k1 = -d + k1start; k1 <= d - k1end; k1 += 2) {
        const k1o = vOff + k1;
        let x1 = k1 === -d || (k1 !== d && v1[k1o - 1] < v1[k1o + 1]) ? v1[k1o + 1] : v1[k1o - 1] + 1;
        let y1 = x1 - k1;
        const x0 = x1;
        while (x1 < n && y1 < m && a[aLo + x1] === b[bLo + y1]) {
          x1++;
          y1++;
        }
        if (x1 - x0 > 0 && !this.spend(x1 - x0)) return FAIL;
        v1[k1o] = x1;
        if (x1 > n) k1end += 2;
        else if (y1 > m) k1start += 2;
        else if (front) {
          const k2o = vOff + delta - k1;
          if (k2o >= 0 && k2o < vLen && v2[k2o] !== -1 && x1 >= n - v2[k2o]) {
            this.splitA = aLo + x1;
            this.splitB = bLo + y1;
            return SPLIT;
          }
        }
      }
      for (let k2 = -d + k2start; k2 <= d - k2end; k2 += 2) {
        const k2o = vOff + k2;
        let x2 = k2 === -d || (k2 !== d && v2[k2o - 1] < v2[k2o + 1]) ? v2[k2o + 1] : v2[k2o - 1] + 1;
        let y2 = x2 - k2;
        const x0 = x2;
        while (x2 < n && y2 < m && a[aHi - x2 - 1] === b[bHi - y2 - 1]) {
          x2++;
          y2++;
        }
        if (x2 - x0 > 0 && !this.spend(x2 - x0)) return FAIL;
        v2[k2o] = x2;
        if (x2 > n) k2end += 2;
        else if (y2 > m) k2start += 2;
        else if (!front) {
          const k1o = vOff + delta - k2;
          if (k1o >= 0 && k1o < vLen && v1[k1o] !== -1) {
            const x1 = v1[k1o];
            if (x1 >= n - x2) {
              this.splitA = aLo + x1;
              this.splitB = bLo + x1 - (k1o - vOff);
              return SPLIT;
            }
          }
        }
      }
    }
    // Exhausting the full range means the two sides share nothing at all.
    return maxd === fullD ? NONE : FAIL;
  }
}

/**
 * Appends to `out` the pairs of a longest common subsequence of
 * a[aLo,aHi) and b[bLo,bHi), or returns false (emitting nothing) when the
 * edit distance exceeds `maxEditLength` or the work/time budget runs out.
 */
export function myers(
  a: Seq,
  aLo: number,
  aHi: number,
  b: Seq,
  bLo: number,
  bHi: number,
  out: Pairs,
  budget: Budget,
  maxEditLength = budget.maxEditLength,
): boolean {
  const mark = out.length;
  const search = new Search(a, b, out, budget, Math.ceil(maxEditLength / 2) + 1);
  const ok = budget.workLeft > 0 && search.solve(aLo, aHi, bLo, bHi);
  search.settle();
  if (!ok) out.length = mark;
  return ok;
}
