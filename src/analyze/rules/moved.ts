/** A sentence or paragraph moved without a change of wording. */
import { q } from './util.js';
import type { ContentRule } from './types.js';

export const movedRule: ContentRule = {
  kind: 'content',
  name: 'moved',
  description: 'text moved to another place without a change of wording',
  level: 'low',
  run(unit) {
    if (unit.kind !== 'moved') return [];
    return [{ message: `moved: ${q(unit.after || unit.before, 100)}` }];
  },
};
