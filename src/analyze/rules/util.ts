/** Helpers shared by rules: quoting page text in messages, and how substantial an edit is. */
import type { WordHunk } from '../align.js';
import { definesAcronym, findCountries } from '../parties.js';
import { words, type WordToken } from '../sentences.js';
import type { JudgedUnit } from './types.js';

const MAX_QUOTE = 160;

/**
 * Page text quoted in a message: control characters removed (page content is hostile and
 * messages reach terminals, mail and chat), whitespace collapsed, long text shortened.
 */
export function q(s: string, max = MAX_QUOTE): string {
  let t = s.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, ' ').replace(/\s+/g, ' ').trim();
  if (t.length > max) t = `${t.slice(0, max - 1).trimEnd()}…`;
  return `"${t}"`;
}

/** The original text covered by a run of tokens (from the first token's start to the last's end). */
export function span(text: string, tokens: WordToken[]): string {
  if (tokens.length === 0) return '';
  return text.slice(tokens[0].start, tokens[tokens.length - 1].end);
}

/** Function words. Quantifiers (all, some, any, each, more …) are left out: they change a claim's scope. */
export const STOPWORDS = new Set(
  ('a an the and or but if of to in on at by for with from as into onto upon about over under than then that this these those ' +
    'it its it\'s is are was were be been being am do does did has have had having so such too very also just only ' +
    'we our us you your they their them he she his her i me my which who whom whose what when where while there here ' +
    'such own same other')
    .split(/\s+/),
);

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > 3) return Math.max(a.length, b.length);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** A one-for-one word swap that only corrects spelling ("recognized" → "recognised", "recieve" → "receive"). */
export function isSpellingFix(hunk: WordHunk): boolean {
  if (hunk.removed.length !== 1 || hunk.added.length !== 1) return false;
  const a = hunk.removed[0].norm;
  const b = hunk.added[0].norm;
  if (/\d/.test(a + b) || Math.min(a.length, b.length) < 5) return false;
  const d = levenshtein(a, b);
  return d <= 2 && d / Math.max(a.length, b.length) <= 0.25;
}

export type Substance = 'punctuation' | 'spelling' | 'equivalent' | 'function-words' | 'content';

const numericValue = (w: string) => (/^\d[\d,]*(?:\.\d+)?$/.test(w) ? Number(w.replace(/,/g, '')) : Number.NaN);

/** An acronym definition added or dropped after its name: "Five Country Ministerial (FCM)". */
function isAcronymDefinition(unit: JudgedUnit, hunk: WordHunk): boolean {
  const [tokens, text] = hunk.removed.length === 0 ? [hunk.added, unit.cmpAfter] : [hunk.removed, unit.cmpBefore];
  if (tokens.length !== 1 || hunk.removed.length + hunk.added.length !== 1) return false;
  const t = tokens[0];
  const acronym = text.slice(t.start, t.end);
  return /^[A-Z]{2,8}$/.test(acronym) && text[t.start - 1] === '(' && text[t.end] === ')' && definesAcronym(text.slice(0, t.start - 1), acronym);
}

/** A number written another way ("8,000" → "8000"). */
function isReformattedNumber(hunk: WordHunk): boolean {
  if (hunk.removed.length !== 1 || hunk.added.length !== 1) return false;
  const a = numericValue(hunk.removed[0].norm);
  return !Number.isNaN(a) && a === numericValue(hunk.added[0].norm);
}

/** A hunk that names the same countries differently ("United Kingdom" → "UK") and nothing else. */
function isRenaming(unit: JudgedUnit, hunk: WordHunk): boolean {
  const removed = span(unit.cmpBefore, hunk.removed);
  const added = span(unit.cmpAfter, hunk.added);
  const keys = (s: string) => findCountries(s).map((c) => c.key).sort().join(',');
  const k = keys(removed);
  if (k === '' || k !== keys(added)) return false;
  const rest = (s: string) => words(findCountries(s).reduce((t, c) => t.replace(c.name, ' '), s)).filter((w) => !STOPWORDS.has(w));
  return rest(removed).length === 0 && rest(added).length === 0;
}

/**
 * How much an edited sentence's wording changed: only punctuation (or contractions), only
 * spelling, only equivalent forms (another name for the same country, a number written
 * another way, an acronym definition), only function words ("the", "and"),
 * or content words.
 */
export function editSubstance(unit: JudgedUnit): Substance {
  if (unit.hunks.length === 0) return 'punctuation';
  if (unit.hunks.every(isSpellingFix)) return 'spelling';
  if (unit.hunks.every((h) => isSpellingFix(h) || isRenaming(unit, h) || isReformattedNumber(h) || isAcronymDefinition(unit, h))) return 'equivalent';
  const changed = unit.hunks.flatMap((h) => [...h.removed, ...h.added]);
  if (changed.every((t) => STOPWORDS.has(t.norm))) return 'function-words';
  return 'content';
}

/** What a hunk did, quoted: `"a" → "b"`, `added "b"`, `dropped "a"`. */
export function describeHunk(unit: JudgedUnit, hunk: WordHunk): string {
  const removed = span(unit.cmpBefore, hunk.removed);
  const added = span(unit.cmpAfter, hunk.added);
  if (removed && added) return `${q(removed)} → ${q(added)}`;
  if (added) return `added ${q(added)}`;
  return `dropped ${q(removed)}`;
}
