import { describe, expect, it } from 'vitest';
import { compareTexts } from '../../src/analyze/index.js';
import { fixtureText, raw, STATEMENTS } from './fixtures.js';

describe('cross-site comparison: the 2019 letter as PDF text vs the GOV.UK HTML excerpt', () => {
  const pdf = raw(STATEMENTS.letter);
  const html = raw(STATEMENTS.letterHtml);
  const result = compareTexts(pdf, html, { excerpt: 'b' });

  it('classifies the heading case and the quote-mark style as cosmetic', () => {
    const cosmetic = result.differences.filter((d) => d.kind === 'cosmetic');
    expect(cosmetic).toContainEqual({ kind: 'cosmetic', a: 'FACEBOOK’S', b: 'Facebook’s', detail: 'case' });
    expect(cosmetic).toContainEqual({ kind: 'cosmetic', a: 'PROPOSALS', b: 'proposals', detail: 'case' });
    expect(cosmetic).toContainEqual({ kind: 'cosmetic', a: 'Networking,” you', b: 'Networking’, you', detail: 'quote marks' });
    expect(cosmetic).toContainEqual({ kind: 'cosmetic', a: '2019, “A', b: '2019, ‘A', detail: 'quote marks' });
  });

  it('finds no wording difference in the shared text; only GOV.UK page furniture is extra', () => {
    expect(result.differences.filter((d) => d.kind === 'changed' || d.kind === 'only-a')).toEqual([]);
    const header = html.slice(0, html.indexOf('\nMark Zuckerberg\nChief'));
    const extra = result.differences.filter((d) => d.kind === 'only-b');
    expect(extra.length).toBeGreaterThan(0);
    for (const d of extra) expect(header.replace(/\s+/g, ' ')).toContain(d.b.replace(/\s+/g, ' ').replace(/ Mark Zuckerberg$/, ''));
    expect(result.sharedWords).toBeGreaterThan(250);
    // Line breaks (PDF) against paragraphs (HTML) are never differences.
    expect(result.differences.some((d) => d.a.trim() === '' && d.b.trim() === '')).toBe(false);
  });

  it('is cosmetic overall once the page furniture is left out', () => {
    const body = html.slice(html.indexOf('Mark Zuckerberg\nChief'));
    expect(compareTexts(pdf, body, { excerpt: 'b' }).cosmetic).toBe(true);
  });

  it('does report a real wording difference between two copies', () => {
    const edited = fixtureText('letterHtml').replace('We support strong encryption', 'We support encryption');
    const r = compareTexts(fixtureText('letterHtml'), edited);
    expect(r.cosmetic).toBe(false);
    expect(r.differences).toEqual([{ kind: 'only-a', a: 'strong', b: '', detail: '1 word only in the first text' }]);
  });
});
