/** Silent edit / declared update without change (see ../silent.ts), as a significance reason. */
import { detectSilentEdit } from '../silent.js';
import type { DocumentRule } from './types.js';

export const silentEditRule: DocumentRule = {
  kind: 'document',
  name: 'silent-edit',
  description: 'wording changed with no new declared date or change note, or a declared update with no wording change',
  level: 'medium',
  run(ctx, summary) {
    const d = ctx.options.declarations;
    if (!d) return [];
    const result = detectSilentEdit({ prev: d.prev, cur: d.cur, textChanged: summary.wordingChanged });
    return result.kind ? [{ message: result.message }] : [];
  },
};
