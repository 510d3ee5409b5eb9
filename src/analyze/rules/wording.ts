/** Any other edit of a sentence's wording, graded by substance (fallback when no specific rule fired). */
import { describeHunk, editSubstance } from './util.js';
import type { ContentRule, Finding } from './types.js';

const MAX_DESCRIBED = 3;

export const wordingRule: ContentRule = {
  kind: 'content',
  name: 'wording',
  description: 'other wording edits: content words (medium); spelling, equivalent forms, function words or punctuation only (low)',
  level: 'medium',
  fallback: true,
  run(unit) {
    if (unit.kind !== 'edited') return [];
    const substance = editSubstance(unit);
    if (substance === 'punctuation') return [{ message: 'punctuation or contractions changed', level: 'low' }];
    const described = unit.hunks.slice(0, MAX_DESCRIBED).map((h) => describeHunk(unit, h));
    const more = unit.hunks.length > MAX_DESCRIBED ? ` and ${unit.hunks.length - MAX_DESCRIBED} more` : '';
    const list = `${described.join('; ')}${more}`;
    const findings: Record<typeof substance, Finding> = {
      spelling: { message: `spelling changed: ${list}`, level: 'low' },
      equivalent: { message: `same meaning, other form: ${list}`, level: 'low' },
      'function-words': { message: `minor wording changed: ${list}`, level: 'low' },
      content: { message: `wording changed: ${list}` },
    };
    return [findings[substance]];
  },
};
