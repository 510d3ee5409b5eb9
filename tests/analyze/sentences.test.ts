import { describe, expect, it } from 'vitest';
import { cosmeticKey, normalizeForMatch, splitParagraphs, splitSentences, words } from '../../src/analyze/index.js';
import { raw, STATEMENTS } from './fixtures.js';

describe('splitSentences', () => {
  it('does not split after abbreviations, initials, numbers or list labels', () => {
    expect(splitSentences('Dear Mr. Zuckerberg, we wrote on 4 Oct. 2019. The reply came.')).toEqual([
      'Dear Mr. Zuckerberg, we wrote on 4 Oct. 2019.',
      'The reply came.',
    ]);
    expect(splitSentences('William P. Barr signed it. See No. 5 and e.g. the annex. Growth was 4.5% in 2019.')).toEqual([
      'William P. Barr signed it.',
      'See No. 5 and e.g. the annex.',
      'Growth was 4.5% in 2019.',
    ]);
    expect(splitSentences('2. All participants agreed. This must stop.')).toEqual(['2. All participants agreed.', 'This must stop.']);
  });

  it('ends a dotted acronym sentence only before a sentence opener', () => {
    expect(splitSentences('They met in the U.S. The talks ended.')).toEqual(['They met in the U.S.', 'The talks ended.']);
    expect(splitSentences('The U.S. Attorney General signed.')).toEqual(['The U.S. Attorney General signed.']);
  });

  it('keeps closing quotes with their sentence and splits on ? and !', () => {
    expect(splitSentences('You said “we must act.” Then nothing happened. Why? Because!')).toEqual([
      'You said “we must act.”',
      'Then nothing happened.',
      'Why?',
      'Because!',
    ]);
    expect(splitSentences('“Is it safe?” he asked.')).toEqual(['“Is it safe?” he asked.']);
  });

  it('splits the real letter into sentences that end with punctuation', () => {
    const paragraphs = splitParagraphs(raw(STATEMENTS.letter));
    const body = paragraphs.find((p) => p.startsWith('We support strong encryption'))!;
    const sentences = splitSentences(body);
    expect(sentences[0]).toBe('We support strong encryption, which is used by billions of people every day for services such as banking, commerce, and communications.');
    expect(sentences.length).toBeGreaterThan(8);
    for (const s of sentences) expect(s).toMatch(/[.!?”’]$/);
  });
});

describe('splitParagraphs', () => {
  it('turns pdftotext lines into paragraphs: bullets and short lines break, reflowed prose does not', () => {
    const paragraphs = splitParagraphs(raw(STATEMENTS.letter));
    expect(paragraphs).toContain('Mark Zuckerberg');
    expect(paragraphs).toContain('• Enable law enforcement to obtain lawful access to content in a readable and usable format;');
    expect(paragraphs.find((p) => p.startsWith('We are writing to request'))).toBe(
      'We are writing to request that Facebook does not proceed with its plan to implement end-to-end encryption across its messaging services without ensuring that there is no reduction to user safety and without including a means for lawful access to the content of communications to protect our citizens.',
    );
  });
});

describe('normalizeForMatch and cosmeticKey', () => {
  it('fold case, quotes, dashes, ellipsis and whitespace', () => {
    expect(normalizeForMatch('Facebook’s  “Privacy First” — proposals…')).toBe(normalizeForMatch("facebook's \"privacy first\" - proposals..."));
    expect(cosmeticKey('‘A Privacy-Focused Vision for Social Networking’, you')).toBe(cosmeticKey('“A Privacy-Focused Vision for Social Networking,” you'));
    expect(cosmeticKey('Attorneys-General')).toBe(cosmeticKey('Attorneys General'));
  });

  it('keep wording, signs and punctuation that change meaning', () => {
    expect(cosmeticKey('fell by -5%')).not.toBe(cosmeticKey('fell by 5%'));
    expect(normalizeForMatch('must')).not.toBe(normalizeForMatch('should'));
    expect(cosmeticKey('banking, commerce')).not.toBe(cosmeticKey('banking commerce'));
  });

  it('words: numbers whole, "U.S." = "US", contractions expanded, compounds split', () => {
    expect(words("12,300 staff, 4.5% of U.S. users don't use end-to-end")).toEqual(['12,300', 'staff', '4.5%', 'of', 'us', 'users', 'do', 'not', 'use', 'end', 'to', 'end']);
  });
});
