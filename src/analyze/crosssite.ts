/**
 * Cross-site comparison: the same statement as published by two sites (a PDF and an HTML
 * page, two governments' copies). Compared word by word over the whole text, so paragraph
 * breaks and reflow never count; typography (case, quote marks, dashes, ellipsis, spacing)
 * is cosmetic; anything else is a real difference.
 */
import { diffArrays } from 'diff';
import { typographyKinds } from './rules/cosmetic.js';
import { q } from './rules/util.js';
import { cosmeticKey, wordTokens, type WordToken } from './sentences.js';

export interface TextDifference {
  kind: 'cosmetic' | 'changed' | 'only-a' | 'only-b';
  a: string;
  b: string;
  /** What differs, e.g. "quote marks, case". */
  detail: string;
}

export interface TextComparison {
  /** No wording differs: every difference is typographic. */
  cosmetic: boolean;
  differences: TextDifference[];
  /** Words the two texts share in order. */
  sharedWords: number;
}

export interface CompareOptions {
  /** That side is an excerpt (cut short): text of the other side past its end is not a difference. */
  excerpt?: 'a' | 'b';
  /** Bound on word edits before giving up on a word-by-word comparison (default 20,000). */
  maxEdits?: number;
}

const words = (n: number) => `${n} word${n === 1 ? '' : 's'}`;

const slice = (text: string, tokens: WordToken[], from: number, to: number) =>
  to > from ? text.slice(tokens[from].start, tokens[to - 1].end) : '';

export function compareTexts(a: string, b: string, opts: CompareOptions = {}): TextComparison {
  const ta = wordTokens(a);
  const tb = wordTokens(b);
  const parts = diffArrays(ta, tb, { comparator: (x, y) => x.norm === y.norm, maxEditLength: opts.maxEdits ?? 20_000 });
  if (!parts) {
    return {
      cosmetic: false,
      sharedWords: 0,
      differences: [{ kind: 'changed', a: q(a, 80), b: q(b, 80), detail: 'too different to compare word by word' }],
    };
  }
  const differences: TextDifference[] = [];
  let ia = 0;
  let ib = 0;
  let shared = 0;
  parts.forEach((part, n) => {
    if (!part.added && !part.removed) {
      for (let k = 0; k < part.count; k++) typography(a, b, ta, tb, ia + k, ib + k, k + 1 < part.count, differences);
      shared += part.count;
      ia += part.count;
      ib += part.count;
      return;
    }
    const atEnd = parts.slice(n + 1).every((p) => p.added || p.removed);
    if (part.removed) {
      if (!(atEnd && opts.excerpt === 'b')) differences.push({ kind: 'only-a', a: slice(a, ta, ia, ia + part.count), b: '', detail: `${words(part.count)} only in the first text` });
      ia += part.count;
    } else {
      const text = slice(b, tb, ib, ib + part.count);
      const last = differences[differences.length - 1];
      if (parts[n - 1]?.removed && last?.kind === 'only-a') differences.splice(-1, 1, { kind: 'changed', a: last.a, b: text, detail: 'wording' });
      else if (!(atEnd && opts.excerpt === 'a')) differences.push({ kind: 'only-b', a: '', b: text, detail: `${words(part.count)} only in the second text` });
      ib += part.count;
    }
  });
  return { cosmetic: differences.every((d) => d.kind === 'cosmetic'), differences, sharedWords: shared };
}

/** A word shared by both texts: its spelling (case, apostrophe) and the gap after it (quotes, dashes, spacing). */
function typography(a: string, b: string, ta: WordToken[], tb: WordToken[], i: number, j: number, gap: boolean, out: TextDifference[]): void {
  const wa = a.slice(ta[i].start, ta[i].end);
  const wb = b.slice(tb[j].start, tb[j].end);
  if (wa !== wb) out.push({ kind: 'cosmetic', a: wa, b: wb, detail: typographyKinds(wa, wb).join(', ') });
  if (!gap) return;
  const ga = a.slice(ta[i].end, ta[i + 1].start);
  const gb = b.slice(tb[j].end, tb[j + 1].start);
  if (ga.replace(/\s+/g, ' ') === gb.replace(/\s+/g, ' ')) return;
  const ctxA = `${wa}${ga}${a.slice(ta[i + 1].start, ta[i + 1].end)}`;
  const ctxB = `${wb}${gb}${b.slice(tb[j + 1].start, tb[j + 1].end)}`;
  if (ga.trim() === '' && gb.trim() === '') return;
  const cosmetic = cosmeticKey(ga) === cosmeticKey(gb);
  out.push({ kind: cosmetic ? 'cosmetic' : 'changed', a: ctxA, b: ctxB, detail: cosmetic ? typographyKinds(ga, gb).join(', ') : 'punctuation' });
}
