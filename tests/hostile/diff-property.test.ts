/**
 * Input safety (issue 6), the gap left by tests/diff: property tests of the diff and of the
 * judgement the pipeline runs on every change (compareVersions: diff + significance rules).
 * Random and adversarial texts never make them throw; the report always rebuilds both texts
 * byte for byte; every renderer accepts it, and the HTML ones escape page text. The test
 * timeouts are hang guards (the engine has its own time budget), not speed assertions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/index.js';
import { compareVersions } from '../../src/core/compare.js';
import { diffText, FORMATS, rebuild, render, type DiffReport } from '../../src/diff/index.js';
import { STATEMENT_PARAGRAPHS } from './pages.js';

const config = parseConfigText('watch_terms: [encryption, lawful access]\nsources:\n  - id: s\n    url: https://www.gov.example/s\n', '/nonexistent/redline.yaml', {});
const source = config.sources[0]!;
const STATEMENT = STATEMENT_PARAGRAPHS.join('\n\n');

const PIECES = [
  'encryption', 'must', 'should', 'not', 'never', '98', '1,000', '3.5%', '11 October 2020', 'Oct. 11, 2020', '2020-10-11', 'the', 'The', ',', '.', '–', '—',
  '"', '“', '”', '’', "'", '(', ')', '•', '1.', 'a)', '\n', '\n\n', '\n\n\n', '\r\n', '\t', ' ', '  ', '\u00a0', '\u200b', '\u202e', '\u0000', '\ufeff',
  '\ud800', '\udfff', '👍🏽', '👨‍👩‍👧', 'é', 'é', 'ﬁ', 'İ', 'ال', '中文', '<script>alert(1)</script>', '&amp;', '](javascript:x)', '@everyone', '*', '_', '`', '|',
];

const piecesText = fc.array(fc.constantFrom(...PIECES), { maxLength: 200 }).map((p) => p.join(''));
const anyText = fc.oneof(
  piecesText,
  fc.string({ maxLength: 400, unit: 'binary' }),
  fc.string({ maxLength: 400, unit: 'grapheme' }),
  // The same few paragraphs repeated and reordered: moves and ambiguous anchors.
  fc.array(fc.constantFrom(...STATEMENT_PARAGRAPHS.slice(0, 3), 'Short line.', ''), { maxLength: 12 }).map((p) => p.join('\n\n')),
);

type Edit = { kind: 'insert' | 'delete' | 'replace'; at: number; text: string };
const edits = fc.array(
  fc.record({ kind: fc.constantFrom<Edit['kind']>('insert', 'delete', 'replace'), at: fc.nat(), text: fc.constantFrom(...PIECES, 'ZQXJ', 'ZQXJ lawful access') }),
  { minLength: 1, maxLength: 12 },
);

function applyEdits(text: string, list: Edit[]): string {
  const words = text.split(/(\s+)/);
  for (const e of list) {
    const i = e.at % (words.length + 1);
    if (e.kind === 'insert') words.splice(i, 0, e.text);
    else if (e.kind === 'delete') words.splice(i, 1);
    else words.splice(i, 1, e.text);
  }
  return words.join('');
}

function sound(report: DiffReport, before: string, after: string): void {
  expect(rebuild(report)).toEqual({ before, after });
  for (const n of Object.values(report.stats)) expect(Number.isInteger(n) && n >= 0).toBe(true);
  if (before === after) expect(report.changed).toBe(false);
  for (const c of report.changes) {
    expect(['insert', 'delete', 'replace', 'move']).toContain(c.kind);
    expect(typeof c.added === 'string' && typeof c.removed === 'string').toBe(true);
  }
  for (const format of FORMATS) {
    const out = render(report, format, { color: false });
    expect(typeof out).toBe('string');
    if (format === 'html' || format === 'side-by-side') expect(out).not.toContain('<script>alert(1)</script>');
  }
}

describe('diff and judgement on hostile text', () => {
  it('random and adversarial pairs: no throw, exact rebuild, every renderer', () => {
    fc.assert(
      fc.property(anyText, anyText, (a, b) => {
        sound(diffText(a, b), a, b);
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it('random edits of the real statement: a new word always shows up as a change', () => {
    fc.assert(
      fc.property(edits, (list) => {
        const after = applyEdits(STATEMENT, list);
        const report = diffText(STATEMENT, after);
        sound(report, STATEMENT, after);
        const added = report.changes.map((c) => c.added).join(' ');
        if (after.split(/\s+/).filter((w) => w === 'ZQXJ').length > 0) {
          expect(report.changed).toBe(true);
          expect(added).toContain('ZQXJ');
        }
      }),
      { numRuns: 200 },
    );
  }, 120_000);

  it('compareVersions (what every check runs) never throws and always says whether to alert', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, edits.map((l) => applyEdits(STATEMENT, l))), fc.oneof(anyText, edits.map((l) => applyEdits(STATEMENT, l))), (a, b) => {
        const compared = compareVersions({ config }, source, a, b);
        expect(['none', 'low', 'medium', 'high']).toContain(compared.significance.level);
        expect(typeof compared.significance.alert).toBe('boolean');
        expect(typeof compared.summary).toBe('string');
        expect(rebuild(compared.report)).toEqual({ before: a, after: b });
      }),
      { numRuns: 200 },
    );
  }, 120_000);

  it('a change in a watched term or a figure alerts', () => {
    const after = STATEMENT.replace('98 countries', '104 countries');
    expect(compareVersions({ config }, source, STATEMENT, after).significance.alert).toBe(true);
  });
});
