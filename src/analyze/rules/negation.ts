/** Negation added or dropped ("no interest or intention to weaken encryption" → "… to weaken encryption"). */
import type { WordHunk } from '../align.js';
import type { WordToken } from '../sentences.js';
import { q, span } from './util.js';
import type { ContentRule, Finding, JudgedUnit } from './types.js';

const NEGATORS = new Set(['not', 'no', 'never', 'none', 'nor', 'neither', 'nothing', 'nobody', 'nowhere', 'cannot', 'without', 'non']);

export function isNegator(word: string): boolean {
  return NEGATORS.has(word) || /n't$/.test(word);
}

const TAIL_WORDS = 3;

function phrase(text: string, run: WordToken[], tail: WordToken[]): string {
  if (run.length === 0) return `… ${span(text, tail)}`.trim();
  return span(text, [...run, ...tail]);
}

function describe(unit: JudgedUnit, h: WordHunk): [string, string] {
  const tailB = unit.beforeWords.slice(h.beforeIndex + h.removed.length, h.beforeIndex + h.removed.length + TAIL_WORDS);
  const tailA = unit.afterWords.slice(h.afterIndex + h.added.length, h.afterIndex + h.added.length + TAIL_WORDS);
  return [phrase(unit.cmpBefore, h.removed, tailB), phrase(unit.cmpAfter, h.added, tailA)];
}

export const negationRule: ContentRule = {
  kind: 'content',
  name: 'negation',
  description: 'a negation added or dropped in an edited sentence (not, no, never, without, n\'t …)',
  level: 'high',
  run(unit) {
    if (unit.kind !== 'edited') return [];
    const out: Finding[] = [];
    for (const h of unit.hunks) {
      const removed = h.removed.filter((t) => isNegator(t.norm)).length;
      const added = h.added.filter((t) => isNegator(t.norm)).length;
      if (removed === added) continue;
      const [from, to] = describe(unit, h);
      out.push({ message: `negation ${removed > added ? 'dropped' : 'added'}: ${q(from)} → ${q(to)}` });
    }
    return out;
  },
};
