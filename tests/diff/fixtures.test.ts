/**
 * Real revisions from EDGI's fixtures (tests/fixtures/govpages/PROVENANCE.md).
 * The text is taken out of the HTML with a deliberately simple tag stripper,
 * so this test depends on the diff alone and not on the extract stage.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffText, rebuild, render } from '../../src/diff/index.js';

const GOV = join(import.meta.dirname, '..', 'fixtures', 'govpages');
const STATEMENTS = join(import.meta.dirname, '..', 'fixtures', 'statements');

function pageText(file: string): string {
  return readFileSync(join(GOV, file), 'utf8')
    .replace(/<(script|style|noscript)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(?:\/?(?:p|div|li|ul|ol|h[1-6]|tr|table|section|article|header|footer|nav)\b[^>]*|br\s*\/?)>/gi, '\n\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

describe('FEMA Hurricane Maria page, 3 → 5 October 2017', () => {
  const a = pageText('real_fema-hurricane-maria_2017-10-03.a.html');
  const b = pageText('real_fema-hurricane-maria_2017-10-05_mojibake.b.html');
  const r = diffText(a, b);
  const pairs = r.changes.map((c) => [c.removed, c.added]);

  it('reports the updated figures as exact tokens', () => {
    expect(pairs).toContainEqual(['12,300', '14,000']);
    expect(pairs).toContainEqual(['18', '19']);
    expect(pairs).toContainEqual(['62', '64']);
  });

  it('reports the "as of" date as one whole date', () => {
    expect(pairs).toContainEqual(['October 3, 2017', 'October 5, 2017']);
  });

  it('puts the figure change in the right paragraph with readable context', () => {
    const c = r.changes.find((x) => x.removed === '12,300');
    expect(c?.kind).toBe('replace');
    expect(c?.context).toContain('more than 14,000 federal staff');
    expect(c?.beforeParagraph).toBeDefined();
    expect(c?.afterParagraph).toBeDefined();
  });

  it('is not degraded and rebuilds both page texts exactly', () => {
    expect(r.degraded).toBe(false);
    expect(rebuild(r)).toEqual({ before: a, after: b });
  });

  it('renders the figure change in every format', () => {
    expect(render(r, 'unified', { color: false })).toContain('[-12,300-]{+14,000+}');
    expect(render(r, 'md')).toContain('~~12,300~~ **14,000**');
    expect(render(r, 'html')).toContain('<del>12,300</del><ins>14,000</ins>');
    expect(render(r, 'side-by-side')).toContain('<del>12,300</del>');
  });
});

describe('DOE home page, late September 2017 (rotating news list)', () => {
  it('diffs and rebuilds exactly', () => {
    const a = pageText('real_doe-energy-gov-homepage_2017-09-late.a.html');
    const b = pageText('real_doe-energy-gov-homepage_2017-09-29plus.b.html');
    const r = diffText(a, b);
    expect(r.changed).toBe(true);
    expect(r.changes.some((c) => c.added.includes('Vogtle'))).toBe(true);
    expect(rebuild(r)).toEqual({ before: a, after: b });
  });
});

describe('the 2019 open letter extracted two ways (pdftotext default vs -layout)', () => {
  it('sees past the layout: the few changes are real differences of the two extractions', () => {
    const a = readFileSync(join(STATEMENTS, '2019-10-04_open-letter-facebook_privacy-first.txt'), 'utf8');
    const b = readFileSync(join(STATEMENTS, '2019-10-04_open-letter-facebook_privacy-first.layout.txt'), 'utf8');
    const r = diffText(a, b);
    expect(rebuild(r)).toEqual({ before: a, after: b });
    // Thousands of words, re-laid-out; only a handful of token differences remain.
    expect(r.stats.wordsAdded + r.stats.wordsRemoved).toBeLessThan(60);
    // PROVENANCE.md: the default extraction corrupts footnote 2's URL by de-hyphenation.
    expect(r.changes.some((c) => c.removed.includes('offive') || c.added.includes('of-five'))).toBe(true);
  });
});
