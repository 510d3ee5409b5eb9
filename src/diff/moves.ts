/**
 * Move detection. A paragraph that disappears in one place and appears in
 * another is one `move` change (with its inner word edits), not a deletion
 * plus an unrelated insertion.
 *   - exact moves: unmatched paragraphs with the same comparison key, found
 *     before the word diff so the moved text does not pollute it;
 *   - edited moves: whole-paragraph deletions and insertions whose words are
 *     similar (Dice ≥ 0.6), found after the word diff. Candidates come from an
 *     index of rare words, so the cost stays bounded on large documents.
 */
import { TokenAligner } from './align-tokens.js';
import type { ChangeList } from './changes.js';
import { contextEnd } from './changes.js';
import { equalRuns } from './cleanup.js';
import type { Budget } from './pairs.js';
import type { Layout } from './paragraphs.js';
import { KIND_PUNCT, countWords } from './tokenize.js';
import { Tokens, type Interner } from './tokens.js';
import type { Change, Segment } from './types.js';

/** Shorter paragraphs ("Background", "Contact") recur too often for a move to mean anything. */
export const MIN_MOVE_WORDS = 4;
const MIN_SIMILARITY = 0.6;
/** A word in more candidate paragraphs than this is too common to suggest a pairing. */
const MAX_POSTINGS = 48;
const CANDIDATES_PER_PARAGRAPH = 6;
const MAX_POSTING_VISITS = 2_000_000;

/** Pairs (a paragraph, b paragraph) of unmatched paragraphs with equal keys, in order. */
export function exactMoves(
  B: Layout,
  keysA: Int32Array,
  keysB: Int32Array,
  matchedA: Uint8Array,
  matchedB: Uint8Array,
): [number, number][] {
  const pool = new Map<number, number[]>();
  for (let p = 0; p < keysA.length; p++) {
    if (matchedA[p]) continue;
    const list = pool.get(keysA[p]);
    if (list) list.push(p);
    else pool.set(keysA[p], [p]);
  }
  const out: [number, number][] = [];
  const taken = new Map<number, number>();
  for (let q = 0; q < keysB.length; q++) {
    if (matchedB[q]) continue;
    const list = pool.get(keysB[q]);
    if (!list) continue;
    const used = taken.get(keysB[q]) ?? 0;
    if (used >= list.length) continue;
    if (countWords(B.text, B.starts[q], B.ends[q]) < MIN_MOVE_WORDS) continue;
    taken.set(keysB[q], used + 1);
    out.push([list[used], q]);
  }
  return out;
}

function wordBag(ids: Int32Array, kinds: Uint8Array): Map<number, number> {
  const bag = new Map<number, number>();
  for (let k = 0; k < ids.length; k++) if (kinds[k] !== KIND_PUNCT) bag.set(ids[k], (bag.get(ids[k]) ?? 0) + 1);
  return bag;
}

function dice(x: Map<number, number>, nx: number, y: Map<number, number>, ny: number): number {
  let common = 0;
  for (const [id, c] of x) {
    const d = y.get(id);
    if (d) common += Math.min(c, d);
  }
  return (2 * common) / (nx + ny);
}

/**
 * Pairs of change indices (whole-paragraph deletion, whole-paragraph
 * insertion) that are the same paragraph moved and edited, best first.
 * `complete` is false when the candidate search hit its work limit.
 */
export function similarMoves(list: ChangeList): { pairs: [number, number][]; complete: boolean } {
  const dels: number[] = [];
  const inss: number[] = [];
  const bags = new Map<number, { bag: Map<number, number>; words: number }>();
  list.meta.forEach((m, i) => {
    if (!m.ids || !m.kinds) return;
    const words = m.wholeBefore ? m.wordsRemoved : m.wordsAdded;
    if (words < MIN_MOVE_WORDS) return;
    bags.set(i, { bag: wordBag(m.ids, m.kinds), words });
    (m.wholeBefore ? dels : inss).push(i);
  });
  if (dels.length === 0 || inss.length === 0) return { pairs: [], complete: true };

  const postings = new Map<number, number[]>();
  for (const i of inss) {
    for (const id of (bags.get(i) as { bag: Map<number, number> }).bag.keys()) {
      const p = postings.get(id);
      if (p) p.push(i);
      else postings.set(id, [i]);
    }
  }
  const scored: [number, number, number][] = [];
  let visits = 0;
  let complete = true;
  for (const d of dels) {
    const db = bags.get(d) as { bag: Map<number, number>; words: number };
    const shared = new Map<number, number>();
    for (const id of db.bag.keys()) {
      const p = postings.get(id);
      if (!p || p.length > MAX_POSTINGS) continue;
      visits += p.length;
      for (const i of p) shared.set(i, (shared.get(i) ?? 0) + 1);
    }
    if (visits > MAX_POSTING_VISITS) {
      complete = false;
      break;
    }
    const top = [...shared.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, CANDIDATES_PER_PARAGRAPH);
    for (const [i] of top) {
      const ib = bags.get(i) as { bag: Map<number, number>; words: number };
      const s = dice(db.bag, db.words, ib.bag, ib.words);
      if (s >= MIN_SIMILARITY) scored.push([s, d, i]);
    }
  }
  scored.sort((x, y) => y[0] - x[0] || x[1] - y[1] || x[2] - y[2]);
  const usedD = new Set<number>();
  const usedI = new Set<number>();
  const pairs: [number, number][] = [];
  for (const [, d, i] of scored) {
    if (usedD.has(d) || usedI.has(i)) continue;
    usedD.add(d);
    usedI.add(i);
    pairs.push([d, i]);
  }
  return { pairs, complete };
}

/** Opening words of a moved paragraph, for a reader who sees only the move. */
function moveContext(text: string, s: number, e: number, words: number): string {
  return text.slice(s, contextEnd(text, e, s, words));
}

export interface MoveResult {
  change: Change;
  wordsMoved: number;
  wordsAdded: number;
  wordsRemoved: number;
}

/** The move of paragraph p (old text) to paragraph q (new text), with its inner word diff. */
export function moveChange(
  A: Layout,
  B: Layout,
  p: number,
  q: number,
  interner: Interner,
  budget: Budget,
  contextWords: number,
): MoveResult {
  const removed = A.text.slice(A.starts[p], A.ends[p]);
  const added = B.text.slice(B.starts[q], B.ends[q]);
  const TA = new Tokens(A.text, interner);
  const TB = new Tokens(B.text, interner);
  TA.add(A.starts[p], A.ends[p], p);
  TB.add(B.starts[q], B.ends[q], q);
  const aligner = new TokenAligner(TA, TB, budget);
  aligner.align(0, TA.count, 0, TB.count);
  const runs = equalRuns(aligner.out, TA, TB);
  const segments: Segment[] = [];
  const push = (op: Segment['op'], text: string): void => {
    if (!text) return;
    const last = segments[segments.length - 1];
    if (last && last.op === op) last.text += text;
    else segments.push({ op, text });
  };
  // Each piece runs to the start of the next piece on its side, so whitespace stays attached.
  const aAt = (t: number): number => (t < TA.count ? TA.start[t] : A.ends[p]);
  const bAt = (t: number): number => (t < TB.count ? TB.start[t] : B.ends[q]);
  let ta = 0;
  let tb = 0;
  let moved = 0;
  for (let r = 0; r <= runs.count; r++) {
    const x = r < runs.count ? runs.a0[r] : TA.count;
    const y = r < runs.count ? runs.b0[r] : TB.count;
    push('delete', A.text.slice(aAt(ta), aAt(x)));
    push('insert', B.text.slice(bAt(tb), bAt(y)));
    if (r === runs.count) break;
    const len = runs.len[r];
    push('equal', B.text.slice(bAt(y), bAt(y + len)));
    moved += TB.words(y, y + len);
    ta = x + len;
    tb = y + len;
  }
  if (segments.length === 0) segments.push({ op: 'equal', text: added });
  const wordsAdded = TB.words(0, TB.count) - moved;
  const wordsRemoved = TA.words(0, TA.count) - moved;
  const change: Change = {
    kind: 'move',
    removed,
    added,
    context: moveContext(B.text, B.starts[q], B.ends[q], contextWords * 2),
    beforeParagraph: p,
    afterParagraph: q,
    segments,
  };
  return { change, wordsMoved: moved, wordsAdded, wordsRemoved };
}
