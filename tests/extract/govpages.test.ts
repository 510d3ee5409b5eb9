/** Real EDGI captures: the statement body is kept, navigation and footers are not. */
import { diffArrays } from 'diff';
import { describe, expect, it } from 'vitest';
import { extract } from '../../src/extract/index.js';
import { DOE_A, DOE_B, FEMA_A, FEMA_B, BOGUS_CHARSET, fixture } from './helpers.js';

const FEMA_URL = 'https://www.fema.gov/hurricane-maria';
const [femaA, femaB, doeA, doeB] = await Promise.all([
  extract({ body: fixture(FEMA_A), contentType: 'text/html; charset=utf-8', url: FEMA_URL }),
  extract({ body: fixture(FEMA_B), contentType: 'text/html; charset=utf-8', url: FEMA_URL }),
  extract({ body: fixture(DOE_A), url: 'https://energy.gov/' }),
  extract({ body: fixture(DOE_B), url: 'https://energy.gov/' }),
]);

// Navigation, header and footer strings of the FEMA page (menus, footer links, skip links).
const FEMA_CHROME = [
  'Start typing here to filter',
  'Accessible ASL Videos',
  'Official website of the Department of Homeland Security',
  'DisasterAssistance.gov',
  'Download Plug-ins',
  'Skip footer content',
  'Main Content',
  'Share This Page',
];

describe('FEMA Hurricane Maria pair', () => {
  it('keeps the statement body of each version', () => {
    expect(femaA.kind).toBe('html');
    expect(femaA.title).toBe('Hurricane Maria');
    expect(femaA.text).toContain(
      'There are more than 12,300 federal staff representing 36 departments and agencies and including more than 800 FEMA personnel, on the ground in Puerto Rico and the U.S. Virgin Islands engaged in response and recovery operations from Hurricanes Maria and Irma.',
    );
    expect(femaA.paragraphs).toContain('18 states supporting 62 requests for mutual aid');
    expect(femaB.text).toContain('There are more than 14,000 federal staff including more than 800 FEMA personnel, on the ground in Puerto Rico');
    expect(femaB.paragraphs).toContain('19 states supporting 64 requests for mutual aid');
    expect(femaB.paragraphs).toContain('All figures as of October 5, 2017, 10 am EDT');
    // A table row: cells joined with " | ".
    expect(femaA.paragraphs.some((p) => / \| /.test(p))).toBe(true);
  });

  it('drops navigation, header and footer', () => {
    for (const s of FEMA_CHROME) {
      expect(femaA.text, s).not.toContain(s);
      expect(femaB.text, s).not.toContain(s);
    }
  });

  it('takes the "Last Updated" stamp out of the text into the declared dates', () => {
    expect(femaA.text).not.toMatch(/Last Updated/i);
    expect(femaA.declared?.modified).toBe('10/03/2017 - 08:59');
    expect(femaB.declared?.modified).toBe('10/05/2017 - 11:32');
  });

  it('repairs the b page mojibake and records it', () => {
    expect(femaA.repairs).toEqual([]);
    expect(femaB.repairs).toEqual(['mojibake: double-encoded UTF-8 repaired (131 sequences)']);
    expect(femaB.text).toContain('(Español)');
    expect(femaB.text).not.toMatch(/[ÃÂâ][\u0080-\u00BF]/);
  });

  it('differs from a only in wording and figures, never in encoding', () => {
    const parts = diffArrays(femaA.paragraphs, femaB.paragraphs);
    const removed = parts.filter((p) => p.removed).flatMap((p) => p.value);
    const added = parts.filter((p) => p.added).flatMap((p) => p.value);
    const ascii = (s: string): string => s.replace(/[^\x20-\x7E]/g, '');
    // Had any encoding noise survived, some changed paragraph would equal one on the other side
    // once its non-ASCII characters are dropped.
    const removedAscii = new Set(removed.map(ascii));
    for (const p of added) expect(removedAscii.has(ascii(p)), p).toBe(false);
    expect(removed).toContain('All figures as of October 3, 2017, 10 am EDT');
    expect(removed).toContain('18 states supporting 62 requests for mutual aid');
    expect(added).toContain('19 states supporting 64 requests for mutual aid');
    expect(added.join('\n')).toContain('14,000 federal staff');
    expect(removed.join('\n')).toContain('12,300 federal staff');
    // Most of the page is unchanged between the two days.
    const same = parts.filter((p) => !p.added && !p.removed).reduce((n, p) => n + p.value.length, 0);
    expect(same).toBeGreaterThan(femaA.paragraphs.length * 0.7);
  });

  it('collects links inside the body as absolute URLs', () => {
    expect(femaA.links.length).toBeGreaterThan(10);
    for (const l of femaA.links) expect(l.href).toMatch(/^(https?:|mailto:)/);
    expect(femaA.links.some((l) => l.href.startsWith('https://www.fema.gov/'))).toBe(true);
  });
});

describe('DOE energy.gov homepage pair', () => {
  it('keeps the news listing', () => {
    for (const r of [doeA, doeB]) {
      expect(r.text).toContain('Secretary of Energy Rick Perry Announces $36 Million for Projects to Advance Carbon Capture Technologies');
      expect(r.text).toContain('Projects will continue the development of carbon capture technologies to either the engineering scale or to a commercial design.');
      expect(r.text).toContain('Secretary Perry’s statement on Women’s Equality Day'.replace('Perry’s', "Perry's"));
    }
    expect(doeA.text).not.toContain('Vogtle');
    expect(doeB.text).toContain('Secretary Perry Announces Conditional Commitment to Support Continued Construction of Vogtle Advanced Nuclear Energy Project');
    expect(doeB.text).toContain('Secretary Perry Urges FERC to Take Swift Action to Address Threats to Grid Resiliency');
  });

  it('drops the mega-menu, social links and footer', () => {
    for (const s of ['Emerging Technologies', 'Link to facebook', 'Search form', 'Sign Up for Email Updates', '1000 Independence Ave', 'Whistleblower Protection', 'No Fear Act']) {
      expect(doeA.text, s).not.toContain(s);
      expect(doeB.text, s).not.toContain(s);
    }
  });

  it('repairs the stray double-encoded apostrophes and dashes', () => {
    expect(doeA.repairs[0]).toMatch(/^mojibake: double-encoded UTF-8 repaired \(\d+ sequences\)$/);
    expect(doeA.text).toContain('Office of Technology Transition’s Technology Commercialization Fund');
    expect(doeA.text).toContain('technology and math – or STEM');
  });

  it('changes only where the news rotated', () => {
    const parts = diffArrays(doeA.paragraphs, doeB.paragraphs);
    const added = parts.filter((p) => p.added).flatMap((p) => p.value);
    expect(added.every((p) => /Vogtle|FERC|September 29, 2017|View Article/.test(p))).toBe(true);
  });
});

describe('NWS page with a bogus charset label', () => {
  it('extracts readable text and records the ignored label', async () => {
    const r = await extract({ body: fixture(BOGUS_CHARSET), url: 'http://radar2pub.bldr.ncep.noaa.gov/' });
    expect(r.repairs).toContain('charset: unknown label "who-knows-what-i-am" in the document ignored');
    expect(r.title).toBe('NWS Level II Radar Receive Status');
    expect(r.text).toContain('44 sites up (97.8%) of 45 radar sites monitored');
    expect(r.text).toContain('KAKQ06\n14:13:02 | KBGM06\n14:13:03'.replace(/\n/g, ' '));
  });
});
