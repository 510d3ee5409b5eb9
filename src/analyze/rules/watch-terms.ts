/** Configured watch terms (e.g. encryption, backdoor, lawful access) touched by a change. */
import { editSubstance, q } from './util.js';
import type { ContentRule, Finding } from './types.js';

const cache = new Map<string, RegExp>();

/** A term as a pattern: case-insensitive, spaces and hyphens interchangeable, plural allowed. */
export function termPattern(term: string): RegExp {
  let re = cache.get(term);
  if (!re) {
    const parts = term.trim().split(/[\s\-‐‑–—]+/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    re = new RegExp(`(?<![\\p{L}\\p{N}])${parts.join('[\\s\\-‐‑–—]*')}(?:s|es)?(?![\\p{L}\\p{N}])`, 'giu');
    cache.set(term, re);
  }
  re.lastIndex = 0;
  return re;
}

function count(text: string, term: string): number {
  return (text.match(termPattern(term)) ?? []).length;
}

export const watchTermsRule: ContentRule = {
  kind: 'content',
  name: 'watch-terms',
  description: 'a configured watch term added, removed, or in a sentence whose wording changed',
  level: 'high',
  run(unit, ctx) {
    if (unit.kind === 'moved') return [];
    const out: Finding[] = [];
    for (const term of ctx.options.watchTerms) {
      if (term.trim() === '') continue;
      const b = count(unit.cmpBefore, term);
      const a = count(unit.cmpAfter, term);
      if (a === 0 && b === 0) continue;
      if (unit.kind === 'added') out.push({ message: `watch term ${q(term)} in added sentence` });
      else if (unit.kind === 'removed') out.push({ message: `watch term ${q(term)} in removed sentence` });
      else if (a > b) out.push({ message: `watch term ${q(term)} added` });
      else if (a < b) out.push({ message: `watch term ${q(term)} removed` });
      else if (editSubstance(unit) === 'content') out.push({ message: `watch term ${q(term)} touched: its sentence was reworded` });
    }
    return out;
  },
};
