/** Numbers, amounts, dates and percentages changed in statement prose. */
import { findDates } from '../dates.js';
import { q } from './util.js';
import type { ContentRule, Finding } from './types.js';

export interface Quantity {
  kind: 'date' | 'percentage' | 'amount' | 'figure';
  text: string;
  key: string;
}

const SCALE = '(?:\\s?(?:million|billion|trillion|thousand|hundred|bn|m|k)\\b)?';
const NUMBER_WORDS =
  'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|' +
  'twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions|billions|dozens?|half|twice|double|triple|quarter|third';
const PATTERNS: [Quantity['kind'], RegExp][] = [
  ['percentage', /[+-]?\d+(?:[.,]\d+)?\s?(?:%|per ?cent\b|percent\b)/giy],
  ['amount', new RegExp(`(?:[$£€¥]|US\\$|A\\$|C\\$|NZ\\$)\\s?\\d[\\d,]*(?:\\.\\d+)?${SCALE}`, 'giy')],
  ['amount', new RegExp(`\\d[\\d,]*(?:\\.\\d+)?${SCALE}\\s(?:dollars|pounds|euros|yen)\\b`, 'giy')],
  ['figure', new RegExp(`[+-]?\\d[\\d,]*(?:\\.\\d+)?(?:\\s?(?:million|billion|trillion|thousand|hundred)\\b)?(?![\\p{L}\\p{N}])`, 'giuy')],
  ['figure', new RegExp(`(?:${NUMBER_WORDS})(?:[- ](?:${NUMBER_WORDS}))*(?![\\p{L}])`, 'giuy')],
];

/** Quantities in a text, in order: dates first (so their digits are not figures), then the rest. */
export function quantities(text: string): Quantity[] {
  const out: { at: number; q: Quantity }[] = [];
  const taken: [number, number][] = [];
  for (const d of findDates(text)) {
    out.push({ at: d.start, q: { kind: 'date', text: d.text, key: `date:${d.text.toLowerCase().replace(/[\s,.]+/g, ' ')}` } });
    taken.push([d.start, d.end]);
  }
  let i = 0;
  while (i < text.length) {
    const inDate = taken.find(([s, e]) => i >= s && i < e);
    if (inDate) { i = inDate[1]; continue; }
    // Digits inside a word or code ("G7", "COVID-19") are not quantities.
    if (i > 0 && (/[\p{L}\p{N}]/u.test(text[i - 1]) || (text[i - 1] === '-' && /\p{L}/u.test(text[i - 2] ?? '')))) { i++; continue; }
    let matched = false;
    for (const [kind, re] of PATTERNS) {
      re.lastIndex = i;
      const m = re.exec(text);
      if (!m || m[0].trim() === '') continue;
      const raw = m[0].trim().replace(/,+$/, '');
      out.push({ at: i, q: { kind, text: raw, key: `${kind}:${raw.toLowerCase().replace(/[\s,]/g, '')}` } });
      i += m[0].length;
      matched = true;
      break;
    }
    if (!matched) i++;
  }
  return out.sort((a, b) => a.at - b.at).map((x) => x.q);
}

function minus(a: Quantity[], b: Quantity[]): Quantity[] {
  const counts = new Map<string, number>();
  for (const x of b) counts.set(x.key, (counts.get(x.key) ?? 0) + 1);
  return a.filter((x) => {
    const n = counts.get(x.key) ?? 0;
    if (n > 0) { counts.set(x.key, n - 1); return false; }
    return true;
  });
}

const NAMES: Record<Quantity['kind'], string> = { date: 'date', percentage: 'percentage', amount: 'amount', figure: 'figure' };

export const numbersRule: ContentRule = {
  kind: 'content',
  name: 'numbers',
  description: 'numbers, amounts, dates or percentages changed, added or removed in an edited sentence',
  level: 'medium',
  run(unit) {
    if (unit.kind !== 'edited') return [];
    const before = quantities(unit.cmpBefore);
    const after = quantities(unit.cmpAfter);
    const removed = minus(before, after);
    const added = minus(after, before);
    const out: Finding[] = [];
    for (const r of removed) {
      const sameKind = added.findIndex((x) => x.kind === r.kind);
      const a = sameKind >= 0 ? sameKind : added.length > 0 ? 0 : -1;
      if (a >= 0) {
        const [x] = added.splice(a, 1);
        out.push({ message: `${NAMES[r.kind]} changed: ${q(r.text)} → ${q(x.text)}` });
      } else {
        out.push({ message: `${NAMES[r.kind]} removed: ${q(r.text)}` });
      }
    }
    for (const a of added) out.push({ message: `${NAMES[a.kind]} added: ${q(a.text)}` });
    return out;
  },
};
