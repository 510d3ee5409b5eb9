/**
 * Quote check: "did the statement ever say this?" for a quote taken from a news article.
 * Candidates come from the index (sentences sharing word pairs with the quote); only the
 * paragraphs holding them are compared word by word.
 */
import { QuoteIndex, shinglesOf, type IndexedDoc, type Occurrence } from './quote-index.js';
import { align, endsSentence, regionOf, regionText, segment, sentenceRest, type Part, type Region } from './quote-match.js';
import { typographyKinds } from './rules/cosmetic.js';
import { q } from './rules/util.js';
import { cosmeticKey, wordTokens, type WordToken } from './sentences.js';
import type { PresenceRange, QuoteMatch, QuoteResult, QuoteVerdict } from './types.js';

export { buildQuoteIndex, QuoteIndex, type QuoteIndexStats } from './quote-index.js';

export interface QuoteOptions {
  /** Candidate sentences taken from the index, best first (default 40). */
  maxCandidates?: number;
  /** Distinct archived texts compared word by word (default 4). */
  maxTexts?: number;
  /** Below this similarity a near match is "not-found" (default 0.6). */
  minSimilarity?: number;
}

interface Fragment {
  text: string;
  tokens: WordToken[];
}

interface ParsedQuote {
  fragments: Fragment[];
  /** Ends with a full stop (not an ellipsis): the quote claims the sentence ends there. */
  closedWithStop: boolean;
}

const ELLIPSIS = /\s*(?:\[\s*(?:\.\s*){3}\]|\[\s*…\s*\]|…|\.\s*\.\s*\.)\s*/;
const ENDS_WITH_ELLIPSIS = /(?:\[\s*(?:\.\s*){3}\]|\[\s*…\s*\]|…|\.\s*\.\s*\.)$/;

function parseQuote(quote: string): ParsedQuote {
  let t = quote.replace(/\s+/g, ' ').trim();
  // Quote marks around the whole quote, and punctuation after them, are the article's.
  if (/^["“‘'«‹„]/.test(t)) t = t.replace(/^["“‘'«‹„]\s*/, '').replace(/\s*["”’'»›][.,;:]?$/, '');
  const fragments = t.split(ELLIPSIS).map((text) => text.trim()).filter((text) => wordTokens(text).length > 0);
  return {
    fragments: fragments.map((text) => ({ text, tokens: wordTokens(text) })),
    closedWithStop: /[^.]\.$/.test(t) && !ENDS_WITH_ELLIPSIS.test(t),
  };
}

/** Above this many sentences a word pair says little about where a quote comes from. */
const MAX_POSTING = 5_000;

/**
 * Texts looked at, best score first, to find distinct candidate regions. Thousands of
 * versions usually share the best-scoring region; past this many, the rest score no better.
 */
const MAX_DOCS_SCANNED = 64;

/** A stitched part is at least this many words (shorter runs are coincidences). */
const MIN_STITCH_PART = 4;

const RANK: Record<QuoteVerdict, number> = { verbatim: 0, 'verbatim-typography': 1, truncated: 2, stitched: 3, altered: 4, 'not-found': 5 };

interface Evaluation {
  verdict: QuoteVerdict;
  similarity: number;
  details: string[];
  /** Region word ranges the answer rests on. */
  spans: [number, number][];
  region: Region;
  doc: IndexedDoc;
}

export function checkQuote(index: QuoteIndex, quote: string, opts: QuoteOptions = {}): QuoteResult {
  const parsed = parseQuote(quote);
  const stats = { candidates: 0, comparisons: 0 };
  if (parsed.fragments.length === 0) return { verdict: 'not-found', similarity: 0, details: ['the quote has no words'], stats };

  const hits = new Map<number, number>();
  for (const f of parsed.fragments) {
    const lists = [...new Set(shinglesOf(f.tokens.map((t) => t.norm)))].map((s) => index.postings.get(s)).filter((l): l is number[] => !!l);
    const selective = lists.filter((l) => l.length <= MAX_POSTING);
    for (const list of selective.length ? selective : lists) for (const id of list) hits.set(id, (hits.get(id) ?? 0) + 1);
  }
  stats.candidates = hits.size;
  const ranked = [...hits].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, opts.maxCandidates ?? 40);
  if (ranked.length === 0) {
    return { verdict: 'not-found', similarity: 0, details: ['no archived sentence shares two consecutive words with the quote'], stats };
  }
  const candidates = new Set(ranked.map(([id]) => id));

  const score = new Float64Array(index.docs.length);
  for (const [sid, h] of ranked) for (const d of index.sentenceDocs[sid]) score[d] += h;
  const scored: number[] = [];
  score.forEach((x, d) => { if (x > 0) scored.push(d); });
  const docs = scored.sort((a, b) => score[b] - score[a] || a - b).map((d) => index.docs[d]);

  const evaluations: Evaluation[] = [];
  const seen = new Set<string>();
  for (const doc of docs.slice(0, MAX_DOCS_SCANNED)) {
    if (evaluations.length >= (opts.maxTexts ?? 4)) break;
    // Versions sharing the candidate paragraphs give the same answer: compare them once.
    const signature = doc.paragraphs.map((ids, i) => (ids.some((id) => candidates.has(id)) ? `${i}:${ids.join(',')}` : '')).filter(Boolean).join('|');
    if (seen.has(signature)) continue;
    seen.add(signature);
    const region = regionOf(index, doc, candidates);
    stats.comparisons += region.sentences;
    evaluations.push(evaluate(index, region, doc, parsed, opts.minSimilarity ?? 0.6));
  }
  const best = evaluations.sort((a, b) => b.similarity - a.similarity || RANK[a.verdict] - RANK[b.verdict])[0];
  return { verdict: best.verdict, similarity: round(best.similarity), match: locate(index, best), details: best.details, stats };
}

/** Check a quote against one text (e.g. a file), without an archive. */
export function checkQuoteInText(text: string, quote: string, opts: QuoteOptions = {}): QuoteResult {
  const index = new QuoteIndex();
  index.addVersion({ source: 'text', version: 1 }, 'text', () => text);
  return checkQuote(index, quote, opts);
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
const firstWords = (s: string, n: number) => s.split(/\s+/).slice(0, n).join(' ');
const lastWords = (s: string, n: number) => s.split(/\s+/).slice(-n).join(' ');

function evaluate(index: QuoteIndex, region: Region, doc: IndexedDoc, parsed: ParsedQuote, minSimilarity: number): Evaluation {
  const segmented = parsed.fragments.map((f) => segment(f.tokens.map((t) => t.norm), region));
  const flat = segmented.flatMap((s) => s.parts);
  const base = { region, doc };
  const unmatched = segmented.reduce((n, s) => n + s.unmatched.length, 0);
  if (unmatched === 0 && segmented.every((s) => s.parts.length > 0)) {
    const inOrder = flat.every((p, i) => i === 0 || p.ds >= flat[i - 1].de);
    if (segmented.every((s) => s.parts.length === 1) && inOrder) return verbatim(index, region, doc, parsed, flat);
    return { ...base, verdict: 'stitched', similarity: 1, details: gaps(index, region, segmented.map((s) => s.parts)), spans: flat.map((p) => [p.ds, p.de]) };
  }
  // Parts from different places joined by a word or two of the writer's own ("… content and must not …").
  const words = parsed.fragments.reduce((n, f) => n + f.tokens.length, 0);
  if (flat.length >= 2 && flat.every((p) => p.qe - p.qs >= MIN_STITCH_PART) && unmatched <= Math.max(1, Math.floor(words / 10))) {
    const glue = parsed.fragments.flatMap((f, i) => segmented[i].unmatched.map((k) => f.text.slice(f.tokens[k].start, f.tokens[k].end)));
    const details = [...gaps(index, region, segmented.map((s) => s.parts)), `words not in the source, joining the parts: ${glue.map((w) => q(w)).join(', ')}`];
    return { ...base, verdict: 'stitched', similarity: (words - unmatched) / words, details, spans: flat.map((p) => [p.ds, p.de]) };
  }
  const tokens = parsed.fragments.flatMap((f) => f.tokens);
  const owner = new Map<WordToken, string>();
  for (const f of parsed.fragments) for (const t of f.tokens) owner.set(t, f.text);
  const a = align(tokens, (t) => owner.get(t)!.slice(t.start, t.end), region, index, flat);
  const verdict: QuoteVerdict = a.similarity >= minSimilarity ? 'altered' : 'not-found';
  const details = verdict === 'altered' ? a.details : [`closest archived wording is only ${Math.round(a.similarity * 100)}% similar`];
  return { ...base, verdict, similarity: a.similarity, details, spans: [[a.from, a.to]] };
}

function verbatim(index: QuoteIndex, region: Region, doc: IndexedDoc, parsed: ParsedQuote, parts: Part[]): Evaluation {
  const details: string[] = [];
  parsed.fragments.forEach((f, i) => {
    const quoted = f.text.slice(f.tokens[0].start, f.tokens[f.tokens.length - 1].end);
    const source = regionText(index, region, parts[i].ds, parts[i].de);
    if (collapse(quoted) === collapse(source)) return;
    const kinds = cosmeticKey(quoted) === cosmeticKey(source) ? typographyKinds(quoted, source) : ['punctuation'];
    details.push(`typography differs (${kinds.join(', ')}): quote ${q(quoted, 100)}, source ${q(source, 100)}`);
  });
  const last = parts[parts.length - 1];
  const spans = parts.map((p) => [p.ds, p.de] as [number, number]);
  if (parsed.closedWithStop && !endsSentence(index, region, last.de - 1)) {
    details.unshift(`sentence cut short: the quote closes with a full stop but the source goes on ${q(`…${sentenceRest(index, region, last.de - 1)}`, 160)}`);
    return { verdict: 'truncated', similarity: 1, details, spans, region, doc };
  }
  return { verdict: details.length ? 'verbatim-typography' : 'verbatim', similarity: 1, details, spans, region, doc };
}

/** Name each gap between parts quoted as if adjacent (within an ellipsis-free fragment). */
function gaps(index: QuoteIndex, region: Region, fragments: Part[][]): string[] {
  const out: string[] = [];
  for (const parts of fragments) {
    for (let i = 1; i < parts.length; i++) {
      const a = parts[i - 1];
      const b = parts[i];
      const endA = lastWords(regionText(index, region, a.ds, a.de), 4);
      const startB = firstWords(regionText(index, region, b.ds, b.de), 4);
      const pa = region.words[a.ds].paragraph + 1;
      const pb = region.words[b.ds].paragraph + 1;
      const where = pa === pb ? `paragraph ${pa}` : `paragraphs ${pa} and ${pb}`;
      if (b.ds < a.de) {
        out.push(`parts out of order: ${q(`${startB}…`)} comes before ${q(`…${endA}`)} in the source (${where})`);
      } else if (region.words.slice(a.de, b.ds + 1).every((w, k) => k === 0 || w.joined)) {
        const omitted = regionText(index, region, a.de, b.ds);
        out.push(`gap: ${b.ds - a.de} words left out between ${q(`…${endA}`)} and ${q(`${startB}…`)} with no ellipsis (${where}): ${q(omitted, 200)}`);
      } else {
        out.push(`gap: ${q(`…${endA}`)} and ${q(`${startB}…`)} are joined with no ellipsis but come from ${where}`);
      }
    }
  }
  return out;
}

/** Sorted-list intersection. */
function intersect(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) i++; else j++;
  }
  return out;
}

/** Where the matched wording was archived: the earliest version holding all its sentences, and every run of versions. */
function locate(index: QuoteIndex, e: Evaluation): QuoteMatch {
  const sids = [...new Set(e.spans.flatMap(([from, to]) => e.region.words.slice(from, Math.max(to, from + 1)).map((w) => w.sentence)))];
  const docs = sids.reduce<number[]>((acc, sid, i) => (i === 0 ? index.sentenceDocs[sid] : intersect(acc, index.sentenceDocs[sid])), []);
  const holders = docs.length > 0 ? docs : [e.doc.id];
  // The earliest archived occurrence names the source; ISO times compare as strings.
  let first: Occurrence | undefined;
  let firstDoc = e.doc.id;
  for (const d of holders) {
    for (const o of index.docs[d].occurrences) {
      if (!first || (o.time ?? '') < (first.time ?? '') || ((o.time ?? '') === (first.time ?? '') && o.version < first.version)) {
        first = o;
        firstDoc = d;
      }
    }
  }
  first ??= e.doc.occurrences[0];
  const mine: Occurrence[] = [];
  for (const d of holders) for (const o of index.docs[d].occurrences) if (o.source === first.source) mine.push(o);
  mine.sort((a, b) => a.version - b.version);
  const ranges: PresenceRange[] = [];
  for (const o of mine) {
    const last = ranges[ranges.length - 1];
    if (last && o.version === last.toVersion + 1) {
      last.toVersion = o.version;
      last.lastSeen = o.lastSeen ?? last.lastSeen;
    } else if (!last || o.version > last.toVersion) {
      ranges.push({ fromVersion: o.version, toVersion: o.version, firstSeen: o.time ?? '', lastSeen: o.lastSeen ?? o.time ?? '' });
    }
  }
  const firstSid = e.region.words[e.spans[0][0]]?.sentence ?? sids[0];
  const paragraph = index.docs[firstDoc].paragraphs.findIndex((ids) => ids.includes(firstSid)) + 1;
  const text = e.spans.map(([from, to]) => regionText(index, e.region, from, to)).join(' … ');
  return {
    source: first.source,
    version: first.version,
    firstSeen: first.time,
    lastSeen: ranges[ranges.length - 1]?.lastSeen || undefined,
    ranges: first.time === undefined ? [] : ranges,
    paragraph,
    text,
  };
}
