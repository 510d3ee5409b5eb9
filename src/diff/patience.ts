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
 * increasing order on both sides. `weight(i)` (of a's index) prefers heavy anchors.
 */
export function uniqueAnchors(
  a: Keys,
  aLo: number,
  aHi: number,
  b: Keys,
  bLo: number,
  bHi: number,
  weight?: (i: number) => number,
): { a: Int32Array; b: Int32Array } {
  // Position of a key's only occurrence, or -1 once it has been seen twice.
  const inA = new Map<number, number>();
  for (let i = aLo; i < aHi; i++) {
    const k = a[i];
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
  return weight ? heaviestIncreasing(candA, candB, candA.map(weight)) : longestIncreasing(candA, candB);
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

/**
 * Subsequence of the pairs (sorted by a, b values distinct) with increasing b
 * and the largest total weight: O(k log k) with a Fenwick tree of prefix maxima.
 */
export function heaviestIncreasing(candA: number[], candB: number[], w: number[]): { a: Int32Array; b: Int32Array } {
  const k = candA.length;
  let sorted = true;
  for (let t = 1; t < k && sorted; t++) sorted = candB[t] > candB[t - 1];
  // The usual case: every unique match is already in order, so all of them anchor.
  if (sorted) return { a: Int32Array.from(candA), b: Int32Array.from(candB) };
  // Ranks of the b values by a counting pass (they are distinct positions in a bounded range).
  let lo = Infinity;
  let hi = -Infinity;
  for (let t = 0; t < k; t++) {
    if (candB[t] < lo) lo = candB[t];
    if (candB[t] > hi) hi = candB[t];
  }
  const slot = new Int32Array(hi - lo + 1);
  for (let t = 0; t < k; t++) slot[candB[t] - lo] = t + 1;
  const rank = new Int32Array(k);
  let next = 0;
  for (let s = 0; s < slot.length; s++) if (slot[s] > 0) rank[slot[s] - 1] = ++next;
  const treeBest = new Float64Array(k + 1);
  const treeAt = new Int32Array(k + 1).fill(-1);
  const best = new Float64Array(k);
  const prev = new Int32Array(k);
  let top = -1;
  for (let t = 0; t < k; t++) {
    let bestBefore = 0;
    let at = -1;
    for (let r = rank[t] - 1; r > 0; r -= r & -r) {
      if (treeBest[r] > bestBefore) {
        bestBefore = treeBest[r];
        at = treeAt[r];
      }
    }
    best[t] = bestBefore + w[t];
    prev[t] = at;
    for (let r = rank[t]; r <= k; r += r & -r) {
      if (best[t] > treeBest[r]) {
        treeBest[r] = best[t];
        treeAt[r] = t;
      }
    }
    if (top < 0 || best[t] > best[top]) top = t;
  }
  const chain: number[] = [];
  for (let t = top; t >= 0; t = prev[t]) chain.push(t);
  chain.reverse();
  return { a: Int32Array.from(chain, (t) => candA[t]), b: Int32Array.from(chain, (t) => candB[t]) };
}
