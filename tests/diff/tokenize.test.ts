import { describe, expect, it } from 'vitest';
import { countWords, tokenize } from '../../src/diff/index.js';

const texts = (s: string): string[] => tokenize(s).map((t) => t.text);
const kinds = (s: string): string[] => tokenize(s).map((t) => `${t.kind}:${t.text}`);

describe('tokenize', () => {
  it('keeps grouped and decimal numbers, percentages, currency and ordinals whole', () => {
    expect(kinds('more than 12,300 staff, 4.5% of $1.2 billion on the 21st')).toEqual([
      'word:more', 'word:than', 'number:12,300', 'word:staff', 'punct:,', 'number:4.5%', 'word:of',
      'number:$1.2', 'word:billion', 'word:on', 'word:the', 'number:21st',
    ]);
  });

  it('ends a number before a trailing full stop or comma', () => {
    expect(texts('It rose to 14,000. Then 62, then 64.')).toEqual(['It', 'rose', 'to', '14,000', '.', 'Then', '62', ',', 'then', '64', '.']);
  });

  it('reads ranges, times and ISO dates as one number', () => {
    expect(kinds('2019-2022 at 10:30 on 2017-10-03')).toEqual(['number:2019-2022', 'word:at', 'number:10:30', 'word:on', 'number:2017-10-03']);
  });

  it('reads dates in both orders, abbreviated months and month-year as one token', () => {
    expect(kinds('Last updated 16 January 2023')).toContain('date:16 January 2023');
    expect(kinds('as of October 3, 2017, 10 am')).toContain('date:October 3, 2017');
    expect(kinds('on Sept. 29 2017 and in March 2019')).toEqual(['word:on', 'date:Sept. 29 2017', 'word:and', 'word:in', 'date:March 2019']);
  });

  it('does not make a date out of a month word that is not followed by a day and year', () => {
    expect(kinds('May we note 3 January events')).toEqual(['word:May', 'word:we', 'word:note', 'number:3', 'word:January', 'word:events']);
  });

  it('lets a date span a line break but never a paragraph break', () => {
    expect(kinds('on 16 January\n2023')).toContain('date:16 January\n2023');
    expect(kinds('on 16 January\n\n2023')).toEqual(['word:on', 'number:16', 'word:January', 'number:2023']);
  });

  it('keeps hyphenated words and apostrophes inside words, quotes and dashes apart', () => {
    expect(texts('“end-to-end” Facebook’s don\'t — ‘lawful access’')).toEqual([
      '“', 'end-to-end', '”', 'Facebook’s', "don't", '—', '‘', 'lawful', 'access', '’',
    ]);
  });

  it('splits straight quotes and brackets from the words they wrap', () => {
    expect(texts('"Privacy First" (2019) [sic]')).toEqual(['"', 'Privacy', 'First', '"', '(', '2019', ')', '[', 'sic', ']']);
  });

  it('keeps letters glued to digits as one word', () => {
    expect(kinds('5G and COVID-19 and G7')).toEqual(['word:5G', 'word:and', 'word:COVID-19', 'word:and', 'word:G7']);
  });

  it('keeps runs of the same punctuation together and astral characters whole', () => {
    expect(texts('Wait... ---- 😀😀 𝐀𝐁')).toEqual(['Wait', '...', '----', '😀', '😀', '𝐀𝐁']);
  });

  it('handles non-Latin scripts and non-breaking spaces as word separators', () => {
    expect(texts('Заявление\u00a0министров 共同声明 بيان')).toEqual(['Заявление', 'министров', '共同声明', 'بيان']);
  });

  it('covers every non-space character exactly once, in order', () => {
    const s = ' A  “quoted” 12,300.\n\n16 January 2023 — x\u200by 😀 ';
    const toks = tokenize(s);
    let last = 0;
    for (const t of toks) {
      expect(t.start).toBeGreaterThanOrEqual(last);
      expect(s.slice(last, t.start).trim()).toBe('');
      expect(s.slice(t.start, t.end)).toBe(t.text);
      last = t.end;
    }
    expect(s.slice(last).trim()).toBe('');
  });

  it('counts words without punctuation', () => {
    expect(countWords('There are more than 12,300 staff, on 16 January 2023.')).toBe(8);
  });
});
