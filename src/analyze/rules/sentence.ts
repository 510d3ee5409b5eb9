/** A sentence added to or removed from the statement. */
import { words } from '../sentences.js';
import { q } from './util.js';
import type { ContentRule } from './types.js';

export const sentenceRule: ContentRule = {
  kind: 'content',
  name: 'sentence',
  description: 'a sentence added or removed; a short text without closing punctuation (a heading, a label: fewer than minWords, default 5) is low',
  level: 'medium',
  run(unit, ctx) {
    if (unit.kind !== 'added' && unit.kind !== 'removed') return [];
    const text = unit.kind === 'added' ? unit.after : unit.before;
    // "This must stop." is a sentence; "Impact on public safety" is a heading.
    const closed = /[.!?…]["'”’)\]]*$/.test(text.trim());
    const short = !closed && words(text).length < ctx.param('minWords', 5);
    const what = short ? 'short text' : 'sentence';
    return [{ message: `${what} ${unit.kind}: ${q(text)}`, level: short ? 'low' : undefined }];
  },
};
