/**
 * Turn a DiffReport's paragraph changes into sentence-sized units (a sentence edited,
 * added, removed or moved), each tied to its change index and paragraph, which is the
 * grain the significance rules judge.
 */
import { splitParagraphs as splitDiffParagraphs } from '../diff/index.js';
import type { Change, DiffReport } from '../diff/types.js';
import { alignSentences, diceOf, EDIT_SIMILARITY, pairingWords } from './align.js';
import { cosmeticKey, splitSentences, words } from './sentences.js';

export interface Unit {
  /** Index into DiffReport.changes: the change this sentence is mostly about. */
  change: number;
  /** Every change that lies in this sentence (a word-level diff may report several). */
  changes: number[];
  kind: 'edited' | 'added' | 'removed' | 'moved';
  /** Sentence as it was ('' when added). */
  before: string;
  /** Sentence as it is ('' when removed). */
  after: string;
  /** 0-based paragraph indices into the split texts, when the paragraph could be located. */
  beforePara?: number;
  afterPara?: number;
}

export interface DocView {
  before: string;
  after: string;
  beforeParas: string[];
  afterParas: string[];
}

/**
 * Paragraphs as the archive stores them, split exactly as the diff engine splits them (so a
 * change's paragraph index points at the same paragraph here), whitespace collapsed.
 */
export function archiveParagraphs(text: string): string[] {
  const layout = splitDiffParagraphs(text);
  const out: string[] = [];
  for (let i = 0; i < layout.count; i++) out.push(text.slice(layout.starts[i], layout.ends[i]).replace(/\s+/g, ' '));
  return out;
}

export function docView(before: string, after: string): DocView {
  return { before, after, beforeParas: archiveParagraphs(before), afterParas: archiveParagraphs(after) };
}

const squash = (s: string) => s.replace(/\s+/g, '');

/**
 * One side of a paragraph pair as text: the paragraph at the change's index when it holds the
 * change's removed (added) text; otherwise the paragraph holding the segments' text.
 */
function side(change: Change, which: 'before' | 'after', paras: string[]): { text: string; index?: number } {
  const hint = which === 'before' ? change.beforeParagraph : change.afterParagraph;
  const indexed = change.beforeParagraph !== undefined || change.afterParagraph !== undefined;
  // A word deleted inside a paragraph pair is a 'delete' with both paragraph indices set.
  const present = indexed ? hint !== undefined : which === 'before' ? change.kind !== 'insert' : change.kind !== 'delete';
  if (!present) return { text: '' };
  const own = which === 'before' ? change.removed : change.added;
  const skip = which === 'before' ? 'insert' : 'delete';
  const fromSegments = change.segments.filter((s) => s.op !== skip).map((s) => s.text).join('').replace(/\s+/g, ' ').trim();
  const atHint = hint === undefined ? undefined : paras[hint];
  // The change's own removed/added text is exact; its segments' context may come from the other side.
  if (atHint !== undefined && (atHint.includes(own.replace(/\s+/g, ' ').trim()) || squash(atHint).includes(squash(own)))) {
    return { text: atHint, index: hint };
  }
  const text = fromSegments || own.replace(/\s+/g, ' ').trim();
  const key = squash(text);
  let index: number | undefined;
  let best = Number.POSITIVE_INFINITY;
  paras.forEach((p, i) => {
    if (!squash(p).includes(key)) return;
    const distance = Math.abs(i - (hint ?? i));
    if (distance < best) {
      best = distance;
      index = i;
    }
  });
  return index === undefined ? { text } : { text: paras[index], index };
}

/**
 * Changes grouped by paragraph pair: a diff may report several word changes inside one
 * pair of paragraphs, and the pair must be split into sentences once.
 */
function groups(report: DiffReport): number[][] {
  const byPair = new Map<string, number[]>();
  report.changes.forEach((c, i) => {
    const key = c.beforeParagraph === undefined && c.afterParagraph === undefined
      ? `#${i}`
      : `${c.kind === 'move' ? 'm' : ''}${c.beforeParagraph ?? '-'}|${c.afterParagraph ?? '-'}`;
    byPair.set(key, [...(byPair.get(key) ?? []), i]);
  });
  return [...byPair.values()];
}

/**
 * The changes of a group that lie in a sentence (their removed/added words are in it),
 * the one sharing most context words first; the group's first change when none does.
 */
function owners(report: DiffReport, group: number[], before: string, after: string): number[] {
  if (group.length === 1) return group;
  const b = squash(before);
  const a = squash(after);
  const sentence = new Set(words(`${before} ${after}`));
  const scored: { i: number; score: number }[] = [];
  for (const i of group) {
    const c = report.changes[i];
    const inside = (c.removed !== '' && b.includes(squash(c.removed))) || (c.added !== '' && a.includes(squash(c.added)));
    if (inside) scored.push({ i, score: words(c.context).filter((w) => sentence.has(w)).length });
  }
  if (scored.length === 0) return [group[0]];
  return scored.sort((x, y) => y.score - x.score || x.i - y.i).map((x) => x.i);
}

/** Sentence units of every change in the report. */
export function buildUnits(report: DiffReport, doc: DocView): Unit[] {
  const units: Unit[] = [];
  for (const group of groups(report)) {
    const change = report.changes[group[0]];
    const b = side(change, 'before', doc.beforeParas);
    const a = side(change, 'after', doc.afterParas);
    const base = { beforePara: b.index, afterPara: a.index };
    if (change.kind === 'move' && squash(b.text) === squash(a.text)) {
      units.push({ ...base, change: group[0], changes: group, kind: 'moved', before: b.text, after: a.text });
      continue;
    }
    for (const u of alignSentences(splitSentences(b.text), splitSentences(a.text))) {
      const before = u.kind === 'added' ? '' : u.before;
      const after = u.kind === 'removed' ? '' : u.after;
      const mine = owners(report, group, before, after);
      units.push({ ...base, change: mine[0], changes: mine, kind: u.kind, before, after });
    }
  }
  return pairAcrossChanges(markCrossParagraphMoves(units));
}

/** Paragraphs this far apart are not one paragraph edited. */
const MAX_PARAGRAPH_DRIFT = 3;

/**
 * A sentence removed in one change and a similar one added in a nearby change is one
 * sentence edited: the paragraph alignment may not pair short paragraphs ("• the UK" →
 * "• the United Kingdom") that the sentence alignment would.
 */
function pairAcrossChanges(units: Unit[]): Unit[] {
  const removed = units.filter((u) => u.kind === 'removed');
  const added = units.filter((u) => u.kind === 'added');
  if (removed.length === 0 || added.length === 0 || removed.length * added.length > 40_000) return units;
  const candidates: { r: Unit; a: Unit; sim: number }[] = [];
  for (const r of removed) {
    const rw = pairingWords(r.before);
    for (const a of added) {
      if (a.change === r.change) continue;
      if (r.beforePara !== undefined && a.afterPara !== undefined && Math.abs(r.beforePara - a.afterPara) > MAX_PARAGRAPH_DRIFT) continue;
      const sim = diceOf(rw, pairingWords(a.after));
      if (sim >= EDIT_SIMILARITY) candidates.push({ r, a, sim });
    }
  }
  candidates.sort((x, y) => y.sim - x.sim);
  const merged = new Map<Unit, Unit>();
  const dropped = new Set<Unit>();
  for (const { r, a } of candidates) {
    if (merged.has(r) || dropped.has(a)) continue;
    merged.set(r, { ...r, kind: 'edited', after: a.after, afterPara: a.afterPara, changes: [...r.changes, ...a.changes] });
    dropped.add(a);
  }
  return units.filter((u) => !dropped.has(u)).map((u) => merged.get(u) ?? u);
}

/**
 * A sentence "added" in one changed paragraph that another changed paragraph lost (or the
 * reverse) moved; it did not appear or vanish.
 */
function markCrossParagraphMoves(units: Unit[]): Unit[] {
  const removedKeys = new Set(units.filter((u) => u.kind === 'removed').map((u) => cosmeticKey(u.before)));
  const addedKeys = new Set(units.filter((u) => u.kind === 'added').map((u) => cosmeticKey(u.after)));
  if (removedKeys.size === 0 || addedKeys.size === 0) return units;
  return units.map((u) => {
    if (u.kind === 'added' && removedKeys.has(cosmeticKey(u.after))) return { ...u, kind: 'moved', before: u.after };
    if (u.kind === 'removed' && addedKeys.has(cosmeticKey(u.before))) return { ...u, kind: 'moved', after: u.before };
    return u;
  });
}
