/** Noise: typography only (case, quote marks, dashes, ellipsis, whitespace). Reported as cosmetic. */
import type { NoiseRule } from './types.js';

const CLASSES: [string, RegExp][] = [
  ['quote marks', /["'“”‘’‚‛„‟«»‹›`´′″]/g],
  ['dashes', /[-‐‑‒–—―−]/g],
  ['ellipsis', /…|\.\s?\.\s?\./g],
];

/** Which kinds of typography differ between two texts that are equal up to typography. */
export function typographyKinds(a: string, b: string): string[] {
  const kinds: string[] = [];
  for (const [name, re] of CLASSES) {
    if ((a.match(re) ?? []).join('') !== (b.match(re) ?? []).join('')) kinds.push(name);
  }
  const letters = (s: string) => s.replace(/[^\p{L}]/gu, '');
  if (letters(a) !== letters(b)) kinds.push('case');
  const punct = (s: string) => s.replace(/[\p{L}\p{N}\s"'“”‘’‚‛„‟«»‹›`´′″\-‐‑‒–—―−…]/gu, '');
  if (punct(a) !== punct(b) && kinds.includes('quote marks')) kinds.push('punctuation around quotes');
  if (kinds.length === 0) kinds.push('whitespace');
  return kinds;
}

export const cosmeticRule: NoiseRule = {
  kind: 'noise',
  name: 'cosmetic',
  description: 'typography only: case, quote marks, dashes, ellipsis, whitespace (reported as cosmetic, never alerts)',
  mask: (before, after) => [before, after],
  explain: (unit) => `cosmetic: ${typographyKinds(unit.before, unit.after).join(', ')} only`,
};
