/**
 * Patience anchoring: elements that occur exactly once on each side of a range
 * are matched, and the longest run of such matches that is in the same order
 * on both sides (longest increasing subsequence) becomes the anchors. Between
 * anchors the problem is small and local, which is what keeps the word diff
 * of a 2 MB document proportional to what changed rather than to its size.
 */

type Keys = ArrayLike<number>;

/**
 * Anchors of a[aLo,aHi) vs b[bLo,bHi) as parallel arrays of indices, in
 * increasing order on both sides. Elements whose key is `skip` never anchor.
 */
export function uniqueAnchors(
  a: Keys,
  aLo: number,
  aHi: number,
  b: Keys,
  bLo: number,
  bHi: number,
  skip = Number.NaN,
): { a: Int32Array; b: Int32Array } {
  // Position of a key's only occurrence, or -1 once it has been seen twice.
  const inA = new Map<number, number>();
  for (let i = aLo; i < aHi; i++) {
    const k = a[i];
    if (k === skip) continue;
    inA.set(k, inA.has(k) ? -1 : i);
  }
  const inB = new Map<number, number>();
  for (let j = bLo; j < bHi; j++) {
    const k = b[j];
    const p = inA.get(k);
    if (p === undefined || p < 0) continue;
    inB.set(k, inB.has(k) ? -1 : j);
  }
  const candA: number[] = [];
  const candB: number[] = [];
  for (let i = aLo; i < aHi; i++) {
    const k = a[i];
    if (inA.get(k) !== i) continue;
    const j = inB.get(k);
    if (j !== undefined && j >= 0) {
      candA.push(i);
      candB.push(j);
    }
  }
  return longestIncreasing(candA, candB);
}

/** Longest subsequence of the pairs (sorted by a) whose b values increase: O(k log k). */
export function longestIncreasing(candA: number[], candB: number[]): { a: Int32Array; b: Int32Array } {
  const k = candA.length;
  const tails = new Int32Array(k); // index of the pair ending the best chain of each length
  const prev = new Int32Array(k);
  let len = 0;
  for (let t = 0; t < k; t++) {
    const v = candB[t];
    let lo = 0;
    let hi = len;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (candB[tails[mid]] < v) lo = mid + 1;
      else hi = mid;
    }
    prev[t] = lo > 0 ? tails[lo - 1] : -1;
    tails[lo] = t;
    if (lo === len) len++;
  }
  const outA = new Int32Array(len);
  const outB = new Int32Array(len);
  let t = len > 0 ? tails[len - 1] : -1;
  for (let p = len - 1; p >= 0; p--) {
    outA[p] = candA[t];
    outB[p] = candB[t];
    t = prev[t];
  }
  return { a: outA, b: outB };
}
