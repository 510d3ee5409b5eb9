/** Noise: navigation, header, footer, cookie banner and rotating blocks that slipped past extraction. */
import { furnitureReason } from '../boilerplate.js';
import type { NoiseRule } from './types.js';

export const boilerplateRule: NoiseRule = {
  kind: 'noise',
  name: 'boilerplate',
  description: 'navigation, header/footer, cookie banner, rotating "related"/"latest news"/social blocks',
  classify(unit, ctx) {
    // Judge by the paragraphs the unit was located in; by its own text when it could not be.
    const located: (string | undefined)[] = [];
    if (unit.beforePara !== undefined) located.push(ctx.boilerplate.before.get(unit.beforePara));
    if (unit.afterPara !== undefined) located.push(ctx.boilerplate.after.get(unit.afterPara));
    const reasons = located.length > 0 ? located : [unit.before, unit.after].filter((t) => t !== '').map(furnitureReason);
    if (reasons.length === 0 || reasons.some((r) => r === undefined)) return undefined;
    return `${reasons[reasons.length - 1]} changed: page furniture, not the statement`;
  },
};
