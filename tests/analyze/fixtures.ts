/**
 * Fixture texts for the analysis tests, as the archive would hold them: paragraphs
 * separated by blank lines. Statement fixtures are split with splitParagraphs (bullets and
 * hard line breaks become paragraphs). The EDGI HTML pages come two ways: through the real
 * extraction stage (femaA …), and through a crude tag strip (femaStripA …) that keeps all
 * navigation, menus and footers, i.e. furniture that "slipped past extraction".
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitParagraphs } from '../../src/analyze/sentences.js';
import { extract } from '../../src/extract/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');

export const STATEMENTS = {
  letter: 'statements/2019-10-04_open-letter-facebook_privacy-first.txt',
  letterHtml: 'statements/2019-10-04_open-letter-facebook.govuk-html-attachment.EXCERPT.txt',
  letterPage: 'statements/2019-10-04_open-letter-facebook.govuk-publication-page.EXCERPT.txt',
  e2ee: 'statements/2020-10-11_international-statement-e2ee.publicsafety-gc-ca.EXCERPT.txt',
  e2eePage: 'statements/2020-10-11_international-statement-e2ee.govuk-publication-page.EXCERPT.txt',
  fcm2018: 'statements/2018-08-29_fcm-joint-communique.voltairenet-mirror.EXCERPT.txt',
  fcm2019: 'statements/2019-07-30_fcm-joint-communique.scribd-mirror.EXCERPT.txt',
  quintet: 'statements/2019-07-30_fcm-quintet-joint-meeting-communique.scribd-mirror.EXCERPT.txt',
} as const;

export const PAGES = {
  femaA: 'govpages/real_fema-hurricane-maria_2017-10-03.a.html',
  femaB: 'govpages/real_fema-hurricane-maria_2017-10-05_mojibake.b.html',
  doeA: 'govpages/real_doe-energy-gov-homepage_2017-09-late.a.html',
  doeB: 'govpages/real_doe-energy-gov-homepage_2017-09-29plus.b.html',
} as const;

export const STRIPPED = {
  femaStripA: PAGES.femaA,
  femaStripB: PAGES.femaB,
  doeStripA: PAGES.doeA,
  doeStripB: PAGES.doeB,
} as const;

export type FixtureName = keyof typeof STATEMENTS | keyof typeof PAGES | keyof typeof STRIPPED;

const extracted = new Map<string, string>();
for (const [name, rel] of Object.entries(PAGES)) {
  const page = await extract({ body: fs.readFileSync(path.join(root, rel)), contentType: 'text/html; charset=utf-8' });
  extracted.set(name, page.text);
}

export function raw(rel: string): string {
  return fs.readFileSync(path.join(root, rel), 'utf8');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', times: '×', rsquo: '’', lsquo: '‘', ldquo: '“', rdquo: '”', ndash: '–', mdash: '—' };

/** Crude HTML → paragraphs: drop scripts/styles, break at block tags, strip the rest, decode entities. */
export function stripHtml(html: string): string {
  // The FEMA "b" page is UTF-8 that was decoded as Latin-1 and encoded again; undo that here.
  const text = /Ã[\u0080-\u00bf]|â\u0080/.test(html) ? Buffer.from(html, 'latin1').toString('utf8') : html;
  const paragraphs = text
    .replace(/<(script|style|noscript)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<\/?(?:p|div|li|h[1-6]|tr|br|ul|ol|section|article|header|footer|nav|td|th|table|dd|dt|blockquote)\b[^>]*>/gi, '\n\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&([a-z]+);/gi, (m, name: string) => ENTITIES[name.toLowerCase()] ?? m)
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p !== '');
  return paragraphs.join('\n\n');
}

const cache = new Map<string, string>();

/** A fixture as archived text (paragraphs joined by blank lines). */
export function fixtureText(name: FixtureName): string {
  let t = cache.get(name);
  if (t === undefined) {
    if (name in STATEMENTS) t = splitParagraphs(raw(STATEMENTS[name as keyof typeof STATEMENTS])).join('\n\n');
    else if (name in STRIPPED) t = stripHtml(raw(STRIPPED[name as keyof typeof STRIPPED]));
    else t = extracted.get(name)!;
    cache.set(name, t);
  }
  return t;
}
