/**
 * Turns a hunk (consecutive unmatched tokens between two equal tokens) into
 * reader-facing changes: one per paragraph pair, with exact before/after
 * text, paragraph indices and a few words of context.
 */
import { isSpace } from './chars.js';
import { paragraphAt, type Layout } from './paragraphs.js';
import type { Tokens } from './tokens.js';
import type { Change, Segment } from './types.js';

/** Bookkeeping kept beside each change; never part of the report. */
export interface ChangeMeta {
  /** Where the change sits in the new text (then the old text): the report lists changes in this order. */
  bPos: number;
  aPos: number;
  wordsAdded: number;
  wordsRemoved: number;
  wordsMoved: number;
  /** A whole paragraph deleted / inserted: candidate for a move. */
  wholeBefore?: boolean;
  wholeAfter?: boolean;
  ids?: Int32Array;
  kinds?: Uint8Array;
}

export class ChangeList {
  readonly changes: Change[] = [];
  readonly meta: ChangeMeta[] = [];

  add(change: Change, meta: ChangeMeta): number {
    this.changes.push(change);
    this.meta.push(meta);
    return this.changes.length - 1;
  }
}

/** Offset where the `n` words before `pos` (within the paragraph starting at `floor`) begin. */
export function contextStart(text: string, floor: number, pos: number, n: number): number {
  let i = pos;
  for (let w = 0; w < n; w++) {
    let j = i;
    while (j > floor && isSpace(text.charCodeAt(j - 1))) j--;
    if (j <= floor) break;
    while (j > floor && !isSpace(text.charCodeAt(j - 1))) j--;
    i = j;
  }
  return i;
}

/** Offset where the `n` words after `pos` (within the paragraph ending at `ceil`) end. */
export function contextEnd(text: string, ceil: number, pos: number, n: number): number {
  let i = pos;
  for (let w = 0; w < n; w++) {
    let j = i;
    while (j < ceil && isSpace(text.charCodeAt(j))) j++;
    if (j >= ceil) break;
    while (j < ceil && !isSpace(text.charCodeAt(j))) j++;
    i = j;
  }
  return i;
}

interface Group {
  t0: number;
  t1: number;
  para: number;
}

function groups(t: Tokens, from: number, to: number): Group[] {
  const out: Group[] = [];
  for (let i = from; i < to; ) {
    const p = t.para[i];
    let k = i + 1;
    while (k < to && t.para[k] === p) k++;
    out.push({ t0: i, t1: k, para: p });
    i = k;
  }
  return out;
}

/** An equal token next to the hunk: A/B offsets (end of the previous one, start of the next one). */
export interface Edge {
  a: number;
  b: number;
}

export interface HunkSides {
  A: Tokens;
  B: Tokens;
  layoutA: Layout;
  layoutB: Layout;
  contextWords: number;
  /** Offsets of the region's start, for changes with no equal word on either side. */
  origin: Edge;
}

export function addHunk(
  list: ChangeList,
  s: HunkSides,
  aT0: number,
  aT1: number,
  bT0: number,
  bT1: number,
  prev: Edge | null,
  next: Edge | null,
): void {
  const ga = groups(s.A, aT0, aT1);
  const gb = groups(s.B, bT0, bT1);
  // Paragraphs holding the neighbouring equal words: a group in such a paragraph is a partial edit of it.
  const prevA = prev ? paragraphAt(s.layoutA, prev.a - 1) : -2;
  const prevB = prev ? paragraphAt(s.layoutB, prev.b - 1) : -2;
  const nextA = next ? paragraphAt(s.layoutA, next.a) : -2;
  const nextB = next ? paragraphAt(s.layoutB, next.b) : -2;

  const pairs: [Group | undefined, Group | undefined][] = [];
  let ia = 0;
  let ib = 0;
  let ja = ga.length;
  let jb = gb.length;
  const head: [Group | undefined, Group | undefined] = [undefined, undefined];
  if (ia < ja && ga[ia].para === prevA) head[0] = ga[ia++];
  if (ib < jb && gb[ib].para === prevB) head[1] = gb[ib++];
  if (head[0] || head[1]) pairs.push(head);
  const tail: [Group | undefined, Group | undefined] = [undefined, undefined];
  if (ja > ia && ga[ja - 1].para === nextA) tail[0] = ga[--ja];
  if (jb > ib && gb[jb - 1].para === nextB) tail[1] = gb[--jb];
  while (ia < ja || ib < jb) pairs.push([ia < ja ? ga[ia++] : undefined, ib < jb ? gb[ib++] : undefined]);
  if (tail[0] || tail[1]) pairs.push(tail);

  for (const [a, b] of pairs) {
    let beforeParagraph = a?.para;
    let afterParagraph = b?.para;
    if (!a && b) beforeParagraph = b.para === prevB ? prevA : b.para === nextB ? nextA : undefined;
    if (!b && a) afterParagraph = a.para === prevA ? prevB : a.para === nextA ? nextB : undefined;
    list.add(...makeChange(s, a, b, beforeParagraph, afterParagraph, prev, next));
  }
}

function makeChange(
  s: HunkSides,
  a: Group | undefined,
  b: Group | undefined,
  beforeParagraph: number | undefined,
  afterParagraph: number | undefined,
  prev: Edge | null,
  next: Edge | null,
): [Change, ChangeMeta] {
  const { A, B } = s;
  const edge = prev ?? next ?? s.origin;
  const aS = a ? A.start[a.t0] : edge.a;
  const aE = a ? A.end[a.t1 - 1] : aS;
  const bS = b ? B.start[b.t0] : edge.b;
  const bE = b ? B.end[b.t1 - 1] : bS;
  const removed = a ? A.text.slice(aS, aE) : '';
  const added = b ? B.text.slice(bS, bE) : '';
  // Context comes from the text the reader sees now; only a paragraph that is
  // gone entirely is shown with its old surroundings.
  const useB = b !== undefined || afterParagraph !== undefined;
  const side = useB ? B : A;
  const layout = useB ? s.layoutB : s.layoutA;
  const para = (useB ? (b?.para ?? afterParagraph) : a?.para) as number;
  const from = useB ? bS : aS;
  const to = useB ? bE : aE;
  const cs = contextStart(side.text, layout.starts[para], from, s.contextWords);
  const ce = contextEnd(side.text, layout.ends[para], to, s.contextWords);
  const contextBefore = side.text.slice(cs, from);
  const contextAfter = side.text.slice(to, ce);
  const segments: Segment[] = [];
  if (contextBefore) segments.push({ op: 'equal', text: contextBefore });
  if (removed) segments.push({ op: 'delete', text: removed });
  if (added) segments.push({ op: 'insert', text: added });
  if (contextAfter) segments.push({ op: 'equal', text: contextAfter });
  const change: Change = {
    kind: a && b ? 'replace' : a ? 'delete' : 'insert',
    removed,
    added,
    context: contextBefore + (added || removed) + contextAfter,
    contextBefore,
    contextAfter,
    segments,
  };
  if (beforeParagraph !== undefined) change.beforeParagraph = beforeParagraph;
  if (afterParagraph !== undefined) change.afterParagraph = afterParagraph;
  const meta: ChangeMeta = {
    bPos: bS,
    aPos: aS,
    wordsAdded: b ? B.words(b.t0, b.t1) : 0,
    wordsRemoved: a ? A.words(a.t0, a.t1) : 0,
    wordsMoved: 0,
  };
  if (a && !b && aS === s.layoutA.starts[a.para] && aE === s.layoutA.ends[a.para]) {
    meta.wholeBefore = true;
    meta.ids = A.id.slice(a.t0, a.t1);
    meta.kinds = A.kind.slice(a.t0, a.t1);
  }
  if (b && !a && bS === s.layoutB.starts[b.para] && bE === s.layoutB.ends[b.para]) {
    meta.wholeAfter = true;
    meta.ids = B.id.slice(b.t0, b.t1);
    meta.kinds = B.kind.slice(b.t0, b.t1);
  }
  return [change, meta];
}
