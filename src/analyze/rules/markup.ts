/**
 * Noise: text that markup puts into the extracted text without changing the statement:
 * footnote markers ("Footnote1", "[2]", "¹"), link decorations ("(opens in new tab)",
 * "(PDF, 96.8 KB)", "(external link)").
 */
import type { NoiseRule } from './types.js';

const RESIDUE = new RegExp(
  [
    '\\bFootnote\\s?\\d{1,3}\\b',
    '\\[\\s?(?:\\d{1,3}|[a-z]|note \\d{1,3}|citation needed)\\s?\\]',
    '[¹²³⁴⁵⁶⁷⁸⁹⁰]+',
    '\\((?:opens|open) in (?:a )?new (?:tab|window)\\)',
    '\\((?:external|internal) (?:link|site|website)\\)',
    '\\((?:PDF|HTML|MS Word Document|ODT|CSV|XLSX?|DOCX?)(?:,\\s*[\\d.,]+\\s*(?:[KMG]B|bytes|pages?))*\\)',
  ].join('|'),
  'gi',
);

export function maskMarkupResidue(text: string): string {
  return text.replace(RESIDUE, ' ');
}

export const markupRule: NoiseRule = {
  kind: 'noise',
  name: 'markup',
  description: 'footnote markers and link decorations that markup put into the text ("Footnote1", "[2]", "(PDF, 96 KB)")',
  mask: (before, after) => [maskMarkupResidue(before), maskMarkupResidue(after)],
  explain: () => 'markup residue changed (footnote markers, link decorations): noise',
};
