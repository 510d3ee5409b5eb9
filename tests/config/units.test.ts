import { describe, expect, it } from 'vitest';
import { cronProblem } from '../../src/config/cron.js';
import { deriveSourceId, parseDuration, parseSize, SOURCE_ID_PATTERN, sourceIdProblem } from '../../src/config/index.js';

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['10s', 10_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1.5s', 1500],
    [' 10S ', 10_000],
    ['250', 250],
    [750, 750],
  ] as const)('%j → %d ms', (input, ms) => {
    expect(parseDuration(input)).toEqual({ ok: true, value: ms });
  });

  it.each(['10 sec', '-1s', '1d', 's', '', 'Infinity', '1e3s'])('rejects %j', (input) => {
    expect(parseDuration(input).ok).toBe(false);
  });

  it('rejects zero unless allowed, non-finite numbers and lengths that overflow Node timers', () => {
    expect(parseDuration(0).ok).toBe(false);
    expect(parseDuration(0, { allowZero: true })).toEqual({ ok: true, value: 0 });
    expect(parseDuration(Number.NaN).ok).toBe(false);
    expect(parseDuration('25d').ok).toBe(false);
    expect(parseDuration(2 ** 31 - 1)).toEqual({ ok: true, value: 2 ** 31 - 1 });
    expect(parseDuration(2 ** 31)).toEqual({ ok: false, message: expect.stringContaining('too long') });
    expect(parseDuration(true)).toEqual({ ok: false, message: expect.stringContaining('found true') });
  });
});

describe('sizes', () => {
  it.each([
    ['20MB', 20 * 1024 ** 2],
    ['512KB', 512 * 1024],
    ['512kib', 512 * 1024],
    ['1GB', 1024 ** 3],
    ['100', 100],
    ['100B', 100],
    [4096, 4096],
    ['1.5KB', 1536],
  ] as const)('%j → %d bytes', (input, bytes) => {
    expect(parseSize(input)).toEqual({ ok: true, value: bytes });
  });

  it.each(['20 parsecs', '2TB', '-1MB', '0', 'MB', '1.1GB'])('rejects %j', (input) => {
    expect(parseSize(input).ok).toBe(false);
  });
});

describe('cron expressions', () => {
  it.each(['*/30 * * * *', '0 */6 * * *', '0 9 * * MON-FRI', '*/10 * * * * *', '0 0 1 jan *', '5-50/15 * * * *', '0 0 * * 7'])('accepts %j', (e) => {
    expect(cronProblem(e)).toBeUndefined();
  });

  it.each([
    ['*/61 * * * *', 'minute step 61 is wider than the range 0-59'],
    ['*/60 * * * *', 'minute step 60'],
    ['0 */24 * * *', 'hour step 24'],
    ['*/0 * * * *', 'invalid'],
    ['10-20/11 * * * *', 'range 10-20'],
    ['0 0 */31 * *', 'day of month step 31'],
    ['0 0 1 */12 *', 'month step 12'],
    ['0 0 * * */7', 'day of week step 7'],
    ['*/61 * * * * *', 'second step 61'],
    ['* * * *', 'it has 4 fields'],
    ['* * * * * * *', 'it has 7 fields'],
    ['', 'it has 0 fields'],
    ['@hourly', 'shortcuts such as @hourly are not accepted'],
    ['* * 31 2 *', 'impossible day of month'],
  ])('rejects %j (%s)', (e, why) => {
    expect(cronProblem(e)).toContain(why);
  });
});

describe('source ids', () => {
  it('derives the readable slug from the brief', () => {
    expect(deriveSourceId('https://www.gov.uk/government/publications/international-statement-end-to-end-encryption-and-public-safety')).toBe(
      'gov-uk-international-statement-end-to-end-encryption-and-public-safety',
    );
  });

  it.each([
    ['https://www.justice.gov/opa/pr/international-statement-end-end-encryption-and-public-safety', 'justice-gov-international-statement-end-end-encryption-and-public-safety'],
    [
      'https://assets.publishing.service.gov.uk/government/uploads/system/uploads/attachment_data/file/836665/HS_open_letter_to_Mark_Zuckerberg.PDF',
      'assets-publishing-service-gov-uk-hs-open-letter-to-mark-zuckerberg-pdf',
    ],
    ['https://www.securitepublique.gc.ca/cnt/rsrcs/pblctns/2020-jnt-sttmnt-ncrptn-pblc-sfty/index-en.aspx', 'securitepublique-gc-ca-2020-jnt-sttmnt-ncrptn-pblc-sfty-en'],
    ['https://www.securitepublique.gc.ca/cnt/rsrcs/pblctns/2020-jnt-sttmnt-ncrptn-pblc-sfty/index-fr.aspx', 'securitepublique-gc-ca-2020-jnt-sttmnt-ncrptn-pblc-sfty-fr'],
    ['https://www.voltairenet.org/article202743.html', 'voltairenet-org-article202743'],
    ['https://www.gov.uk/', 'gov-uk'],
    ['https://www.gov.uk/news/2020/index.html', 'gov-uk-news-2020'],
    ['http://127.0.0.1:8080/statement', '127-0-0-1-8080-statement'],
    ['https://example.org/news.php?id=123&lang=en', 'example-org-news-id-123-lang-en'],
    ['https://example.org/d%C3%A9claration-comm%C3%BAn', 'example-org-declaration-commun'],
  ])('%s → %s', (url, id) => {
    expect(deriveSourceId(url)).toBe(id);
  });

  it('cuts long ids at a word boundary and keeps two long URLs with a common prefix apart', () => {
    const base = 'https://www.example.gov/' + 'statement-on-the-protection-of-children-and-public-safety-in-the-digital-age';
    const a = deriveSourceId(`${base}-part-one`);
    const b = deriveSourceId(`${base}-part-two`);
    for (const id of [a, b]) {
      expect(id.length).toBeLessThanOrEqual(80);
      expect(id).toMatch(SOURCE_ID_PATTERN);
      expect(id).toMatch(/^example-gov-statement-on-the-protection-.*-[0-9a-f]{8}$/);
      expect(id).not.toMatch(/--/);
    }
    expect(a).not.toBe(b);
  });

  it('gives a usable id for paths with no Latin letters', () => {
    const id = deriveSourceId('https://www.kantei.go.jp/%E5%A3%B0%E6%98%8E');
    expect(id).toMatch(/^kantei-go-jp-[0-9a-f]{8}$/);
    expect(sourceIdProblem(id)).toBeUndefined();
  });

  it('refuses to derive from something that is not a URL', () => {
    expect(() => deriveSourceId('not a url')).toThrow(/cannot derive a source id: "not a url" is not a URL/);
  });

  it.each(['../x', 'a/b', '..', '.', 'a..b', '/etc/passwd', 'C:', 'a\\b', 'con', 'LPT1', 'x'.repeat(81), ''])('refuses the id %j', (id) => {
    expect(sourceIdProblem(id)).toMatch(/is not a valid source id/);
  });

  it.each(['uk-e2ee-statement', 'a', '0', 'a.b_c-d', 'x'.repeat(80), 'console'])('accepts the id %j', (id) => {
    expect(sourceIdProblem(id)).toBeUndefined();
  });
});
