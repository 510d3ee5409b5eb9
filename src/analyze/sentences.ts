/**
 * Paragraph and sentence splitting, and the one text normalisation every matcher in
 * src/analyze uses (so "the same sentence" means the same thing in significance, quote
 * and blame).
 */

/** Abbreviations after which a full stop does not end a sentence (lower case, no dot). */
const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'mx', 'dr', 'prof', 'st', 'no', 'nos', 'art', 'arts', 'sec', 'secs', 'fig',
  'figs', 'vs', 'v', 'cf', 'e.g', 'i.e', 'eg', 'ie', 'al', 'approx', 'para', 'paras', 'vol', 'vols',
  'pp', 'p', 'ch', 'cl', 'reg', 'regs', 'ss', 'gen', 'sen', 'rep', 'gov', 'hon', 'rt', 'jr', 'sr',
  'inc', 'ltd', 'co', 'corp', 'dept', 'est', 'op', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug',
  'sep', 'sept', 'oct', 'nov', 'dec', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'ref', 'u.s',
  'u.k', 'u.n', 'e.u', 'a.m', 'p.m', 'cap', 'min', 'max', 'govt', 'admin', 'assn', 'intl', 'natl',
]);

const NUMBER_ABBREVIATIONS = new Set([
  'no', 'nos', 'art', 'arts', 'para', 'paras', 'pp', 'sec', 'secs', 'ss', 'fig', 'figs', 'vol', 'vols',
  'ch', 'cl', 'reg', 'regs',
]);

/** Words that, after a dotted acronym ("U.S."), show the acronym ended the sentence. */
const SENTENCE_STARTERS = new Set([
  'the', 'we', 'this', 'it', 'they', 'he', 'she', 'in', 'a', 'an', 'our', 'these', 'those', 'there',
  'however', 'but', 'i', 'you', 'as', 'that', 'such', 'while', 'today', 'furthermore', 'moreover',
]);

const OPENERS = `"'“‘«‹([`;
const CLOSERS = `"'”’»›)]`;
const TERMINATORS = '.!?…';

/**
 * Split one paragraph into sentences. Line breaks inside the paragraph are treated as spaces.
 * Robust to abbreviations ("Mr.", "e.g.", "No. 5", "U.S."), initials ("William P. Barr"),
 * decimals ("4.5") and closing quotes after the full stop.
 */
export function splitSentences(paragraph: string): string[] {
  const text = paragraph.replace(/\s+/g, ' ').trim();
  if (text === '') return [];
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (!TERMINATORS.includes(ch)) { i++; continue; }
    let end = i + 1;
    while (end < text.length && TERMINATORS.includes(text[end])) end++;
    while (end < text.length && CLOSERS.includes(text[end])) end++;
    if (end >= text.length) break;
    if (text[end] !== ' ') { i = end; continue; }
    let next = end + 1;
    while (next < text.length && OPENERS.includes(text[next])) next++;
    if (isBoundary(text, start, i, ch, next)) {
      out.push(text.slice(start, end).trim());
      start = end + 1;
    }
    i = end;
  }
  const rest = text.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}

function isBoundary(text: string, start: number, dot: number, term: string, next: number): boolean {
  const following = text.slice(next).match(/^\S+/)?.[0] ?? '';
  const firstChar = following[0] ?? '';
  const startsUpper = /[\p{Lu}\p{N}•]/u.test(firstChar);
  if (term === '?' || term === '!') return startsUpper || /\p{Lt}/u.test(firstChar);
  if (term === '…') return startsUpper;
  if (!startsUpper) return false;
  // The word that ends in this full stop, without leading punctuation.
  const before = text.slice(start, dot);
  // A list label at the start of a paragraph ("2. All participants …", "iv. Ministers …").
  if (/^\(?(?:\d{1,3}|[a-z]|[ivxlc]{1,6})$/i.test(before.trim())) return false;
  const word = (before.match(/[^\s"'“‘«‹(\[]+$/)?.[0] ?? '').toLowerCase();
  if (word === '') return true;
  if (/^\p{L}$/u.test(word)) {
    // A single capital letter is an initial ("William P. Barr") unless it is the sentence's
    // only word or a list label; treat as initial.
    return false;
  }
  // "No. 5", "para. 4": a number follows; "we said no. The …": a sentence ended.
  if (NUMBER_ABBREVIATIONS.has(word)) return !/^\p{N}/u.test(firstChar);
  if (ABBREVIATIONS.has(word)) {
    // Dotted acronyms like "U.S." end a sentence only when a typical sentence opener follows.
    if (word.includes('.')) return SENTENCE_STARTERS.has(following.toLowerCase().replace(/\W+$/, ''));
    return false;
  }
  if (/^(\p{L}\.)+\p{L}$/u.test(word)) {
    return SENTENCE_STARTERS.has(following.toLowerCase().replace(/\W+$/, ''));
  }
  return true;
}

const BULLET_LINE = /^\s*(?:[•▪◦·‣∙*–-]\s|\(?\d{1,3}[.)]\s|\(?[a-z][.)]\s)/u;

/**
 * Split a text into paragraphs: blank lines always separate; inside a block, a single line
 * break separates only when it looks like a hard break (a bullet line, or a short line
 * without closing punctuation followed by a capital), so reflowed prose stays one paragraph.
 * This lets PDF text with one line per row ("pdftotext") be compared with HTML text.
 */
export function splitParagraphs(text: string): string[] {
  const out: string[] = [];
  for (const block of text.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/)) {
    const lines = block.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    if (lines.length === 0) continue;
    const longest = Math.max(...lines.map((l) => l.length));
    let current: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (current.length > 0 && startsNewParagraph(current[current.length - 1], line, longest)) {
        out.push(current.join(' '));
        current = [];
      }
      current.push(line);
    }
    if (current.length > 0) out.push(current.join(' '));
  }
  return out.map((p) => p.replace(/\s+/g, ' ').trim()).filter((p) => p !== '');
}

function startsNewParagraph(prev: string, line: string, longest: number): boolean {
  // A bare number on its own line is a page number or footnote label, never part of prose.
  if (BULLET_LINE.test(line) || /^\d{1,4}$/.test(line) || /^\d{1,4}$/.test(prev)) return true;
  const startsUpper = /^[\p{Lu}\p{N}"'“‘(]/u.test(line);
  if (!startsUpper) return false;
  const short = prev.length < longest * 0.7;
  if (/[.!?:;]["'”’)]?$/.test(prev)) return short;
  return short && !/[,]$/.test(prev);
}

const SINGLE_QUOTES = /[‘’‚‛′`´]/g;
const DOUBLE_QUOTES = /[“”„‟″«»‹›]/g;
const DASHES = /[‐‑‒–—―−﹘﹣－]/g;
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;

/**
 * Fold what typography changes without changing wording: case, quote marks (curly,
 * straight, guillemets), dashes, ellipsis style, invisible characters and whitespace.
 * An apostrophe between letters stays an apostrophe; any other quote mark becomes '"'.
 */
export function normalizeForMatch(s: string): string {
  return s
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(DOUBLE_QUOTES, '"')
    .replace(SINGLE_QUOTES, "'")
    .replace(/(^|[^\p{L}\p{N}])'|'(?=$|[^\p{L}\p{N}])/gu, '$1"')
    .replace(DASHES, '-')
    .replace(/\s*-\s*-\s*/g, ' - ')
    .replace(/\.\s*\.\s*\./g, '…')
    .replace(/…/g, '...')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/**
 * A stricter key for "cosmetic only": normalizeForMatch, then quote marks dropped
 * entirely (so ‘…’, and “…,” vs ‘…’, compare equal), spacing around punctuation ignored,
 * and a hyphen between letters read as a space.
 */
export function cosmeticKey(s: string): string {
  return normalizeForMatch(s)
    .replace(/["]/g, '')
    .replace(/\s+([,.;:!?)\]])/g, '$1')
    .replace(/([(\[])\s+/g, '$1')
    .replace(/\s*-\s*/g, '-')
    // Hyphenation style: "Attorneys-General" / "Attorneys General" (not a minus sign before a digit).
    .replace(/(\p{L})-(?=\p{L})/gu, '$1 ')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface WordToken {
  /** Normalised word (normalizeForMatch applied to it). */
  norm: string;
  /** Offsets in the string the tokens were taken from. */
  start: number;
  end: number;
}

const WORD = /(?:\p{L}\.){2,}|[\p{L}\p{N}]+(?:['’][\p{L}]+)*(?:[.,][\p{N}]+)*%?/gu;

/** Contractions read as their full words, so "don't" and "do not" are the same words. */
const CONTRACTIONS: [RegExp, (m: RegExpMatchArray) => string[]][] = [
  [/^(can)not$/, () => ['can', 'not']],
  [/^won't$/, () => ['will', 'not']],
  [/^shan't$/, () => ['shall', 'not']],
  [/^can't$/, () => ['can', 'not']],
  [/^(\p{L}+)n't$/u, (m) => [m[1], 'not']],
  [/^(\p{L}+)'re$/u, (m) => [m[1], 'are']],
  [/^(\p{L}+)'ve$/u, (m) => [m[1], 'have']],
  [/^(\p{L}+)'ll$/u, (m) => [m[1], 'will']],
  [/^i'm$/, () => ['i', 'am']],
];

function expand(norm: string): string[] {
  if (!norm.includes("'") && norm !== 'cannot') return [norm];
  for (const [re, parts] of CONTRACTIONS) {
    const m = norm.match(re);
    if (m) return parts(m);
  }
  return [norm];
}

/**
 * Words of a text with their offsets: letters/digits, inner apostrophes ("Facebook’s"),
 * numbers with separators ("12,300", "4.5%"), dotted acronyms ("U.S." = "US"), contractions
 * as full words ("don't" = "do not", both with the contraction's offsets). Hyphenated compounds split into words, so
 * "end-to-end" and "end to end" have the same words.
 */
export function wordTokens(s: string): WordToken[] {
  const out: WordToken[] = [];
  for (const m of s.matchAll(WORD)) {
    // Dotted acronyms lose their dots so "U.S." and "US" are the same word.
    const word = /^(?:\p{L}\.){2,}$/u.test(m[0]) ? m[0].replace(/\./g, '') : m[0];
    // Plain ASCII words (most of them) only need lower-casing; the full fold is for the rest.
    const folded = /^[A-Za-z0-9]+$/.test(word) ? word.toLowerCase() : normalizeForMatch(word);
    for (const norm of expand(folded)) out.push({ norm, start: m.index!, end: m.index! + m[0].length });
  }
  return out;
}

/** The normalised words of a text (see wordTokens). */
export function words(s: string): string[] {
  return wordTokens(s).map((t) => t.norm);
}
