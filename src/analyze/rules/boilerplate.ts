/** Noise: navigation, header, footer, cookie banner and rotating blocks that slipped past extraction. */
import { furnitureReason } from '../boilerplate.js';
import type { NoiseRule } from './types.js';

export const boilerplateRule: NoiseRule = {
  kind: 'noise',
  name: 'boilerplate',
  description: 'navigation, header/footer, cookie banner, rotating "related"/"latest news"/social blocks',
  classify(unit, ctx) {
    const why = (side: 'before' | 'after') => {
      const index = side === 'before' ? unit.beforePara : unit.afterPara;
      const text = side === 'before' ? unit.before : unit.after;
      if (index !== undefined) return ctx.boilerplate[side].get(index);
      return furnitureReason(text);
    };
    const b = unit.kind === 'added' ? 'n/a' : why('before');
    const a = unit.kind === 'removed' ? 'n/a' : why('after');
    if (!a || !b) return undefined;
    const reason = a === 'n/a' ? b : a;
    return `${reason} changed: page furniture, not the statement`;
  },
};
