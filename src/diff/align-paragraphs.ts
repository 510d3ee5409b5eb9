/**
 * Paragraph-level alignment: equal paragraphs (by whitespace-insensitive key)
 * at the start and end are matched, then paragraphs unique on both sides
 * anchor the rest (patience), recursively; between anchors a bounded Myers
 * over paragraph ids matches repeated paragraphs. Whatever stays unmatched
 * is a changed region for the word diff.
 */
import { myers } from './myers.js';
import { Pairs, type Budget } from './pairs.js';
import { uniqueAnchors } from './patience.js';

const MAX_DEPTH = 24;

/** `weight(i)`: size of paragraph i of the old text, so long paragraphs win the anchoring. */
export function alignParagraphs(a: Int32Array, b: Int32Array, budget: Budget, weight: (i: number) => number): Pairs {
  const out = new Pairs(Math.max(16, Math.min(a.length, b.length)));
  const rec = (aLo: number, aHi: number, bLo: number, bHi: number, depth: number): void => {
    while (aLo < aHi && bLo < bHi && a[aLo] === b[bLo]) out.push(aLo++, bLo++);
    let aE = aHi;
    let bE = bHi;
    while (aE > aLo && bE > bLo && a[aE - 1] === b[bE - 1]) {
      aE--;
      bE--;
    }
    if (aLo < aE && bLo < bE) {
      const anchors = depth < MAX_DEPTH ? uniqueAnchors(a, aLo, aE, b, bLo, bE, weight) : { a: new Int32Array(0), b: new Int32Array(0) };
      if (anchors.a.length > 0) {
        let pa = aLo;
        let pb = bLo;
        for (let k = 0; k < anchors.a.length; k++) {
          rec(pa, anchors.a[k], pb, anchors.b[k], depth + 1);
          out.push(anchors.a[k], anchors.b[k]);
          pa = anchors.a[k] + 1;
          pb = anchors.b[k] + 1;
        }
        rec(pa, aE, pb, bE, depth + 1);
      } else if (!budget.expired()) {
        // If even this fails the range stays one region; the word diff copes or degrades.
        myers(a, aLo, aE, b, bLo, bE, out, budget);
      }
    }
    for (let k = 0; k < aHi - aE; k++) out.push(aE + k, bE + k);
  };
  rec(0, a.length, 0, b.length, 0);
  return out;
}
