/** A qualification added or removed ("where lawfully authorised", "subject to", "necessary and proportionate"). */
import { q } from './util.js';
import type { ContentRule, Finding } from './types.js';

const PHRASES = [
  'where (?:lawfully|legally) (?:authori[sz]ed|permitted|required)',
  '(?:lawfully|legally) authori[sz]ed',
  'under (?:appropriate )?(?:legal |lawful |judicial )?(?:authori[sz]ation|safeguards|oversight)',
  'subject to',
  'necessary and proportionate',
  'proportionate',
  'in (?:accordance|line|compliance) with (?:the |applicable |national |domestic |international )*(?:law|laws|legislation)',
  'consistent with',
  '(?:with|under) (?:appropriate|strong|robust|rigorous) (?:safeguards|oversight|protections)',
  'where (?:appropriate|possible|necessary|practicable|feasible)',
  'as (?:appropriate|necessary)',
  'if (?:necessary|appropriate|required)',
  'to the extent (?:possible|necessary|permitted|practicable)',
  'unless',
  'except(?: where| when| for| in)?',
  'provided that',
  'in exceptional circumstances',
  'on a case-by-case basis',
  'technically feasible',
  'lawful(?:ly)?',
  'legal(?:ly)?',
  'wholly',
  'materially',
  'in principle',
];

const MATCHERS = PHRASES.map((p) => ({ p, re: new RegExp(`(?<![\\p{L}\\p{N}])(?:${p})(?![\\p{L}\\p{N}])`, 'giu') }));

function found(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  let rest = text;
  // Longer phrases first: "where lawfully authorised" must not also count as "lawfully".
  for (const { re } of MATCHERS) {
    rest = rest.replace(re, (m) => {
      const key = m.toLowerCase().replace(/\s+/g, ' ');
      counts.set(key, (counts.get(key) ?? 0) + 1);
      return ' ';
    });
  }
  return counts;
}

export const qualificationRule: ContentRule = {
  kind: 'content',
  name: 'qualification',
  description: 'a legal or scope qualification added or removed in an edited sentence',
  level: 'high',
  run(unit) {
    if (unit.kind !== 'edited') return [];
    const before = found(unit.cmpBefore);
    const after = found(unit.cmpAfter);
    const out: Finding[] = [];
    for (const key of new Set([...before.keys(), ...after.keys()])) {
      const diff = (after.get(key) ?? 0) - (before.get(key) ?? 0);
      if (diff < 0) out.push({ message: `qualification removed: ${q(key)}` });
      if (diff > 0) out.push({ message: `qualification added: ${q(key)}` });
    }
    return out;
  },
};
