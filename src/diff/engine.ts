/**
 * diffText: the layered diff. Paragraphs are aligned first (exact keys,
 * patience anchors, bounded Myers), exact moves are set aside, each changed
 * region is word-diffed (see region.ts), edited moves are paired, and the
 * result is one report: reader-facing changes plus the byte-exact script.
 */
import { alignParagraphs } from './align-paragraphs.js';
import { Marks } from './align-tokens.js';
import { ChangeList, type ChangeMeta } from './changes.js';
import { exactMoves, moveChange, similarMoves } from './moves.js';
import { Budget, Pairs } from './pairs.js';
import { blockEnd, blockStart, paragraphIds, splitParagraphs } from './paragraphs.js';
import type { DiffContext } from './region.js';
import { diffGap } from './split-gap.js';
import { ScriptBuilder, type MoveRange } from './script.js';
import { Interner, Tokens } from './tokens.js';
import type { Change, DegradedRegion, DiffReport } from './types.js';

export interface DiffOptions {
  /** Words of context on each side of a change (default 5). */
  contextWords?: number;
  /** Wall-clock budget in ms; past it, remaining regions are compared by paragraph (default 2000). */
  budgetMs?: number;
  /** Largest token edit distance one word-level search may explore before falling back (default 4000). */
  maxEditLength?: number;
}

export const DEFAULT_OPTIONS: Required<DiffOptions> = { contextWords: 5, budgetMs: 2000, maxEditLength: 4000 };
/** Inner-loop steps one search may spend (tens of milliseconds): bounds inputs the edit distance cap does not. */
const WORK_PER_SEARCH = 6_000_000;
/**
 * Search steps for one whole diff (roughly 100–300 ms here). The benchmark's
 * 2 MB documents need well under a tenth of it; what exhausts it is input
 * with no usable structure, which then degrades instead of grinding on.
 */
const WORK_TOTAL = 24_000_000;

function checkOption(name: keyof DiffOptions, v: number | undefined, min: number, integer: boolean): number {
  const value = v ?? DEFAULT_OPTIONS[name];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new RangeError(
      `diffText: options.${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got ${String(v)}; omit it for the default ${DEFAULT_OPTIONS[name]}`,
    );
  }
  return value;
}

/** Paragraph range for people: numbered from 1, as the renderers do (report fields count from 0). */
function range(r: [number, number] | undefined): string {
  if (!r) return 'none';
  return r[0] === r[1] ? `¶${r[0] + 1}` : `¶${r[0] + 1}–¶${r[1] + 1}`;
}

function summarise(regions: DegradedRegion[]): string {
  const shown = regions
    .slice(0, 3)
    .map((r) => `old ${range(r.beforeParagraphs)} / new ${range(r.afterParagraphs)} by ${r.granularity} (${r.reason})`);
  const more = regions.length > 3 ? `; and ${regions.length - 3} more` : '';
  return `${regions.length} region(s) compared more coarsely than word by word: ${shown.join('; ')}${more}`;
}

export function diffText(before: string, after: string, options: DiffOptions = {}): DiffReport {
  if (typeof before !== 'string' || typeof after !== 'string') {
    throw new TypeError(`diffText: both texts must be strings, got ${typeof before} and ${typeof after}`);
  }
  const contextWords = checkOption('contextWords', options.contextWords, 0, true);
  const budgetMs = checkOption('budgetMs', options.budgetMs, 0, false);
  const maxEditLength = checkOption('maxEditLength', options.maxEditLength, 1, true);
  const budget = new Budget(performance.now() + budgetMs, maxEditLength, WORK_PER_SEARCH, WORK_TOTAL);
  const A = splitParagraphs(before);
  const B = splitParagraphs(after);
  const stats = { wordsAdded: 0, wordsRemoved: 0, wordsMoved: 0, paragraphsChanged: 0 };
  if (before === after) {
    return {
      changed: false,
      alert: false,
      degraded: false,
      stats,
      changes: [],
      identical: true,
      paragraphs: { before: A.count, after: B.count },
      script: before ? [['=', before]] : [],
    };
  }

  const [keysA, keysB] = paragraphIds(A, B);
  const pairs = alignParagraphs(keysA, keysB, budget, (i) => A.ends[i] - A.starts[i] + 1);
  const matchedA = new Uint8Array(A.count);
  const matchedB = new Uint8Array(B.count);
  for (let k = 0; k < pairs.length; k++) {
    matchedA[pairs.a[k]] = 1;
    matchedB[pairs.b[k]] = 1;
  }

  const interner = new Interner();
  const list = new ChangeList();
  const movedA = new Int32Array(A.count).fill(-1);
  const movedB = new Int32Array(B.count).fill(-1);
  const moves: { p: number; q: number; change: number }[] = [];
  const addMove = (p: number, q: number): number => {
    const m = moveChange(A, B, p, q, interner, budget, contextWords);
    const meta: ChangeMeta = {
      bPos: B.starts[q],
      aPos: A.starts[p],
      wordsAdded: m.wordsAdded,
      wordsRemoved: m.wordsRemoved,
      wordsMoved: m.wordsMoved,
    };
    const idx = list.add(m.change, meta);
    moves.push({ p, q, change: idx });
    return idx;
  };
  for (const [p, q] of exactMoves(B, keysA, keysB, matchedA, matchedB)) movedA[p] = movedB[q] = addMove(p, q);

  const script = new ScriptBuilder(before, after);
  const ctx: DiffContext = {
    A,
    B,
    interner,
    budget,
    script,
    changes: list,
    movedA,
    movedB,
    contextWords,
    degraded: [],
    marks: new Marks(),
    tokensA: new Tokens(before, interner, 1024),
    tokensB: new Tokens(after, interner, 1024),
    pairs: new Pairs(1024),
  };
  script.between(0, blockStart(A, 0), 0, blockStart(B, 0));
  let pa = 0;
  let pb = 0;
  for (let k = 0; k < pairs.length; k++) {
    const i = pairs.a[k];
    const j = pairs.b[k];
    if (i > pa || j > pb) diffGap(ctx, pa, i, pb, j);
    script.eq(A.starts[i], A.ends[i]); // equal ids: byte-identical content
    script.between(A.ends[i], blockEnd(A, i), B.ends[j], blockEnd(B, j));
    pa = i + 1;
    pb = j + 1;
  }
  if (pa < A.count || pb < B.count) diffGap(ctx, pa, A.count, pb, B.count);

  const dropped = new Set<number>();
  const similar = similarMoves(list);
  for (const [d, i] of similar.pairs) {
    dropped.add(d);
    dropped.add(i);
    addMove(list.changes[d].beforeParagraph as number, list.changes[i].afterParagraph as number);
  }
  if (!similar.complete) {
    ctx.degraded.push({
      granularity: 'paragraph',
      reason: 'move detection stopped at its candidate limit: some moved paragraphs are shown as deleted and inserted',
    });
  }

  const order = list.changes.map((_, i) => i).filter((i) => !dropped.has(i));
  order.sort((x, y) => list.meta[x].bPos - list.meta[y].bPos || list.meta[x].aPos - list.meta[y].aPos || x - y);
  const finalIndex = new Map<number, number>();
  order.forEach((old, k) => finalIndex.set(old, k));
  const changes: Change[] = order.map((i) => list.changes[i]);
  const movedOut: MoveRange[] = moves.map((m) => ({ start: A.starts[m.p], end: A.ends[m.p], change: finalIndex.get(m.change) as number }));
  const movedIn: MoveRange[] = moves.map((m) => ({ start: B.starts[m.q], end: B.ends[m.q], change: finalIndex.get(m.change) as number }));
  movedOut.sort((x, y) => x.start - y.start);
  movedIn.sort((x, y) => x.start - y.start);

  const touched = new Set<string>();
  for (const i of order) {
    const m = list.meta[i];
    stats.wordsAdded += m.wordsAdded;
    stats.wordsRemoved += m.wordsRemoved;
    stats.wordsMoved += m.wordsMoved;
    const c = list.changes[i];
    touched.add(`${c.beforeParagraph ?? '-'}:${c.afterParagraph ?? '-'}`);
  }
  stats.paragraphsChanged = touched.size;

  const changed = changes.length > 0;
  const report: DiffReport = {
    changed,
    // Whitespace and line breaks never reach `changes`, so any change is a change of wording.
    alert: changed,
    degraded: ctx.degraded.length > 0,
    stats,
    changes,
    identical: false,
    paragraphs: { before: A.count, after: B.count },
    script: script.finish(movedOut, movedIn),
  };
  if (ctx.degraded.length > 0) {
    report.degradedReason = summarise(ctx.degraded);
    report.degradedRegions = ctx.degraded;
  }
  return report;
}
