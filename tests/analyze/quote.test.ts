import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildQuoteIndex, checkQuote, checkQuoteInText, type QuoteIndex } from '../../src/analyze/index.js';
import type { FsStore } from '../../src/store/index.js';
import { fixtureText } from './fixtures.js';
import { countingStore, tempStore, timeOf, writeVersions } from './store.js';

const letter = fixtureText('letter');
const e2ee = fixtureText('e2ee');

describe('checkQuoteInText: one test per verdict on the real 2019 letter and 2020 statement', () => {
  it('verbatim, with the article\'s own quote marks around it', () => {
    const r = checkQuoteInText(letter, '“We must find a way to balance the need to secure data with public safety”');
    expect(r).toMatchObject({ verdict: 'verbatim', similarity: 1, details: [] });
    expect(r.match).toMatchObject({ source: 'text', version: 1, text: 'We must find a way to balance the need to secure data with public safety' });
  });

  it('verbatim across an ellipsis that marks the omission', () => {
    const r = checkQuoteInText(letter, 'We must find a way to balance the need to secure data … and prevent future criminal activity.');
    expect(r.verdict).toBe('verbatim');
  });

  it('verbatim-typography: straight quotes and a changed case', () => {
    const r = checkQuoteInText(letter, "We must ensure that technology companies protect their users and others affected by their users' online activities");
    expect(r.verdict).toBe('verbatim-typography');
    expect(r.details[0]).toMatch(/^typography differs \(quote marks, case\)/);
  });

  it('altered: names each changed word ("implantations" for "implementations", "useable" for "usable")', () => {
    const a = checkQuoteInText(e2ee, 'Particular implantations of encryption technology, however, pose significant challenges to public safety');
    expect(a.verdict).toBe('altered');
    expect(a.details).toEqual(['"implantations" for "implementations"']);
    expect(a.similarity).toBeGreaterThan(0.9);
    const b = checkQuoteInText(letter, 'Enable law enforcement to obtain lawful access to content in a readable and useable format');
    expect(b.verdict).toBe('altered');
    expect(b.details).toEqual(['"useable" for "usable"']);
    const c = checkQuoteInText(letter, 'Companies must not deliberately design their systems to preclude access to content');
    expect(c.verdict).toBe('altered');
    expect(c.details).toEqual(['"must" for "should"', 'dropped "any"', 'dropped "form"', 'dropped "of"']);
  });

  it('stitched: two sentences quoted as one, naming the gap', () => {
    const r = checkQuoteInText(letter, 'We support strong encryption. Law abiding citizens have a legitimate expectation that their privacy will be protected.');
    expect(r.verdict).toBe('stitched');
    expect(r.details).toHaveLength(1);
    expect(r.details[0]).toMatch(/^gap: 29 words left out between "…We support strong encryption" and "Law abiding citizens have…" with no ellipsis \(paragraph \d+\): "which is used by billions/);
    const apart = checkQuoteInText(letter, 'Companies should not deliberately design their systems to preclude any form of access to content and must not be the ultimate cost of Facebook taking forward these proposals');
    expect(apart.verdict).toBe('stitched');
    expect(apart.details[0]).toMatch(/paragraphs \d+ and \d+/);
    expect(apart.details[1]).toBe('words not in the source, joining the parts: "and"');
  });

  it('truncated: a sentence cut short and closed with a full stop', () => {
    const r = checkQuoteInText(letter, 'Companies should not deliberately design their systems to preclude any form of access to content.');
    expect(r.verdict).toBe('truncated');
    expect(r.details[0]).toBe('sentence cut short: the quote closes with a full stop but the source goes on "…, even for preventing or investigating the most serious crimes."');
    // The same words closed by an ellipsis are an honest partial quote.
    expect(checkQuoteInText(letter, 'Companies should not deliberately design their systems to preclude any form of access to content…').verdict).toBe('verbatim');
  });

  it('not-found: a sentence the letter never had, and text sharing no word pairs', () => {
    const r = checkQuoteInText(letter, 'Facebook should abandon end-to-end encryption entirely and work with regulators on a new plan.');
    expect(r.verdict).toBe('not-found');
    expect(r.similarity).toBeLessThan(0.6);
    expect(checkQuoteInText(letter, 'Zebras graze quietly.')).toMatchObject({ verdict: 'not-found', similarity: 0 });
  });
});

describe('quote index over an archive of thousands of versions', () => {
  const VERSIONS = 2000;
  const revision = (n: number) => `This statement is revision ${n} of the text.`;
  // Each version adds one sentence to the letter; the last version is the first one's text again.
  const texts = Array.from({ length: VERSIONS }, (_, i) => {
    const n = i === VERSIONS - 1 ? 1 : i + 1;
    return letter.replace('We welcome this commitment to consultation.', `We welcome this commitment to consultation. ${revision(n)}`);
  });
  let store: FsStore;
  let cleanup: () => Promise<void>;
  let index: QuoteIndex;
  let reads = 0;

  beforeAll(async () => {
    ({ store, cleanup } = await tempStore());
    await writeVersions(store, 'letter', texts);
    await writeVersions(store, 'letter-mirror', [letter]);
    const counting = countingStore(store);
    index = await buildQuoteIndex(counting);
    reads = counting.blobReads;
  }, 120_000);
  afterAll(async () => cleanup());

  it('reads and splits each distinct text once and stores each sentence once', () => {
    expect(index.stats.versions).toBe(VERSIONS + 1);
    expect(index.stats.uniqueTexts).toBe(VERSIONS); // the repeated text is indexed once
    expect(reads).toBe(VERSIONS);
    const perVersion = index.docs[0].paragraphs.flat().length;
    expect(index.stats.uniqueSentences).toBeLessThan(perVersion + VERSIONS + 10);
    expect(index.stats.uniqueSentences).toBeLessThan((perVersion * VERSIONS) / 50);
  });

  it('a query compares only the paragraphs of its candidates, not every version', () => {
    const r = checkQuote(index, 'We must find a way to balance the need to secure data with public safety');
    expect(r.verdict).toBe('verbatim');
    const totalSentences = index.docs.reduce((n, d) => n + d.paragraphs.flat().length, 0);
    expect(totalSentences).toBeGreaterThan(100_000);
    expect(r.stats.candidates).toBeLessThan(20);
    expect(r.stats.comparisons).toBeLessThan(60);
    expect(r.match).toMatchObject({ source: 'letter', version: 1, firstSeen: timeOf(1), lastSeen: timeOf(VERSIONS + 1) });
    expect(r.match!.ranges).toEqual([{ fromVersion: 1, toVersion: VERSIONS, firstSeen: timeOf(1), lastSeen: timeOf(VERSIONS + 1) }]);
  });

  it('locates a wording present in one version, and in two runs when it came back', () => {
    const once = checkQuote(index, revision(1234));
    expect(once.verdict).toBe('verbatim');
    expect(once.match).toMatchObject({ source: 'letter', version: 1234, firstSeen: timeOf(1234), ranges: [{ fromVersion: 1234, toVersion: 1234, firstSeen: timeOf(1234), lastSeen: timeOf(1234) }] });
    expect(once.stats.comparisons).toBeLessThan(60);
    const twice = checkQuote(index, revision(1));
    expect(twice.match!.ranges).toEqual([
      { fromVersion: 1, toVersion: 1, firstSeen: timeOf(1), lastSeen: timeOf(1) },
      { fromVersion: VERSIONS, toVersion: VERSIONS, firstSeen: timeOf(VERSIONS), lastSeen: timeOf(VERSIONS + 1) },
    ]);
  });

  it('refuses to index a source the archive does not have', async () => {
    await expect(buildQuoteIndex(store, ['letter', 'missing'])).rejects.toThrow(/source "missing" has no versions.*known: letter, letter-mirror/);
  });
});
