/**
 * Matching a quote against one archived text: the text's candidate paragraphs as one word
 * sequence, the quote cut into the longest runs found verbatim in it, and (for near
 * matches) a word alignment that names each word added, dropped or changed.
 */
import { diffArrays } from 'diff';
import type { IndexedDoc, QuoteIndex } from './quote-index.js';
import type { WordToken } from './sentences.js';

/** One word of the searched region. */
export interface RegionWord {
  norm: string;
  sentence: number;
  /** Index of the word in its sentence's tokens. */
  token: number;
  /** 0-based paragraph in the doc. */
  paragraph: number;
  /** Does this word directly follow the previous region word in the doc? */
  joined: boolean;
}

export interface Region {
  words: RegionWord[];
  at: Map<string, number[]>;
  /** Sentences compared (the work a query does). */
  sentences: number;
}

/** The paragraphs of a doc that hold a candidate sentence, as one word sequence. */
export function regionOf(index: QuoteIndex, doc: IndexedDoc, candidates: Set<number>): Region {
  const words: RegionWord[] = [];
  let sentences = 0;
  let lastParagraph = -2;
  doc.paragraphs.forEach((ids, paragraph) => {
    if (!ids.some((id) => candidates.has(id))) return;
    let first = true;
    for (const sid of ids) {
      sentences++;
      index.sentences[sid].tokens.forEach((t, token) => {
        words.push({ norm: t.norm, sentence: sid, token, paragraph, joined: !first || paragraph === lastParagraph + 1 });
        first = false;
      });
    }
    lastParagraph = paragraph;
  });
  const at = new Map<string, number[]>();
  words.forEach((w, i) => {
    const list = at.get(w.norm);
    if (list) list.push(i);
    else at.set(w.norm, [i]);
  });
  return { words, at, sentences };
}

/** A run of quote words [qs, qe) found verbatim at region words [ds, de). */
export interface Part {
  qs: number;
  qe: number;
  ds: number;
  de: number;
}

/**
 * Cut the quote's words into the longest runs found in the region, left to right; a run
 * continuing the previous one is preferred. Words in no run of at least `minRun` are unmatched.
 */
export function segment(quote: string[], region: Region, minRun = 2): { parts: Part[]; unmatched: number[] } {
  const parts: Part[] = [];
  const unmatched: number[] = [];
  let i = 0;
  while (i < quote.length) {
    let best: Part | undefined;
    const prevEnd = parts.length ? parts[parts.length - 1].de : -1;
    for (const p of region.at.get(quote[i]) ?? []) {
      let len = 1;
      while (i + len < quote.length && p + len < region.words.length && region.words[p + len].joined && region.words[p + len].norm === quote[i + len]) len++;
      const better = !best || len > best.qe - best.qs || (len === best.qe - best.qs && p === prevEnd);
      if (better) best = { qs: i, qe: i + len, ds: p, de: p + len };
    }
    const needed = quote.length === 1 ? 1 : Math.min(minRun, quote.length - i);
    if (best && best.qe - best.qs >= needed) {
      parts.push(best);
      i = best.qe;
    } else {
      unmatched.push(i);
      i++;
    }
  }
  return { parts, unmatched };
}

/** The archived text of region words [from, to), each sentence's own characters. */
export function regionText(index: QuoteIndex, region: Region, from: number, to: number): string {
  const pieces: string[] = [];
  let i = from;
  while (i < to) {
    const sid = region.words[i].sentence;
    let j = i;
    while (j + 1 < to && region.words[j + 1].sentence === sid && region.words[j + 1].token === region.words[j].token + 1) j++;
    const { text, tokens } = index.sentences[sid];
    // A sentence the range runs through keeps its own punctuation at either end.
    const start = i > from && region.words[i].token === 0 ? 0 : tokens[region.words[i].token].start;
    const end = j + 1 < to && region.words[j].token === tokens.length - 1 ? text.length : tokens[region.words[j].token].end;
    pieces.push(text.slice(start, end));
    i = j + 1;
  }
  return pieces.join(' ');
}

/** The rest of the sentence after region word `at` (exclusive), as archived. */
export function sentenceRest(index: QuoteIndex, region: Region, at: number): string {
  const w = region.words[at];
  const s = index.sentences[w.sentence];
  return s.text.slice(s.tokens[w.token].end).trim();
}

export function endsSentence(index: QuoteIndex, region: Region, at: number): boolean {
  const w = region.words[at];
  return w.token === index.sentences[w.sentence].tokens.length - 1;
}

export interface Alignment {
  similarity: number;
  /** Region words [from, to) the quote was aligned with. */
  from: number;
  to: number;
  details: string[];
}

const MAX_ALIGN_EDITS = 2_000;

/**
 * Align the quote's words with the region around its matched parts. Similarity is the
 * share of words in common over the longer of quote and aligned source.
 */
export function align(quote: WordToken[], quoteText: (t: WordToken) => string, region: Region, index: QuoteIndex, around: Part[]): Alignment {
  const q = quote.map((t) => t.norm);
  let from = 0;
  let to = region.words.length;
  if (around.length > 0) {
    // Anchor on the longest verbatim run and give the quote room on both sides; a stray short
    // run elsewhere in the region must not stretch the window.
    const anchor = around.reduce((a, b) => (b.qe - b.qs > a.qe - a.qs ? b : a));
    const slack = 2 + Math.ceil(q.length / 4);
    from = Math.max(0, anchor.ds - anchor.qs - slack);
    to = Math.min(region.words.length, anchor.de + (q.length - anchor.qe) + slack);
  }
  const source = region.words.slice(from, to).map((w) => w.norm);
  const ops = diffArrays(source, q, { maxEditLength: MAX_ALIGN_EDITS }) ?? [{ removed: true, added: false, count: source.length, value: source }, { added: true, removed: false, count: q.length, value: q }];
  // Source words before and after the quoted stretch are not part of the comparison.
  while (ops.length && ops[0].removed) from += ops.shift()!.count;
  while (ops.length && ops[ops.length - 1].removed) to -= ops.pop()!.count;
  to = from + ops.filter((o) => !o.added).reduce((n, o) => n + o.count, 0);
  const word = (i: number) => {
    const w = region.words[i];
    const s = index.sentences[w.sentence];
    const t = s.tokens[w.token];
    return s.text.slice(t.start, t.end);
  };
  const details: string[] = [];
  let si = from;
  let qi = 0;
  let matched = 0;
  for (let k = 0; k < ops.length; k++) {
    const op = ops[k];
    if (!op.added && !op.removed) {
      matched += op.count;
      si += op.count;
      qi += op.count;
      continue;
    }
    const removed: string[] = [];
    const added: string[] = [];
    while (k < ops.length && (ops[k].added || ops[k].removed)) {
      if (ops[k].removed) for (let n = 0; n < ops[k].count; n++) removed.push(word(si++));
      else for (let n = 0; n < ops[k].count; n++) added.push(quoteText(quote[qi++]));
      k++;
    }
    k--;
    const pairs = Math.min(removed.length, added.length);
    for (let n = 0; n < pairs; n++) details.push(`"${added[n]}" for "${removed[n]}"`);
    for (const w of added.slice(pairs)) details.push(`added "${w}"`);
    for (const w of removed.slice(pairs)) details.push(`dropped "${w}"`);
  }
  const similarity = matched / Math.max(q.length, to - from, 1);
  return { similarity, from, to, details };
}
