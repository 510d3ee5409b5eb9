/** Named parties (countries, public bodies) added to or removed from a list or sentence. */
import { findParties, type PartyMention } from '../parties.js';
import { STOPWORDS } from './util.js';
import type { ContentRule, Finding, RuleContext } from './types.js';

/** An added/removed sentence this short is a list item ("• Japan", "the United States"). */
const MAX_LIST_ITEM_WORDS = 8;

function tally(list: PartyMention[]): Map<string, PartyMention[]> {
  const m = new Map<string, PartyMention[]>();
  for (const p of list) m.set(p.key, [...(m.get(p.key) ?? []), p]);
  return m;
}

function label(p: PartyMention, ctx: RuleContext): string {
  if (p.type === 'body') return 'agency';
  const signing = /\bsign(?:ed|atory|atories|ing)\b|\bundersigned\b|\bco-?sign/i;
  return signing.test(ctx.doc.after) || signing.test(ctx.doc.before) ? 'signatory' : 'country';
}

export const partiesRule: ContentRule = {
  kind: 'content',
  name: 'parties',
  description: 'a country (i18n-iso-countries names and aliases) or public body added to or removed from a list or sentence',
  level: 'high',
  run(unit, ctx) {
    if (unit.kind === 'moved') return [];
    if (unit.kind !== 'edited') {
      const text = unit.kind === 'added' ? unit.cmpAfter : unit.cmpBefore;
      const count = text.split(/\s+/).filter((w) => /\p{L}/u.test(w) && !STOPWORDS.has(w.toLowerCase())).length;
      if (count > MAX_LIST_ITEM_WORDS) return [];
    }
    const before = tally(findParties(unit.cmpBefore));
    const after = tally(findParties(unit.cmpAfter));
    const out: Finding[] = [];
    for (const [key, list] of after) {
      const extra = list.length - (before.get(key)?.length ?? 0);
      if (extra > 0) out.push({ message: `${label(list[0], ctx)} added: ${list[0].name}` });
    }
    for (const [key, list] of before) {
      const gone = list.length - (after.get(key)?.length ?? 0);
      if (gone > 0) out.push({ message: `${label(list[0], ctx)} removed: ${list[0].name}` });
    }
    return out;
  },
};
