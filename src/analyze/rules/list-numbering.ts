/** Noise: a list item renumbered (an item was inserted or removed above it) or its bullet glyph changed. */
import { q } from './util.js';
import type { NoiseRule } from './types.js';

const LABEL = /^\s*(?:\(?\d{1,3}[.)]|\(?[a-z][.)]|\(?[ivxl]{1,5}[.)]|[•▪◦·‣∙○●■□*–-])\s+/i;

export const listNumberingRule: NoiseRule = {
  kind: 'noise',
  name: 'list-numbering',
  description: 'a list item whose number, letter or bullet label changed and nothing else',
  mask: (before, after) => [before.replace(LABEL, ''), after.replace(LABEL, '')],
  explain: (unit) => {
    const label = (s: string) => s.match(LABEL)?.[0].trim() ?? '';
    return `list item renumbered: ${q(label(unit.before))} → ${q(label(unit.after))}`;
  },
};
