import { diffWords } from 'diff';
import { describe, expect, it } from 'vitest';
import { extract, ExtractError } from '../../src/extract/index.js';
import { pdfDate } from '../../src/extract/pdf.js';
import { buildPdf, column } from './pdf-builder.js';
import { LETTER_PDF, fixture } from './helpers.js';

const pdf = (body: Buffer) => extract({ body, url: 'https://assets.example.gov/letter.pdf' });

// Word-level comparison that ignores whitespace and hyphenation (pdftotext's default mode
// de-hyphenates "of-\nfive" into "offive"; -layout keeps "access-\n\nevidence").
const comparable = (s: string): string => s.replace(/-\s+/g, '-').replace(/[-\u2010]/g, '').replace(/\s+/g, ' ').trim();
function wordDifferences(reference: string, ours: string): string[] {
  return diffWords(comparable(reference), comparable(ours))
    .filter((p) => p.added || p.removed)
    .map((p) => `${p.added ? '+' : '-'}${p.value.trim()}`);
}

describe('the open letter PDF (fixture)', async () => {
  const r = await pdf(fixture(LETTER_PDF));

  it('comes out as the letter, paragraphs intact', () => {
    expect(r.kind).toBe('pdf');
    expect(r.paragraphs[0]).toBe('Mark Zuckerberg\nChief Executive Officer\nFacebook\n1 Hacker Way\nMenlo Park, California 94025');
    expect(r.paragraphs).toContain('OPEN LETTER: FACEBOOK’S “PRIVACY FIRST” PROPOSALS');
    expect(r.paragraphs).toContain(
      'We are writing to request that Facebook does not proceed with its plan to implement end-to-end encryption across its messaging services without ensuring that there is no reduction to user safety and without including a means for lawful access to the content of communications to protect our citizens.',
    );
    // A paragraph that ends on page 1 and one that starts page 2 stay apart.
    expect(r.paragraphs.some((p) => p.endsWith('It also impedes law enforcement’s ability to investigate these and other serious crimes.'))).toBe(true);
    expect(r.paragraphs.some((p) => p.startsWith('Risks to public safety from Facebook’s proposals'))).toBe(true);
    // A bullet that starts page 3 is its own paragraph.
    expect(r.paragraphs).toContain('• Enable law enforcement to obtain lawful access to content in a readable and usable format;');
    expect(r.paragraphs).toContain('Rt Hon Priti Patel MP\nUnited Kingdom Secretary of State for the Home Department');
    expect(r.paragraphs.length).toBe(27);
  });

  it('keeps hyphens that belong to the text, including across line breaks in URLs', () => {
    expect(r.paragraphs).toContain('1 https://www.ag.gov.au/About/CommitteesandCouncils/Documents/joint-statement-principles-access-evidence.pdf');
    expect(r.paragraphs).toContain(
      '2 https://www.gov.uk/government/publications/five-country-ministerial-communique/joint-meeting-of-five-country-ministerial-and-quintet-of-attorneys-general-communique-london-2019',
    );
  });

  it('drops the page numbers and says so', () => {
    expect(r.method).toBe('pdf (3 header/footer/page-number lines dropped)');
    expect(r.paragraphs).not.toContain('1');
  });

  it('agrees with pdftotext word for word, apart from the three page numbers', () => {
    const plain = fixture('statements/2019-10-04_open-letter-facebook_privacy-first.txt').toString('utf8');
    const layout = fixture('statements/2019-10-04_open-letter-facebook_privacy-first.layout.txt').toString('utf8');
    // Measured: exactly the page numbers "1", "2", "3" differ, which Redline drops on purpose.
    expect(wordDifferences(plain, r.text)).toEqual(['-1', '-2', '-3']);
    expect(wordDifferences(layout, r.text)).toEqual(['-1', '-2', '-3']);
    // Without page furniture the texts agree completely (≤ 2 words is the requirement).
    const noPageNumbers = (s: string) => s.replace(/^\s*\d{1,3}\s*$/gm, '');
    expect(wordDifferences(noPageNumbers(plain), r.text).length).toBeLessThanOrEqual(2);
    expect(wordDifferences(noPageNumbers(layout), r.text)).toEqual([]);
  });

  it('reports the PDF dates as declared dates', () => {
    expect(r.declared).toEqual({ published: '2019-10-01T20:10:11-04:00', modified: '2019-11-25T18:02:42+06:00' });
    expect(r.title).toBeUndefined(); // the file's Title is empty
  });
});

describe('PDF layout rules (constructed PDFs)', () => {
  it('drops running headers and page numbers, keeps paragraphs across pages', async () => {
    const page = (n: number, paragraphs: string[][]) => [
      { x: 72, y: 760, size: 9, text: 'OFFICIAL - Joint Statement on Encryption' },
      ...column(paragraphs),
      { x: 300, y: 40, size: 9, text: `Page ${n} of 2` },
    ];
    const body = buildPdf([
      page(1, [
        ['First paragraph starts here and runs on for a while, as the prose of a statement', 'does, to the end of its first line.'],
        ['Second paragraph is long and does not end at the bottom of the page: the authors', 'continue the same sentence, which wraps at the right margin like all the rest, on the'],
      ]),
      page(2, [['next page without a break in the sentence.'], ['Third paragraph.']]),
    ]);
    const r = await pdf(body);
    expect(r.paragraphs).toEqual([
      'First paragraph starts here and runs on for a while, as the prose of a statement does, to the end of its first line.',
      'Second paragraph is long and does not end at the bottom of the page: the authors continue the same sentence, which wraps at the right margin like all the rest, on the next page without a break in the sentence.',
      'Third paragraph.',
    ]);
    expect(r.method).toBe('pdf (4 header/footer/page-number lines dropped)');
  });

  it('removes a line-end hyphen only when the document spells the word whole elsewhere', async () => {
    const body = buildPdf([
      column([
        ['Lawful access requires coop-', 'eration between providers and the state; such cooperation is vital.'],
        ['Providers use end-to-', 'end encryption which is not end to end in every case at all.'],
      ]),
    ]);
    const r = await pdf(body);
    expect(r.paragraphs).toEqual([
      'Lawful access requires cooperation between providers and the state; such cooperation is vital.',
      'Providers use end-to-end encryption which is not end to end in every case at all.',
    ]);
  });

  it('splits footnotes and bullets into their own paragraphs', async () => {
    const texts = [
      ...column([['• Enable lawful access to content in a readable', '  and usable format;']]),
      { x: 72, y: 640, size: 12, text: '• Engage in consultation with governments.' },
      { x: 72, y: 100, size: 6, text: '1' },
      { x: 78, y: 97, size: 10, text: 'https://example.gov/first-note' },
      { x: 72, y: 86, size: 6, text: '2' },
      { x: 78, y: 83, size: 10, text: 'https://example.gov/second-note' },
    ];
    const r = await pdf(buildPdf([texts]));
    expect(r.paragraphs).toEqual([
      '• Enable lawful access to content in a readable and usable format;',
      '• Engage in consultation with governments.',
      '1 https://example.gov/first-note',
      '2 https://example.gov/second-note',
    ]);
  });
});

describe('unreadable PDFs are ExtractErrors', () => {
  const code = async (body: Buffer): Promise<[string, string]> => {
    const err = await pdf(body).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExtractError);
    return [(err as ExtractError).code, (err as Error).message];
  };

  it('encrypted', async () => {
    const [c, m] = await code(buildPdf([column([['Secret text.']])], { encrypt: true }));
    expect(c).toBe('pdf-encrypted');
    expect(m).toContain('https://assets.example.gov/letter.pdf');
  });

  it('truncated', async () => {
    const whole = fixture(LETTER_PDF);
    const [c, m] = await code(whole.subarray(0, Math.floor(whole.length / 2)));
    expect(c).toBe('pdf-truncated');
    expect(m).toMatch(/no %%EOF marker/);
  });

  it('corrupt', async () => {
    expect((await code(Buffer.from('%PDF-1.7\nthis is not a pdf at all\n%%EOF\n')))[0]).toBe('pdf-corrupt');
    const whole = Buffer.from(fixture(LETTER_PDF));
    whole.fill(0x20, 2000, 60000); // wipe the objects but keep header and trailer
    expect((await code(whole))[0]).toBe('pdf-corrupt');
  });

  it('served as PDF but not a PDF', async () => {
    const err = await extract({ body: Buffer.from('Service unavailable'), contentType: 'application/pdf' }).catch((e: unknown) => e);
    expect((err as ExtractError).code).toBe('pdf-corrupt');
    expect((err as Error).message).toMatch(/no "%PDF-" header/);
  });

  it('no text layer', async () => {
    expect((await code(buildPdf([[]])))[0]).toBe('pdf-no-text');
  });
});

describe('pdfDate', () => {
  it('converts PDF date strings', () => {
    expect(pdfDate("D:20191125180242+06'00'")).toBe('2019-11-25T18:02:42+06:00');
    expect(pdfDate('D:20191002000959')).toBe('2019-10-02T00:09:59');
    expect(pdfDate('D:2019')).toBe('2019-01-01');
    expect(pdfDate('D:20191302')).toBeUndefined();
    expect(pdfDate(42)).toBeUndefined();
  });
});
