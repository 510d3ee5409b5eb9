/** Small alignments inside one changed paragraph: sentences to sentences, words to words. */
import { diffArrays } from 'diff';
import { findCountries } from './parties.js';
import { wordTokens, type WordToken } from './sentences.js';

export interface WordHunk {
  removed: WordToken[];
  added: WordToken[];
  /** Index of the first removed/added token in its side's token list. */
  beforeIndex: number;
  afterIndex: number;
}

/** Above this many edits a sentence pair is treated as rewritten (one hunk), never diffed further. */
const MAX_WORD_EDITS = 400;

/** Differences between two token lists by normalised word, as hunks of removed/added tokens. */
export function wordHunks(a: WordToken[], b: WordToken[]): WordHunk[] {
  const parts = diffArrays(a, b, { comparator: (x, y) => x.norm === y.norm, maxEditLength: MAX_WORD_EDITS });
  if (!parts) return a.length + b.length === 0 ? [] : [{ removed: a, added: b, beforeIndex: 0, afterIndex: 0 }];
  const hunks: WordHunk[] = [];
  let ai = 0;
  let bi = 0;
  let open: WordHunk | undefined;
  for (const part of parts) {
    if (!part.added && !part.removed) {
      if (open) hunks.push(open);
      open = undefined;
      ai += part.count;
      bi += part.count;
      continue;
    }
    open ??= { removed: [], added: [], beforeIndex: ai, afterIndex: bi };
    if (part.removed) {
      open.removed.push(...a.slice(ai, ai + part.count));
      ai += part.count;
    } else {
      open.added.push(...b.slice(bi, bi + part.count));
      bi += part.count;
    }
  }
  if (open) hunks.push(open);
  return hunks;
}

/** Words for pairing sentences: a country counts as one word whatever its name ("UK" = "United Kingdom"). */
export function pairingWords(s: string): string[] {
  let text = s;
  const codes: string[] = [];
  for (const c of findCountries(s)) {
    text = text.replace(c.name, ' ');
    codes.push(`country:${c.key}`);
  }
  return [...wordTokens(text).map((t) => t.norm), ...codes];
}

export function diceOf(a: string[], b: string[]): number {
  if (a.length === 0 && b.length === 0) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const w of a) counts.set(w, (counts.get(w) ?? 0) + 1);
  let shared = 0;
  for (const w of b) {
    const n = counts.get(w) ?? 0;
    if (n > 0) {
      shared++;
      counts.set(w, n - 1);
    }
  }
  return (2 * shared) / (a.length + b.length);
}

export type SentenceUnit =
  | { kind: 'edited'; before: string; after: string; beforeIndex: number; afterIndex: number }
  | { kind: 'added'; after: string; afterIndex: number }
  | { kind: 'removed'; before: string; beforeIndex: number };

/** Two sentences this similar (Dice over words) are one sentence edited, not a removal plus an addition. */
export const EDIT_SIMILARITY = 0.5;

/** Above this many sentences per side, pairing is positional only (keeps a pathological paragraph linear). */
const MAX_PAIRING = 200;

/**
 * Align the sentences of two versions of a paragraph: identical sentences are anchors and
 * are dropped; between anchors, removed and added sentences are paired when similar enough.
 */
export function alignSentences(before: string[], after: string[]): SentenceUnit[] {
  const units: SentenceUnit[] = [];
  const parts = diffArrays(before, after, { maxEditLength: 2 * MAX_PAIRING });
  if (!parts) {
    pairRegion(before.map((s, i) => [s, i]), after.map((s, i) => [s, i]), units);
    return units;
  }
  let bi = 0;
  let ai = 0;
  let removed: [string, number][] = [];
  let added: [string, number][] = [];
  const flush = () => {
    if (removed.length || added.length) pairRegion(removed, added, units);
    removed = [];
    added = [];
  };
  for (const part of parts) {
    if (!part.added && !part.removed) {
      flush();
      bi += part.count;
      ai += part.count;
    } else if (part.removed) {
      for (let k = 0; k < part.count; k++) removed.push([before[bi + k], bi + k]);
      bi += part.count;
    } else {
      for (let k = 0; k < part.count; k++) added.push([after[ai + k], ai + k]);
      ai += part.count;
    }
  }
  flush();
  return units;
}

function pairRegion(removed: [string, number][], added: [string, number][], out: SentenceUnit[]): void {
  const taken = new Set<number>();
  const pairedWith = new Map<number, number>();
  if (removed.length <= MAX_PAIRING && added.length <= MAX_PAIRING) {
    // Greedy by best similarity; the region is small (one paragraph's changed sentences).
    const candidates: { r: number; a: number; sim: number }[] = [];
    const addedWords = added.map(([as]) => pairingWords(as));
    removed.forEach(([rs], r) => {
      const rw = pairingWords(rs);
      addedWords.forEach((aw, a) => {
        const sim = diceOf(rw, aw);
        if (sim >= EDIT_SIMILARITY) candidates.push({ r, a, sim });
      });
    });
    candidates.sort((x, y) => y.sim - x.sim || x.r - y.r);
    for (const c of candidates) {
      if (pairedWith.has(c.r) || taken.has(c.a)) continue;
      pairedWith.set(c.r, c.a);
      taken.add(c.a);
    }
  }
  removed.forEach(([text, index], r) => {
    const a = pairedWith.get(r);
    if (a === undefined) out.push({ kind: 'removed', before: text, beforeIndex: index });
    else out.push({ kind: 'edited', before: text, after: added[a][0], beforeIndex: index, afterIndex: added[a][1] });
  });
  added.forEach(([text, index], a) => {
    if (!taken.has(a)) out.push({ kind: 'added', after: text, afterIndex: index });
  });
}
