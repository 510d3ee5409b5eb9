/** Site presets on constructed GOV.UK and justice.gov pages (see fixtures/PROVENANCE.md). */
import { describe, expect, it } from 'vitest';
import { extract, presetFor } from '../../src/extract/index.js';
import { parseHumanDate } from '../../src/extract/dates.js';
import { constructed } from './helpers.js';

const GOVUK_LETTER = 'https://www.gov.uk/government/publications/open-letter-to-mark-zuckerberg/open-letter-from-the-home-secretary';
const GOVUK_E2EE = 'https://www.gov.uk/government/publications/international-statement-end-to-end-encryption-and-public-safety';
const JUSTICE = 'https://www.justice.gov/opa/pr/international-statement-end-end-encryption-and-public-safety';

describe('presetFor', () => {
  it('chooses by host only', () => {
    expect(presetFor(GOVUK_E2EE)?.name).toBe('gov.uk');
    expect(presetFor('https://gov.uk/x')?.name).toBe('gov.uk');
    expect(presetFor(JUSTICE)?.name).toBe('justice.gov');
    expect(presetFor('https://www.gov.uk.evil.example/x')).toBeUndefined();
    expect(presetFor('https://assets.publishing.service.gov.uk/x.pdf')).toBeUndefined();
    expect(presetFor('not a url')).toBeUndefined();
  });
});

describe('GOV.UK preset', () => {
  it('HTML attachment: the govspeak letter, without the history notice, header or sidebar', async () => {
    const r = await extract({ body: constructed('govuk_open-letter-facebook_html-attachment.constructed.html'), url: GOVUK_LETTER });
    expect(r.method).toBe('preset:gov.uk');
    expect(r.title).toMatch(/^Open letter from the Home Secretary - alongside US Attorney General Barr/);
    expect(r.paragraphs[0]).toBe('Mark Zuckerberg\nChief Executive Officer\nFacebook\n1 Hacker Way\nMenlo Park,\nCalifornia 94025');
    expect(r.paragraphs).toContain('Open letter: Facebook’s “Privacy first” proposals');
    expect(r.text).toContain('In your post of 6 March 2019, ‘A Privacy-Focused Vision for Social Networking’, you acknowledged');
    for (const s of ['This was published under', 'Cookies on GOV.UK', 'Skip to main content', 'Contents', 'Share this page', 'Print this page', 'Crown copyright', 'Correspondence']) {
      expect(r.text, s).not.toContain(s);
    }
    expect(r.declared).toEqual({ published: '2019-10-04T11:03:00.000+01:00', modified: '2019-12-23T16:51:49.000+00:00' });
  });

  it('publication page: summary, attachment title and details; metadata and history become declared dates', async () => {
    const r = await extract({ body: constructed('govuk_international-statement-e2ee_publication.constructed.html'), url: GOVUK_E2EE });
    expect(r.method).toBe('preset:gov.uk');
    expect(r.title).toBe('International statement: End-to-end encryption and public safety');
    expect(r.paragraphs[0]).toBe('International statement calling on tech companies to ensure end-to-end encryption is not implemented in a way that erodes public safety.');
    expect(r.paragraphs).toContain('International statement: End-to-end encryption and public safety');
    for (const country of ['India', 'Japan', 'Singapore', 'Georgia', 'Ecuador', 'Jordan']) expect(r.paragraphs).toContain(country);
    for (const s of ['Request an accessible format', 'alternativeformats@homeoffice.gov.uk', 'HTML', 'Published', 'Last updated', 'Home Office', 'Get emails', 'Related content', 'show all updates']) {
      expect(r.text, s).not.toContain(s);
    }
    expect(r.declared).toEqual({
      published: '2020-10-11',
      modified: '2023-01-16',
      changeNotes: [
        { date: '2023-01-16T11:43:00.000+00:00', note: 'Statement updated to show Singapore, Georgia, Ecuador and Jordan as additional signatories.' },
        { date: '2020-10-11T00:00:00.000+01:00', note: 'First published.' },
      ],
    });
    expect(r.links).toEqual([
      {
        text: 'International statement: End-to-end encryption and public safety',
        href: 'https://www.gov.uk/government/publications/international-statement-end-to-end-encryption-and-public-safety/international-statement-end-to-end-encryption-and-public-safety-accessible-version',
      },
    ]);
  });

  it('accepts the retired .govuk-govspeak class of older captures', async () => {
    const page = '<body><header>GOV.UK menu</header><div class="govuk-govspeak"><p>Old capture body.</p></div><footer>Footer</footer></body>';
    const r = await extract({ body: Buffer.from(page), contentType: 'text/html', url: 'https://www.gov.uk/old' });
    expect(r).toMatchObject({ method: 'preset:gov.uk', paragraphs: ['Old capture body.'] });
  });

  it('a source select overrides the preset body; its remove adds to the preset removals', async () => {
    const r = await extract({
      body: constructed('govuk_international-statement-e2ee_publication.constructed.html'),
      url: GOVUK_E2EE,
      select: ['#details'],
      remove: ['h2'],
    });
    expect(r.method).toBe('select:#details');
    expect(r.paragraphs[0]).toBe('This statement has been signed by the governments of:');
    // Declared dates still come from the preset.
    expect(r.declared?.changeNotes).toHaveLength(2);
  });

  it('falls back to the heuristic when no preset selector matches, and says so', async () => {
    const page = '<body><main><h1>Search results</h1><p>No govspeak on this page, but a paragraph of text long enough to count as the main content of a page, which takes at least a couple of sentences of prose.</p></main></body>';
    const r = await extract({ body: Buffer.from(page), contentType: 'text/html', url: 'https://www.gov.uk/search' });
    expect(r.method).toBe('main-element (preset gov.uk matched nothing)');
  });
});

describe('justice.gov preset', () => {
  it('layout since 2023: div.field_body and div.field_date', async () => {
    const r = await extract({ body: constructed('justice_e2ee-statement_2023-layout.constructed.html'), url: JUSTICE });
    expect(r.method).toBe('preset:justice.gov');
    expect(r.title).toBe('International Statement: End-To-End Encryption and Public Safety');
    expect(r.paragraphs[0]).toMatch(/^We, the undersigned, support strong encryption, which plays a crucial role/);
    expect(r.paragraphs).toContain('Impact On Public Safety');
    for (const s of ['Press Release Number', 'Component(s)', 'Related Content', 'An official website', 'FOIA', 'Sunday, October 11, 2020']) {
      expect(r.text, s).not.toContain(s);
    }
    expect(r.declared).toEqual({ published: '2020-10-11T12:00:00Z', modified: '2020-10-13' });
  });

  it('layout before 2023: h1#node-title, span.date-display-single, div.field--name-field-pr-body', async () => {
    const r = await extract({ body: constructed('justice_e2ee-statement_pre2023-layout.constructed.html'), url: JUSTICE });
    expect(r.method).toBe('preset:justice.gov');
    expect(r.title).toBe('International Statement: End-To-End Encryption and Public Safety');
    expect(r.paragraphs).toEqual([
      'We, the undersigned, support strong encryption, which plays a crucial role in protecting personal data, privacy, intellectual property, trade secrets and cyber security.',
      'Particular implementations of encryption technology, however, pose significant challenges to public safety, including to highly vulnerable members of our societies like sexually exploited children.',
    ]);
    expect(r.declared).toEqual({ published: '2020-10-11T00:00:00-04:00' });
  });
});

describe('declared dates from generic markup', () => {
  it('reads article:* meta first, JSON-LD as fallback', async () => {
    const page = `<html><head><meta property="article:published_time" content="2021-03-01T10:00:00Z">
      <script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","datePublished":"1999-01-01","dateModified":"2021-03-05T08:00:00Z"}]}</script>
      <script type="application/ld+json">{ broken json</script></head><body><p>Statement.</p></body></html>`;
    const r = await extract({ body: Buffer.from(page), contentType: 'text/html' });
    expect(r.declared).toEqual({ published: '2021-03-01T10:00:00Z', modified: '2021-03-05T08:00:00Z' });
  });

  it('parses only unambiguous human dates', () => {
    expect(parseHumanDate('Published 4 October 2019')).toBe('2019-10-04');
    expect(parseHumanDate('Monday, October 11, 2020')).toBe('2020-10-11');
    expect(parseHumanDate('Sept. 3rd, 2021')).toBe('2021-09-03');
    expect(parseHumanDate('31 February 2020')).toBeUndefined();
    expect(parseHumanDate('04/10/2019')).toBeUndefined();
  });
});
