import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../src/extract/index.js';

describe('normalizeText', () => {
  it('composes to NFC', () => {
    expect(normalizeText('Espan\u0303ol')).toBe('Español');
  });

  it('turns NBSP and other Unicode spaces into plain spaces and collapses runs', () => {
    expect(normalizeText('a\u00A0\u00A0b\u2009c\u3000d\u202Fe\tf')).toBe('a b c d e f');
  });

  it('removes zero-width characters, BOM and soft hyphens', () => {
    expect(normalizeText('\uFEFFen\u00ADcryp\u200Btion\u200C \u200Dlaw\u2060ful')).toBe('encryption lawful');
  });

  it('keeps quote marks and punctuation exactly', () => {
    const s = 'Facebook’s “Privacy first” proposals – ‘A Privacy-Focused Vision’ … "plain" \'single\'';
    expect(normalizeText(s)).toBe(s);
  });

  it('trims paragraphs, keeps one blank line between them and single line breaks inside', () => {
    expect(normalizeText('  First  para \n\n\n\n  Second\r\n  line two  \n \n')).toBe('First para\n\nSecond\nline two');
  });

  it('drops control characters but not wording', () => {
    expect(normalizeText('must\u0000 not\u0007 be\u0085weakened')).toBe('must not be\nweakened');
  });

  it('is idempotent', () => {
    const once = normalizeText(' a\u00A0 b \n\n\n c\u200B ');
    expect(normalizeText(once)).toBe(once);
  });
});
